"""Copy-on-write of inherited content (``selectors/inherited``): an organisation's first
change copies what it inherits into its own rows, so the change never reaches the
organisation it inherited from, nor any other."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from egenmakt.accounts.models import Organisation

M = TypeVar("M")
E = TypeVar("E")


def make_own(
    organisation: Organisation,
    *,
    own: Callable[[Organisation], list[M]],
    inherited: Callable[[Organisation], Iterable[E]],
    copy: Callable[[E], object],
) -> list[M]:
    """The organisation's own rows; the first time, a copy of what it inherits, made in
    the order the page shows it (so a position on the page names the same entry after
    the copy). Call inside the change's transaction."""
    # Two first changes at once must not copy twice: the organisation's row is the lock.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    rows = own(organisation)
    if rows:
        return rows
    for entry in inherited(organisation):
        copy(entry)
    return own(organisation)
