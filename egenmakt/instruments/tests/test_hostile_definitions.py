"""Issue 17, finding 3: a hostile definition file is refused before it can expand or recurse.

A few hundred bytes of nested aliases ("billion laughs") used to take seconds and hundreds
of megabytes before they were refused; a file nested 20,000 levels deep gave a 500.
"""

from __future__ import annotations

import html
import itertools

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egenmakt.instruments.models import InstrumentDefinition
from egenmakt.instruments.schema import (
    MAX_DEFINITION_BYTES,
    DefinitionError,
    Problem,
    parse_definition,
    shipped_definition_paths,
)
from egenmakt.instruments.tests.examples import ALL_TYPES_YAML


def billion_laughs(levels: int = 9) -> str:
    """Each line nests nine aliases of the one before: 9**levels strings when expanded."""
    names = "abcdefghi"[:levels]
    lines = ["a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]"]
    for before, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [{','.join([f'*{before}'] * 9)}]")
    return "\n".join(lines) + "\n"


DEEP = "key: deep\nversion: 1\nsections: " + "[" * 20_000 + "]" * 20_000 + "\n"


def problems_of(text: str) -> list[Problem]:
    with translation.override("en"), pytest.raises(DefinitionError) as caught:
        parse_definition(text)
    return caught.value.problems


def upload(text: str) -> dict:
    return {"file": SimpleUploadedFile("region.yaml", text.encode("utf-8"))}


def test_billion_laughs_is_refused_on_its_first_anchor():
    text = billion_laughs()
    assert len(text.encode()) < 400  # the size of the file in the report
    [problem] = problems_of(text)
    assert problem.line == 1
    assert "anchors and aliases" in problem.message


def test_an_alias_alone_is_refused_too():
    text = ALL_TYPES_YAML.replace("key: engine_test", "key: &k engine_test", 1)
    text += "extra: *k\n"
    assert any("anchors and aliases" in p.message for p in problems_of(text))


def test_deep_nesting_is_a_problem_not_a_recursion_error():
    [problem] = problems_of(DEEP)
    assert problem.line == 3
    assert "nested more than 50 levels" in problem.message


def test_an_oversize_file_is_refused_before_parsing():
    # Not even valid YAML: the size is checked before the parser sees a character.
    text = "key: [" + "x" * MAX_DEFINITION_BYTES
    [problem] = problems_of(text)
    assert "larger than 256 kB" in problem.message


def test_shipped_definitions_use_no_anchors_and_fit_the_limit():
    for path in shipped_definition_paths():
        text = path.read_text(encoding="utf-8")
        assert len(text.encode()) * 10 < MAX_DEFINITION_BYTES, path.name
        events = yaml.parse(text, Loader=yaml.SafeLoader)
        assert not any(
            isinstance(e, yaml.AliasEvent) or getattr(e, "anchor", None) for e in events
        ), path.name
        parse_definition(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.one_of(
        st.text(),
        st.text(alphabet=st.sampled_from(list("ab: -[]{}&*!<>|'\"#,?\n\t 0x1.e")), max_size=80),
        st.lists(
            st.sampled_from(
                [
                    "key: k",
                    "version: 1",
                    "!!int 0x",
                    "!!float x",
                    "!!timestamp 2020-13-45",
                    "!!binary ===",
                    "!!set {a}",
                    "a: &x 1",
                    "b: *x",
                    "<<: *x",
                    "- [",
                    "  - {",
                    "9" * 5000,
                    "\x00",
                    "\ud800",
                    "sections:",
                    "  - key: s",
                    "%YAML 1.1",
                    "---",
                ]
            ),
            max_size=8,
        ).map("\n".join),
    )
)
def test_the_loader_only_ever_raises_its_own_error(text):
    try:
        parse_definition(text)
    except DefinitionError as exc:
        assert exc.problems


@pytest.mark.parametrize("text", [billion_laughs(), DEEP], ids=["billion_laughs", "deep"])
def test_the_import_page_lists_the_refusal_and_saves_nothing(cast, signed_in, text):
    client = signed_in(cast.admin)
    client.cookies["egenmakt_language"] = "sv"
    page = client.post(reverse("instruments:import"), upload(text))
    body = page.content.decode()
    assert page.status_code == 400
    assert "Nothing was saved" in body or "Inget sparades" in body
    with translation.override("sv"):
        expected = problems_of_sv(text)
    assert html.escape(expected) in body
    assert not InstrumentDefinition.objects.filter(key="deep").exists()
    assert InstrumentDefinition.objects.filter(created_by=cast.admin).count() == 0


def problems_of_sv(text: str) -> str:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(text)
    return caught.value.problems[0].message


def test_an_oversize_upload_is_refused_on_the_form(cast, signed_in):
    client = signed_in(cast.admin)
    page = client.post(
        reverse("instruments:import"), upload("key: x\n" + "#" * MAX_DEFINITION_BYTES)
    )
    assert page.status_code == 400
    assert InstrumentDefinition.objects.filter(created_by=cast.admin).count() == 0
