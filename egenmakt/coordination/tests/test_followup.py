"""Follow-up: goal attainment per sub-goal at each meeting, the ORS with its cut-off and
reliable change, "Min delaktighet", and six-step problem solving in the work phase."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from egenmakt.coordination.models import Client, GoalReview, Meeting, MeetingStatus, Phase
from egenmakt.coordination.services import mapping as services
from egenmakt.coordination.services import plan as plans
from egenmakt.coordination.tests.factories import ensure_instruments, new_client, shared_client
from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.models import InstrumentDefinition

pytestmark = pytest.mark.django_db


def url(name: str, *args: object) -> str:
    return reverse(f"coordination:{name}", args=args)


def _submit(cast, client: Client, key: str, answers: dict, days_ago: int) -> None:
    ensure_instruments()
    record = services.start_worksheet(
        user=cast.case_manager,
        client=client,
        definition=InstrumentDefinition.objects.filter(key=key).order_by("-version").first(),
        respondent_kind="client",
        done_on=timezone.localdate() - timedelta(days=days_ago),
        present=[cast.case_manager],
    )
    response = record.response
    instrument_services.submit_response(
        user=cast.case_manager,
        response=response,
        answers=answers,
        expected_version=response.version,
    )


def _ors(cast, client: Client, each: float, days_ago: int) -> None:
    items = ("individually", "interpersonally", "socially", "overall")
    _submit(cast, client, "ors", dict.fromkeys(items, each), days_ago)


def _goals(cast, client: Client, count: int) -> list:
    plan = plans.plan_for(client, cast.case_manager)
    goals = []
    for number in range(count):
        plan.refresh_from_db()
        goals.append(
            plans.add_goal(
                user=cast.case_manager,
                client=client,
                plan=plan,
                expected_version=plan.version,
                text=f"Delmål {number}: handla själv",
                measure="Handlar en gång i veckan",
                target_date=timezone.localdate() + timedelta(days=90),
            )
        )
    return goals


def _held(cast, client: Client, days_ago: int) -> Meeting:
    return Meeting.objects.create(
        client=client,
        starts_at=timezone.now() - timedelta(days=days_ago),
        place="Hemma",
        status=MeetingStatus.HELD,
        client_present=True,
        organisation=cast.org("clinic"),
        created_by=cast.case_manager,
    )


def test_goal_attainment_per_meeting_and_the_ors_change_since_the_start(cast, signed_in):
    registered = shared_client(cast)
    goal, other = _goals(cast, registered, 2)
    first, second = _held(cast, registered, 100), _held(cast, registered, 10)
    GoalReview.objects.create(meeting=first, goal=goal, attainment=1, comment="Med stöd")
    GoalReview.objects.create(meeting=second, goal=goal, attainment=4)
    GoalReview.objects.create(meeting=second, goal=other, attainment=2)
    _ors(cast, registered, 4, days_ago=120)  # 16: in the clinical range
    _ors(cast, registered, 7, days_ago=12)  # 28: +12, reliable improvement

    text = signed_in(cast.municipal_case_manager).get(url("followup", registered.pk))
    assert text.status_code == 200
    page = text.content.decode()
    assert "Delmål 0: handla själv" in page and "Med stöd" in page
    assert timezone.localtime(first.starts_at).date().isoformat() in page
    assert "Uppnått" in page and "En bit på väg" in page and "Halvvägs" in page
    assert "Första skattning 16 (" in page and "senaste 28 (" in page
    assert "tillförlitlig förbättring sedan starten" in page
    assert reverse("instruments:chart_svg", args=["ors", "klient", registered.pk]) in page


def test_my_participation_shows_the_latest_answers(cast, signed_in):
    registered = shared_client(cast, phase=Phase.WORK)
    statements = (
        "own_words", "chose_goals", "chose_group", "heard_at_meetings", "understand",
        "copies", "can_say_no", "decides_pace",
    )  # fmt: skip
    answers = dict.fromkeys(statements, "yes")
    answers["copies"] = "no"
    _submit(cast, registered, "my_participation", answers, days_ago=3)
    page = signed_in(cast.case_manager).get(url("followup", registered.pk)).content.decode()
    assert "7 av 8 påståenden" in page
    assert "Min plan är skriven med mina egna ord." in page


def test_problem_solving_is_offered_from_the_planning_phase_on(cast, signed_in):
    ensure_instruments()
    registered = shared_client(cast)
    browser = signed_in(cast.case_manager)
    start = url("worksheet_start", registered.pk) + "?arbetsblad=problem_solving"
    assert registered.phase == Phase.MAPPING
    refused = browser.get(start, follow=True)
    assert "används inte i klientens nuvarande fas" in refused.content.decode()
    assert "problem_solving" not in browser.get(url("client", registered.pk)).content.decode()
    Client.objects.filter(pk=registered.pk).update(phase=Phase.WORK)
    assert browser.get(start).status_code == 200
    followup = browser.get(url("followup", registered.pk)).content.decode()
    assert "Lös ett problem tillsammans med klienten" in followup
    _submit(
        cast,
        registered,
        "problem_solving",
        {
            "problem": "Jag kommer inte iväg till gymmet",
            "goal": "Träna två gånger i veckan",
            "solutions": [
                {"solution": "Gå med en vän", "pros": "Roligare", "cons": ""},
                {"solution": "Träna hemma", "pros": "Nära", "cons": "Tråkigt"},
            ],
            "chosen": "Gå med en vän",
            "steps": [{"what": "Ringa Ali", "who": "Jag", "when": "Måndag"}],
        },
        days_ago=0,
    )
    followup = browser.get(url("followup", registered.pk)).content.decode()
    assert "Jag kommer inte iväg till gymmet" in followup


def test_followup_is_closed_to_outsiders(cast, signed_in):
    registered = shared_client(cast)
    for outsider in (cast.clinic_colleague, cast.coordinator, cast.auditor):
        assert signed_in(outsider).get(url("followup", registered.pk)).status_code == 404
    home_only = new_client(cast, name="Alva Ek")
    # The home case manager without consent sees only their own organisation's meetings.
    _held(cast, home_only, 5)
    assert signed_in(cast.case_manager).get(url("followup", home_only.pk)).status_code == 200


def _queries(browser, client: Client) -> int:
    browser.get(url("followup", client.pk))
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url("followup", client.pk)).status_code == 200
    return len(queries)


def test_followup_query_count_does_not_grow(cast, signed_in):
    counts = {}
    for rows in (1, 6):
        registered = shared_client(cast, name=f"Klient {rows}")
        goals = _goals(cast, registered, rows)
        for number in range(rows):
            meeting = _held(cast, registered, 10 + number * 90)
            for goal in goals:
                GoalReview.objects.create(meeting=meeting, goal=goal, attainment=number % 5)
            _ors(cast, registered, 5 + number % 4, days_ago=12 + number * 90)
        counts[rows] = _queries(signed_in(cast.case_manager), registered)
    assert counts[1] == counts[6], counts


def test_the_ors_is_asked_for_before_each_meeting(cast, signed_in):
    from egenmakt.portal import services as portal_services
    from egenmakt.portal.tests.factories import as_client

    registered = shared_client(cast, phase=Phase.WORK)
    _ors(cast, registered, 5, days_ago=9)  # the mapping's ORS, before the last meeting
    _held(cast, registered, 5)
    upcoming = Meeting.objects.create(
        client=registered,
        starts_at=timezone.now() + timedelta(days=20),
        place="Hemma",
        organisation=cast.org("clinic"),
        created_by=cast.case_manager,
    )
    day = timezone.localtime(upcoming.starts_at).date()
    account = portal_services.invite_client(
        user=cast.case_manager, client=registered, email="kim@example.org"
    )
    portal = as_client(account)
    staff = signed_in(cast.case_manager)
    expected = f"före mötet den {day.isoformat()}"
    assert expected in staff.get(url("client", registered.pk)).content.decode()
    assert "Fyll i ORS nu" in portal.get(reverse("portal:start")).content.decode()
    _ors(cast, registered, 6, days_ago=0)  # filled in for the coming meeting
    assert expected not in staff.get(url("client", registered.pk)).content.decode()
    assert "Fyll i ORS nu" not in portal.get(reverse("portal:start")).content.decode()
