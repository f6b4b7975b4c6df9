"""Middleware of the audit app: the change trail's actor, and the access log of Django's admin."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from auditlog.middleware import AuditlogMiddleware
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from egenmakt.core.network import client_ip

from .models import Action
from .registry import is_person_model, is_person_type
from .services import PersonKey, log_list_access


class ChangeTrailMiddleware(AuditlogMiddleware):
    """Records the actor of model changes for the change trail.

    django-auditlog takes the address from X-Forwarded-For when the header is present, and
    any client can send that header, so the trail would say "from where" whatever the client
    chose. Like the access log, read the header only as far as our own proxies wrote it.
    """

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        return client_ip(request)


# Rows that name a person by kind and id instead of a foreign key: the access log and the
# emergency accesses (person_type, person_id) and django-auditlog's change trail.
_PERSON_KEY_FIELDS = (("person_type_id", "person_id"), ("content_type_id", "object_pk"))


def people_in(obj: models.Model) -> list[PersonKey]:
    """The people a row of any model shows: the row itself if it is a person, else every
    person it points to. Read from the loaded row's ids, so it costs no query."""
    model = type(obj)
    if is_person_model(model):
        return [(ContentType.objects.get_for_model(model), obj.pk)]
    found: list[PersonKey] = []
    for field in model._meta.concrete_fields:
        related = field.related_model
        if field.many_to_one or field.one_to_one:
            value = getattr(obj, field.attname)
            if value is not None and isinstance(related, type) and is_person_model(related):
                found.append((ContentType.objects.get_for_model(related), value))
    for type_attr, id_attr in _PERSON_KEY_FIELDS:
        type_id, person_id = getattr(obj, type_attr, None), getattr(obj, id_attr, None)
        if type_id and person_id:
            content_type = ContentType.objects.get_for_id(type_id)
            if is_person_type(content_type):
                found.append((content_type, person_id))
    return found


def _people_in_all(rows: Iterable[models.Model]) -> list[PersonKey]:
    return [key for row in rows for key in people_in(row)]


class AdminAccessLogMiddleware:
    """Every page of Django's admin that shows rows of a model writes access-log rows.

    The admin is for the platform's operators, who can read every organisation's people;
    their reads are logged like anyone's (PDL 4 kap. 3 §, HSLF-FS 2016:40 4 kap. 9 §): a
    list names each person on the page (after pagination), a change, history or delete page
    the person it is about. Done here, once, for every ModelAdmin of any AdminSite: the
    admin's model views carry their ModelAdmin on the view function, and their responses
    are TemplateResponses, so the rows are written before the page is rendered; if they
    cannot be, the page is not shown (ASVS 16.5.3).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_template_response(
        self, request: HttpRequest, response: TemplateResponse
    ) -> TemplateResponse:
        match = request.resolver_match
        model_admin: Any = getattr(match.func, "model_admin", None) if match else None
        context = response.context_data
        if model_admin is None or match is None or not context or response.status_code != 200:
            return response
        label = model_admin.model._meta.label_lower
        kind = (match.url_name or "").rsplit("_", 1)[-1]
        if kind == "changelist" and "cl" in context:
            log_list_access(
                request=request,
                people=_people_in_all(context["cl"].result_list),
                reason=f"admin: {label} list",
            )
        elif kind in ("change", "history", "delete"):
            obj = context.get("original") if kind == "change" else context.get("object")
            if isinstance(obj, models.Model):
                log_list_access(
                    request=request,
                    action=Action.VIEW,
                    people=people_in(obj),
                    obj=obj,
                    reason=f"admin: {label} {kind}",
                )
        return response
