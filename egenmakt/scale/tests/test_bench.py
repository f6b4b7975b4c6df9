import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from egenmakt.conftest import sign_in
from egenmakt.scale.bench import HEADER, TIME_HEADER

BENCH_MIDDLEWARE = ["egenmakt.scale.bench.QueryCountMiddleware", *settings.MIDDLEWARE]


def test_floor_is_not_mounted_outside_bench_mode(client):
    assert not settings.EGENMAKT_BENCH
    assert client.get("/bench/floor").status_code == 404


@pytest.mark.urls("egenmakt.scale.tests.urls")
def test_floor_answers_through_every_middleware_without_the_database(
    db, client, settings, django_assert_num_queries
):
    settings.MIDDLEWARE = BENCH_MIDDLEWARE
    with django_assert_num_queries(0):
        response = client.get("/bench/floor")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response[HEADER] == "0"
    assert float(response[TIME_HEADER]) >= 0
    # It went through the stack: the security headers are there.
    assert "Content-Security-Policy" in response
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.urls("egenmakt.scale.tests.urls")
def test_query_header_counts_every_query_of_a_signed_in_page(client, cast, settings):
    settings.MIDDLEWARE = BENCH_MIDDLEWARE
    sign_in(client, cast.auditor)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/granskning/logg/")
    assert response.status_code == 200
    # The session's load and save are counted too.
    assert int(response[HEADER]) == len(queries) > 2


def test_bench_logins_lists_the_search_as_a_post_and_skips_a_page_not_built(db, settings, tmp_path):
    import json
    from io import StringIO

    from django.core.management import call_command

    call_command("generate_scale", clients=20, answers_per_client=10, stdout=StringIO())
    settings.EGENMAKT_BENCH = True
    out = StringIO()
    call_command("bench_logins", out=str(tmp_path / "logins.json"), stdout=out)
    logins = json.loads((tmp_path / "logins.json").read_text())
    pages = {page["name"]: page for page in logins["pages"]}
    search = pages["client list, search"]
    assert search["method"] == "POST" and search["data"]["q"]
    # The name searched for is in the form's data, never in the address.
    assert search["data"]["q"] not in search["path"]
    assert pages["client page"]["path"].startswith("/samordning/")
    assert pages["meeting"]["path"].startswith("/samordning/")
    assert "Skipped the page 'meeting'" not in out.getvalue()
    users = logins["floor_users"] + sum(role["users"] for role in logins["roles"].values())
    assert users == 16
