"""The personal data this app holds (``audit.registry``; the record of processing reads it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import User
from egenmakt.core.personal_data import DataSubject, LegalBasis, NoPersonalData, Of, PersonalData

from .models import IdentityProvider, IdentityProviderDevice, StaffIdentity

PERSONAL_DATA = [
    NoPersonalData(
        IdentityProvider,
        _("An organisation's e-ID provider: addresses, client id and claim names, nobody's data"),
    ),
    PersonalData(
        StaffIdentity,
        title=_("e-ID identities of staff"),
        holds=_("The e-ID provider's stable identifier of a staff member"),
        whose=(DataSubject.STAFF,),
        purpose=_("Signing in through the organisation's e-ID provider"),
        basis=LegalBasis.ASSIGNMENT,
        retention=_("Until the provider or the account is removed"),
        of=(
            Of(
                User,
                lambda user: StaffIdentity.objects.filter(user=user),
                ("provider__name", "created_at", "last_used_at"),
            ),
        ),
    ),
    NoPersonalData(
        IdentityProviderDevice,
        _("A technical sign-in method; its name is the provider's, not the person's"),
    ),
]
