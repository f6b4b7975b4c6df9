"""The personal data this app holds (``audit.registry``; the record of processing reads it)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import User
from egenmakt.audit.registry import DataSubject, LegalBasis, Of, PersonalData

from .models import OutgoingEmail
from .services import person_key

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
            Of(
                models.Model,
                lambda person: OutgoingEmail.objects.filter(
                    person_label=person_key(person)[0], person_id=person_key(person)[1]
                ),
                ("to", "subject", "purpose", "status", "created_at", "sent_at"),
            ),
            Of(
                User,
                lambda user: OutgoingEmail.objects.filter(to__iexact=user.email),
                ("subject", "purpose", "status", "created_at", "sent_at"),
            ),
        ),
    ),
]
