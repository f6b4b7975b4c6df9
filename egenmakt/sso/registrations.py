"""What this app adds to the others (``SsoConfig.contributes``)."""

from __future__ import annotations

from typing import Any


def forget_sign_in_methods(user: Any) -> None:
    """An anonymised account keeps no e-ID subject and no provider device."""
    from .models import IdentityProviderDevice, StaffIdentity

    StaffIdentity.objects.filter(user=user).delete()
    IdentityProviderDevice.objects.filter(user=user).delete()


SIGN_IN_METHODS = [forget_sign_in_methods]
