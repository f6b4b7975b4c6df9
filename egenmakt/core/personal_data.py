"""The vocabulary of the registry of personal data: what an app says about each model of
its own that holds personal data. The registry itself, and everything made from it (the
record of processing, a person's copy, erasure), is ``egenmakt/audit/registry.py``; the
words live here, with no app imported, so that every app can use them, those the access
log itself imports among them (``outbox``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Text = str | Promise


class DataSubject(models.TextChoices):
    """Whose data: the categories of data subjects the record of processing names."""

    APPLICANT = "applicant", _("Applicants to a PEER course")
    PEER_SUPPORTER = "peer_supporter", _("Course participants and peer supporters")
    CLIENT = "client", _("Clients in resource-group work")
    NETWORK = "network", _("People in a client's network (relatives, contacts)")
    STAFF = "staff", _("Users who work in Egenmakt (staff, volunteers, representatives)")
    REPRESENTATIVE = "representative", _("Contact persons and members of user organisations")


class LegalBasis(models.TextChoices):
    """The legal bases Egenmakt processes under (GDPR art. 6 and, for health data, art. 9)."""

    CARE = (
        "care",
        _(
            "Health and social care under law: GDPR art. 6.1(c) and (e), art. 9.2(h) "
            "(HSL, SoL, PDL; SIP under SoL and HSL with the client's consent)"
        ),
    )
    CONSENT = "consent", _("Explicit consent: GDPR art. 6.1(a) and art. 9.2(a)")
    PROGRAMME = (
        "programme",
        _(
            "The PEER programme the person takes part in or works in: GDPR art. 6.1(b) and "
            "(f); lived experience shared with explicit consent, art. 9.2(a)"
        ),
    )
    ASSIGNMENT = (
        "assignment",
        _("The work or assignment the user does in Egenmakt: GDPR art. 6.1(b), (e) and (f)"),
    )
    PUBLIC_INTEREST = (
        "public_interest",
        _("User influence in public care: GDPR art. 6.1(e) and (f), given by the organisation"),
    )
    LEGAL_OBLIGATION = (
        "legal_obligation",
        _(
            "A duty in law: GDPR art. 6.1(c) (the access log, PDL 4 kap. 3 § and "
            "HSLF-FS 2016:40 4 kap. 9 §)"
        ),
    )


@dataclass(frozen=True)
class Of:
    """The rows of a model that belong to one kind of person, and what of them is theirs.

    ``rows`` takes the person (a row of the ``person`` model) and returns a queryset;
    ``fields`` are ``values()`` lookups: only they go into that person's export, so a row
    shared with others (a meeting, a note a case manager wrote) gives each person their
    own part of it only.
    """

    person: type[models.Model]
    rows: Callable[[Any], QuerySet[Any]]
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Person:
    """A model whose rows are people: how one is erased or anonymised, and what identifies
    them (the values the check after an erasure searches every table for)."""

    identifiers: Callable[[Any], list[str]]
    erase: Callable[..., Any] | None = None
    erasure: Text = ""  # what erasure means for this kind of person, for the record
    export: Callable[[Any], dict[str, Any]] | None = None  # a fuller record (the binder)


@dataclass(frozen=True)
class PersonalData:
    model: type[models.Model]
    holds: Text
    whose: tuple[DataSubject, ...]
    purpose: Text
    basis: LegalBasis
    retention: Text
    recipients: Text = ""
    special_category: bool = False  # health data, lived experience (GDPR art. 9)
    person: Person | None = None
    of: tuple[Of, ...] = ()
    names: tuple[str, ...] = ()
    title: Text = ""  # what to call the data, where the model's own name will not do

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def name(self) -> str:
        return str(self.title or self.model._meta.verbose_name_plural)


@dataclass(frozen=True)
class NoPersonalData:
    """A model that has a name, a text or a file field but holds nobody's personal data."""

    model: type[models.Model]
    why: Text

    @property
    def label(self) -> str:
        return self.model._meta.label_lower
