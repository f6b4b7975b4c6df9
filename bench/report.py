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

FLOOR = "floor"  # anonymous, no database: a reference row
SIGNED_IN = "signed-in floor"  # the cheapest page a signed-in person gets: the yardstick
FLOOR_TARGET = 2.0  # issue 25: every page's p95 within 2x the signed-in floor's at 100,000
GROWTH_TARGET = 1.2  # and no page's p95 at 100,000 more than 1.2x its p95 at 10,000
AGGREGATE_TARGET = 1.5  # the reports' data within 1.5x the same aggregate in plain SQL
ISOLATED_REQUESTS = 50


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


def _users(raw: Path, size: str) -> str:
    """Who drove the load: users per role, from the bench accounts."""
    logins = json.loads((raw / f"logins-{size}.json").read_text())
    driven = {p["role"] for p in logins["pages"]}
    parts = [
        f"{spec['users']} {role.replace('_', ' ')}"
        for role, spec in logins["roles"].items()
        if role in driven
    ]
    return ", ".join([*parts, f"{logins['floor_users']} anonymous (the floor)"])


def _ratio(value: float, floor: float) -> str:
    if not floor:
        return "–"
    ratio = value / floor
    return f"{ratio:.1f}" if ratio < 10 else f"{ratio:.0f}"


def _mark(text: str, met: bool) -> str:
    return text if met else f"**{text}**"


def _marked_ratio(value: float, floor: float) -> str:
    return _mark(_ratio(value, floor), not floor or value / floor <= FLOOR_TARGET)


def _alone(raw: Path, size: str) -> dict[str, tuple[float, float]]:
    path = raw / f"isolated-{size}.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text())
    return {
        page: (_percentile(row["client_ms"], 0.5), _percentile(row["client_ms"], 0.95))
        for page, row in data.items()
    }


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


def _aggregates(say: Any, raw: Path, sizes: list[str]) -> None:
    say("## Report generation: what the page runs against plain SQL (region 1, median of 7)")
    say("")
    say(
        "| aggregate | "
        + " | ".join(f"app ms {int(s):,} | SQL ms {int(s):,} | ÷ SQL {int(s):,}" for s in sizes)
        + " | the app also computes |"
    )
    say("|---|" + "---:|---:|---:|" * len(sizes) + "---|")
    aggregates = {
        size: json.loads((raw / f"aggregates-{size}.json").read_text())
        for size in sizes
        if (raw / f"aggregates-{size}.json").exists()
    }
    names = list(next(iter(aggregates.values()), {}).keys())
    for name in names:
        cells, note = [], ""
        for size in sizes:
            row = aggregates.get(size, {}).get(name, {})
            if "sql_ms" not in row:
                cells += ["–"] * 3
                continue
            ratio = row["orm_ms"] / row["sql_ms"] if row["sql_ms"] else 0.0
            cells += [
                f"{row['orm_ms']:.1f}",
                f"{row['sql_ms']:.1f}",
                _mark(f"{ratio:.2f}", ratio <= AGGREGATE_TARGET),
            ]
            note = row.get("note", note)
        say(f"| {name} | " + " | ".join(cells) + f" | {note or '–'} |")
    say("")
    say(
        f"Issue 25's target: within {AGGREGATE_TARGET:g}x the same aggregate in plain SQL; "
        "misses in **bold**. Both sides give the same figures (bench/aggregates.py compares "
        'them before timing). "Warm" is the page as a second request sees it: closed '
        "quarters and months come from the store (reports/stored.py), only the open one is "
        'computed; the "live" rows time that open part alone.'
    )
    say("")


def _breakdown(say: Any, raw: Path, sizes: list[str]) -> None:
    """Where each page's time goes (bench/breakdown.py), per size where it was run."""
    for size in sizes:
        path = raw / f"breakdown-{size}.json"
        if not path.exists():
            continue
        found = json.loads(path.read_text())
        floor = found.get(SIGNED_IN)
        if not floor:
            continue
        say(f"## Where the time goes at {int(size):,} clients (bench/breakdown.py)")
        say("")
        say(
            "One process, Django's test client, production's middleware and templates, each "
            "page's median over its requests: the time waiting for the database (every "
            "statement, the transaction's savepoints included), rendering templates (less the "
            "queries run while rendering), and the rest (middleware, session and second "
            "factor, the view's own Python). In brackets, what the page adds to the "
            "signed-in floor."
        )
        say("")
        say(
            "| page | statements | total ms | ÷ floor | SQL ms (+) | templates ms (+) "
            "| the rest ms (+) |"
        )
        say("|---|---:|---:|---:|---:|---:|---:|")
        for name, row in found.items():
            ratio = row["total_ms"] / floor["total_ms"] if floor["total_ms"] else 0.0
            say(
                f"| {name} | {row['statements']:.0f} | {row['total_ms']:.1f} | {ratio:.1f} "
                f"| {row['sql_ms']:.1f} (+{row['sql_ms'] - floor['sql_ms']:.1f}) "
                f"| {row['render_ms']:.1f} (+{row['render_ms'] - floor['render_ms']:.1f}) "
                f"| {row['rest_ms']:.1f} (+{row['rest_ms'] - floor['rest_ms']:.1f}) |"
            )
        say("")


