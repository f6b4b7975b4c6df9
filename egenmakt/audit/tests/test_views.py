"""The auditor's page and CSV export: who may use them, what they find, what they cost."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from egenmakt.accounts.models import User
from egenmakt.accounts.roles import Role
from egenmakt.audit import views
from egenmakt.audit.models import AccessLog, Action, Outcome
from egenmakt.audit.services import log_access
from egenmakt.tests.queries import request_queries

PAGE = "/granskning/logg/"
CSV = "/granskning/logg.csv"


@pytest.fixture
def auditor_client(cast, signed_in):
    client = signed_in(cast.auditor)
    client.cookies["egenmakt_language"] = "en"
    return client


@pytest.fixture
def region_rows(cast):
    """Reads in the demo region: a case manager at the clinic reads two people's records."""
    return [
        log_access(
            actor=cast.case_manager,
            person=cast.peer_supporter,
            organisation=cast.org("clinic"),
            reason="Resource-group meeting",
        ),
        log_access(
            actor=cast.case_manager,
            action=Action.CHANGE,
            person=cast.lecturer,
            organisation=cast.org("clinic"),
        ),
    ]


def _shown(response, rows):
    listed = {row.pk for row in response.context["page"].object_list}
    return [row.pk in listed for row in rows]


def _csv(response):
    content = b"".join(response.streaming_content).decode("utf-8")
    return content, list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))


# --- who may see it -------------------------------------------------------------------------


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.AUDITOR])
def test_everyone_but_the_auditor_is_refused_and_the_refusal_is_logged(cast, signed_in, role):
    user = cast.people[role]
    response = signed_in(user).get(PAGE + "?user=x")
    assert response.status_code == 403
    denied = AccessLog.objects.filter(actor=user, outcome=Outcome.DENIED).latest("id")
    assert denied.path == PAGE
    assert denied.action == Action.VIEW


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/logga-in" in response["Location"] or "login" in response["Location"].lower()


def test_auditor_sees_the_region_rows(auditor_client, region_rows):
    response = auditor_client.get(PAGE)
    assert response.status_code == 200
    assert _shown(response, region_rows) == [True, True]


def test_outsider_auditor_sees_none_of_the_demo_regions_rows(cast, signed_in, region_rows):
    response = signed_in(cast.outsider_auditor).get(PAGE)
    assert response.status_code == 200
    assert _shown(response, region_rows) == [False, False]
    own = log_access(actor=cast.outsider_case_manager, organisation=cast.org("other_region"))
    assert _shown(signed_in(cast.outsider_auditor).get(PAGE), [own]) == [True]


def test_auditor_sees_rows_of_members_without_an_organisation_on_the_row(
    cast, auditor_client, region_rows
):
    bare = log_access(actor=cast.case_manager, person=cast.peer_supporter)
    elsewhere = log_access(actor=cast.coordinator, person=cast.peer_supporter)
    assert _shown(auditor_client.get(PAGE), [bare, elsewhere]) == [True, False]


def test_each_search_of_the_log_is_itself_logged_with_the_filters_but_not_the_terms(
    cast, auditor_client, region_rows
):
    first_name = cast.case_manager.full_name.split()[0]
    auditor_client.get(PAGE, {"user": first_name, "action": "view", "since": "2026-01-01"})
    row = AccessLog.objects.filter(actor=cast.auditor).latest("id")
    assert (row.action, row.outcome, row.path) == (Action.VIEW, Outcome.ALLOWED, PAGE)
    assert row.reason == "access log search: user, since, action"
    assert first_name not in row.reason and row.person_type is None


def test_the_row_for_a_search_is_written_before_the_page_and_shown_on_it(auditor_client):
    response = auditor_client.get(PAGE)
    own = AccessLog.objects.latest("id")
    assert own.reason == "access log search"
    assert _shown(response, [own]) == [True]


