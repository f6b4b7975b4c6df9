"""The course plan and step 3's observations in a real browser: the network's coordinator
adds a day to the network's five-week plan, the training lead builds the course's days and
homework from it (twice: nothing doubles), and the coordinator writes an observation about
a participant. Screenshots go to ``test-artifacts/peer/``."""

from __future__ import annotations

import pytest

from egenmakt.peer.models import Assignment, CourseSession, ObservationNote
from egenmakt.peer.selectors.courseplan import DEFAULT_PLAN
from egenmakt.peer.services import course as course_services

from .factories import admitted, ensure_instruments, make_round
from .test_browser import as_user, assert_accessible, browser, new_page, shot

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_course_built_from_the_networks_plan_and_an_observation(browser, live_server, cast):
    ensure_instruments()  # a transactional test before this one may have emptied them
    round_ = make_round(cast, title="Peer support Västerhav 2027")
    admitted(cast, round_, full_name="Alva Berg")
    cohort = course_services.create_cohort(
        user=cast.training_lead, round_=round_, title="Kursen våren 2027", attendance_threshold=80
    )
    errors: list[str] = []
    desk = new_page(browser, errors, viewport={"width": 1280, "height": 900})

    # 1. The coordinator adds an ethics day to the network's plan.
    as_user(desk, live_server, cast.coordinator)
    desk.goto(f"{live_server.url}/peer/kursplan/{cast.org('network').pk}/")
    desk.get_by_label("Typ").select_option("day")
    desk.get_by_label("Kursvecka").select_option("2")
    desk.get_by_label("Veckodag").select_option("2")
    desk.get_by_label("Tema eller rubrik").fill("Etik i rollen")
    desk.get_by_label("Börjar (kursdag)").fill("10:00")
    desk.get_by_label("Slutar (kursdag)").fill("14:00")
    desk.get_by_role("button", name="Lägg till", exact=True).click()
    desk.get_by_text("Planen är sparad.").wait_for()
    assert "Etik i rollen" in desk.locator("strong").all_inner_texts()
    assert_accessible(desk)
    shot(desk, "course-plan")

    # 2. The training lead builds the course from it, twice.
    as_user(desk, live_server, cast.training_lead)
    desk.goto(f"{live_server.url}/peer/kurser/{cohort.pk}/")
    for _ in range(2):
        desk.get_by_label("Kursdagarnas plats").fill("Brukarnätverket")
        desk.get_by_role("button", name="Skapa från planen").click()
        desk.get_by_text("Från kursplanen:").wait_for()
    desk.get_by_role("cell", name="Etik i rollen").wait_for()
    # The five weeks' days are on the course page, and their homework on its homework page.
    shown = desk.locator("#schedule-heading ~ .table-wrap td").all_inner_texts()
    assert all(entry.title in shown for entry in DEFAULT_PLAN if entry.is_day)
    desk.get_by_role("link", name="Hemuppgifter och övningar").click()
    page_text = desk.locator("main").inner_text()
    assert all(entry.title in page_text for entry in DEFAULT_PLAN if not entry.is_day)
    desk.go_back()
    days = sum(1 for entry in DEFAULT_PLAN if entry.is_day) + 1
    assert CourseSession.objects.filter(cohort=cohort).count() == days
    homework = sum(1 for entry in DEFAULT_PLAN if not entry.is_day)
    assert Assignment.objects.filter(cohort=cohort).count() == homework
    assert_accessible(desk)
    shot(desk, "cohort-from-plan")

    # 3. The coordinator writes what she noticed about a participant.
    as_user(desk, live_server, cast.coordinator)
    desk.goto(f"{live_server.url}/peer/kurser/{cohort.pk}/")
    desk.get_by_role("link", name="Observationer").first.click()
    desk.get_by_label("Vad lade du märke till?").fill("Lyssnar väl och tar plats i gruppen.")
    desk.get_by_role("button", name="Spara").click()
    desk.get_by_text("Observationen är sparad.").wait_for()
    assert_accessible(desk)
    shot(desk, "observations")
    assert ObservationNote.objects.filter(participant__cohort=cohort).count() == 1
    assert errors == []
