"""Writes bench/results.md from what bench/run.sh left in var/bench (stdout)."""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FLOOR = "floor"
FLOOR_TARGET = 3.0  # issue 10: every page's p95 within 3x the floor's at 100,000 clients
GROWTH_TARGET = 1.5  # and no page's p95 more than 1.5x its p95 at 10,000


def _run(*command: str) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip()  # noqa: S603
    except OSError:
        return ""


def _cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def _stats(raw: Path, size: str) -> dict[str, dict[str, Any]]:
    rows = {}
    with (raw / f"locust-{size}_stats.csv").open() as handle:
        for row in csv.DictReader(handle):
            if row["Name"] in {"Aggregated", "sign-in", "sign-in, second factor"}:
                continue
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50": float(row["50%"]),
                "p95": float(row["95%"]),
                "rps": float(row["Requests/s"]),
            }
    return rows


def _headers(raw: Path, size: str) -> dict[str, dict[str, list[float]]]:
    path = raw / f"queries-{size}.json"
    return json.loads(path.read_text()) if path.exists() else {"queries": {}, "server_ms": {}}


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _role(raw: Path, size: str) -> dict[str, str]:
    logins = json.loads((raw / f"logins-{size}.json").read_text())
    return {p["name"]: p["role"].replace("_", " ") for p in logins["pages"]} | {FLOOR: "anonymous"}


def _query_text(counts: list[float]) -> str:
    if not counts:
        return "–"
    low, high = min(counts), max(counts)
    median = statistics.median(counts)
    return f"{median:g}" if low == high else f"{median:g} ({low}–{high})"


