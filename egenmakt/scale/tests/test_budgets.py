"""Budgets (issue 10): every page ``make bench`` drives runs the same number of queries
whatever the size of the data. The same generator that makes the bench's data makes a
small data set and one ten times larger (clients, worksheet answers, access log, rounds
of applicants...), each inside a transaction rolled back after measuring; each page is
asked for twice as its bench role and the second (warm) count is kept."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext

from egenmakt.conftest import sign_in
from egenmakt.scale.pages import PAGES, ROLES, Scope, bench_account, bench_pages

SMALL = {"clients": 20, "answers_per_client": 20}
LARGE = {"clients": 200, "answers_per_client": 200}


def _count(browser: Browser, page: dict, account: dict) -> int:
    if "headers" in page:
        # An API read: the account's token, no session.
        browser = Browser()
    headers = {name: value.format(**account) for name, value in page.get("headers", {}).items()}

    def ask():
        if page.get("method", "GET") == "POST":
            return browser.post(page["path"], page["data"])
        return browser.get(page["path"], headers=headers)

    assert ask().status_code == 200, page["name"]
    with CaptureQueriesContext(connection) as queries:
        response = ask()
    assert response.status_code == 200, page["name"]
    return len(queries)


def _measure(size: dict) -> tuple[dict[str, int], dict[str, int], list[str]]:
    """Query counts per page, and how many rows the page's main query had to go through."""
    with transaction.atomic():
        call_command("generate_scale", seed=3, stdout=StringIO(), **size)
        scope = Scope()
        browsers, accounts = {}, {}
        for role in ROLES:
            # The bench's own accounts, as bench_logins makes them.
            user, accounts[role] = bench_account(scope, role, 0, "!")
            if "link" in accounts[role]:
                browsers[role] = Browser()
                assert browsers[role].post(accounts[role]["link"]).status_code == 302
            else:
                browsers[role] = sign_in(Browser(), user)
        pages, skipped = bench_pages(scope)
        counts = {
            page["name"]: _count(browsers[page["role"]], page, accounts[page["role"]])
            for page in pages
        }
        sizes = _sizes(scope)
        transaction.set_rollback(True)
    return counts, sizes, skipped


def _sizes(scope: Scope) -> dict[str, int]:
    from egenmakt.audit.models import AccessLog
    from egenmakt.coordination.models import CareTeamMember, StepRecord

    return {
        "access log": AccessLog.objects.count(),
        "caseload": CareTeamMember.objects.filter(user=scope.case_manager).count(),
        "client's worksheets": StepRecord.objects.filter(client=scope.client).count(),
    }


@pytest.mark.django_db(transaction=False)
def test_every_bench_page_runs_the_same_queries_with_little_or_ten_times_more_data(cast):
    few, small_sizes, skipped = _measure(SMALL)
    many, large_sizes, _skipped = _measure(LARGE)
    # The larger data set really is larger where the pages read.
    for key, value in small_sizes.items():
        assert large_sizes[key] >= 3 * value, key
    expected = {page.name for page in PAGES} - set(skipped)
    assert set(few) == set(many) == expected
    assert few == many
