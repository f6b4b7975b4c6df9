"""From a completed course to work, in a real browser: the coordinator places two course
graduates at a ready workplace (the first needs a written reason: she would be alone),
the supervisor holds a group meeting and writes notes with a system-level problem, the
coordinator reviews model fidelity and sees the drift flag, reads the anonymous problems,
invites everyone to a reunion and exports the programme report as XLSX.
Screenshots go to ``test-artifacts/peer/``."""

from __future__ import annotations

import io
from datetime import time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from egenmakt.peer.models import Participant, Placement
from egenmakt.peer.services import course as course_services
from egenmakt.peer.services import placement as services

from .factories import admitted, ensure_instruments, make_round
from .test_browser import as_user, assert_accessible, browser, new_page, shot
from .test_placement import make_ready

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def graduates(cast):
    round_ = make_round(cast, title="Peer support Västerhav 2026")
    admitted(cast, round_, full_name="Alva Berg")
    admitted(cast, round_, full_name="Bo Ek")
    cohort = course_services.create_cohort(
        user=cast.training_lead, round_=round_, title="Kursen hösten 2026", attendance_threshold=80
    )
    course_services.add_staff(
        user=cast.training_lead,
        cohort=cohort,
        person=cast.course_leader,
        role="course_leader",
        represents_user_movement=True,
    )
    course_services.declare_lived_experience(user=cast.course_leader, declared=True)
    course_services.add_session(
        user=cast.training_lead,
        cohort=cohort,
        day=timezone.localdate() - timedelta(days=1),
        starts=time(9, 0),
        ends=time(16, 0),
        place="Brukarnätverket",
        theme="Vad är återhämtning?",
        leaders=[cast.course_leader],
    )
    people = []
    for participant in Participant.objects.filter(cohort=cohort).order_by("application__full_name"):
        course_services.complete_course(
            user=cast.coordinator,
            participant=participant,
            completed=True,
            recommended=True,
            reason="Stark i rollen.",
        )
        people.append(participant.user)
    return people


