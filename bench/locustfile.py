"""Drives Egenmakt's pages as its roles do, for ``bench/run.sh`` (locust, headless).

Knows no page and no role itself: both come from the JSON that ``manage.py bench_logins``
writes (``BENCH_LOGINS``), made from ``egenmakt/scale/pages.py``. Each role's users sign in
like people do (staff: e-mail, password, then the six-digit code of their TOTP device,
computed here as an authenticator app would; a client of the portal: the one-time link
from the invitation, its button posted), then request their role's pages in turn with no
pause. An API read goes from a second, cookieless session with the account's own token
in its ``Authorization`` header. A few anonymous users request the floor. Statistics
restart once every user has signed in, so sign-ins are never part of a page's figures.

Every response's ``X-Bench-Queries`` and ``X-Bench-Ms`` headers (bench mode: queries run,
and time spent inside Django) are collected per page and written to
``BENCH_QUERIES_OUT`` when the run ends.
"""

from __future__ import annotations

import itertools
import json
import os
from collections import defaultdict
from typing import Any

import gevent
from locust import HttpUser, constant, events, task
from locust.clients import HttpSession
from signin import csrf_cookie, csrf_token, headers_for, is_api, signed_in_at, totp

LOGINS = json.loads(open(os.environ["BENCH_LOGINS"]).read())  # noqa: SIM115
FLOOR = "floor"
QUERIES: dict[str, list[int]] = defaultdict(list)
SERVER_MS: dict[str, list[float]] = defaultdict(list)
DRIVEN_ROLES = {p["role"] for p in LOGINS["pages"]}
TOTAL_USERS = LOGINS["floor_users"] + sum(
    spec["users"] for role, spec in LOGINS["roles"].items() if role in DRIVEN_ROLES
)
_ready = {"count": 0}
DURATION = float(os.environ.get("BENCH_DURATION", "0"))


@events.request.add_listener
def _count_queries(name: str, response: Any = None, exception: Any = None, **_kw: Any) -> None:
    if response is not None and exception is None and "X-Bench-Queries" in response.headers:
        QUERIES[name].append(int(response.headers["X-Bench-Queries"]))
        SERVER_MS[name].append(float(response.headers["X-Bench-Ms"]))


@events.quitting.add_listener
def _write_queries(environment: Any, **_kw: Any) -> None:
    path = os.environ.get("BENCH_QUERIES_OUT")
    if path:
        with open(path, "w") as handle:
            json.dump({"queries": QUERIES, "server_ms": SERVER_MS}, handle)


def _all_signed_in(user: HttpUser) -> None:
    """Wait until every user has signed in; the last one restarts the statistics and
    stops the run ``BENCH_DURATION`` seconds later (locust's own ``-t`` counts the sign-ins
    too, which take long on a busy machine: run.sh gives it only as a safety net)."""
    _ready["count"] += 1
    if _ready["count"] == TOTAL_USERS:
        user.environment.runner.stats.reset_all()
        QUERIES.clear()
        SERVER_MS.clear()
        if DURATION:
            gevent.spawn_later(DURATION, user.environment.runner.quit)
    while _ready["count"] < TOTAL_USERS:
        gevent.sleep(0.05)


class FloorUser(HttpUser):
    """Anonymous: no session cookie, so the floor does no database work at all."""

    fixed_count = LOGINS["floor_users"]
    wait_time = constant(0)

    def on_start(self) -> None:
        _all_signed_in(self)

    @task
    def floor(self) -> None:
        _get(self, "/bench/floor", FLOOR)


def _get(
    user: HttpUser,
    path: str,
    name: str,
    client: HttpSession | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    with (client or user.client).get(
        path, name=name, headers=headers, allow_redirects=False, catch_response=True
    ) as response:
        if response.status_code != 200:
            response.failure(f"{response.status_code} {response.headers.get('Location', '')}")


def _request(user: Any, page: dict[str, Any]) -> None:
    """A page as its role asks for it: most by GET, a search by POST (names and numbers
    never reach a URL) with the CSRF token the sign-in left in the cookie, an API read
    with the account's token from the cookieless session."""
    if is_api(page):
        _get(user, page["path"], page["name"], user.api, headers_for(page, user.account))
        return
    if page.get("method", "GET") == "GET":
        _get(user, page["path"], page["name"])
        return
    data = {**page["data"], "csrfmiddlewaretoken": csrf_cookie(user.client.cookies)}
    with user.client.post(
        page["path"], data, name=page["name"], allow_redirects=False, catch_response=True
    ) as response:
        if response.status_code != 200:
            response.failure(f"{response.status_code} {response.headers.get('Location', '')}")


def _sign_in(user: HttpUser, account: dict[str, str]) -> None:
    if "link" in account:
        # The client's one-time link: the page shows a button, its POST signs in.
        page = user.client.get(account["link"], name="sign-in")
        response = user.client.post(
            account["link"], {"csrfmiddlewaretoken": csrf_token(page.text)}, name="sign-in"
        )
        if not signed_in_at(response.url):
            raise RuntimeError(f"Sign-in failed for {account['email']}: ended at {response.url}")
        return
    page = user.client.get("/logga-in/", name="sign-in")
    response = user.client.post(
        "/logga-in/",
        {
            "username": account["email"],
            "password": LOGINS["password"],
            "csrfmiddlewaretoken": csrf_token(page.text),
        },
        name="sign-in",
    )
    if "/konto/tvastegs/" in response.url:
        response = user.client.post(
            "/konto/tvastegs/",
            {"token": totp(account["totp_key"]), "csrfmiddlewaretoken": csrf_token(response.text)},
            name="sign-in, second factor",
        )
    if "/logga-in/" in response.url or "/konto/tvastegs/" in response.url:
        raise RuntimeError(f"Sign-in failed for {account['email']}: ended at {response.url}")


def _role_user(role: str, spec: dict[str, Any], pages: list[dict[str, str]]) -> type[HttpUser]:
    accounts = iter(spec["accounts"])

    class RoleUser(HttpUser):
        fixed_count = spec["users"]
        wait_time = constant(0)

        def on_start(self) -> None:
            self.account = next(accounts)
            _sign_in(self, self.account)
            # API reads: no session cookie, only the token.
            self.api = HttpSession(
                base_url=self.host, request_event=self.environment.events.request, user=self
            )
            # Each user starts at another page, so every page is busy from the first second.
            self.pages = itertools.cycle(pages)
            for _skip in range(id(self) % len(pages)):
                next(self.pages)
            _all_signed_in(self)

        @task
        def page(self) -> None:
            _request(self, next(self.pages))

    RoleUser.__name__ = RoleUser.__qualname__ = f"{role.title().replace('_', '')}User"
    return RoleUser


def _register_roles() -> None:
    """One user class per role that has pages (locust finds them among the globals)."""
    for role, spec in LOGINS["roles"].items():
        if role in DRIVEN_ROLES:
            pages = [p for p in LOGINS["pages"] if p["role"] == role]
            user_class = _role_user(role, spec, pages)
            globals()[user_class.__name__] = user_class


_register_roles()
