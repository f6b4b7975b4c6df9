"""The work log in a real browser, on a phone: a peer supporter logs three encounters over
a week on "Mitt arbete" and sees the month's summary; their supervisor then sees the
summary, not the entries. Screenshots go to ``test-artifacts/peer/``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from egenmakt.peer.models import WorkLogEntry

from .test_browser import as_user, assert_accessible, browser, new_page, shot
from .test_worklog import place, supervise

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_peer_supporter_logs_a_week_on_a_phone(browser, live_server, cast):
    place(cast, cast.peer_supporter)
    supervise(cast, cast.peer_supporter)
    today = timezone.localdate()
    week = [
        (today - timedelta(days=6), "Stödsamtal, enskilt", "45 min", "Öppenvård", ["Återhämtning"]),
        (
            today - timedelta(days=3),
            "Gruppaktivitet",
            "90 min",
            "Grupprum",
            ["Relationer", "Delade egen erfarenhet"],
        ),
        (today, "Följa med", None, "Ute i samhället eller hembesök", ["Boende"]),
    ]
    errors: list[str] = []
    phone = new_page(
        browser, errors, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    as_user(phone, live_server, cast.peer_supporter)
    phone.goto(f"{live_server.url}/")
    phone.get_by_role("link", name="Mitt arbete").first.click()
    phone.get_by_role("heading", name="Mitt arbete", exact=True).wait_for()
    assert phone.get_by_label("Datum").input_value() == today.isoformat()
    assert_accessible(phone)
    shot(phone, "work-log-empty-phone")

    # Sending it without a time explains what is missing, and saves nothing.
    phone.get_by_label("Gruppaktivitet").check()
    phone.get_by_label("Grupprum").check()
    phone.get_by_role("button", name="Spara", exact=True).click()
    phone.get_by_text("Välj tid, eller skriv antalet minuter.").wait_for()
    assert not WorkLogEntry.objects.exists()

    for day, kind, quick, setting, themes in week:
        phone.get_by_label("Datum").fill(day.isoformat())
        phone.get_by_label(kind, exact=True).check()
        if quick:
            phone.get_by_text(quick, exact=True).click()  # the quick button is the label
        else:
            phone.get_by_label("Annat antal minuter").fill("150")
        phone.get_by_label(setting, exact=True).check()
        for theme in themes:
            phone.get_by_label(theme, exact=True).check()
        phone.get_by_role("button", name="Spara", exact=True).click()
        phone.get_by_text("Sparat i din arbetslogg.").wait_for()

    assert WorkLogEntry.objects.filter(peer_supporter=cast.peer_supporter).count() == 3
    assert sorted(WorkLogEntry.objects.values_list("minutes", flat=True)) == [45, 90, 150]
    # The month under way: its summary counts the entries of the week that fall in it.
    phone.goto(f"{live_server.url}/peer/mitt-arbete/")
    in_month = [w for w in week if w[0].month == today.month]
    minutes = sum({"45 min": 45, "90 min": 90}.get(w[2] or "", 150) for w in in_month)
    summary = phone.locator("dl.summary")
    assert summary.locator("dd").first.inner_text() == str(len(in_month))
    assert f"{minutes // 60}:{minutes % 60:02d}" in summary.inner_text()
    assert phone.locator("ul.work-log li").count() == len(in_month)
    assert_accessible(phone)
    shot(phone, "work-log-week-phone")
    phone.set_viewport_size({"width": 1280, "height": 900})
    shot(phone, "work-log-week-desk")

    # The supervisor sees the summary from the supervision page, never the entries.
    as_user(phone, live_server, cast.supervisor)
    phone.goto(f"{live_server.url}/peer/handledning/")
    phone.get_by_role("link", name="Arbetsloggar för dem du handleder").click()
    phone.get_by_role("heading", name=cast.peer_supporter.full_name).wait_for()
    assert "ändra" not in phone.locator("main").inner_text()
    assert_accessible(phone)
    shot(phone, "work-log-supervisor-desk")
    assert not errors