def test_from_completed_course_to_placement_supervision_and_fidelity(
    browser, live_server, cast, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_instruments()
    alva, bo = graduates(cast)
    workplace = services.register_workplace(
        user=cast.coordinator, workplace=cast.org("outpatient"), network=cast.org("network")
    )
    make_ready(cast, workplace)
    errors: list[str] = []
    page = new_page(browser, errors, viewport={"width": 1280, "height": 900})
    today = timezone.localdate().isoformat()

    # 1. The coordinator places Alva: alone at first, so a written reason is asked for.
    as_user(page, live_server, cast.coordinator)
    page.goto(f"{live_server.url}/peer/vantar-pa-jobb/")
    page.get_by_text("Alva Berg").wait_for()
    page.goto(f"{live_server.url}/peer/arbetsplatser/{workplace.pk}/")
    page.get_by_text("Redo för peer supportrar").wait_for()

    def place(name: str) -> None:
        # The summary's next step opens the folded form (issue 26: the page is split).
        page.locator(".workplace-summary").get_by_role(
            "link", name="Placera en peer supporter"
        ).click()
        form = page.locator("#place-form")
        form.get_by_label("Peer supporter").wait_for()
        form.get_by_label("Peer supporter").select_option(label=name)
        form.get_by_label("Börjar").fill(today)
        form.get_by_label("Brukarorganisationen (brukarstyrd bemanning)").check()
        form.get_by_label("Sysselsättningsgrad (%)").fill("50")
        form.get_by_label("Kontaktperson på arbetsplatsen").fill("Enhetschef Maria Lind")
        form.get_by_label("Handledare").select_option(label=cast.supervisor.full_name)
        form.get_by_role("button", name="Placera peer supportern").click()

    place("Alva Berg")
    page.get_by_role("alert").get_by_text("bara få en peer supporter").wait_for()
    assert_accessible(page)
    shot(page, "placement-warning")
    assert not Placement.objects.exists()
    page.locator("#place-form").get_by_label("Skäl att gå vidare trots varningarna").fill(
        "Bo börjar samma dag."
    )
    page.locator("#place-form").get_by_role("button", name="Placera peer supportern").click()
    page.get_by_role("link", name="Alva Berg").first.wait_for()
    place("Bo Ek")
    page.get_by_role("link", name="Bo Ek").first.wait_for()
    first = Placement.objects.get(peer_supporter=alva)
    assert first.override_reason == "Bo börjar samma dag."
    assert Placement.objects.get(peer_supporter=bo).override_reason == ""

    # 2. The supervisor meets both in a group, takes attendance and writes notes.
    as_user(page, live_server, cast.supervisor)
    page.goto(f"{live_server.url}/peer/handledning/")
    page.get_by_label("I grupp").check()
    page.get_by_label("Datum").fill(today)
    page.get_by_label("Tid").fill("13:00")
    page.get_by_label("Plats").fill("Brukarnätverkets lokal")
    page.get_by_label("Alva Berg").check()
    page.get_by_label("Bo Ek").check()
    page.get_by_role("button", name="Planera mötet").click()
    page.get_by_text("Mötet är planerat.").wait_for()
    page.get_by_label("Alva Berg").check()
    page.get_by_label("Bo Ek").check()
    page.get_by_role("button", name="Spara närvaron").click()
    page.get_by_text("Närvaron är sparad.").wait_for()
    assert_accessible(page)
    shot(page, "supervision-meeting")
    page.get_by_role("button", name="Skriv anteckningar").first.click()
    page.get_by_label("Hur går arbetet och kontakterna på arbetsplatsen?").fill(
        "Alva har hittat sin plats i teamet."
    )
    page.get_by_label("Brister på systemnivå att föra vidare (intressepolitik)").fill(
        "Ingen tolk på kvällsträffarna."
    )
    page.get_by_role("button", name="Lämna in").click()
    page.get_by_text("Inlämnad").first.wait_for()

    # 3. The coordinator reviews fidelity on the placement page: 7 of 11 flags drift.
    as_user(page, live_server, cast.coordinator)
    page.goto(f"{live_server.url}/peer/placeringar/{first.pk}/")
    page.get_by_role("link", name="Ny uppföljning av modelltrohet").click()
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Börja").click()
    page.get_by_role("button", name="Lämna in").wait_for()
    yes = page.locator("input[type=radio][value=yes]")
    answered = yes.count()
    for index in range(answered):
        name = yes.nth(index).get_attribute("name")
        value = "yes" if index < 7 else "partly"
        page.locator(f"input[type=radio][name='{name}'][value={value}]").check()
    assert answered == 11
    page.get_by_role("button", name="Lämna in").click()
    page.get_by_text("Inlämnad").first.wait_for()
    page.goto(f"{live_server.url}/peer/placeringar/{first.pk}/")
    page.get_by_text("Arbetet glider bort från modellen.").wait_for()
    assert_accessible(page)
    shot(page, "placement-fidelity")

    # The system-level problem reaches the coordinator without a name; the notes do not.
    page.goto(f"{live_server.url}/peer/systembrister/")
    page.get_by_text("Ingen tolk på kvällsträffarna.").wait_for()
    assert "Alva" not in page.content()

    # 4. A reunion for everyone trained, then the programme report as XLSX.
    page.goto(f"{live_server.url}/peer/uppfoljning/")
    page.get_by_label("Rubrik").fill("Återträff i december")
    page.get_by_label("Datum").fill(today)
    page.get_by_label("Börjar").fill("13:00")
    page.get_by_label("Slutar").fill("16:00")
    page.get_by_label("Plats").fill("Träffpunkt Kvarnen")
    page.get_by_role("button", name="Spara och skicka inbjudningarna").click()
    page.get_by_text("peer supportrar är inbjudna").wait_for()
    assert_accessible(page)
    shot(page, "reunion")

    page.goto(f"{live_server.url}/rapporter/program/")
    row = page.locator("tr", has_text="Peer support Västerhav 2026")
    assert row.locator("td").nth(4).inner_text() == "2"  # completed
    assert row.locator("td").nth(5).inner_text() == "2"  # employed
    page.get_by_label("XLSX (Excel)").first.check()
    page.get_by_role("button", name="Gör exporten").first.click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner").first.click()
    book = load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    assert book[book.sheetnames[0]]["A2"].value == "Peer support Västerhav 2026"
    assert_accessible(page)
    shot(page, "programme-report")
    assert errors == []
