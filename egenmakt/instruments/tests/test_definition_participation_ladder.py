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


# The seed's ladder (seed 003, "Vägar till brukarinflytande"), word for word.
SEED_LEVELS = {
    1: "Brukare blir lyssnade till",
    2: "Brukare får stöd i att uttrycka sina åsikter och synpunkter",
    3: "Brukares åsikter och synpunkter beaktas",
    4: "Brukare involveras i beslutsfattande processer",
    5: "Brukare delar makt och ansvar över beslutsfattande",
}
SEED_QUESTIONS = {
    "level1_opening": "Är jag beredd att lyssna på brukare?",
    "level1_opportunity": "Arbetar jag på ett sätt som möjliggör att brukare blir lyssnade till?",
    "level1_obligation": "Är det ett policykrav att brukare ska bli lyssnade till?",
    "level2_opening": "Är jag beredd att stödja brukare att uttrycka sina åsikter och synpunkter?",
    "level2_opportunity": "Har jag tillgång till aktiviteter och metoder som stödjer brukare att "
    "uttrycka åsikter & synpunkter?",
    "level2_obligation": "Är det ett policykrav att brukare ska ges stöd i att uttrycka sina "
    "åsikter och sina synpunkter?",
    "level3_opening": "Är jag beredd att beakta brukares åsikter och synpunkter?",
    "level3_opportunity": "Möjliggör den beslutsfattande processen att brukares åsikter och "
    "synpunkter beaktas?",
    "level3_obligation": "Är det ett policykrav att brukares åsikter och synpunkter ska vägas in i "
    "beslutsfattande?",
    "level4_opening": "Är jag beredd att låta brukare delta i mina beslutsfattande processer?",
    "level4_opportunity": "Finns rutiner som möjliggör för brukare att delta i beslutsfattande "
    "processer?",
    "level4_obligation": "Är det ett policykrav att brukare ska vara involverade i beslutsfattande "
    "processer?",
    "level5_opening": "Är jag beredd att dela inflytande och ansvar med brukare?",
    "level5_opportunity": "Finns rutiner som möjliggör för brukare och personal att dela "
    "inflytande och ansvar över beslut?",
    "level5_obligation": "Är det ett policykrav att brukare och personal delar inflytande och "
    "ansvar över beslut?",
}
LADDER_V2 = load_definition_file(
    next(p for p in shipped_definition_paths() if p.name == "participation_ladder.v2.yaml")
)


def test_version_2_has_the_seeds_exact_wording_and_the_same_questions_and_scores():
    assert LADDER_V2["version"] == 2
    titles = {n: s["title"]["sv"] for n, s in enumerate(LADDER_V2["sections"], start=1)}
    assert titles == {n: f"Nivå {n}: {text}" for n, text in SEED_LEVELS.items()}
    labels = {i["key"]: i["label"]["sv"] for s in LADDER_V2["sections"] for i in s["items"]}
    assert labels == SEED_QUESTIONS
    # The same keys, types and scores as version 1: answers of both read alike.
    assert [[(i["key"], i["type"]) for i in s["items"]] for s in LADDER_V2["sections"]] == [
        [(i["key"], i["type"]) for i in s["items"]] for s in LADDER["sections"]
    ]
    assert LADDER_V2["scoring"] == LADDER["scoring"]
