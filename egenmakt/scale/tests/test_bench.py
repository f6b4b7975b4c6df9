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


@pytest.fixture
def bench_logins(db, settings, tmp_path):
    """bench_logins on a small scale data set: the JSON it writes, and its output."""
    import json
    from io import StringIO

    from django.core.management import call_command

    call_command("generate_scale", clients=20, answers_per_client=10, stdout=StringIO())
    settings.EGENMAKT_BENCH = True
    out = StringIO()
    call_command("bench_logins", out=str(tmp_path / "logins.json"), stdout=out)
    return json.loads((tmp_path / "logins.json").read_text()), out.getvalue()


def test_bench_logins_lists_the_search_as_a_post_and_skips_a_page_not_built(bench_logins):
    logins, out = bench_logins
    pages = {page["name"]: page for page in logins["pages"]}
    search = pages["client list, search"]
    assert search["method"] == "POST" and search["data"]["q"]
    # The name searched for is in the form's data, never in the address.
    assert search["data"]["q"] not in search["path"]
    assert pages["client page"]["path"].startswith("/samordning/")
    assert pages["meeting"]["path"].startswith("/samordning/")
    assert "Skipped the page 'meeting'" not in out
    users = logins["floor_users"] + sum(role["users"] for role in logins["roles"].values())
    assert users == 16
    # Each role has an account more than its users: isolated.py's own.
    assert all(len(r["accounts"]) == r["users"] + 1 for r in logins["roles"].values())


def test_bench_logins_lists_the_signed_in_floor_the_portal_and_the_api(bench_logins):
    logins, _out = bench_logins
    pages = {page["name"]: page for page in logins["pages"]}
    assert pages["signed-in floor"]["path"] == "/konto/tvastegs/reservkoder/"
    assert pages["signed-in floor"]["role"] == "case_manager"
    portal = {name: p["path"] for name, p in pages.items() if p["role"] == "client"}
    assert set(portal.values()) == {
        "/mina-sidor/",
        "/mina-sidor/plan/",
        "/mina-sidor/arbetsblad/",
        "/mina-sidor/vem-har-last/",
    }
    api = [p for p in logins["pages"] if "headers" in p]
    assert {p["role"] for p in api} == {"case_manager", "coordinator"}
    assert all(p["path"].startswith("/api/v1/") for p in api)
    assert all(p["headers"] == {"Authorization": "Bearer {api_token}"} for p in api)
    # Only the roles that read the API have tokens; only clients have links.
    for role, spec in logins["roles"].items():
        for account in spec["accounts"]:
            assert ("api_token" in account) == (role in {"case_manager", "coordinator"})
            assert ("link" in account) == (role == "client")
            assert ("totp_key" in account) == (role != "client")
    assert logins["link_request_rate"].endswith("/h")


def test_bench_portal_link_signs_the_client_in_once(bench_logins, client):
    import re

    logins, _out = bench_logins
    accounts = logins["roles"]["client"]["accounts"]
    # Each account is another client's own login.
    assert len({a["email"] for a in accounts}) == len(accounts)
    link = accounts[0]["link"]
    assert link.startswith("/mina-sidor/lank/")
    page = client.get(link)
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    response = client.post(link, {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302 and response["Location"] == "/mina-sidor/"
    for page in (p for p in logins["pages"] if p["role"] == "client"):
        assert client.get(page["path"]).status_code == 200, page["name"]
    # The link is spent: a second client cannot use it.
    client.logout()
    assert client.post(link).status_code == 410


def test_bench_api_token_reads_the_api_without_a_session(bench_logins, client, settings):
    logins, _out = bench_logins
    api = [p for p in logins["pages"] if "headers" in p]
    for page in api:
        account = logins["roles"][page["role"]]["accounts"][-1]
        headers = {k: v.format(**account) for k, v in page["headers"].items()}
        response = client.get(page["path"], headers=headers)
        assert response.status_code == 200, (page["name"], response.content[:200])
        # No session was made for it.
        assert settings.SESSION_COOKIE_NAME not in response.cookies
    # Without the token: 401.
    assert client.get(api[0]["path"]).status_code == 401
