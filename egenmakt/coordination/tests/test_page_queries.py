"""The client's pages fetch what they show in few queries (issue 25): a fixed number
whatever the number of meetings, worksheets and contacts, and none from the template
(the selectors return lists; only the menu's context processor reads while rendering)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from egenmakt.coordination.models import (
    Attendance,
    Client,
    Contact,
    Meeting,
    MeetingStatus,
    Phase,
    ResourceGroupMember,
)
from egenmakt.coordination.services import mapping as mapping_services
from egenmakt.coordination.services import plan as plans
from egenmakt.coordination.tests.factories import decided_plan, ensure_instruments, shared_client
from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.models import InstrumentDefinition
from egenmakt.tests.queries import request_queries

pytestmark = pytest.mark.django_db

# The whole request: session, user and second factor, the client and the access decided,
# the access-log row sealed in its chain, the page's own reads, the menu, the session saved.
CLIENT_PAGE_BUDGET = 29
PLAN_PAGE_BUDGET = 21
MEETING_PAGE_BUDGET = {MeetingStatus.HELD: 25, MeetingStatus.PLANNED: 27}


def _rows(cast: Any, client: Client, count: int, start: int = 0) -> None:
    """``count`` more of everything the overview lists: meetings held (with who was
    there) and booked, worksheets submitted and drafts, contacts."""
    ensure_instruments()
    ors = InstrumentDefinition.objects.filter(key="ors").order_by("-version").first()
    member, _created = ResourceGroupMember.objects.get_or_create(
        client=client,
        name="Lena Lind",
        defaults={
            "kind": "relative",
            "role": "syster",
            "organisation": cast.org("clinic"),
            "added_by": cast.case_manager,
        },
    )
    now = timezone.now()
    for index in range(start, start + count):
        held = Meeting.objects.create(
            client=client,
            starts_at=now - timedelta(days=100 - index),
            status=MeetingStatus.HELD,
            organisation=cast.org("clinic"),
            created_by=cast.case_manager,
        )
        Attendance.objects.create(meeting=held, member=member, present=True)
        Meeting.objects.create(
            client=client,
            starts_at=now + timedelta(days=10 + index),
            status=MeetingStatus.PLANNED,
            organisation=cast.org("clinic"),
            created_by=cast.case_manager,
        )
        for submit in (True, False):
            record = mapping_services.start_worksheet(
                user=cast.case_manager,
                client=client,
                definition=ors,
                respondent_kind="client",
                done_on=timezone.localdate() - timedelta(days=50 - index),
                present=[cast.case_manager],
            )
            if submit:
                response = record.response
                instrument_services.submit_response(
                    user=cast.case_manager,
                    response=response,
                    answers=dict.fromkeys(
                        ("individually", "interpersonally", "socially", "overall"), 5.0
                    ),
                    expected_version=response.version,
                )
        Contact.objects.create(
            client=client,
            name=f"Kontakt {index}",
            relationship="vän",
            sector="friends",
            phone="070-111 11 11",
            organisation=cast.org("clinic"),
            entered_by=cast.case_manager,
        )


def _flat(cast: Any, signed_in: Any, url_of: Any, budget: int) -> None:
    client = shared_client(cast, phase=Phase.WORK)
    _rows(cast, client, 1)
    browser = signed_in(cast.case_manager)
    url = url_of(client)
    browser.get(url)  # the menu's and the definitions' caches as on a warm server
    one = request_queries(browser, url)
    _rows(cast, client, 9, start=1)
    ten = request_queries(browser, url)
    assert [sql for sql, rendering in one + ten if rendering] == []
    assert (len(one), len(ten)) == (budget, budget)


def test_the_client_page_runs_a_fixed_number_of_queries_none_from_the_template(cast, signed_in):
    def url_of(client: Client) -> str:
        return reverse("coordination:client", args=[client.pk])

    _flat(cast, signed_in, url_of, CLIENT_PAGE_BUDGET)


def _plan_rows(cast: Any, client: Client, count: int) -> None:
    """``count`` more sub-goals, each with a measure, on the client's plan."""
    plan = plans.plan_for(client, cast.case_manager)
    for index in range(count):
        plan.refresh_from_db()
        goal = plans.add_goal(
            user=cast.case_manager,
            client=client,
            plan=plan,
            expected_version=plan.version,
            text=f"Delmål {index}",
            measure="Mäts varje månad",
            target_date=timezone.localdate() + timedelta(days=90),
        )
        plans.add_action(
            user=cast.case_manager,
            client=client,
            plan=plan,
            expected_version=plan.version,
            data={
                "goal": goal,
                "what": f"Insats {index}",
                "who": "Lena",
                "principal": "municipality",
                "organisation_name": "",
                "when": "varje vecka",
            },
        )


def _plan_flat(cast: Any, signed_in: Any, url_of: Any, budget: int) -> None:
    client = shared_client(cast, phase=Phase.WORK)
    decided_plan(cast, client)
    _rows(cast, client, 1)
    browser = signed_in(cast.case_manager)
    url = url_of(client)
    browser.get(url)
    one = request_queries(browser, url)
    _rows(cast, client, 9, start=1)
    _plan_rows(cast, client, 9)
    ten = request_queries(browser, url)
    assert [sql for sql, rendering in one + ten if rendering] == []
    assert (len(one), len(ten)) == (budget, budget)


def test_the_plan_page_runs_a_fixed_number_of_queries_none_from_the_template(cast, signed_in):
    def url_of(client: Client) -> str:
        return reverse("coordination:plan", args=[client.pk])

    _plan_flat(cast, signed_in, url_of, PLAN_PAGE_BUDGET)


@pytest.mark.parametrize("status", [MeetingStatus.HELD, MeetingStatus.PLANNED])
def test_the_meeting_page_runs_a_fixed_number_of_queries_none_from_the_template(
    cast, signed_in, status
):
    def url_of(client: Client) -> str:
        meeting = Meeting.objects.filter(client=client, status=status).order_by("pk").first()
        assert meeting is not None
        return reverse("coordination:meeting", args=[client.pk, meeting.pk])

    _plan_flat(cast, signed_in, url_of, MEETING_PAGE_BUDGET[status])
