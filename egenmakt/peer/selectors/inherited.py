"""Content an organisation inherits down the organisation tree: its own rows, else the
nearest organisation's above it, else what Egenmakt ships (the caller's default).

The course plan, the homework library, the exercise library, the decision letters and the
ethics guidelines all read through here. The first four are changed copy-on-write
(``services/inherited``): an organisation's first change copies what it inherits, so no
other organisation's content ever changes; the guidelines are saved as a new version of
the organisation's own. Instrument versions resolve the same way in one query of their
own (``instruments.selectors``), as they are chosen per key among many."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

from egenmakt.accounts.models import Organisation

M = TypeVar("M", bound=Model)


def rows_up_the_tree(
    queryset: QuerySet[M], organisation: Organisation
) -> list[tuple[int, list[M]]]:
    """(organisation id, its rows) for the organisation and each one above it, nearest
    first, in one query."""
    ids = organisation.ancestor_ids()
    rows = list(queryset.filter(organisation_id__in=ids))
    return [(pk, [r for r in rows if r.organisation_id == pk]) for pk in ids]  # type: ignore[attr-defined]


def organisation_of(pk: int | None, organisation: Organisation) -> Organisation | None:
    """The organisation ``pk`` names (``organisation`` itself without a query)."""
    if pk is None:
        return None
    if pk == organisation.pk:
        return organisation
    return Organisation.objects.filter(pk=pk).first()


def nearest_own(queryset: QuerySet[M], organisation: Organisation) -> tuple[list[M], int | None]:
    """The rows of the nearest organisation (this one first) that has any, and its id;
    ([], None) when nobody up the tree has any: the caller's shipped default applies."""
    for pk, rows in rows_up_the_tree(queryset, organisation):
        if rows:
            return rows, pk
    return [], None


def origin(source: Organisation | None, organisation: Organisation) -> str:
    """Where content comes from, for the page: "own", "inherited" or "shipped"."""
    if source is None:
        return "shipped"
    return "own" if source.pk == organisation.pk else "inherited"
