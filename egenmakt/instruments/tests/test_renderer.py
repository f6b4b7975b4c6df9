"""One form for every item type: what is stored comes back into the form, and out again."""

from __future__ import annotations

import pytest
from django.utils import translation

from egenmakt.instruments.answers import InvalidAnswersError, clean_answers
from egenmakt.instruments.renderer import AnswerForm, field_name
from egenmakt.instruments.schema import parse_definition
from egenmakt.instruments.tests.examples import ALL_TYPES_YAML

DEFINITION = parse_definition(ALL_TYPES_YAML)

# One stored answer per item type, as the services store it.
ANSWERS = {
    "mood": 3,  # scale
    "wellbeing": 7.5,  # vas
    "often": "4",  # single_choice
    "areas": ["home", "leisure"],  # multiple_choice
    "ready": "partly",  # yes_partly_no
    "hours": 2.5,  # number
    "met_on": "2026-03-01",  # date
    "summary": "En bra vecka",  # short_text
    "story": "Rad ett\nRad två",  # long_text
    "day": {"07": "Vaknar", "09": "Promenad"},  # day_grid
    "signs": [  # repeating_rows
        {
            "sign": "Sover dåligt",
            "own_action": "Ringer Anna",
            "times": 2,
            "noticed_on": "2026-02-01",
        },
        {"sign": "Drar mig undan"},
    ],
}


def browser_post(form: AnswerForm) -> dict:
    """What a browser sends for a form as it was rendered (every field's shown value)."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


def round_trip(answers: dict) -> dict:
    shown = AnswerForm(DEFINITION, language="sv", answers=answers)
    posted = AnswerForm(DEFINITION, language="sv", data=browser_post(shown))
    assert posted.is_valid()
    return clean_answers(DEFINITION, posted.raw_answers(), complete=False)


@pytest.mark.parametrize("key", list(ANSWERS))
def test_each_item_type_round_trips_through_the_form(key):
    assert round_trip({key: ANSWERS[key]}) == {key: ANSWERS[key]}


def test_all_answers_together_round_trip():
    assert round_trip(ANSWERS) == ANSWERS


def test_an_empty_form_gives_no_answers():
    assert round_trip({}) == {}


def test_add_row_keeps_what_was_typed_and_adds_an_empty_row():
    shown = AnswerForm(DEFINITION, language="sv", answers=ANSWERS)
    data = browser_post(shown)
    form = AnswerForm(DEFINITION, language="sv", data=data, add_row="signs")
    assert form.row_counts["signs"] == 3
    assert form.is_valid()
    assert form.raw_answers()["signs"][0]["sign"] == "Sover dåligt"
    html = str(form[field_name("signs", 2, "sign")])
    assert "autofocus" in html


def test_rows_stop_at_max_rows():
    form = AnswerForm(
        DEFINITION, language="sv", data={field_name("signs", "rows"): "5"}, add_row="signs"
    )
    assert form.row_counts["signs"] == 5


def test_errors_are_shown_next_to_their_item_and_linked_for_screen_readers():
    with translation.override("en"):
        form = AnswerForm(DEFINITION, language="en", data={field_name("wellbeing"): "13"})
        form.is_valid()
        with pytest.raises(InvalidAnswersError) as caught:
            clean_answers(DEFINITION, form.raw_answers(), complete=False)
        form.set_item_errors(caught.value.errors)
        sections = form.sections()
    item = next(i for s in sections for i in s.items if i.key == "wellbeing")
    assert item.errors == ["13 is outside the line 0–10."]
    html = str(item.field)
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="error-wellbeing"' in html
    assert form.error_summary() == [
        ("item-wellbeing", "Well-being", "13 is outside the line 0–10.")
    ]


def test_help_text_is_linked_to_its_controls():
    form = AnswerForm(DEFINITION, language="en", answers={})
    item = next(i for s in form.sections() for i in s.items if i.key == "mood")
    assert item.described_by == "help-mood"
