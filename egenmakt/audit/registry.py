"""The registry of personal data: every model that holds personal data, registered once.

Each app contributes one ``PersonalData`` entry per model of its own that holds personal
data ("personal_data" in its ``AppConfig.contributes``, see ``egenmakt/core/registry.py``),
and a ``NoPersonalData`` entry, with the reason, for a model that looks as if it might
(a name, free text, a file) but does not. ``audit/tests/test_registry.py`` fails when a
model with a personal field is in neither.

An entry says what the rows hold, whose data it is, why it is kept (purpose, legal basis),
for how long, and who receives it. From that:

- the record of processing activities (GDPR art. 30) is generated (``processing_record``);
- a person's export (GDPR art. 15 and 20) walks every entry's ``of``: the rows of that
  person and the fields that are theirs, never another person's data (``export_person``);
- the models whose rows *are* people (``person``: applicants, clients, users) say how such
  a person is erased or anonymised and which values identify them, so that a check after
  each erasure proves no identifier is left in any table (``leftover_identifiers``);
- ``names``: the text fields that may hold a copy of a user's name (who chaired a meeting,
  who does a measure), where anonymising a user replaces it.

The access log and the auditor's search read the person models from here too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any
from uuid import UUID

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models
from django.utils import timezone
from django.utils.module_loading import import_string

from egenmakt.core.personal_data import (
    DataSubject,
    LegalBasis,
    NoPersonalData,
    Of,
    Person,
    PersonalData,
)
from egenmakt.core.registry import contributions

__all__ = [
    "DataSubject",
    "LegalBasis",
    "NoPersonalData",
    "Of",
    "Person",
    "PersonalData",
    "export_person",
    "leftover_identifiers",
]


def registrations() -> tuple[PersonalData, ...]:
    return _entries()[0]


def not_personal() -> tuple[NoPersonalData, ...]:
    return _entries()[1]


def _entries() -> tuple[tuple[PersonalData, ...], tuple[NoPersonalData, ...]]:
    found = contributions("personal_data")
    personal = tuple(e for e in found if isinstance(e, PersonalData))
    exempt = tuple(e for e in found if isinstance(e, NoPersonalData))
    if len(personal) + len(exempt) != len(found):
        raise ImproperlyConfigured("personal_data takes PersonalData and NoPersonalData only.")
    labels = [e.label for e in found]
    twice = {label for label in labels if labels.count(label) > 1}
    if twice:
        raise ImproperlyConfigured(f"Registered more than once: {', '.join(sorted(twice))}.")
    return personal, exempt


def registration(model: type[models.Model]) -> PersonalData | None:
    label = model._meta.concrete_model._meta.label_lower  # type: ignore[union-attr]
    return next((e for e in registrations() if e.label == label), None)


# --- The person models ----------------------------------------------------------------


def _person_models() -> dict[str, PersonalData]:
    """By ``app_label.model``, in ``INSTALLED_APPS`` order."""
    return {e.label: e for e in registrations() if e.person is not None}


def is_person_model(model: type[models.Model]) -> bool:
    """Whether rows of ``model`` (or of the model a proxy stands for) are people."""
    return model._meta.concrete_model._meta.label_lower in _person_models()  # type: ignore[union-attr]


def is_person_type(content_type: ContentType) -> bool:
    return f"{content_type.app_label}.{content_type.model}" in _person_models()


def person_content_types() -> list[ContentType]:
    """The person models' content types by model name, from Django's per-process content
    type cache (no query once each has been read)."""
    models_ = [apps.get_model(label) for label in _person_models()]
    found = ContentType.objects.get_for_models(*models_, for_concrete_models=False)
    return sorted(found.values(), key=lambda content_type: content_type.model)


def _person_entry(person: models.Model) -> PersonalData:
    entry = _person_models().get(person._meta.label_lower)
    if entry is None or entry.person is None:
        raise ValueError(f"{person._meta.label} is not a person model.")
    return entry


def export_personal_data(person: models.Model) -> dict[str, Any] | None:
    """The fuller record the app holding ``person`` gives (a client's binder as JSON), or
    ``None`` when it gives none."""
    entry = _person_models().get(person._meta.label_lower)
    if entry is None or entry.person is None or entry.person.export is None:
        return None
    return entry.person.export(person)


def identifiers_of(person: models.Model) -> list[str]:
    """The values that identify ``person`` (name, e-mail, phone, identity number...)."""
    found = _person_entry(person).person.identifiers(person)  # type: ignore[union-attr]
    return sorted({value.strip() for value in found if value and len(value.strip()) >= 4})


# --- Export (GDPR art. 15 and 20) ----------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


def export_person(person: models.Model) -> dict[str, Any]:
    """Everything the registry lists about ``person``, as plain JSON: per model, what it
    holds, why, for how long, and the person's own rows with only their own fields.

    The caller checks that the requester is that person and logs the export."""
    sections = []
    for entry in registrations():
        for part in entry.of:
            if not isinstance(person, part.person):
                continue
            rows = [
                {key: _plain(value) for key, value in row.items()}
                for row in part.rows(person).order_by("pk").values(*part.fields)
            ]
            if rows:
                sections.append(
                    {
                        "kind": entry.label,
                        "name": entry.name,
                        "holds": str(entry.holds),
                        "purpose": str(entry.purpose),
                        "legal_basis": str(entry.basis.label),
                        "retention": str(entry.retention),
                        "rows": rows,
                    }
                )
    result: dict[str, Any] = {
        "format": "egenmakt-personal-data/1",
        "exported_at": timezone.now().isoformat(),
        "person": {"kind": person._meta.label_lower, "id": person.pk},
        "data": sections,
    }
    record = export_personal_data(person)
    if record is not None:
        result["record"] = record
    return result


# --- Erasure ---------------------------------------------------------------------------


def erase_person(person: models.Model, **kwargs: Any) -> Any:
    """Erase or anonymise ``person`` the way the app holding them says."""
    entry = _person_entry(person)
    if entry.person is None or entry.person.erase is None:
        raise ValueError(f"{person._meta.label} has no erasure.")
    return entry.person.erase(person, **kwargs)


def name_fields() -> list[tuple[type[models.Model], str]]:
    """Every text field where a user's name may be copied, from the registry."""
    return [(entry.model, name) for entry in registrations() for name in entry.names]


_TEXT_TYPES = (
    models.CharField,
    models.TextField,
    models.JSONField,
    models.FileField,
    models.EmailField,
    models.GenericIPAddressField,
)


@cache
def _text_columns() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every table of the project and Django's own, with its text-like columns."""
    tables = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        columns = tuple(
            f.column for f in model._meta.local_concrete_fields if isinstance(f, _TEXT_TYPES)
        )
        if columns:
            tables.append((model._meta.db_table, columns))
    return tuple(sorted(set(tables)))


def _holds(text: str, needle: str) -> bool:
    """``needle`` stands on its own in ``text`` (not inside a longer name or address)."""
    pattern = rf"(?<![\w.+-]){re.escape(needle)}(?![\w-]|\.\w)"
    return re.search(pattern, text, flags=re.IGNORECASE) is not None


def leftover_identifiers(values: Iterable[str]) -> list[str]:
    """``table.column`` for each column of any table that still holds one of ``values``
    (case-insensitive, as a whole word: "anna@x.se" is not found in "hanna@x.se").
    Empty when the person is gone.

    Run after every erasure; slow by design (it reads every text column), so only there."""
    needles = _needles(values)
    if not needles:
        return []
    quote = connection.ops.quote_name
    patterns = [
        "%" + n.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for n in needles
    ]
    found: list[str] = []
    with connection.cursor() as cursor:
        # One pass over each table: every text column of the rows that may hold a value.
        for table, columns in _text_columns():
            texts = [f"CAST({quote(column)} AS TEXT)" for column in columns]
            where = " OR ".join(
                f"LOWER({text}) LIKE LOWER(%s) ESCAPE '\\'" for text in texts for _ in patterns
            )
            cursor.execute(
                f"SELECT {', '.join(texts)} FROM {quote(table)} WHERE {where}",  # noqa: S608
                [pattern for _ in texts for pattern in patterns],
            )
            holding: set[str] = set()
            # A candidate may hold a longer word ("hanna" for "anna"): read them all.
            while rows := cursor.fetchmany(500):
                for index, column in enumerate(columns):
                    if column not in holding and any(
                        row[index] and _holds(row[index], needle)
                        for row in rows
                        for needle in needles
                    ):
                        holding.add(column)
            found.extend(f"{table}.{column}" for column in columns if column in holding)
    return found


def _needles(values: Iterable[str]) -> list[str]:
    """Each value as it may be written: SQLite lowers ASCII letters only, and a JSON column
    may keep "Å" as "\\u00c5" (with the letter's case), so each case and each JSON-escaped
    form is searched."""
    needles: set[str] = set()
    for value in values:
        value = (value or "").strip()
        if len(value) < 4:
            continue
        for variant in {value, value.lower(), value.upper(), value.title()}:
            needles.add(variant)
            needles.add(json.dumps(variant)[1:-1])
    return sorted(needles)


# --- The record of processing activities (GDPR art. 30) ------------------------------


@dataclass(frozen=True)
class ProcessingRow:
    app: str
    entry: PersonalData

    @property
    def name(self) -> str:
        return self.entry.name

    @property
    def whose(self) -> list[str]:
        return [str(subject.label) for subject in self.entry.whose]


def processing_record() -> list[tuple[str, list[ProcessingRow]]]:
    """The record of processing, by the app that registers the data (as the apps name
    themselves; a library's table under the app that uses it), from the registry: for
    each model what it holds, whose, why, the legal basis, the retention and the
    recipients."""
    by_app: dict[str, list[ProcessingRow]] = {}
    for config in apps.get_app_configs():
        declared = (getattr(config, "contributes", None) or {}).get("personal_data")
        if not declared:
            continue
        for entry in import_string(declared):
            if isinstance(entry, PersonalData):
                by_app.setdefault(str(config.verbose_name), []).append(
                    ProcessingRow(config.label, entry)
                )
    return list(by_app.items())
