"""The browser sweep's own checks, without a browser: they find what they should."""

from __future__ import annotations

from egenmakt.tests.test_sweep_browser import codes_shown, in_app, shape, wrong_language

BASE = "http://localhost:8000"


def test_english_ui_text_on_a_swedish_page_is_found_and_the_reverse():
    assert wrong_language(["Skip to content", "Hoppa till innehållet"], "sv") == ["Skip to content"]
    assert wrong_language(["Search the access log by user, person and period:"], "sv")
    assert wrong_language(["Hoppa till innehållet", "Skip to content"], "en") == [
        "Hoppa till innehållet"
    ]
    # One word ("OK", "Plan") and names say nothing about the language.
    assert wrong_language(["OK", "Plan", "Region Västerhav", "Egenmakt"], "sv") == []


def test_the_sweep_follows_the_apps_own_pages_only():
    assert in_app(f"{BASE}/samordning/12/plan/#mal", BASE) == "/samordning/12/plan/"
    assert in_app(f"{BASE}/granskning/logg/?aldre=5", BASE) == "/granskning/logg/?aldre=5"
    for leaving in (
        "https://www.1177.se/",
        f"{BASE}/logga-ut/",
        f"{BASE}/samordning/12/parm.pdf",
        f"{BASE}/granskning/logg.csv",
        f"{BASE}/static/egenmakt/egenmakt.css",
    ):
        assert in_app(leaving, BASE) is None, leaving
    assert shape("/samordning/12/plan/") == shape("/samordning/7/plan/") == "/samordning/*/plan/"


def test_a_code_shown_as_text_is_found_but_not_an_address_or_a_file_name():
    assert codes_shown(["instrument supervision_meeting", "sökning: person_type, date_from"]) == [
        "date_from",
        "person_type",
        "supervision_meeting",
    ]
    assert codes_shown(["/instrument/normal_day/user/10/", "first_last@example.org"]) == []
    assert codes_shown(["(supervision_meeting.yaml, 2026-12-04)", "Vanlig text."]) == []
