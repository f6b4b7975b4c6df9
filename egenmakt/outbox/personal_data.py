"""The personal data this app holds (``audit.registry``; the record of processing reads it)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from egenmakt.core.personal_data import DataSubject, LegalBasis, Of, PersonalData

from .models import NotificationPreference, OutgoingEmail, OutgoingSms
from .services import person_key
from .sms import normalise_phone


def _of(person: models.Model) -> QuerySet[OutgoingEmail]:
    """E-mail about the person, and e-mail to their address (a user, an applicant, a
    client each have one)."""
    label, pk = person_key(person)
    about = Q(person_label=label, person_id=pk)
    address = getattr(person, "email", "")
    return OutgoingEmail.objects.filter(about | Q(to__iexact=address) if address else about)


def _sms_of(person: models.Model) -> QuerySet[OutgoingSms]:
    """Text messages about the person, and to their phone number (a user, a client)."""
    label, pk = person_key(person)
    about = Q(person_label=label, person_id=pk)
    number = normalise_phone(getattr(person, "phone", "") or "")
    return OutgoingSms.objects.filter(about | Q(to=number) if number else about)


def _preferences_of(person: models.Model) -> QuerySet[NotificationPreference]:
    """A user's choices of channel (other people have none)."""
    if person._meta.label_lower != "accounts.user":
        return NotificationPreference.objects.none()
    return NotificationPreference.objects.filter(user_id=person.pk)


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
    PersonalData(
        OutgoingSms,
        holds=_("Text message to a person: phone number, text until sent, delivery status"),
        whose=(
            DataSubject.PEER_SUPPORTER,
            DataSubject.CLIENT,
            DataSubject.NETWORK,
            DataSubject.STAFF,
        ),
        purpose=_("Reminders and notices by text message, for those who chose it"),
        basis=LegalBasis.ASSIGNMENT,
        retention=_(
            "The text is emptied when the message is sent; the row stays as the record of "
            "what was sent, and is erased with the person it is about"
        ),
        recipients=_("The SMS provider that delivers it (46elks)"),
        of=(Of(models.Model, _sms_of, ("to", "purpose", "status", "created_at", "sent_at")),),
    ),
    PersonalData(
        NotificationPreference,
        holds=_(
            "Which channel (e-mail, text message, none) a person chose for each kind of notice"
        ),
        whose=(DataSubject.STAFF, DataSubject.PEER_SUPPORTER, DataSubject.CLIENT),
        purpose=_("Sending reminders and notices the way the person wants them"),
        basis=LegalBasis.ASSIGNMENT,
        retention=_("While the account exists; removed with it"),
        of=(
            Of(
                models.Model,
                _preferences_of,
                ("kind", "channel", "updated_at"),
            ),
        ),
    ),
]
