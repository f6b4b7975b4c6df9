"""Each page alone: one request at a time, after the load has stopped (bench/run.sh).

Under the 16-user load every request waits for a free worker and shares two CPUs with
the others, so its time says as much about the other pages as about itself. Here each
role signs in once (a fresh account, as in the locustfile) and requests each of its pages
``REQUESTS`` times in a row, the floor without a session cookie, on an otherwise idle
server: what one page costs against what the stack costs.

Usage: ``python bench/isolated.py LOGINS.json http://127.0.0.1:8765 OUT.json``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import requests
from signin import (  # bench/, the script's own folder
    csrf_cookie,
    csrf_token,
    headers_for,
    is_api,
    signed_in_at,
    totp,
)

WARM_UP = 8
REQUESTS = 50


def sign_in(base: str, account: dict[str, str], password: str) -> requests.Session:
    """A session signed in as the account: a client by their one-time link, staff by
    password and TOTP code (also used by bench/nodes.py)."""
    session = requests.Session()
    if "link" in account:
        page = session.get(base + account["link"], timeout=30)
        response = session.post(
            base + account["link"], {"csrfmiddlewaretoken": csrf_token(page.text)}, timeout=30
        )
        if not signed_in_at(response.url):
            raise SystemExit(f"Sign-in failed for {account['email']}: ended at {response.url}")
        return session
    page = session.get(f"{base}/logga-in/", timeout=30)
    response = session.post(
        f"{base}/logga-in/",
        {
            "username": account["email"],
            "password": password,
            "csrfmiddlewaretoken": csrf_token(page.text),
        },
        timeout=30,
    )
    if "/konto/tvastegs/" in response.url:
        response = session.post(
            f"{base}/konto/tvastegs/",
            {
                "token": totp(account["totp_key"]),
                "csrfmiddlewaretoken": csrf_token(response.text),
            },
            timeout=30,
        )
    if "/logga-in/" in response.url or "/konto/tvastegs/" in response.url:
        raise SystemExit(f"Sign-in failed for {account['email']}")
    return session


def _measure(
    session: requests.Session,
    url: str,
    data: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, list[float]]:
    client_ms, server_ms, queries = [], [], []
    for n in range(WARM_UP + REQUESTS):
        started = time.perf_counter()
        if data is None:
            response = session.get(url, headers=headers, allow_redirects=False, timeout=60)
        else:
            form = {**data, "csrfmiddlewaretoken": csrf_cookie(session.cookies)}
            response = session.post(url, form, allow_redirects=False, timeout=60)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        if n >= WARM_UP:
            client_ms.append(elapsed)
            server_ms.append(float(response.headers["X-Bench-Ms"]))
            queries.append(float(response.headers["X-Bench-Queries"]))
    return {"client_ms": client_ms, "server_ms": server_ms, "queries": queries}


def main() -> None:
    logins_path, base, out = sys.argv[1:4]
    logins: dict[str, Any] = json.loads(Path(logins_path).read_text())
    # A TOTP code is good once: start in a time step the load's sign-ins did not use.
    time.sleep(31 - time.time() % 30)
    results = {"floor": _measure(requests.Session(), f"{base}/bench/floor")}
    sessions: dict[str, requests.Session] = {}
    for page in logins["pages"]:
        role = page["role"]
        # The last account: the locust users took them from the first.
        account = logins["roles"][role]["accounts"][-1]
        if is_api(page):
            # No session cookie: the token alone.
            results[page["name"]] = _measure(
                requests.Session(), base + page["path"], headers=headers_for(page, account)
            )
            continue
        if role not in sessions:
            sessions[role] = sign_in(base, account, logins["password"])
        data = page.get("data") if page.get("method", "GET") == "POST" else None
        results[page["name"]] = _measure(sessions[role], base + page["path"], data)
    Path(out).write_text(json.dumps(results))


if __name__ == "__main__":
    main()
