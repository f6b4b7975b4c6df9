"""Stateless nodes (issue 25): two app servers against one PostgreSQL and one Redis.

Run by ``bench/run.sh`` once, after the first size's load, on that size's database and in
its environment (production settings, ``EGENMAKT_BENCH=1``). Starts gunicorn A on
``--port`` and B on ``--port + 1``, one sync worker each, both with the same
``SECRET_KEY`` and ``CACHE_URL`` naming one Redis database of their own (``BENCH_REDIS``,
default ``redis://127.0.0.1:6379/13``; flushed first, and refused if it holds keys that
are not the bench's), then shows:

* **sessions**: signed in on A, the signed-in floor answers 200 on B with the same
  cookie; signed out on B, A sends the same cookie to the sign-in page;
* **limits**: the portal's sign-in-link request (``/mina-sidor/logga-in/``, limited per
  client address) sent alternately to A and B from one address: the first LIMIT pass,
  the next are refused (429) whichever server gets them;
* **throughput**: ``--clients`` processes (not threads: the client must not be the
  bottleneck) request the signed-in floor with no pause for ``--seconds``, first all from
  A, then half from A and half from B; requests per second of each and their ratio, with
  the number of CPUs the machine has.

Usage: ``python bench/nodes.py LOGINS.json OUT.json --port 8765 --size 10000``.
The JSON goes to ``bench/report.py``, which makes a section of ``bench/results.md`` of it.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import redis
import requests
from isolated import sign_in  # bench/, the script's own folder
from signin import csrf_cookie

SIGNED_IN_FLOOR = "signed-in floor"
LINK_REQUEST = "/mina-sidor/logga-in/"
MARKER = "egenmakt-bench-nodes"
ROOT = Path(__file__).resolve().parent.parent


def _serve(port: int, cache_url: str, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CACHE_URL": cache_url}
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "egenmakt.wsgi",
        "--workers",
        "1",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--error-logfile",
        str(log),
    ]
    server = subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603
    deadline = time.monotonic() + 120  # a busy machine loads the app slowly
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=30).ok:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.2)
    server.terminate()
    server.wait(timeout=30)
    raise SystemExit(f"gunicorn on port {port} did not start (see {log})")


def _fresh_redis(url: str) -> None:
    """Flush the Redis database the two servers share, if it is the bench's own."""
    store = redis.Redis.from_url(url)
    if store.dbsize() and not store.exists(MARKER):
        raise SystemExit(f"{url} holds keys that are not the bench's: set BENCH_REDIS.")
    store.flushdb()
    store.set(MARKER, "1")


def _sessions(a: str, b: str, floor: str, account: dict[str, Any], password: str) -> dict:
    steps, ok = [], True
    session = sign_in(a, account, password)
    steps.append("signed in on A")
    on_b = session.get(b + floor, allow_redirects=False, timeout=30)
    ok &= on_b.status_code == 200
    steps.append(f"the signed-in floor on B with A's cookie: {on_b.status_code}")
    out = session.post(
        f"{b}/logga-ut/",
        {"csrfmiddlewaretoken": csrf_cookie(session.cookies)},
        allow_redirects=False,
        timeout=30,
    )
    steps.append(f"signed out on B: {out.status_code}")
    on_a = session.get(a + floor, allow_redirects=False, timeout=30)
    location = on_a.headers.get("Location", "")
    ok &= on_a.status_code == 302 and "/logga-in/" in location
    steps.append(f"then A answers {on_a.status_code} to {location.split('?')[0] or '–'}")
    return {"ok": bool(ok), "steps": steps}


def _limits(a: str, b: str, rate: str) -> dict:
    """``rate`` is the portal's LINK_REQUEST_RATE, as bench_logins wrote it."""
    limit = int(rate.split("/")[0])
    session = requests.Session()
    session.get(a + LINK_REQUEST, timeout=30)  # the CSRF cookie, good on both servers
    answers = []
    for n in range(limit + 2):
        name, base = ("A", a) if n % 2 == 0 else ("B", b)
        response = session.post(
            base + LINK_REQUEST,
            {
                "email": "nobody@skala.egenmakt.example",
                "csrfmiddlewaretoken": csrf_cookie(session.cookies),
            },
            allow_redirects=False,
            timeout=30,
        )
        answers.append((name, response.status_code))
    statuses = [status for _name, status in answers]
    ok = statuses == [302] * limit + [429, 429]
    return {"ok": ok, "rate": rate, "limit": limit, "answers": answers}


def _hammer(job: tuple[str, dict[str, str], float]) -> list[float]:
    """One client process: the page as fast as it is answered until the time is up."""
    url, cookies, seconds = job
    session = requests.Session()
    session.cookies.update(cookies)
    times = []
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        started = time.perf_counter()
        response = session.get(url, allow_redirects=False, timeout=60)
        if response.status_code == 200:
            times.append((time.perf_counter() - started) * 1000)
    return times


def _rate(urls: list[str], cookies: dict[str, str], clients: int, seconds: float) -> dict:
    jobs = [(urls[n % len(urls)], cookies, seconds) for n in range(clients)]
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        results = pool.map(_hammer, jobs)
    times = sorted(t for result in results for t in result)
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))] if times else 0.0
    return {"requests": len(times), "rps": len(times) / seconds, "p95": p95}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("logins")
    parser.add_argument("out")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--size", required=True)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    logins: dict[str, Any] = json.loads(Path(args.logins).read_text())
    floor_page = next(p for p in logins["pages"] if p["name"] == SIGNED_IN_FLOOR)
    accounts = logins["roles"][floor_page["role"]]["accounts"]
    cache_url = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/13")
    _fresh_redis(cache_url)
    ports = [args.port, args.port + 1]
    log_dir = Path(args.out).parent
    servers: list[subprocess.Popen[bytes]] = []
    a, b = (f"http://127.0.0.1:{port}" for port in ports)
    try:
        for port in ports:
            servers.append(_serve(port, cache_url, log_dir / f"gunicorn-node-{port}.log"))
        # A TOTP code is good once: a time step the earlier sign-ins did not use.
        time.sleep(31 - time.time() % 30)
        sessions = _sessions(a, b, floor_page["path"], accounts[-1], logins["password"])
        limits = _limits(a, b, logins["link_request_rate"])
        # Another account (its sign-in in the same step is on another device).
        session = sign_in(a, accounts[-2], logins["password"])
        cookies = session.cookies.get_dict()
        path = floor_page["path"]
        throughput = {
            "clients": args.clients,
            "seconds": args.seconds,
            "one": _rate([a + path], cookies, args.clients, args.seconds),
            "both": _rate([a + path, b + path], cookies, args.clients, args.seconds),
        }
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
    cpus = os.cpu_count() or 1
    result = {
        "size": args.size,
        "ports": ports,
        "workers": 1,
        "cache_url": cache_url,
        "cpus": cpus,
        "cpus_usable": len(os.sched_getaffinity(0)),
        "loadavg": Path("/proc/loadavg").read_text().split()[:3],
        "sessions": sessions,
        "limits": limits,
        "throughput": throughput,
    }
    Path(args.out).write_text(json.dumps(result, indent=2))
    one, both = throughput["one"]["rps"], throughput["both"]["rps"]
    print(f"  sessions across A and B: {'hold' if sessions['ok'] else 'FAIL'}")
    print(f"  one limit across A and B: {'holds' if limits['ok'] else 'FAILS'} {limits['answers']}")
    print(
        f"  signed-in floor: one server {one:.1f}/s, both {both:.1f}/s "
        f"({both / one if one else 0:.2f}x) on {cpus} CPU"
    )


if __name__ == "__main__":
    main()
