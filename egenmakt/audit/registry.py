"""Which models stand for a person whose data is logged (users, applicants, clients...),
and how each app exports what it holds about such a person.

Each app that holds personal data registers its person models here, so the auditor's
search lists them and later apps join without changing this app. An app may also register
an exporter for a person model: what a request for one's own data (GDPR art. 15 and 20)
gets from that app, as plain JSON (conventions 19).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

_PERSON_MODELS: list[str] = []
_EXPORTERS: dict[str, Callable[[Any], dict[str, Any]]] = {}


def register_person_model(
    model: type[models.Model], *, export: Callable[[Any], dict[str, Any]] | None = None
) -> None:
    label = model._meta.label_lower
    if label not in _PERSON_MODELS:
        _PERSON_MODELS.append(label)
    if export is not None:
        _EXPORTERS[label] = export


def is_person_model(model: type[models.Model]) -> bool:
    """Whether rows of ``model`` (or of the model a proxy stands for) are people."""
    return model._meta.concrete_model._meta.label_lower in _PERSON_MODELS  # type: ignore[union-attr]


def is_person_type(content_type: ContentType) -> bool:
    return f"{content_type.app_label}.{content_type.model}" in _PERSON_MODELS


def person_content_types() -> QuerySet[ContentType]:
    pairs = [label.split(".") for label in _PERSON_MODELS]
    query = models.Q(pk__in=[])
    for app_label, model in pairs:
        query |= models.Q(app_label=app_label, model=model)
    return ContentType.objects.filter(query).order_by("model")


def export_personal_data(person: models.Model) -> dict[str, Any] | None:
    """What the app holding ``person`` exports about them, or ``None`` when it registered
    no exporter. The caller checks that the requester may have it and logs the export."""
    exporter = _EXPORTERS.get(person._meta.label_lower)
    return exporter(person) if exporter is not None else None
