"""Clients are instrument subjects: the mapping worksheets and ratings are answered about
them, and the client is whose data they are."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.urls import reverse

from egenmakt.instruments.subjects import SubjectAction, register_subject

from .access import client_access, visible_q
from .models import Client, StepRecord
from .rules import may_view_client, may_work_jointly

if TYPE_CHECKING:
    from egenmakt.core.types import Viewer


def _is_the_client(user: Viewer, client: Client) -> bool:
    # The client on their own pages (egenmakt.portal), imported here so that
    # coordination does not depend on the portal at import time.
    from egenmakt.portal.selectors import is_the_client

    return is_the_client(user, client)


def client_subject_access(user: Viewer, client: Client, action: SubjectAction) -> bool:
    if _is_the_client(user, client):
        # The client reads and answers worksheets about themself; which ones is narrowed
        # by ``visible_worksheets`` and the portal's own pages.
        return True
    if action == "change":
        return bool(may_work_jointly(user, client))
    return bool(may_view_client(user, client))


def visible_worksheets(user: Viewer, client: Client, responses: QuerySet[Any]) -> QuerySet[Any]:
    """A worksheet the client keeps within one organisation is that organisation's only."""
    if _is_the_client(user, client):
        from egenmakt.portal.selectors import visible_responses

        return visible_responses(user, client, responses)
    steps = StepRecord.objects.filter(client=client).filter(
        visible_q(client_access(user, client), has_shared_flag=True)
    )
    return responses.filter(pk__in=steps.values("response_id"))


def worksheet_start_url(client: Client, key: str) -> str:
    return f"{reverse('coordination:worksheet_start', args=[client.pk])}?arbetsblad={key}"


def export_client_data(client: Client) -> dict[str, Any]:
    """The client's own export for a request for their data: the binder as JSON."""
    from .export.json import export_json  # fhir.resources is loaded only when someone exports

    return export_json(client)


def register_coordination_subjects() -> None:
    register_subject(
        Client,
        slug="klient",
        access=client_subject_access,
        person=lambda client: client,
        url=lambda client: reverse("coordination:client", args=[client.pk]),
        visible_responses=visible_worksheets,
        start_url=worksheet_start_url,
    )
