"""The participation ladder: five levels x three questions, counted by hand."""

from __future__ import annotations

from egenmakt.instruments.schema import load_definition_file, shipped_definition_paths
from egenmakt.instruments.scoring import compute_scores

LADDER = load_definition_file(
    next(p for p in shipped_definition_paths() if p.stem == "participation_ladder")
)
COLUMNS = ["opening", "opportunity", "obligation"]


def test_ladder_has_five_levels_of_three_questions():
    assert [s["key"] for s in LADDER["sections"]] == [f"level{n}" for n in range(1, 6)]
    for n, section in enumerate(LADDER["sections"], start=1):
        assert [i["key"] for i in section["items"]] == [f"level{n}_{c}" for c in COLUMNS]
        assert all(i["type"] == "yes_partly_no" for i in section["items"])


def test_worked_example_counts_yes_per_level_column_and_in_all():
    # By hand: levels 1 and 2 are yes in every column (6 yes); level 3 has yes as opening
    # only, partly as opportunity, no as obligation (1 yes); levels 4-5 are no (0 yes).
    # Per column: openings 3 (levels 1-3), opportunities 2, obligations 2. Total 7.
    answers = {}
    for n in range(1, 6):
        for column in COLUMNS:
            answers[f"level{n}_{column}"] = "yes" if n <= 2 else "no"
    answers["level3_opening"] = "yes"
    answers["level3_opportunity"] = "partly"
    scores = compute_scores(LADDER, answers)
    assert scores["total_yes"].value == 7
    assert [scores[f"level{n}_yes"].value for n in range(1, 6)] == [3, 3, 1, 0, 0]
    assert scores["opening_yes"].value == 3
    assert scores["opportunity_yes"].value == 2
    assert scores["obligation_yes"].value == 2


def test_partly_is_not_counted_as_yes():
    answers = {f"level{n}_{c}": "partly" for n in range(1, 6) for c in COLUMNS}
    assert compute_scores(LADDER, answers)["total_yes"].value == 0
