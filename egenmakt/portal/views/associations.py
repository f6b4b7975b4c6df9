"""The user movement near the client: coming activities of user and relatives'
organisations in the client's care-collaboration area, from the public calendar."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.coordination.models import Client
from egenmakt.influence.selectors import areas_of_client, coming_activities

from .common import portal_page, render_tab


@portal_page
@require_GET
def associations(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    """What the public calendar shows of the client's areas, nothing of the client's record,
    so no access-log row (as the public calendar writes none)."""
    return render_tab(
        request,
        "portal/associations.html",
        client,
        "associations",
        {"activities": coming_activities(client), "areas": list(areas_of_client(client))},
    )
