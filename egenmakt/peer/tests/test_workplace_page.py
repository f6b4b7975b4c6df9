"""The workplace page (issue 26: it stacked every form into one 3,000-5,000 px page): the
summary first (who is placed, what readiness lacks, what to do next), each form opened on
demand, and a form sent back with errors opened where it is."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from egenmakt.peer.services import placement as services

from .test_placement import make_ready, peer_supporters, placement_kwargs, workplace

pytestmark = pytest.mark.django_db

VOID = {"input", "br", "img", "hr", "meta", "link", "source", "wbr", "col", "area"}


class Outline(HTMLParser):
    """Where the summary is, and each form of the page's main part with the <details> it
    sits in (if any)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.summary_at: int | None = None
        self.forms: list[dict[str, object]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if named.get("id"):
            self.ids.add(str(named["id"]))
        if named.get("id") == "summary-heading" and self.summary_at is None:
            self.summary_at = len(self.forms)
        in_main = any(t == "main" for t, _a in self.stack)
        if tag == "form" and in_main and (named.get("method") or "").lower() == "post":
            holder = next((a for t, a in reversed(self.stack) if t == "details"), None)
            self.forms.append(
                {
                    "action": named.get("action"),
                    "folded": holder is not None,
                    "open": holder is not None and "open" in holder,
                }
            )
        if tag not in VOID:
            self.stack.append((tag, named))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break


def outline(response) -> Outline:
    parser = Outline()
    parser.feed(response.content.decode())
    return parser


def test_the_summary_comes_first_and_every_form_opens_on_demand(client, cast, signed_in):
    place = workplace(cast)
    signed_in(cast.coordinator)
    response = client.get(reverse("peer:workplace", args=[place.pk]))
    assert response.status_code == 200
    page = outline(response)
    # Nothing to fill in before the summary.
    assert page.summary_at == 0
    actions = [form["action"] for form in page.forms]
    for name in ("workplace_task_description", "workplace_agreement", "workplace_training"):
        assert reverse(f"peer:{name}", args=[place.pk]) in actions
    assert reverse("peer:workplace_place", args=[place.pk]) in actions
    assert all(form["folded"] and not form["open"] for form in page.forms), page.forms
    # What to do next links to each form, where it is on the page.
    steps = response.context["next_steps"]
    assert [href for _label, href in steps][1:] == ["#task-description", "#agreement", "#training"]
    assert {href[1:] for _label, href in steps if href.startswith("#")} <= page.ids
    assert steps[0][1] == reverse(
        "instruments:start", args=["workplace_readiness", "arbetsplats", place.pk]
    )


def test_the_summary_names_who_is_placed_and_offers_the_open_place(client, cast, signed_in):
    place = workplace(cast)
    make_ready(cast, place)
    (person,) = peer_supporters(cast, 1)
    services.place(
        user=cast.coordinator,
        workplace=place,
        override_reason="Den andra börjar i mars.",
        **placement_kwargs(cast, person),
    )
    signed_in(cast.coordinator)
    response = client.get(reverse("peer:workplace", args=[place.pk]))
    body = response.content.decode()
    summary = body[body.index('id="summary-heading"') : body.index('id="placements-heading"')]
    assert person.full_name in summary and "1 av 2 tillsatta" in summary
    assert response.context["next_steps"] == [("Placera en peer supporter", "#place-form")]
    # The workplace's manager may not place: no such step for them.
    signed_in(cast.workplace_manager)
    response = client.get(reverse("peer:workplace", args=[place.pk]))
    assert response.context["next_steps"] == []
    assert all(not form["open"] for form in outline(response).forms)


def test_a_form_sent_back_with_errors_is_open(client, cast, signed_in):
    place = workplace(cast)
    signed_in(cast.coordinator)
    response = client.post(reverse("peer:workplace_training", args=[place.pk]), {"day": "igår"})
    assert response.status_code == 400
    forms = {form["action"]: form for form in outline(response).forms}
    assert forms[reverse("peer:workplace_training", args=[place.pk])]["open"]
    assert not forms[reverse("peer:workplace_agreement", args=[place.pk])]["open"]
