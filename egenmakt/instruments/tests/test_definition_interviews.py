"""Relatives' rating and interview, the applicant interview and supervision notes."""

from __future__ import annotations

import pytest

from egenmakt.instruments.schema import iter_items, load_definition_file, shipped_definition_paths
from egenmakt.instruments.scoring import compute_scores

SHIPPED = {p.stem: load_definition_file(p) for p in shipped_definition_paths()}
EXPECTED = {
    "ors", "audit", "dudit", "qls100", "everyday_life_self", "everyday_life_relative",
    "normal_day", "lifestyle_health", "relative_rating", "relative_interview",
    "my_participation", "early_warning_signs", "participation_ladder", "applicant_interview",
    "selection_criteria", "supervision_meeting", "workplace_readiness", "fidelity",
}  # fmt: skip


def test_every_instrument_the_issue_names_is_shipped():
    assert set(SHIPPED) >= EXPECTED


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_every_shipped_text_is_in_both_languages_and_notes_name_the_source(key):
    definition = SHIPPED[key]
    assert definition["notes"].strip()
    for item in iter_items(definition):
        assert item["label"]["sv"].strip() and item["label"]["en"].strip()
        assert item["label"]["sv"] != item["label"]["en"] or len(item["label"]["sv"]) < 8


def test_relative_rating_worked_example():
    # By hand: worry 4, conflicts 2, criticism 3 -> climate 9;
    # tired 5, own life 4, alone 3, information 2 -> burden 14.
    answers = {"worry": 4, "conflicts": 2, "criticism": 3, "tired": 5, "own_life": 4}
    answers |= {"alone": 3, "information": 2}
    scores = compute_scores(SHIPPED["relative_rating"], answers)
    assert scores["climate"].value == 9
    assert scores["burden"].value == 14


def test_applicant_interview_covers_the_six_areas_and_the_support_asked_for():
    definition = SHIPPED["applicant_interview"]
    keys = [s["key"] for s in definition["sections"]]
    assert keys[:6] == ["introduction", "background", "care", "scenarios", "strengths", "training"]
    support = next(i for i in iter_items(definition) if i["key"] == "support_needed")
    assert [o["value"] for o in support["options"]] == [
        "reading_writing",
        "group",
        "attendance",
        "sharing",
    ]


def test_relative_interview_agrees_what_the_client_sees():
    items = {i["key"]: i for i in iter_items(SHIPPED["relative_interview"])}
    assert items["client_sees"]["required"]
    assert items["climate_burden"]["required"]


def test_supervision_meeting_follows_the_supervisors_purposes():
    keys = {i["key"] for i in iter_items(SHIPPED["supervision_meeting"])}
    assert {"work_and_contacts", "wellbeing", "within_frame", "system_shortcomings"} <= keys
