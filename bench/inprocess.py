"""The bench pages asked for in this process through Django's test client, shared by
``explain.py`` and ``breakdown.py``: a throw-away account per bench role (as
``bench_logins`` makes them; call inside a transaction and roll it back), signed in,
and for each page of ``egenmakt/scale/pages.py`` a function that asks for it once and
returns the status. Import it after ``django.setup()``."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.test import Client

from egenmakt.conftest import sign_in
from egenmakt.scale.pages import ROLES, Scope, bench_account, bench_pages

Ask = Callable[[], int]


def pages_to_ask() -> tuple[list[tuple[dict[str, Any], Ask]], list[str]]:
    """Each page with its ``ask``, and the names of optional pages this build lacks."""
    scope = Scope()
    browsers, accounts = {}, {}
    for role in ROLES:
        user, accounts[role] = bench_account(scope, role, 0, "!")
        if "link" in accounts[role]:
            browsers[role] = Client()
            browsers[role].post(accounts[role]["link"])
        else:
            browsers[role] = sign_in(Client(), user)
    pages, skipped = bench_pages(scope)
    asks: list[tuple[dict[str, Any], Ask]] = []
    for page in pages:
        # An API read: the account's token, no session.
        browser = Client() if "headers" in page else browsers[page["role"]]
        headers = {
            k: v.format(**accounts[page["role"]]) for k, v in page.get("headers", {}).items()
        }

        asks.append((page, partial(_ask, browser, page, headers)))
    return asks, skipped


def _ask(browser: Client, page: dict[str, Any], headers: dict[str, str]) -> int:
    if page.get("method") == "POST":
        return browser.post(page["path"], page["data"]).status_code
    return browser.get(page["path"], headers=headers).status_code
