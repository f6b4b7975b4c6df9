"""The pages a case manager uses at the client's home, on a phone (390 px) and an upright
tablet (768 px), in a real browser (issue 26): the client page, the plan, the resource
group and its meeting, the mapping's worksheets (checklist K, network, summary, a
worksheet's answers) and the instrument list. Their tables read as lists: nothing scrolls
sideways, no table is wider than the screen, and every action in a row is on the screen,
a full-size target (44 px, WCAG 2.5.5) and takes a tap. Screenshots go to
``test-artifacts/coordination/``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from egenmakt.coordination.models import Client
from egenmakt.coordination.services import group as group_services
from egenmakt.coordination.services import mapping as mapping_services
from egenmakt.coordination.services import meetings as meeting_services
from egenmakt.coordination.tests.factories import decided_plan, shared_client
from egenmakt.coordination.tests.test_browser import shot
from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.models import InstrumentDefinition
from egenmakt.peer.tests.factories import ensure_instruments
from egenmakt.peer.tests.test_browser import as_user, assert_accessible, browser, new_page

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TARGET = 44  # px: WCAG 2.5.5, the least a finger hits

# Every action in a table row, with where it is on the screen once the page is scrolled
# down (not sideways) to it.
ROW_ACTIONS = """
() => [...document.querySelectorAll('main table tbody tr')]
  .flatMap(row => [...row.querySelectorAll('a[href], button, select')])
  .map((el, index) => {
    el.setAttribute('data-phone-action', index);
    const top = el.getBoundingClientRect().top + window.scrollY;
    window.scrollTo(0, Math.max(0, top - window.innerHeight / 2));
    const box = el.getBoundingClientRect();
    return {index, text: (el.innerText || el.value || '').trim().slice(0, 40),
            left: box.left, right: box.right, width: box.width, height: box.height,
            onScreen: box.left >= 0 && box.right <= window.innerWidth
              && box.top >= 0 && box.bottom <= window.innerHeight};
  })
"""

WIDE_TABLES = """
() => [...document.querySelectorAll('main table')]
  .filter(t => t.getBoundingClientRect().right > window.innerWidth + 1
    || t.getBoundingClientRect().width > window.innerWidth)
  .map(t => `${t.querySelector('caption')?.innerText || t.className || 'table'}: `
    + `${Math.round(t.getBoundingClientRect().width)}px`)
"""


def _worksheet(user, client: Client, key: str, answers: dict):
    definition = InstrumentDefinition.objects.filter(key=key).order_by("-version").first()
    record = mapping_services.start_worksheet(
        user=user,
        client=client,
        definition=definition,
        respondent_kind="client",
        done_on=timezone.localdate(),
        present=[user],
    )
    response = record.response
    instrument_services.submit_response(
        user=user, response=response, answers=answers, expected_version=response.version
    )
    return record


def a_client_with_everything(cast) -> tuple[Client, int, int]:
    """A client in the planning with the long words a real record has: a decided plan, a
    resource group of four with long addresses, a booked meeting, contacts, two worksheets
    written into the summary. Returns the client, the meeting and a worksheet's response."""
    ensure_instruments()
    client = shared_client(cast, name="Robin Ek")
    user = cast.case_manager
    decided_plan(cast, client)
    for name, role, email in (
        ("Maria Ekholm-Lindqvist", "mamma", "maria.ekholm-lindqvist@exempelkommunen.example"),
        ("Lena Boendestödjare", "boendestödjare", "lena.boendestod.ostra@kommunen.example"),
    ):
        group_services.add_group_member(
            user=user,
            client=client,
            chosen_by_client=True,
            data={
                "name": name,
                "role": role,
                "kind": "relative",
                "email": email,
                "phone": "070-123 45 67",
                "organisation_name": "Socialpsykiatrin Västerhavs kommun",
            },
        )
        mapping_services.save_contact(
            user=user,
            client=client,
            data={
                "name": name,
                "relationship": role,
                "sector": "family",
                "closeness": 1,
                "email": email,
                "phone": "070-123 45 67",
            },
        )
    meeting = meeting_services.book_meeting(
        user=user,
        client=client,
        starts_at=timezone.now() + timedelta(days=14),
        place="Psykiatrimottagningen Centrum, samtalsrum 3",
        invite=False,
    )
    ors = _worksheet(
        user,
        client,
        "ors",
        {"individually": 4, "interpersonally": 5.5, "socially": 3, "overall": 4.5},
    )
    solving = _worksheet(
        user,
        client,
        "problem_solving",
        {
            "problem": "Jag kommer inte iväg till kören på tisdagar.",
            "goal": "Gå på kören varannan tisdag.",
            "solutions": [
                {
                    "solution": "Åka med Lena",
                    "pros": "Tryggt, hon kör ändå förbi",
                    "cons": "Bara jämna veckor",
                },
                {"solution": "Buss 14", "pros": "Går ofta", "cons": "Trångt efter jobbet"},
            ],
            "chosen": "Åka med Lena",
            "steps": [{"what": "Fråga Lena", "who": "Robin", "when": "På måndag"}],
        },
    )
    for record in (ors, solving):
        mapping_services.add_summary_entry(
            user=user,
            client=client,
            area="Fritid",
            wants_to_change="Något meningsfullt att göra på kvällarna, tillsammans med andra",
            obstacles="Orkar inte gå ut ensam när det är mörkt",
            resources="Tycker om att sjunga; har en vän i kören",
            source=record,
        )
    return client, meeting.pk, solving.response_id


