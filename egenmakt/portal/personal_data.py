"""The personal data this app holds (``audit.registry``; the record of processing reads it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import User
from egenmakt.coordination.models import Client
from egenmakt.core.personal_data import DataSubject, LegalBasis, NoPersonalData, Of, PersonalData

from .models import PortalAccount, PortalIdentity, SignInLink, SignInLinkDevice

PURPOSE = _("The client's own pages: signing in and reading one's own record")
KEPT = _("While the client has access; erased with the client's record")

PERSONAL_DATA = [
    PersonalData(
        PortalAccount,
        holds=_("Which user account is the client's, who gave access and when it ended"),
        whose=(DataSubject.CLIENT,),
        purpose=PURPOSE,
        basis=LegalBasis.CARE,
        retention=KEPT,
        of=(
            Of(
                Client,
                lambda client: PortalAccount.objects.filter(client=client),
                ("user__email", "invited_at", "revoked_at"),
            ),
            Of(
                User,
                lambda user: PortalAccount.objects.filter(user=user),
                ("invited_at", "revoked_at"),
            ),
        ),
    ),
    PersonalData(
        PortalIdentity,
        holds=_("The e-ID provider's stable identifier of the client"),
        whose=(DataSubject.CLIENT,),
        purpose=PURPOSE,
        basis=LegalBasis.CARE,
        retention=KEPT,
        of=(
            Of(
                User,
                lambda user: PortalIdentity.objects.filter(account__user=user),
                ("provider", "created_at", "last_used_at"),
            ),
        ),
    ),
    PersonalData(
        SignInLink,
        holds=_("Single-use sign-in links sent to the client (only a hash of each is kept)"),
        whose=(DataSubject.CLIENT,),
        purpose=PURPOSE,
        basis=LegalBasis.CARE,
        retention=KEPT,
        of=(
            Of(
                User,
                lambda user: SignInLink.objects.filter(account__user=user),
                ("created_at", "expires_at", "used_at"),
            ),
        ),
    ),
    NoPersonalData(
        SignInLinkDevice, _("A technical sign-in method; its name is fixed, not the person's")
    ),
]
