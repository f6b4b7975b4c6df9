"""``{% sign_in_buttons "staff" %}``: the "Sign in with …" buttons of the active providers
that sign in that kind of person (the staff and the portal sign-in pages)."""

from __future__ import annotations

from typing import Any

from django import template

from egenmakt.sso.models import IdentityProvider

register = template.Library()


@register.inclusion_tag("sso/buttons.html")
def sign_in_buttons(signs_in: str, narrow: bool = False) -> dict[str, Any]:
    providers = IdentityProvider.objects.filter(active=True, signs_in=signs_in).only("name", "slug")
    return {"providers": list(providers), "narrow": narrow}
