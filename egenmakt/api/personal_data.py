"""The personal data this app holds (``audit.registry``; the record of processing reads it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import User
from egenmakt.core.personal_data import DataSubject, LegalBasis, Of, PersonalData

from .models import ApiToken

PERSONAL_DATA = [
    PersonalData(
        ApiToken,
        holds=_(
            "A person's or an organisation's API tokens: name, scopes, when made, expires, "
            "revoked and last used (the secret itself is never kept, only its hash)"
        ),
        whose=(DataSubject.STAFF,),
        purpose=_("Letting other systems use the API as a person or for an organisation"),
        basis=LegalBasis.ASSIGNMENT,
        retention=_("Until the person's account or the organisation is removed"),
        of=(
            Of(
                User,
                lambda user: ApiToken.objects.filter(user=user),
                ("name", "scopes", "created_at", "expires_at", "revoked_at", "last_used_at"),
            ),
        ),
    ),
]
