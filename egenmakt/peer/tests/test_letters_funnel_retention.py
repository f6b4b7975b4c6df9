"""Decision letters, the funnel and its CSV, the retention task, and page costs."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from egenmakt.audit.models import AccessLog, Action
from egenmakt.instruments.models import Response
from egenmakt.outbox.models import OutgoingEmail
from egenmakt.peer.models import (
    Application,
    ApplicationStatus,
    DecisionOutcome,
    DecisionReason,
    DecisionStep,
    ErasedApplications,
    LetterOutcome,
    RecordKind,
    RecruitmentRound,
    RoundStatus,
)
from egenmakt.peer.services import interviews as interviews_services
from egenmakt.peer.services import letters as letters_services
from egenmakt.peer.services import recruitment as services
from egenmakt.peer.services import retention as retention_services
from egenmakt.peer.tasks import erase_expired_applications

from .factories import apply, held_interview, make_round, screen

pytestmark = pytest.mark.django_db


def _interviewed(cast, round_, **kw):
    application = screen(cast, apply(round_, **kw))
    interview = held_interview(cast, application)
    interviews_services.start_record(
        user=cast.interviewer, interview=interview, kind=RecordKind.NOTES
    )
    return application


def _decide(cast, application, outcome, reason=DecisionReason.CRITERIA_MET):
    step = (
        DecisionStep.SCREENING
        if outcome in {DecisionOutcome.NO, DecisionOutcome.NOT_NOW, DecisionOutcome.GO_ON}
        else DecisionStep.INTERVIEW
    )
    services.decide(
        user=cast.coordinator, application=application, step=step, outcome=outcome, reason=reason
    )


# --- Letters ---------------------------------------------------------------------------


def test_letters_go_out_in_each_applicants_language_once(cast):
    round_ = make_round(cast)
    admitted = _interviewed(cast, round_)
    english = _interviewed(cast, round_)
    Application.objects.filter(pk=english.pk).update(preferred_language="en")
    _decide(cast, admitted, DecisionOutcome.ADMIT)
    _decide(cast, english, DecisionOutcome.RESERVE)
    mail.outbox.clear()
    assert letters_services.send_decision_letters(user=cast.coordinator, round_=round_) == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address[admitted.email].subject == "Du är antagen till peer support-utbildningen"
    assert admitted.full_name in by_address[admitted.email].body
    assert round_.title in by_address[admitted.email].body
    assert "reserve list" in by_address[english.email].subject
    # The private link is in the letter.
    assert services.status_token(admitted) in by_address[admitted.email].body
    # Nothing is sent twice.
    assert letters_services.send_decision_letters(user=cast.coordinator, round_=round_) == 0


def test_a_letter_for_a_particular_reason_wins_over_the_general_one(cast):
    round_ = make_round(cast)
    application = screen(cast, apply(round_), DecisionOutcome.NOT_NOW)
    letters_services.save_letter_template(
        user=cast.coordinator,
        organisation=round_.organisation,
        outcome=LetterOutcome.NOT_NOW,
        reason=DecisionReason.MORE_TO_LEARN,
        language="sv",
        subject="Särskilt brev till {name}",
        body="Hej {name}, vi vill gärna träffa dig nästa omgång.",
    )
    letters_services.send_decision_letters(user=cast.coordinator, round_=round_)
    letter = next(m for m in mail.outbox if m.to == [application.email] and "Särskilt" in m.subject)
    assert letter.subject == f"Särskilt brev till {application.full_name}"


def test_unknown_placeholders_are_refused_with_the_list_of_known_ones(client, cast, signed_in):
    signed_in(cast.coordinator)
    url = reverse("peer:letter_templates", args=[cast.org("network").pk])
    response = client.post(
        url,
        {
            "outcome": "admit",
            "reason": "",
            "language": "sv",
            "subject": "Hej",
            "body": "Hej {namn} {name}",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Okänd platshållare: {namn}" in page


def test_letter_templates_page_is_the_coordinators_own(client, cast, signed_in):
    url = reverse("peer:letter_templates", args=[cast.org("network").pk])
    signed_in(cast.outsider_coordinator)
    assert client.get(url).status_code == 404
    signed_in(cast.interviewer)
    assert client.get(url).status_code == 404
    signed_in(cast.coordinator)
    page = client.get(url).content.decode()
    assert "Du är antagen till peer support-utbildningen" in page


def test_letters_page_previews_and_sends(client, cast, signed_in):
    round_ = make_round(cast)
    application = _interviewed(cast, round_)
    _decide(cast, application, DecisionOutcome.DECLINE)
    signed_in(cast.coordinator)
    url = reverse("peer:round_letters", args=[round_.pk])
    page = client.get(url).content.decode()
    assert "Besked om peer support-utbildningen" in page
    assert client.post(url).status_code == 302
    assert OutgoingEmail.objects.filter(purpose="decision letter").count() == 1


# --- Funnel ----------------------------------------------------------------------------


def _populated_round(cast):
    round_ = make_round(cast)
    apply(round_)  # applied only
    screen(cast, apply(round_), DecisionOutcome.NOT_NOW)
    screen(cast, apply(round_), DecisionOutcome.NO)
    _decide(cast, _interviewed(cast, round_), DecisionOutcome.ADMIT)
    _decide(cast, _interviewed(cast, round_), DecisionOutcome.RESERVE)
    services.withdraw_application(application=apply(round_))
    return round_


def test_funnel_counts_every_stage(cast):
    round_ = _populated_round(cast)
    from egenmakt.peer.selectors.recruitment import funnel

    counts = {row.key: row.count for row in funnel(round_)}
    assert counts == {
        "applied": 6,
        "screened": 4,
        "interviewed": 2,
        "admitted": 1,
        "reserve": 1,
        "withdrawn": 1,
        "declined": 1,
        "not_now": 1,
    }


def test_funnel_page_and_csv(client, cast, signed_in):
    round_ = _populated_round(cast)
    signed_in(cast.coordinator)
    page = client.get(reverse("peer:funnel", args=[round_.pk])).content.decode()
    assert "<svg" in page and "Antal sökande i varje steg" in page
    response = client.get(reverse("peer:funnel_csv", args=[round_.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Omgång", "Steg", "Antal"]
    assert [round_.title, "Ansökt", "6"] in rows
    assert AccessLog.objects.filter(action=Action.EXPORT, reason="funnel CSV").exists()


def test_funnel_csv_neutralises_formulas(client, cast, signed_in):
    round_ = make_round(cast, title='=HYPERLINK("http://evil")')
    signed_in(cast.coordinator)
    body = client.get(reverse("peer:funnel_csv", args=[round_.pk])).content.decode()
    assert "\n=HYPERLINK" not in body and "'=HYPERLINK" in body


# --- Retention -------------------------------------------------------------------------


def _close(cast, round_, months_ago: int):
    services.set_round_status(user=cast.coordinator, round_=round_, status=RoundStatus.CLOSED)
    RecruitmentRound.objects.filter(pk=round_.pk).update(
        closed_at=timezone.now() - timedelta(days=31 * months_ago)
    )


def test_retention_erases_those_not_admitted_and_keeps_anonymous_counts(cast):
    round_ = _populated_round(cast)
    admitted = Application.objects.get(round=round_, status=ApplicationStatus.ADMITTED)
    doomed_ids = list(
        Application.objects.filter(round=round_)
        .exclude(pk=admitted.pk)
        .values_list("pk", flat=True)
    )
    _close(cast, round_, months_ago=13)
    assert erase_expired_applications.call() == 5
    assert list(Application.objects.filter(round=round_)) == [admitted]
    # The interview notes about the erased applicants are gone with them.
    assert Response.objects.filter(definition__key="applicant_interview").count() == 1
    assert not OutgoingEmail.objects.filter(
        person_label="peer.application", person_id__in=[str(pk) for pk in doomed_ids]
    ).exists()
    erased = ErasedApplications.objects.get(round=round_)
    assert (erased.applied, erased.reserve, erased.withdrawn) == (5, 1, 1)
    # The funnel still shows the whole round.
    from egenmakt.peer.selectors.recruitment import funnel

    assert {r.key: r.count for r in funnel(round_)}["applied"] == 6
    # Each erasure is in the access log, by identifier only.
    assert (
        AccessLog.objects.filter(
            action=Action.DELETE, reason__startswith="retention", person_id__in=map(str, doomed_ids)
        ).count()
        == 5
    )


def test_retention_waits_for_the_period_and_for_the_round_to_close(cast):
    open_round = _populated_round(cast)
    recent = _populated_round(cast)
    _close(cast, recent, months_ago=6)
    assert erase_expired_applications.call() == 0
    assert Application.objects.filter(round__in=[open_round, recent]).count() == 12


def test_retention_follows_the_rounds_own_period(cast):
    round_ = _populated_round(cast)
    RecruitmentRound.objects.filter(pk=round_.pk).update(retention_months=3)
    _close(cast, round_, months_ago=4)
    assert erase_expired_applications.call() == 5


def test_a_round_closed_on_31_march_is_erased_on_31_march_a_year_later(cast):
    """Twelve months after 31 March is 31 March: the month arithmetic used to move every
    day past the 28th back to the 28th, erasing the applications three days early."""
    round_ = _populated_round(cast)
    services.set_round_status(user=cast.coordinator, round_=round_, status=RoundStatus.CLOSED)
    closed = datetime(2025, 3, 31, 10, 0, tzinfo=UTC)
    RecruitmentRound.objects.filter(pk=round_.pk).update(closed_at=closed, retention_months=12)
    round_.refresh_from_db()
    assert round_.erase_after() == datetime(2026, 3, 31, 10, 0, tzinfo=UTC)
    for early in (datetime(2026, 3, 28, 12, tzinfo=UTC), datetime(2026, 3, 31, 9, 59, tzinfo=UTC)):
        assert retention_services.erase_expired_applications(now=early) == 0
    assert Application.objects.filter(round=round_).count() == 6
    assert retention_services.erase_expired_applications(now=closed.replace(year=2026)) == 5


def test_retention_command_runs(cast):
    from django.core.management import call_command

    round_ = _populated_round(cast)
    _close(cast, round_, months_ago=13)
    out = io.StringIO()
    call_command("erase_expired_applications", "--now", stdout=out)
    assert "Erased 5" in out.getvalue()


# --- Page costs ------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["peer:applications", "peer:board", "peer:round"])
def test_list_pages_cost_the_same_with_2_and_20_applications(client, cast, signed_in, page):
    round_ = make_round(cast)
    for _ in range(2):
        apply(round_)
    signed_in(cast.coordinator)
    url = reverse(page, args=[round_.pk])
    _queries(client, url)  # warm caches (content types, sessions)
    few = _queries(client, url)
    for n in range(18):
        application = apply(round_)
        if n % 3 == 0:
            screen(cast, application)
    many = _queries(client, url)
    assert few == many


@pytest.mark.parametrize(
    ("language", "applied", "not_now"), [("sv", "ansökte", "Inte nu"), ("en", "applied", "Not now")]
)
def test_board_cards_link_and_read_in_the_readers_language(
    client, cast, signed_in, language, applied, not_now
):
    round_ = make_round(cast)
    waiting = apply(round_, full_name="Vera Ek")
    out = screen(cast, apply(round_, full_name="Otto Lund"), outcome=DecisionOutcome.NOT_NOW)
    signed_in(cast.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("peer:board", args=[round_.pk])).content.decode()
    day = timezone.localtime(waiting.submitted_at).date().isoformat()
    assert f'href="{reverse("peer:application", args=[waiting.pk])}">Vera Ek</a>' in page
    assert f"{applied} {day}" in page
    assert f'href="{reverse("peer:application", args=[out.pk])}">Otto Lund</a>' in page
    assert f"{not_now}" in page.split("Otto Lund", 1)[1].split("</li>", 1)[0]
