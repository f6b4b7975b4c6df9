"""Which models stand for a person whose data is logged (users, applicants, clients...),
and how each app exports what it holds about such a person.

Each app that holds personal data contributes its person models ("person_models" in its
``AppConfig.contributes``, see ``egenmakt/core/registry.py``), so the auditor's search lists
them and later apps join without changing this app. A person model may carry an exporter:
what a request for one's own data (GDPR art. 15 and 20) gets from that app, as plain JSON
(conventions 19). A model that is not contributed is not a person to the access log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from egenmakt.core.registry import contributions


@dataclass(frozen=True)
class PersonModel:
    model: type[models.Model]
    export: Callable[[Any], dict[str, Any]] | None = None


def _person_models() -> dict[str, PersonModel]:
    """By ``app_label.model``, in ``INSTALLED_APPS`` order."""
    return {p.model._meta.label_lower: p for p in contributions("person_models", PersonModel)}


def is_person_model(model: type[models.Model]) -> bool:
    """Whether rows of ``model`` (or of the model a proxy stands for) are people."""
    return model._meta.concrete_model._meta.label_lower in _person_models()  # type: ignore[union-attr]


def is_person_type(content_type: ContentType) -> bool:
    return f"{content_type.app_label}.{content_type.model}" in _person_models()


def person_content_types() -> QuerySet[ContentType]:
    pairs = [label.split(".") for label in _person_models()]
    query = models.Q(pk__in=[])
    for app_label, model in pairs:
        query |= models.Q(app_label=app_label, model=model)
    return ContentType.objects.filter(query).order_by("model")


def export_personal_data(person: models.Model) -> dict[str, Any] | None:
    """What the app holding ``person`` exports about them, or ``None`` when it gives no
    exporter. The caller checks that the requester may have it and logs the export."""
    found = _person_models().get(person._meta.label_lower)
    return found.export(person) if found is not None and found.export is not None else None
