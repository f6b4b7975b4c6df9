"""The whole recruitment journey in a real browser.

An applicant applies on a phone-sized screen; the coordinator screens the application and
books an interview with two interviewers; each interviewer records their notes, one of
them writes the agreed version; the coordinator admits the applicant and sends the letter.
Screenshots go to ``test-artifacts/peer/`` for a person to look at.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from egenmakt.conftest import chromium, sign_in
from egenmakt.peer.models import Application, ApplicationStatus, Interview

from .factories import ensure_instruments, make_round

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "peer"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(live_server, monkeypatch, chromium_executable):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with chromium(chromium_executable) as browser:
        yield browser


def new_page(browser, errors: list[str], **context_options):
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page


def as_user(page, live_server, user) -> None:
    page.context.clear_cookies()
    client = sign_in(Client(), user)
    page.context.add_cookies(
        [
            {"name": name, "value": morsel.value, "url": live_server.url}
            for name, morsel in client.cookies.items()
        ]
    )


def assert_accessible(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]}}
    )
    assert results.violations_count == 0, results.generate_report()


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_apply_screen_interview_record_and_admit(browser, live_server, cast):
    ensure_instruments()
    round_ = make_round(cast, title="Peer support Västerhav 2027")
    errors: list[str] = []

    # 1. The applicant, on a phone.
    phone = new_page(
        browser, errors, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    phone.goto(f"{live_server.url}/ansok/{round_.public_key}/")
    phone.get_by_role("heading", name="Ansök till peer support-utbildningen").wait_for()
    assert_accessible(phone)
    shot(phone, "apply-phone")
    # Sending it empty explains what is missing, in Swedish.
    phone.get_by_role("button", name="Skicka min ansökan").click()
    phone.get_by_text("Rätta de fält som är markerade nedan.").wait_for()
    phone.get_by_label("Ditt namn").fill("Alva <b>Berg</b>")
    phone.get_by_label("E-postadress").fill("alva@example.org")
    phone.get_by_label("Berätta om din egen erfarenhet").fill("Ångest sedan tonåren.")
    phone.get_by_label("Din erfarenhet av vård och stöd").fill("Öppenvård.")
    phone.get_by_label("Varför vill du utbilda dig").fill("Jag vill ge hopp.")
    phone.get_by_label("Ja, minst halvtid").check()
    phone.get_by_role("group", name=re.compile("Kan du vara med alla")).get_by_label(
        "Ja", exact=True
    ).check()
    phone.get_by_label("Jag har läst hur mina uppgifter används").check()
    phone.get_by_role("button", name="Skicka min ansökan").click()
    phone.get_by_role("heading", name="Tack för din ansökan").wait_for()
    assert "Alva &lt;b&gt;Berg&lt;/b&gt;" in phone.content()
    shot(phone, "receipt-phone")
    application = Application.objects.get(round=round_)
    assert any(m.to == ["alva@example.org"] for m in mail.outbox)
    phone.get_by_role("link", name="Min ansökan").click()
    phone.get_by_text("Vi har tagit emot din ansökan och läser den snart.").wait_for()

    # 2. The coordinator screens it from the board.
    desk = new_page(browser, errors, viewport={"width": 1280, "height": 900})
    as_user(desk, live_server, cast.coordinator)
    desk.goto(f"{live_server.url}/peer/omgangar/{round_.pk}/")
    desk.get_by_role("heading", name="Tidslinje").wait_for()
    assert_accessible(desk)
    shot(desk, "round")
    desk.get_by_role("link", name="Tavla per steg").click()
    desk.get_by_role("heading", name="Steg 1: att gallra").wait_for()
    assert_accessible(desk)
    shot(desk, "board")
    desk.get_by_role("link", name="Alva <b>Berg</b>").click()
    desk.get_by_text("Skrivförmåga är inget krav").wait_for()
    desk.get_by_label("Gå vidare till intervju").check()
    desk.get_by_label("Skäl").select_option("more_to_learn")
    assert_accessible(desk)
    shot(desk, "application")
    desk.get_by_role("button", name="Registrera beslutet").click()
    desk.get_by_text("Beslutet är registrerat.").wait_for()

    # 3. Book the interview with two interviewers.
    desk.get_by_role("link", name="Boka intervju").click()
    day = timezone.localdate() + timedelta(days=2)
    desk.get_by_label("Datum").fill(day.isoformat())
    desk.get_by_label("Tid").fill("10:00")
    desk.get_by_label("Plats").fill("Brukarnätverket, Storgatan 1")
    desk.get_by_label("Intervjuare som ställer frågorna").select_option(str(cast.interviewer.pk))
    desk.get_by_label("Intervjuare som antecknar").select_option(str(cast.second_interviewer.pk))
    assert_accessible(desk)
    shot(desk, "book-interview")
    desk.get_by_role("button", name="Boka och skicka inbjudningar").click()
    desk.get_by_text("Intervjun är bokad").wait_for()
    interview = Interview.objects.get(application=application)
    assert sum(1 for m in mail.outbox if m.attachments) == 3

    # The interview takes place (moved to now: bookings must lie ahead).
    Interview.objects.filter(pk=interview.pk).update(starts_at=timezone.now())

    # 4. Each interviewer records their own notes; then the agreed version.
    for person in (cast.interviewer, cast.second_interviewer):
        as_user(desk, live_server, person)
        desk.goto(f"{live_server.url}/peer/intervjuer/{interview.pk}/")
        desk.get_by_role("region", name="Intervjuanteckningar").get_by_role(
            "button", name="Skriv dina"
        ).click()
        desk.wait_for_url("**/besvara/")
        desk.get_by_label("Samlat intryck").fill(f"Intryck av {person.full_name}.")
        desk.get_by_role("button", name="Lämna in", exact=True).click()
        desk.wait_for_url("**/svar/*/")
    desk.goto(f"{live_server.url}/peer/intervjuer/{interview.pk}/")
    shot(desk, "interview")
    assert_accessible(desk)
    desk.get_by_role("region", name="Intervjuanteckningar").get_by_role(
        "button", name="Skriv den gemensamma versionen"
    ).click()
    desk.wait_for_url("**/besvara/")
    desk.get_by_label("Samlat intryck").fill("Vi är överens: stark kandidat.")
    desk.get_by_role("button", name="Lämna in", exact=True).click()
    desk.wait_for_url("**/svar/*/")

    # 5. The coordinator admits and sends the letter.
    as_user(desk, live_server, cast.coordinator)
    desk.goto(f"{live_server.url}/peer/ansokningar/{application.pk}/")
    desk.get_by_label("Anta till utbildningen").check()
    desk.get_by_label("Skäl").select_option("criteria_met")
    desk.get_by_role("button", name="Registrera beslutet").click()
    desk.get_by_text("Beslutet är registrerat.").wait_for()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ADMITTED
    desk.goto(f"{live_server.url}/peer/omgangar/{round_.pk}/brev/")
    shot(desk, "letters")
    desk.get_by_role("button", name="Skicka 1 brev").click()
    desk.get_by_text("1 brev är på väg.").wait_for()
    assert any("antagen" in m.subject for m in mail.outbox)
    desk.goto(f"{live_server.url}/peer/omgangar/{round_.pk}/tratt/")
    assert_accessible(desk)
    shot(desk, "funnel")

    # The applicant sees the decision on their own page.
    phone.reload()
    phone.get_by_text("Du är antagen till utbildningen.").wait_for()
    assert errors == []
