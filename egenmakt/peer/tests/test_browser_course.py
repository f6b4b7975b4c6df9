"""The course journey in a real browser: the training lead forms a cohort and plans a
day, a course leader takes attendance on a phone, a participant reports absence and hands
in homework, the course leader gives feedback, and the coordinator completes the course
and downloads the certificate. Screenshots go to ``test-artifacts/peer/``."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from egenmakt.peer.models import AttendanceStatus, Participant
from egenmakt.peer.services import course as course_services

from .factories import admitted, ensure_instruments, make_round
from .test_browser import ARTIFACTS, as_user, assert_accessible, browser, new_page, shot

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_course_from_cohort_to_certificate(browser, live_server, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_instruments()
    round_ = make_round(cast, title="Peer support Västerhav 2027")
    first = admitted(cast, round_, full_name="Alva Berg")
    admitted(cast, round_, full_name="Bo Ek")
    # The course leader has declared own experience (on their own page).
    course_services.declare_lived_experience(user=cast.course_leader, declared=True)
    errors: list[str] = []
    desk = new_page(browser, errors, viewport={"width": 1280, "height": 900})

    # 1. The training lead forms the cohort, adds a course leader and plans a day.
    as_user(desk, live_server, cast.training_lead)
    desk.goto(f"{live_server.url}/peer/kurser/")
    desk.get_by_role("link", name="Bilda en utbildningsomgång").click()
    desk.get_by_role("button", name="Bilda utbildningen och bjud in").click()
    desk.get_by_text("Utbildningen är skapad").wait_for()
    cohort_url = desk.url
    desk.get_by_label("E-postadress").fill(cast.course_leader.email)
    desk.get_by_label("Roll i utbildningen").select_option("course_leader")
    desk.get_by_label("Representerar brukarrörelsen").check()
    desk.get_by_role("button", name="Lägg till i utbildningen").click()
    desk.get_by_text("är tillagd i utbildningen").wait_for()
    today = timezone.localdate()
    for offset, theme in ((0, "Vad är återhämtning?"), (2, "Bemötande")):
        day_form = desk.locator('form[action$="/dagar/"]')
        day_form.get_by_label("Datum").fill((today + timedelta(days=offset)).isoformat())
        day_form.get_by_label("Börjar").fill("09:00")
        day_form.get_by_label("Slutar").fill("16:00")
        day_form.get_by_label("Plats").fill("Brukarnätverket")
        day_form.get_by_label("Tema").fill(theme)
        day_form.get_by_label(cast.course_leader.full_name).check()
        day_form.get_by_role("button", name="Lägg till dagen").click()
        desk.get_by_text("Utbildningsdagen är tillagd.").wait_for()
    assert_accessible(desk)
    shot(desk, "cohort")

    # 2. The course leader sets homework and takes attendance on a phone.
    as_user(desk, live_server, cast.course_leader)
    desk.goto(cohort_url)
    desk.get_by_role("link", name="Hemuppgifter och övningar").click()
    desk.get_by_role("link", name="Min återhämtningsberättelse").click()
    desk.get_by_label("Lämnas in senast").fill((today + timedelta(days=7)).isoformat())
    desk.get_by_role("button", name="Ge hemuppgiften").click()
    desk.get_by_text("Hemuppgiften är given").wait_for()
    assert_accessible(desk)
    phone = new_page(
        browser, errors, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    as_user(phone, live_server, cast.course_leader)
    phone.goto(cohort_url)
    phone.get_by_role("link", name="Ta närvaro").first.click()
    phone.get_by_role("group", name="Alva Berg").get_by_label("Närvarande").check()
    phone.get_by_role("group", name="Bo Ek").get_by_label("Frånvarande", exact=True).check()
    assert_accessible(phone)
    shot(phone, "attendance-phone")
    phone.get_by_role("button", name="Spara närvaron").click()
    phone.get_by_text("Närvaron är sparad.").wait_for()

    # 3. The participant reports absence ahead and hands in homework.
    participant = Participant.objects.get(application=first)
    as_user(desk, live_server, participant.user)
    desk.goto(f"{live_server.url}/peer/min-kurs/")
    desk.get_by_label("Vilken utbildningsdag?").select_option(index=2)
    desk.get_by_label("Något kursledarna bör veta").fill("Läkarbesök")
    desk.get_by_role("button", name="Anmäl frånvaro", exact=True).click()
    desk.get_by_text("kursledarna vet att du inte kommer").wait_for()
    desk.get_by_role("link", name="Min återhämtningsberättelse").click()
    desk.get_by_label("Ditt svar").fill("Det som hjälpte mig mest var gruppen.")
    desk.get_by_label("Fil (frivilligt)").set_input_files(
        files=[
            {
                "name": "berattelse.txt",
                "mimeType": "text/plain",
                "buffer": "Min berättelse".encode(),
            }
        ]
    )
    desk.get_by_role("button", name="Lämna in").click()
    desk.get_by_text("Inlämnad. Tack!").wait_for()
    assert_accessible(desk)
    shot(desk, "hand-in")
    # The participant reads the ethics guidelines on a phone and acknowledges them (the
    # certificate waits for it).
    as_user(phone, live_server, participant.user)
    phone.goto(f"{live_server.url}/peer/min-kurs/")
    phone.get_by_role("link", name="Läs och bekräfta de etiska riktlinjerna").click()
    phone.get_by_text("Tystnadsplikt.", exact=False).wait_for()
    phone.get_by_role("button", name="Jag har läst och följer riktlinjerna").click()
    phone.get_by_text("Du har bekräftat de etiska riktlinjerna").wait_for()
    assert_accessible(phone)
    shot(phone, "ethics-guidelines-phone")

    # 4. The course leader gives feedback; the participant reads it.
    as_user(desk, live_server, cast.course_leader)
    desk.goto(cohort_url + "hemuppgifter/")
    desk.get_by_role("link", name="Min återhämtningsberättelse").first.click()
    desk.get_by_label("Återkoppling").first.fill("Tack, fint och ärligt skrivet.")
    desk.get_by_role("button", name="Spara återkopplingen").first.click()
    desk.get_by_text("Återkopplingen är sparad").wait_for()
    as_user(desk, live_server, participant.user)
    desk.goto(f"{live_server.url}/peer/min-kurs/")
    desk.get_by_role("link", name="Min återhämtningsberättelse").click()
    desk.get_by_text("Tack, fint och ärligt skrivet.").wait_for()
    assert participant.attendance.filter(status=AttendanceStatus.ABSENT_REPORTED).exists()

    # 5. The coordinator completes the course and downloads the certificate.
    as_user(desk, live_server, cast.coordinator)
    desk.goto(cohort_url + "avslut/")
    form = desk.locator("form", has=desk.get_by_role("heading", name="Alva Berg"))
    form.get_by_role("group", name="Har genomfört utbildningen").get_by_label("Ja").check()
    form.get_by_role("group", name="Rekommenderas för anställning").get_by_label("Ja").check()
    form.get_by_label("Skäl").fill("Stark i rollen, god närvaro.")
    form.get_by_role("button", name="Registrera").click()
    desk.get_by_text("Registrerat för Alva Berg.").wait_for()
    assert_accessible(desk)
    shot(desk, "completion")
    with desk.expect_download() as download_info:
        desk.get_by_role("link", name="Kursintyg (PDF)").click()
    pdf = Path(download_info.value.path()).read_bytes()
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Alva Berg" in text
    (ARTIFACTS / "certificate.pdf").write_bytes(pdf)
    assert errors == []
