"""One accessible form for every instrument, built from its definition.

The Django form here only collects what was typed: every field accepts any text, and the
rules (ranges, options, required items) are checked once, in ``answers.clean_answers``,
for the form and every other caller alike. Errors come back keyed by item and are shown
next to that item, with ``aria-describedby`` and ``aria-invalid`` on its controls.

Per item type (see ``templates/instruments/items/``):

* scale, single choice, yes/partly/no: radio buttons in a fieldset whose legend is the
  question; multiple choice: check boxes likewise;
* vas: a number field (the answer) and a slider with a visible number that JavaScript
  shows and keeps in step. A slider always has a value, so it never is the answer by
  itself: an untouched line must stay unanswered, not become a 5;
* number, date, short and long text: one labelled field;
* day grid: a table, one row per hour, each text field labelled by the question and hour;
* repeating rows: one fieldset per row; "Add a row" is a submit button, so it works
  without JavaScript, and htmx swaps in only this item when JavaScript runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any, cast

from django import forms
from django.forms.boundfield import BoundField, BoundWidget
from django.utils.translation import gettext_lazy

from .schema import SHORT_TEXT_MAX, iter_items, text

FIELD_PREFIX = "a-"
MAX_ROWS = 50
GROUP_TYPES = frozenset(
    {
        "scale",
        "vas",
        "single_choice",
        "multiple_choice",
        "yes_partly_no",
        "day_grid",
        "repeating_rows",
    }
)
YES_PARTLY_NO_LABELS = {
    "yes": gettext_lazy("Yes"),
    "partly": gettext_lazy("Partly"),
    "no": gettext_lazy("No"),
}


def field_name(key: str, *parts: str | int) -> str:
    return FIELD_PREFIX + "__".join([key, *map(str, parts)])


class RawField(forms.Field):
    """Takes what was typed as it is (stripped); ``answers.clean_answers`` judges it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
            return value or None
        if isinstance(value, list | tuple):
            return [v for v in value if v not in ("", None)]
        return value


def _hours(item: dict[str, Any]) -> list[str]:
    return [f"{h:02d}" for h in range(item.get("start_hour", 6), item.get("end_hour", 23) + 1)]


def _cell_widget(column_type: str) -> forms.Widget:
    if column_type == "long_text":
        return forms.Textarea(attrs={"rows": 2})
    if column_type == "number":
        return forms.TextInput(attrs={"inputmode": "decimal"})
    if column_type == "date":
        return forms.DateInput(attrs={"type": "date"})
    return forms.TextInput(attrs={"maxlength": SHORT_TEXT_MAX})