def test_a_search_for_one_person_names_that_person_on_the_row(cast, auditor_client, region_rows):
    user_type = ContentType.objects.get_for_model(User)
    auditor_client.get(PAGE, {"person_type": user_type.pk, "person_id": cast.lecturer.pk})
    row = AccessLog.objects.filter(actor=cast.auditor).latest("id")
    assert (row.person_type, row.person_id) == (user_type, str(cast.lecturer.pk))
    assert row.reason == "access log search: person_type, person_id"


def test_the_emergency_list_logs_each_person_whose_record_it_names(cast, signed_in):
    from egenmakt.audit.services import grant_emergency_access

    grants = [
        grant_emergency_access(actor=cast.case_manager, person=person, reason="Akut läge i natt")
        for person in (cast.peer_supporter, cast.lecturer, cast.peer_supporter)
    ]
    last = AccessLog.objects.latest("id").pk
    assert signed_in(cast.auditor).get("/granskning/nodatkomst/").status_code == 200
    rows = AccessLog.objects.filter(pk__gt=last)
    user_type = ContentType.objects.get_for_model(User)
    assert {(r.actor, r.person_type, r.person_id, r.path) for r in rows} == {
        (cast.auditor, user_type, str(g.person_id), "/granskning/nodatkomst/") for g in grants
    }
    assert rows.count() == 2  # One row per person, though one was opened twice.


def test_the_emergency_list_names_the_client_whose_record_was_opened(cast, signed_in):
    """It showed "Klient #15" (issue 26); the auditor reads the name, as in the log."""
    from egenmakt.audit.services import grant_emergency_access
    from egenmakt.coordination.tests.factories import new_client

    client = new_client(cast, name="Saga Lind")
    grant_emergency_access(actor=cast.case_manager, person=client, reason="Akut i natt")
    page = signed_in(cast.auditor)
    page.cookies["egenmakt_language"] = "sv"
    body = page.get("/granskning/nodatkomst/").content.decode()
    assert "Saga Lind" in body
    # The kind and number stay beside the name, for the search of the log.
    assert f"#{client.pk}" in body


def test_auditor_finds_the_page_in_the_menu(cast, auditor_client, signed_in):
    start = auditor_client.get("/roll/loggranskare/").content.decode()
    assert f'<a href="{PAGE}"' in start.split("</nav>")[0]
    other = signed_in(cast.case_manager).get("/roll/vardsamordnare/").content.decode()
    assert f'href="{PAGE}"' not in other


# --- search -------------------------------------------------------------------------------------


def test_search_by_user_name_or_email(cast, auditor_client, region_rows):
    other = log_access(actor=cast.auditor, organisation=cast.org("region"))
    first_name = cast.case_manager.full_name.split()[0]
    by_name = auditor_client.get(PAGE, {"user": first_name.lower()})
    assert _shown(by_name, [*region_rows, other]) == [True, True, False]
    by_email = auditor_client.get(PAGE, {"user": cast.case_manager.email.upper()})
    assert _shown(by_email, [*region_rows, other]) == [True, True, False]


def test_search_by_person(cast, auditor_client, region_rows):
    user_type = ContentType.objects.get_for_model(User)
    response = auditor_client.get(
        PAGE, {"person_type": user_type.pk, "person_id": cast.lecturer.pk}
    )
    assert _shown(response, region_rows) == [False, True]


def test_person_id_without_its_kind_is_a_clear_error(cast, auditor_client, region_rows):
    response = auditor_client.get(PAGE, {"person_id": cast.lecturer.pk})
    assert response.status_code == 400
    assert "Choose the kind of person the id belongs to." in response.content.decode()


def test_search_by_period_includes_both_whole_days(auditor_client, region_rows):
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    found = auditor_client.get(PAGE, {"since": today.isoformat(), "until": today.isoformat()})
    assert _shown(found, region_rows) == [True, True]
    before = auditor_client.get(PAGE, {"until": yesterday.isoformat()})
    assert _shown(before, region_rows) == [False, False]
    after = auditor_client.get(PAGE, {"since": (today + timedelta(days=1)).isoformat()})
    assert _shown(after, region_rows) == [False, False]


