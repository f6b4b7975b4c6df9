"""``{% sign_in_buttons "staff" %}``: the "Sign in with …" buttons of the active providers
that sign in that kind of person (the staff and the portal sign-in pages)."""

from __future__ import annotations

from typing import Any

from django import template

from egenmakt.sso.models import IdentityProvider

register = template.Library()


@register.inclusion_tag("sso/buttons.html", takes_context=True)
def sign_in_buttons(context: Any, signs_in: str, narrow: bool = False) -> dict[str, Any]:
    """The buttons carry the page's ``?next=`` on, so the person lands where they were
    going (the start view checks it)."""
    providers = IdentityProvider.objects.filter(active=True, signs_in=signs_in).only("name", "slug")
    request = context.get("request")
    next_url = request.GET.get("next", "") if request is not None else ""
    return {"providers": list(providers), "narrow": narrow, "next": next_url}
