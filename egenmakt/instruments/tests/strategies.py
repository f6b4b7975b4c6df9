"""Hypothesis strategies: valid answers for any item of a definition."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from egenmakt.instruments.schema import iter_items


def answer_for(item: dict[str, Any]) -> st.SearchStrategy[Any]:
    item_type = item["type"]
    if item_type == "scale":
        return st.integers(item["min"], item["max"])
    if item_type == "vas":
        return st.integers(0, 100).map(lambda tenths: tenths / 10)
    if item_type == "single_choice":
        return st.sampled_from([o["value"] for o in item["options"]])
    if item_type == "multiple_choice":
        values = [o["value"] for o in item["options"]]
        return st.lists(
            st.sampled_from(values),
            unique=True,
            min_size=item.get("min_choices", 0),
            max_size=item.get("max_choices", len(values)),
        )
    if item_type == "yes_partly_no":
        return st.sampled_from(["yes", "partly", "no"])
    if item_type == "number":
        low, high = item.get("min", -1000), item.get("max", 1000)
        scale = 10 ** item.get("decimals", 0)
        return st.integers(int(low * scale), int(high * scale)).map(lambda n: n / scale)
    if item_type == "date":
        return st.dates().map(lambda d: d.isoformat())
    if item_type in ("short_text", "long_text"):
        return st.text(max_size=20)
    return st.none()


def answers_for(definition: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A complete set of answers (every item answered)."""
    return st.fixed_dictionaries({item["key"]: answer_for(item) for item in iter_items(definition)})