def _nodes(say: Any, raw: Path) -> None:
    """Two app servers against one PostgreSQL and one Redis (bench/nodes.py)."""
    path = raw / "nodes.json"
    if not path.exists():
        return
    data = json.loads(path.read_text())
    say(f"## Two app servers, one PostgreSQL and one Redis ({int(data['size']):,} clients)")
    say("")
    say(
        f"bench/nodes.py: gunicorn A on port {data['ports'][0]} and B on {data['ports'][1]}, "
        f"{data['workers']} sync worker each, the same SECRET_KEY, both with "
        f"`CACHE_URL={data['cache_url']}` (a Redis database of their own, flushed first), "
        "on the size's database."
    )
    say("")
    sessions, limits, rate = data["sessions"], data["limits"], data["throughput"]

    def verdict(ok: bool) -> str:
        return "hold" if ok else "**do not hold**"

    say(f"* **Sessions** {verdict(sessions['ok'])}: " + "; ".join(sessions["steps"]) + ".")
    say(
        f"* **Limits** {verdict(limits['ok'])}: the portal's sign-in-link request "
        f"({limits['rate']} per address) sent alternately to A and B from one address: "
        + ", ".join(
            f"{n + 1}: {server} {status}" for n, (server, status) in enumerate(limits["answers"])
        )
        + "."
    )
    one, both = rate["one"], rate["both"]
    ratio = both["rps"] / one["rps"] if one["rps"] else 0.0
    say(
        f"* **Throughput**, the signed-in floor, {rate['clients']} client processes with no "
        f"pause for {rate['seconds']} s each: one server {one['rps']:.1f} requests/s "
        f"(p95 {one['p95']:.0f} ms), both servers {both['rps']:.1f}/s (p95 {both['p95']:.0f} "
        f"ms): {ratio:.2f}x. The machine has {data['cpus']} CPU, shared by both servers, "
        "PostgreSQL, Redis and the client processes (load average "
        f"{' '.join(data.get('loadavg', ['?']))} after the leg)"
        + (
            ": two single-worker servers cannot double the throughput when one already "
            "keeps the CPUs busy."
            if data["cpus"] <= 2
            else "."
        )
    )
    say("")


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
    alone = {size: _alone(raw, size) for size in sizes}
    roles = _role(raw, sizes[-1])
    # Every page bench_logins listed, whether or not the load reached it.
    listed = list(roles) + list(stats[sizes[-1]])
    pages = [FLOOR, SIGNED_IN] + [
        name for name in dict.fromkeys(listed) if name not in {FLOOR, SIGNED_IN}
    ]

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
        "gunicorn, PostgreSQL and locust all on it, and possibly other work: the load "
        "average before each size's run is given under its table."
    )
    say(
        f"* {_run('psql', '--version') or 'PostgreSQL'}, Python {platform.python_version()}, "
        f"gunicorn {args.workers} sync workers, DEBUG off."
    )
    say(
        f"* Load: {args.users} concurrent locust users with no pause between requests, "
        f"{args.duration} s per size after every user has signed in; each role's users "
        f"take the role's pages in turn: {_users(raw, sizes[-1])}. API reads go with the "
        "account's own token and no session cookie."
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
        "Three views of each page's time, each with its ratio to the **signed-in floor**'s "
        "p95 taken the same way (the backup-codes page as a case manager: session, user, "
        "second-factor device, memberships for the menu, the base layout, no domain query; "
        "the anonymous floor, no database at all, is a reference row). **Under load, at the "
        f"client** (locust): the whole round trip while {args.users} users ask with no pause; "
        "the server is saturated, so every request, the floor's too, mostly waits for a free "
        "worker and a CPU, and these ratios say more about the queue than about the page. "
        "**Under load, in Django** (`X-Bench-Ms`): the middleware stack and the view without "
        "the wait for a worker, but sharing the CPUs. **Alone**: "
        f"{ISOLATED_REQUESTS} requests one at a time on the idle server after the load "
        "(bench/isolated.py): what the page itself costs against what the signed-in stack "
        "costs. Ratios over the target "
        f"({FLOOR_TARGET:g}x) are in bold."
    )
    say("")
    for size in sizes:
        floor_p95 = stats[size].get(SIGNED_IN, {}).get("p95") or 0.0
        floor_server = server[size].get(SIGNED_IN, (0.0, 0.0))[1]
        floor_alone = alone[size].get(SIGNED_IN, (0.0, 0.0))[1]
        isolated = raw / f"isolated-{size}.json"
        alone_queries = (
            {k: v["queries"] for k, v in json.loads(isolated.read_text()).items()}
            if isolated.exists()
            else {}
        )
        say(f"## Pages at {int(size):,} clients")
        say("")
        say(
            "| page | role | queries/request | load: p50 / p95 ms | req/s | ÷ signed-in "
            "| in Django: p50 / p95 ms | ÷ signed-in | alone: p50 / p95 ms | ÷ signed-in |"
        )
        say("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for page in pages:
            row = stats[size].get(page)
            if row is None and page not in alone[size]:
                continue
            s50, s95 = server[size].get(page, (0.0, 0.0))
            a50, a95 = alone[size].get(page, (0.0, 0.0))
            if row is None:  # measured alone only
                load = "– | – | –"
            else:
                failures = f" ({row['failures']} failed)" if row["failures"] else ""
                load = (
                    f"{row['p50']:g} / {row['p95']:g}{failures} | {row['rps']:.1f} "
                    f"| {_marked_ratio(row['p95'], floor_p95)}"
                )
            counts = headers[size]["queries"].get(page) or alone_queries.get(page, [])
            in_django = (
                f"{s50:.1f} / {s95:.1f} | {_marked_ratio(s95, floor_server)}"
                if page in server[size]
                else "– | –"
            )
            alone_text = (
                f"{a50:.1f} / {a95:.1f} | {_marked_ratio(a95, floor_alone)}"
                if page in alone[size]
                else "– | –"
            )
            say(
                f"| {page} | {roles.get(page, '')} | {_query_text(counts)} "
                f"| {load} | {in_django} | {alone_text} |"
            )
        total = sum(r["requests"] for r in stats[size].values())
        say("")
        load = raw / f"loadavg-{size}.txt"
        before = (
            f" Load average before the run: {load.read_text().strip()}." if load.exists() else ""
        )
        say(
            f"{total:,} requests in all, {sum(r['rps'] for r in stats[size].values()):.1f}/s."
            + before
        )
        say("")
    if len(sizes) > 1:
        # The pair when both were run, else the smallest and the largest.
        pair = ("10000", "100000")
        small, large = pair if set(pair) <= set(sizes) else (sizes[0], sizes[-1])
        say(f"## Against the targets ({int(small):,} → {int(large):,} clients)")
        say("")
        say(
            f"Issue 25: every page's p95 at {int(large):,} within {FLOOR_TARGET:g} times the "
            f"signed-in floor's p95, and no page's p95 at {int(large):,} more than "
            f"{GROWTH_TARGET:g} times its p95 at {int(small):,}. Growth is p95 at "
            f"{int(large):,} ÷ p95 at {int(small):,}; ÷ signed-in is at {int(large):,}."
        )
        say("")
        say(
            "| page | alone: growth | alone: ÷ signed-in | under load: growth "
            "| under load: ÷ signed-in | in Django: growth | in Django: ÷ signed-in |"
        )
        say("|---|---:|---:|---:|---:|---:|---:|")
        for page in pages:
            if page in {FLOOR, SIGNED_IN} or page not in stats[small] or page not in stats[large]:
                continue
            cells = []
            for view in (alone, None, server):
                if view is None:
                    before, after = stats[small][page]["p95"], stats[large][page]["p95"]
                    floor = stats[large].get(SIGNED_IN, {}).get("p95") or 0.0
                else:
                    before = view[small].get(page, (0.0, 0.0))[1]
                    after = view[large].get(page, (0.0, 0.0))[1]
                    floor = view[large].get(SIGNED_IN, (0.0, 0.0))[1]
                growth = after / before if before else 0.0
                cells.append(_mark(f"{growth:.2f}", growth <= GROWTH_TARGET))
                cells.append(_marked_ratio(after, floor))
            say(f"| {page} | " + " | ".join(cells) + " |")
        say("")
        say("Figures in **bold** miss the target.")
        say("")
    _aggregates(say, raw, sizes)
    _breakdown(say, raw, sizes)
    _nodes(say, raw)
    print("\n".join(out))


if __name__ == "__main__":
    main()