class AnswerForm(forms.Form):
    """The fields of every item of ``definition``; ``raw_answers()`` collects them."""

    def __init__(
        self,
        definition: dict[str, Any],
        *,
        language: str,
        data: Any = None,
        answers: dict[str, Any] | None = None,
        add_row: str | None = None,
    ) -> None:
        super().__init__(data=data)
        self.definition = definition
        self.language = language
        self.item_errors: dict[str, list[str]] = {}
        self.row_counts: dict[str, int] = {}
        answers = answers or {}
        for item in iter_items(definition):
            self._add_item(item, answers.get(item["key"]), add_row == item["key"])

    def t(self, value: dict[str, str] | None) -> str:
        return text(value, self.language)

    # --- building ------------------------------------------------------------------------

    def _add_item(self, item: dict[str, Any], answer: Any, adding_row: bool) -> None:
        key, item_type = item["key"], item["type"]
        name = field_name(key)
        if item_type == "day_grid":
            answer = answer if isinstance(answer, dict) else {}
            for hour in _hours(item):
                self.fields[field_name(key, hour)] = RawField(
                    widget=forms.TextInput(attrs={"maxlength": 500}), initial=answer.get(hour)
                )
            return
        if item_type == "repeating_rows":
            self._add_rows(item, answer if isinstance(answer, list) else [], adding_row)
            return
        initial: Any = answer
        if item_type == "multiple_choice":
            widget: forms.Widget = forms.CheckboxSelectMultiple(choices=self._options(item))
        elif item_type in ("scale", "single_choice", "yes_partly_no"):
            widget = forms.RadioSelect(choices=self._options(item))
            initial = None if answer is None else str(answer)
        elif item_type == "vas":
            widget = forms.NumberInput(
                attrs={
                    "min": 0,
                    "max": 10,
                    "step": "0.1",
                    "inputmode": "decimal",
                    "class": "vas__number",
                }
            )
        elif item_type == "number":
            decimals = item.get("decimals", 0)
            attrs: dict[str, Any] = {
                "step": "1" if decimals == 0 else f"{10**-decimals:.{decimals}f}",
                "inputmode": "numeric" if decimals == 0 else "decimal",
            }
            attrs.update({k: item[k] for k in ("min", "max") if k in item})
            widget = forms.NumberInput(attrs=attrs)
        elif item_type == "date":
            widget = forms.DateInput(attrs={"type": "date"})
        elif item_type == "long_text":
            widget = forms.Textarea(attrs={"rows": 5, "maxlength": item.get("max_length", 10000)})
        else:
            widget = forms.TextInput(attrs={"maxlength": item.get("max_length", SHORT_TEXT_MAX)})
        self.fields[name] = RawField(widget=widget, initial=initial)

    def _options(self, item: dict[str, Any]) -> list[tuple[str, str]]:
        if item["type"] == "scale":
            return [(str(v), str(v)) for v in range(item["min"], item["max"] + 1)]
        if item["type"] == "yes_partly_no":
            return [(v, str(label)) for v, label in YES_PARTLY_NO_LABELS.items()]
        return [(o["value"], self.t(o["label"])) for o in item["options"]]

    def _add_rows(self, item: dict[str, Any], rows: list[Any], adding_row: bool) -> None:
        key = item["key"]
        limit = min(item.get("max_rows", MAX_ROWS), MAX_ROWS)
        count_name = field_name(key, "rows")
        if self.is_bound:
            try:
                count = int(self.data.get(count_name) or 1)
            except (TypeError, ValueError):
                count = 1
        else:
            count = max(len(rows), item.get("min_rows", 0), 1)
        if adding_row:
            count += 1
        count = max(1, min(count, limit))
        self.row_counts[key] = count
        # The count goes back as a hidden field so the next post knows how many rows to read.
        self.fields[count_name] = forms.IntegerField(
            required=False, widget=forms.HiddenInput, initial=count
        )
        if self.is_bound:
            data = cast(Any, self.data).copy()
            data[count_name] = str(count)
            self.data = data
        for index in range(count):
            row = rows[index] if index < len(rows) and isinstance(rows[index], dict) else {}
            for number, column in enumerate(item["columns"]):
                widget = _cell_widget(column["type"])
                if adding_row and index == count - 1 and number == 0:
                    # Where the user wants to type next, also after an htmx swap.
                    widget.attrs["autofocus"] = True
                self.fields[field_name(key, index, column["key"])] = RawField(
                    widget=widget, initial=row.get(column["key"])
                )

    # --- collecting ----------------------------------------------------------------------

    def raw_answers(self) -> dict[str, Any]:
        """What was typed, shaped like answers; call after ``is_valid()``."""
        data = self.cleaned_data
        answers: dict[str, Any] = {}
        for item in iter_items(self.definition):
            key = item["key"]
            if item["type"] == "day_grid":
                answers[key] = {
                    hour: data[field_name(key, hour)]
                    for hour in _hours(item)
                    if data.get(field_name(key, hour))
                }
            elif item["type"] == "repeating_rows":
                answers[key] = [
                    {
                        c["key"]: data.get(field_name(key, index, c["key"]))
                        for c in item["columns"]
                        if data.get(field_name(key, index, c["key"])) is not None
                    }
                    for index in range(self.row_counts[key])
                ]
            else:
                answers[key] = data.get(field_name(key))
        return answers

    def set_item_errors(self, errors: dict[str, list[str]]) -> None:
        self.item_errors = dict(errors)

    # --- rendering -----------------------------------------------------------------------

    def sections(self) -> list[SectionView]:
        views = []
        for section in self.definition["sections"]:
            items = [self._item_view(item) for item in section["items"]]
            views.append(
                SectionView(
                    key=section["key"],
                    title=self.t(section["title"]),
                    help=self.t(section.get("help")),
                    items=items,
                )
            )
        return views

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(anchor, question, message) for each item with an error, in form order."""
        summary = []
        for item in iter_items(self.definition):
            for message in self.item_errors.get(item["key"], []):
                summary.append((f"item-{item['key']}", self.t(item["label"]), message))
        return summary

    def _item_view(self, item: dict[str, Any]) -> ItemView:
        key, item_type = item["key"], item["type"]
        errors = self.item_errors.get(key, [])
        view = ItemView(
            key=key,
            type=item_type,
            label=self.t(item["label"]),
            help=self.t(item.get("help")),
            required=bool(item.get("required")),
            errors=errors,
            is_group=item_type in GROUP_TYPES,
        )
        described = " ".join(
            i for i in (view.help_id if view.help else "", view.error_id if errors else "") if i
        )
        view.described_by = described
        if item_type == "day_grid":
            view.hours = [(hour, self[field_name(key, hour)]) for hour in _hours(item)]
            for hour, bound in view.hours:
                self._aria(bound, errors, labelledby=f"{view.label_id} hour-{key}-{hour}")
            return view
        if item_type == "repeating_rows":
            count = self.row_counts[key]
            view.columns = [self.t(c["label"]) for c in item["columns"]]
            view.rows_field = self[field_name(key, "rows")]
            view.rows = [
                [
                    (self.t(c["label"]), self[field_name(key, index, c["key"])])
                    for c in item["columns"]
                ]
                for index in range(count)
            ]
            for row in view.rows:
                for _label, bound in row:
                    self._aria(bound, errors)
            view.can_add_row = count < min(item.get("max_rows", MAX_ROWS), MAX_ROWS)
            return view
        bound = self[field_name(key)]
        view.field = bound
        anchors = {str(k): self.t(v) for k, v in (item.get("anchors") or {}).items()}
        if item_type in ("scale", "single_choice", "multiple_choice", "yes_partly_no"):
            self._aria(bound, errors)
            view.choices = [
                ChoiceView(widget, anchors.get(str(widget.data["value"]), ""))
                for widget in bound.subwidgets
            ]
            view.wide = item_type == "scale" and item["max"] - item["min"] >= 6
        elif item_type == "vas":
            view.anchor_low, view.anchor_high = anchors.get("0", ""), anchors.get("10", "")
            self._aria(bound, errors, describedby=described)
        else:
            view.unit = self.t(item.get("unit"))
            self._aria(bound, errors, describedby=described)
        return view

    @staticmethod
    def _aria(
        bound: BoundField, errors: list[str], *, describedby: str = "", labelledby: str = ""
    ) -> None:
        attrs = bound.field.widget.attrs
        if errors:
            attrs["aria-invalid"] = "true"
        else:
            attrs.pop("aria-invalid", None)
        if describedby:
            attrs["aria-describedby"] = describedby
        if labelledby:
            attrs["aria-labelledby"] = labelledby


@dataclass
class ChoiceView:
    widget: BoundWidget
    anchor: str


@dataclass
class ItemView:
    key: str
    type: str
    label: str
    help: str
    required: bool
    errors: list[str]
    is_group: bool
    described_by: str = ""
    field: BoundField | None = None
    choices: list[ChoiceView] = dc_field(default_factory=list)
    wide: bool = False
    anchor_low: str = ""
    anchor_high: str = ""
    unit: str = ""
    hours: list[tuple[str, BoundField]] = dc_field(default_factory=list)
    columns: list[str] = dc_field(default_factory=list)
    rows: list[list[tuple[str, BoundField]]] = dc_field(default_factory=list)
    rows_field: BoundField | None = None
    can_add_row: bool = False

    @property
    def dom_id(self) -> str:
        return f"item-{self.key}"

    @property
    def help_id(self) -> str:
        return f"help-{self.key}"

    @property
    def error_id(self) -> str:
        return f"error-{self.key}"

    @property
    def label_id(self) -> str:
        return f"label-{self.key}"

    @property
    def template(self) -> str:
        return f"instruments/items/{self.type}.html"


@dataclass
class SectionView:
    key: str
    title: str
    help: str
    items: list[ItemView]
