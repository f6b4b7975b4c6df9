"""Which models stand for a person whose data is logged (users, applicants, clients...).

Each app that holds personal data registers its person models here, so the auditor's
search lists them and later apps join without changing this app.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

_PERSON_MODELS: list[str] = []


def register_person_model(model: type[models.Model]) -> None:
    label = model._meta.label_lower
    if label not in _PERSON_MODELS:
        _PERSON_MODELS.append(label)


def person_content_types() -> QuerySet[ContentType]:
    pairs = [label.split(".") for label in _PERSON_MODELS]
    query = models.Q(pk__in=[])
    for app_label, model in pairs:
        query |= models.Q(app_label=app_label, model=model)
    return ContentType.objects.filter(query).order_by("model")