@pytest.mark.parametrize("width", [390, 768])
def test_the_client_pages_read_as_lists_on_a_phone_and_a_tablet(browser, live_server, cast, width):
    client, meeting_id, response_id = a_client_with_everything(cast)
    errors: list[str] = []
    page = new_page(
        browser,
        errors,
        viewport={"width": width, "height": 844 if width == 390 else 1024},
        is_mobile=True,
        has_touch=True,
        locale="sv-SE",
    )
    as_user(page, live_server, cast.case_manager)
    record = f"/samordning/{client.pk}/"
    pages = {
        "client": record,
        "plan": f"{record}plan/",
        "resource-group": f"{record}resursgrupp/",
        "meeting": f"{record}moten/{meeting_id}/",
        "checklist": f"{record}checklista/",
        "network": f"{record}natverk/",
        "summary": f"{record}sammanfattning/",
        "worksheet": f"/instrument/svar/{response_id}/",
        "instruments": "/instrument/",
    }
    problems: list[str] = []
    actions_seen = 0
    for name, path in pages.items():
        page.goto(live_server.url + path)
        assert page.locator("main h1, main h2").first.is_visible(), path
        shot(page, f"phone-{width}-{name}")
        scroll = page.evaluate("document.scrollingElement.scrollWidth")
        if scroll > width:
            problems.append(f"{name}: the page scrolls sideways, {scroll}px")
        for table in page.evaluate(WIDE_TABLES):
            problems.append(f"{name}: a table wider than the screen: {table}")
        for action in page.evaluate(ROW_ACTIONS):
            actions_seen += 1
            where = f"{name}: the row action {action['text']!r}"
            if not action["onScreen"]:
                span = f"{action['left']:.0f}-{action['right']:.0f}px"
                problems.append(f"{where} is off the screen ({span})")
            if action["height"] < TARGET or action["width"] < TARGET:
                problems.append(f"{where} is {action['width']:.0f} by {action['height']:.0f}px")
            # Playwright's own test that a tap would reach it (visible, not covered).
            target = page.locator(f"[data-phone-action='{action['index']}']")
            try:
                target.click(trial=True, timeout=2000)
            except Exception as error:  # the report names every action that fails
                problems.append(f"{where} takes no tap: {str(error).splitlines()[0]}")
    # The pages have actions in their rows to check (the worksheet, the member leaving...).
    assert actions_seen >= 8, actions_seen
    assert not problems, "\n".join(problems)
    if width == 390:
        for path in (record, f"{record}resursgrupp/"):
            page.goto(live_server.url + path)
            assert_accessible(page)
    assert errors == []