def test_from_after_to_is_a_clear_form_error(auditor_client, region_rows):
    response = auditor_client.get(PAGE, {"since": "2026-05-02", "until": "2026-05-01"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "The end date must be on or after the start date." in body
    assert response.context["page"].object_list == []


def test_a_date_that_is_not_one_is_a_form_error_not_a_crash(auditor_client):
    response = auditor_client.get(PAGE, {"since": "2026-13-45"})
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()


def test_search_by_action_and_outcome(cast, auditor_client, region_rows):
    denied = log_access(
        actor=cast.case_manager, outcome=Outcome.DENIED, organisation=cast.org("clinic")
    )
    rows = [*region_rows, denied]
    assert _shown(auditor_client.get(PAGE, {"action": "change"}), rows) == [False, True, False]
    assert _shown(auditor_client.get(PAGE, {"outcome": "denied"}), rows) == [False, False, True]


def test_page_names_the_person_and_the_kind_of_person_readably(cast, auditor_client, region_rows):
    body = auditor_client.get(PAGE).content.decode()
    assert f"User #{cast.peer_supporter.pk}" in body
    assert "accounts.user" not in body and "accounts | user" not in body
    # The person's current name, looked up when shown (the row keeps the id only).
    assert cast.peer_supporter.full_name in body


def test_swedish_page_shows_the_reason_in_swedish_and_the_client_by_name(cast, signed_in):
    from egenmakt.coordination.tests.factories import new_client

    client = new_client(cast, name="Saga Lind")
    log_access(
        actor=cast.case_manager,
        person=client,
        organisation=cast.org("clinic"),
        reason="portal: plan",
    )
    log_access(
        actor=cast.case_manager,
        person=client,
        organisation=cast.org("clinic"),
        reason="Klienten är här i kris nu",
        emergency=True,
    )
    page = signed_in(cast.auditor)
    page.cookies["egenmakt_language"] = "sv"
    response = page.get(
        PAGE, {"person_type": ContentType.objects.get_for_model(client).pk, "person_id": client.pk}
    )
    body = response.content.decode()
    assert "egna sidor: plan" in body and "portal: plan" not in body
    assert "Klienten är här i kris nu" in body
    assert "Saga Lind" in body
    # The stored code is what the search and the log keep.
    assert AccessLog.objects.filter(reason="portal: plan", person_id=str(client.pk)).exists()


def test_swedish_page_reads_the_details_the_services_compose_in_swedish(cast, signed_in):
    """Issue 26: "resursgrupp: 3 invited", "plan: version 1 decided", "fas planning" in the
    auditor's Swedish log. The plan decided and the meeting's invitations go through the
    services, so the test reads what they really write."""
    from datetime import timedelta

    from egenmakt.audit.tests.test_reasons import COMPOSED
    from egenmakt.coordination.services import group, invitations, meetings
    from egenmakt.coordination.tests.factories import decided_plan, shared_client

    client = shared_client(cast, name="Saga Lind")
    decided_plan(cast, client)
    group.add_group_member(
        user=cast.case_manager,
        client=client,
        chosen_by_client=True,
        data={"name": "Maria", "role": "mamma", "kind": "relative", "email": "m@example.org"},
    )
    meeting = meetings.book_meeting(
        user=cast.case_manager,
        client=client,
        starts_at=timezone.now() + timedelta(days=7),
        invite=False,
    )
    invitations.send_invitations(user=cast.case_manager, client=client, meeting=meeting)
    for reason, _swedish, _english in COMPOSED:
        log_access(actor=cast.case_manager, organisation=cast.org("clinic"), reason=reason)
    page = signed_in(cast.auditor)
    page.cookies["egenmakt_language"] = "sv"
    response = page.get(PAGE)
    shown = {row.reason: row.reason_text for row in response.context["page"].object_list}
    # The two case managers and Maria, invited by e-mail.
    assert {"plan: version 1 decided", "resource group: 3 invited"} <= set(shown)
    assert shown["plan: version 1 decided"] == "plan: version 1 beslutad"
    assert shown["resource group: 3 invited"] == "resursgrupp: 3 inbjudna"
    english = re.compile(
        r"\b(invited|decided|compare|planning|network_map|achieved|done|go_on|admit|"
        r"justified|person_type|since|screening|interview|admission)\b"
    )
    assert not {text for text in shown.values() if english.search(text)}
    body = response.content.decode()
    for _reason, swedish, _english in COMPOSED:
        assert swedish in body


# --- paging and cost ----------------------------------------------------------------------------


def _many_rows(cast, count):
    people = [cast.peer_supporter, cast.lecturer, cast.coordinator, cast.supervisor]
    actors = [cast.case_manager, cast.workplace_manager, cast.auditor, cast.analyst]
    organisations = [cast.org("clinic"), cast.org("outpatient"), cast.org("region")]
    for i in range(count):
        log_access(
            actor=actors[i % len(actors)],
            person=people[i % len(people)],
            obj=people[(i + 1) % len(people)],
            organisation=organisations[i % len(organisations)],
            action=Action.values[i % len(Action.values)],
            reason=f"reason {i}",
        )


def _walk(client, params, direction="aldre"):
    """Every page from the newest on, following the older (or newer) links."""
    pages = [client.get(PAGE, params).context["page"]]
    while getattr(pages[-1], "older" if direction == "aldre" else "newer"):
        cursor = pages[-1].older if direction == "aldre" else pages[-1].newer
        pages.append(client.get(PAGE, {**params, direction: cursor}).context["page"])
    return pages


def test_pages_hold_fifty_rows_newest_first_and_walk_the_whole_log(cast, auditor_client):
    _many_rows(cast, 120)
    total = AccessLog.objects.count()
    pages = _walk(auditor_client, {})
    assert [len(p.object_list) for p in pages[:-1]] == [50] * (len(pages) - 1)
    seen = [row.pk for p in pages for row in p.object_list]
    # Every row once, in (time, id) order, newest first; the newest page has no newer link.
    # Each page writes the auditor's own row first: the first one is on the newest page, the
    # later ones are newer than the walk.
    expected = list(
        AccessLog.objects.filter(pk__lte=max(seen))
        .order_by("-occurred_at", "-id")
        .values_list("pk", flat=True)
    )
    assert seen == expected and len(seen) == total + 1
    assert pages[0].newer is None and pages[-1].older is None
    # Back from the oldest page by the newer links, to the newest page.
    back = auditor_client.get(PAGE, {"aldre": pages[1].older}).context["page"]
    assert [r.pk for r in back.object_list] == [r.pk for r in pages[2].object_list]
    newer = auditor_client.get(PAGE, {"nyare": back.newer}).context["page"]
    assert [r.pk for r in newer.object_list] == [r.pk for r in pages[1].object_list]


def test_rows_with_the_same_time_are_neither_lost_nor_repeated(cast, auditor_client):
    from egenmakt.scale.context import given_times

    moment = timezone.now()
    with given_times((AccessLog, "occurred_at")):
        AccessLog.objects.bulk_create(
            AccessLog(occurred_at=moment, actor=cast.case_manager, organisation=cast.org("clinic"))
            for _n in range(75)
        )
    seen = [row.pk for p in _walk(auditor_client, {}) for row in p.object_list]
    assert sorted(seen, reverse=True) == seen
    # All 75, and the row the first page's search wrote.
    assert len(seen) == len(set(seen)) == AccessLog.objects.filter(pk__lte=max(seen)).count()


def test_a_cursor_that_is_not_one_shows_the_newest_page(cast, auditor_client, region_rows):
    for junk in ("x", "12-", "-3", "9" * 40 + "-1", "1-2-3"):
        response = auditor_client.get(PAGE, {"aldre": junk, "nyare": junk})
        assert response.status_code == 200
        assert _shown(response, region_rows) == [True, True]


def test_page_links_keep_the_search_and_count_nothing(cast, auditor_client):
    _many_rows(cast, 60)
    with CaptureQueriesContext(connection) as queries:
        response = auditor_client.get(PAGE, {"outcome": "allowed"})
    body = response.content.decode()
    assert f"outcome=allowed&amp;aldre={response.context['page'].older}" in body
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
    older = auditor_client.get(
        PAGE, {"outcome": "allowed", "aldre": response.context["page"].older}
    )
    assert "outcome=allowed&amp;nyare=" in older.content.decode()
    assert all(row.outcome == "allowed" for row in older.context["page"].object_list)


def test_page_runs_the_same_number_of_queries_for_2_and_25_rows(cast, auditor_client, region_rows):
    auditor_client.get(PAGE)  # Warm the content-type cache.
    with CaptureQueriesContext(connection) as few:
        assert auditor_client.get(PAGE).status_code == 200
    _many_rows(cast, 25)
    with CaptureQueriesContext(connection) as many:
        response = auditor_client.get(PAGE)
    assert len(response.context["page"].object_list) >= 25
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    # Every person on the page is named, with one query per kind of person.
    assert all(row.person_name for row in response.context["page"].object_list if row.person_id)
    # Nothing is read while the table renders: labels, times and the search form's kinds
    # of person come ready from the view.
    assert [sql for sql, rendering in request_queries(auditor_client, PAGE) if rendering] == []


# --- CSV export ---------------------------------------------------------------------------------


def test_csv_has_bom_header_and_the_rows(cast, auditor_client, region_rows):
    response = auditor_client.get(CSV)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    content, lines = _csv(response)
    assert content.startswith("\ufeff")
    assert lines[0][:3] == ["Time (UTC)", "User", "User's e-mail"]
    by_reason = {line[10]: line for line in lines[1:]}
    row = by_reason["Resource-group meeting"]
    assert row[1] == cast.case_manager.full_name
    assert row[2] == cast.case_manager.email
    assert row[3:7] == ["Viewed", "Allowed", "User", str(cast.peer_supporter.pk)]
    assert row[9] == cast.org("clinic").name
    assert cast.peer_supporter.full_name not in content


def test_csv_has_the_reason_in_words_beside_its_code(cast, auditor_client):
    log_access(actor=cast.case_manager, organisation=cast.org("clinic"), reason="portal: plan")
    _content, lines = _csv(auditor_client.get(CSV))
    assert lines[0][10:12] == ["Reason", "Reason, in words"]
    assert ["portal: plan", "own pages: plan"] in [line[10:12] for line in lines[1:]]


def test_csv_is_utf8_with_swedish_letters(cast, auditor_client):
    log_access(
        actor=cast.case_manager, organisation=cast.org("region"), reason="Återbesök på mottagningen"
    )
    raw = b"".join(auditor_client.get(CSV).streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # The UTF-8 byte-order mark, for Excel.
    assert "Återbesök på mottagningen".encode() in raw
    assert "Region Västerhav".encode() in raw


def test_csv_uses_the_same_filters(cast, auditor_client, region_rows):
    _content, lines = _csv(auditor_client.get(CSV, {"action": "change"}))
    assert {line[3] for line in lines[1:]} == {"Changed"}
    assert len(lines) == 2


def test_csv_neutralises_a_formula_in_a_reason(cast, auditor_client):
    log_access(
        actor=cast.case_manager,
        organisation=cast.org("clinic"),
        reason='=HYPERLINK("http://evil.example","Klicka")',
    )
    log_access(actor=cast.case_manager, organisation=cast.org("clinic"), reason="@SUM(A1)")
    _content, lines = _csv(auditor_client.get(CSV))
    reasons = {line[10] for line in lines[1:]}
    assert '\'=HYPERLINK("http://evil.example","Klicka")' in reasons
    assert "'@SUM(A1)" in reasons
    assert not any(cell[:1] in "=+-@" for line in lines for cell in line if cell)


def test_csv_export_is_itself_logged_as_an_export(cast, auditor_client, region_rows):
    before = AccessLog.objects.filter(actor=cast.auditor, action=Action.EXPORT).count()
    _csv(auditor_client.get(CSV, {"action": "view"}))
    exports = AccessLog.objects.filter(actor=cast.auditor, action=Action.EXPORT)
    assert exports.count() == before + 1
    row = exports.latest("id")
    assert row.path == CSV
    assert row.outcome == Outcome.ALLOWED
    assert row.reason == "access log CSV export: action"


def test_csv_export_of_one_persons_log_names_that_person(cast, auditor_client, region_rows):
    user_type = ContentType.objects.get_for_model(User)
    _csv(auditor_client.get(CSV, {"person_type": user_type.pk, "person_id": cast.lecturer.pk}))
    row = AccessLog.objects.filter(actor=cast.auditor).latest("id")
    assert (row.action, row.path) == (Action.EXPORT, CSV)
    assert (row.person_type, row.person_id) == (user_type, str(cast.lecturer.pk))


@pytest.mark.parametrize("role", [Role.CASE_MANAGER, Role.ADMIN, Role.ANALYST])
def test_csv_is_refused_to_non_auditors_and_the_attempt_is_logged(cast, signed_in, role):
    user = cast.people[role]
    response = signed_in(user).get(CSV)
    assert response.status_code == 403
    denied = AccessLog.objects.filter(actor=user, outcome=Outcome.DENIED).latest("id")
    assert denied.action == Action.EXPORT


def test_csv_with_a_bad_filter_shows_the_error_and_exports_nothing(cast, auditor_client):
    before = AccessLog.objects.filter(action=Action.EXPORT).count()
    response = auditor_client.get(CSV, {"since": "2026-05-02", "until": "2026-05-01"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert AccessLog.objects.filter(action=Action.EXPORT).count() == before


def test_csv_is_not_produced_when_the_export_cannot_be_logged(
    cast, auditor_client, region_rows, monkeypatch
):
    def broken(**kwargs):
        raise DatabaseError("log unavailable")

    monkeypatch.setattr(views, "log_list_access", broken)
    with pytest.raises(DatabaseError):
        auditor_client.get(CSV)


def test_the_log_page_is_not_shown_when_the_search_cannot_be_logged(
    auditor_client, region_rows, monkeypatch
):
    def broken(**kwargs):
        raise DatabaseError("log unavailable")

    monkeypatch.setattr(views, "log_list_access", broken)
    with pytest.raises(DatabaseError):
        auditor_client.get(PAGE)


def test_another_regions_auditor_neither_sees_nor_reviews_an_emergency_access(cast):
    """Found by the permission matrix: the emergency-access list and its review were open to
    every auditor, so Region Nordmark's auditor read who at Västerhav's clinic opened which
    client's record and why, and could record the verdict on it."""
    from django.test import Client as Browser

    from egenmakt.audit.models import EmergencyAccess
    from egenmakt.audit.services import grant_emergency_access
    from egenmakt.conftest import sign_in
    from egenmakt.coordination.tests.factories import shared_client

    client = shared_client(cast)
    grant = grant_emergency_access(
        actor=cast.clinic_colleague, person=client, reason="Klienten är här i kris nu"
    )
    outsider = sign_in(Browser(), cast.outsider_auditor)
    listing = outsider.get("/granskning/nodatkomst/")
    assert listing.status_code == 200
    assert "Klienten är här i kris nu" not in listing.content.decode()
    assert cast.clinic_colleague.email not in listing.content.decode()
    review = f"/granskning/nodatkomst/{grant.pk}/"
    assert outsider.post(review, {"verdict": "justified"}).status_code == 404
    assert EmergencyAccess.objects.get(pk=grant.pk).reviewed_at is None

    own = sign_in(Browser(), cast.auditor)
    assert "Klienten är här i kris nu" in own.get("/granskning/nodatkomst/").content.decode()
    # A verdict that is not one changes nothing.
    assert own.post(review, {"verdict": "maybe"}).status_code == 302
    assert EmergencyAccess.objects.get(pk=grant.pk).reviewed_at is None
    assert own.post(review, {"verdict": "justified"}).status_code == 302
    assert EmergencyAccess.objects.get(pk=grant.pk).verdict == "justified"