def _generation(raw: Path, size: str) -> tuple[str, str]:
    ms = raw / f"generate-{size}.ms"
    seconds = f"{int(ms.read_text()) / 1000:.0f} s" if ms.exists() else "–"
    rows = "–"
    text = raw / f"generate-{size}.txt"
    if text.exists():
        for line in text.read_text().splitlines():
            if line.startswith("Done in"):
                rows = line.split(",", 1)[1].strip().rstrip(".")
    return seconds, rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--raw", required=True)
    parser.add_argument("--sizes", required=True)
    parser.add_argument("--duration", required=True)
    parser.add_argument("--workers", required=True)
    parser.add_argument("--users", required=True)
    args = parser.parse_args()
    raw = Path(args.raw)
    sizes = args.sizes.split()
    stats = {size: _stats(raw, size) for size in sizes}
    headers = {size: _headers(raw, size) for size in sizes}
    server = {
        size: {
            page: (_percentile(ms, 0.5), _percentile(ms, 0.95))
            for page, ms in headers[size]["server_ms"].items()
        }
        for size in sizes
    }
    roles = _role(raw, sizes[-1])
    pages = [FLOOR] + [name for name in stats[sizes[-1]] if name != FLOOR]

    out: list[str] = []
    say = out.append
    say("# Benchmark results")
    say("")
    say(
        f"Made by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit "
        f"`{_run('git', 'rev-parse', '--short', 'HEAD') or '?'}`. "
        "See `bench/README.md` for what is measured and how."
    )
    say("")
    say(
        f"* Machine: {os.cpu_count()} CPU ({_cpu()}), "
        f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB; "
        "gunicorn, PostgreSQL and locust all on it."
    )
    say(
        f"* {_run('psql', '--version') or 'PostgreSQL'}, Python {platform.python_version()}, "
        f"gunicorn {args.workers} sync workers, DEBUG off."
    )
    say(
        f"* Load: {args.users} concurrent locust users with no pause between requests, "
        f"{args.duration} s per size after every user has signed in; each role's users "
        "take the role's pages in turn, two anonymous users request the floor."
    )
    say("")
    say("## Data generation (`generate_scale`, PostgreSQL)")
    say("")
    say("| clients | time | rows |")
    say("|---:|---:|---:|")
    for size in sizes:
        seconds, rows = _generation(raw, size)
        say(f"| {int(size):,} | {seconds} | {rows} |")
    say("")
    say(
        "Two views of each request's time. **At the client** (locust): from sending the "
        "request to the last byte, so it includes the wait for a free worker; with 16 users "
        "and no pause on this machine the server is saturated, and that wait dominates every "
        "page alike, the floor included. **In Django** (the `X-Bench-Ms` header): the whole "
        "middleware stack and the view, without the wait: what the page itself costs. Each "
        "has its ratio to the floor's p95 measured the same way."
    )
    say("")
    for size in sizes:
        floor_p95 = stats[size].get(FLOOR, {}).get("p95") or 0.0
        floor_server = server[size].get(FLOOR, (0.0, 0.0))[1]
        say(f"## Pages at {int(size):,} clients")
        say("")
        say(
            "| page | role | requests | failures | p50 ms | p95 ms | req/s "
            "| queries/request | p95 ÷ floor | in Django p50 / p95 ms | ÷ floor |"
        )
        say("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for page in pages:
            row = stats[size].get(page)
            if row is None:
                continue
            ratio = row["p95"] / floor_p95 if floor_p95 else 0.0
            p50, p95 = server[size].get(page, (0.0, 0.0))
            inside = p95 / floor_server if floor_server else 0.0
            say(
                f"| {page} | {roles.get(page, '')} | {row['requests']:,} | {row['failures']} "
                f"| {row['p50']:g} | {row['p95']:g} | {row['rps']:.1f} "
                f"| {_query_text(headers[size]['queries'].get(page, []))} | {ratio:.1f} "
                f"| {p50:.1f} / {p95:.1f} | {inside:.0f} |"
            )
        say("")
    if len(sizes) > 1:
        # The pair when both were run, else the smallest and the largest.
        small, large = (
            ("10000", "100000") if {"10000", "100000"} <= set(sizes) else (sizes[0], sizes[-1])
        )
        floor_p95 = stats[large].get(FLOOR, {}).get("p95") or 0.0
        say(f"## Against the targets ({int(small):,} → {int(large):,} clients)")
        say("")
        say(
            f"Targets (issue 10): p95 at {int(large):,} within {FLOOR_TARGET:g} times the floor's, "
            f"and at most {GROWTH_TARGET:g} times the p95 at {int(small):,}."
        )
        say("")
        say(f"| page | p95 {int(small):,} | p95 {int(large):,} | growth | ÷ floor | met |")
        say("|---|---:|---:|---:|---:|---|")
        for page in pages:
            a, b = stats[small].get(page), stats[large].get(page)
            if a is None or b is None or page == FLOOR:
                continue
            growth = b["p95"] / a["p95"] if a["p95"] else 0.0
            ratio = b["p95"] / floor_p95 if floor_p95 else 0.0
            met = "yes" if growth <= GROWTH_TARGET and ratio <= FLOOR_TARGET else "no"
            say(f"| {page} | {a['p95']:g} | {b['p95']:g} | {growth:.2f} | {ratio:.1f} | {met} |")
        say("")
    say("## Report generation: the app's code against plain SQL (region 1, median of 7)")
    say("")
    say(
        "| aggregate | "
        + " | ".join(f"app ms {int(s):,} | SQL ms {int(s):,}" for s in sizes)
        + " |"
    )
    say("|---|" + "---:|---:|" * len(sizes))
    aggregates = {
        size: json.loads((raw / f"aggregates-{size}.json").read_text())
        for size in sizes
        if (raw / f"aggregates-{size}.json").exists()
    }
    names = list(next(iter(aggregates.values()), {}).keys())
    for name in names:
        cells = []
        for size in sizes:
            row = aggregates.get(size, {}).get(name, {})
            cells.append(f"{row['orm_ms']:.1f}" if "orm_ms" in row else "–")
            cells.append(f"{row['sql_ms']:.1f}" if "sql_ms" in row else "–")
        say(f"| {name} | " + " | ".join(cells) + " |")
    say("")
    say(
        "Both sides give the same numbers (bench/aggregates.py compares them before timing). "
        '"Whole" rows time everything the page computes, for scale; they have no SQL twin.'
    )
    print("\n".join(out))


if __name__ == "__main__":
    main()
