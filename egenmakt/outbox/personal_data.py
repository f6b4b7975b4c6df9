"""The personal data this app holds (``audit.registry``; the record of processing reads it)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from egenmakt.core.personal_data import DataSubject, LegalBasis, Of, PersonalData

from .models import OutgoingEmail
from .services import person_key


def _of(person: models.Model) -> QuerySet[OutgoingEmail]:
    """E-mail about the person, and e-mail to their address (a user, an applicant, a
    client each have one)."""
    label, pk = person_key(person)
    about = Q(person_label=label, person_id=pk)
    address = getattr(person, "email", "")
    return OutgoingEmail.objects.filter(about | Q(to__iexact=address) if address else about)


PERSONAL_DATA = [
    PersonalData(
        OutgoingEmail,
        holds=_("E-mail to a person: address, subject, text until sent, delivery status"),
        whose=(
            DataSubject.APPLICANT,
            DataSubject.PEER_SUPPORTER,
            DataSubject.CLIENT,
            DataSubject.NETWORK,
            DataSubject.STAFF,
        ),
        purpose=_("Letters, invitations and reminders the methods send"),
        basis=LegalBasis.ASSIGNMENT,
        retention=_(
            "The text is emptied when the e-mail is sent; the row stays as the record of "
            "what was sent, and is erased with the person it is about"
        ),
        recipients=_("The e-mail provider that delivers it"),
        of=(
            Of(models.Model, _of, ("to", "subject", "purpose", "status", "created_at", "sent_at")),
        ),
    ),
]
