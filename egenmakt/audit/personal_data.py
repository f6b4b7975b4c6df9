"""The personal data this app holds (``audit.registry``; the record of processing reads it)."""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import User
from egenmakt.core.personal_data import DataSubject, LegalBasis, Of, PersonalData

from .models import AccessLog, EmergencyAccess, LogReview, LogReviewItem, PersonalExport

EVERYONE = (
    DataSubject.APPLICANT,
    DataSubject.PEER_SUPPORTER,
    DataSubject.CLIENT,
    DataSubject.STAFF,
)
LOG_KEPT = _(
    "At least five years (HSLF-FS 2016:40 4 kap. 9 §, ACCESS_LOG_RETENTION_YEARS), then "
    "removed by the retention job; rows cannot be changed"
)


def _about(person: models.Model) -> QuerySet[Any]:
    """Access-log rows about ``person``: who read or changed their data (PDL 8 kap. 5 §)."""
    return AccessLog.objects.filter(
        person_type=ContentType.objects.get_for_model(person), person_id=str(person.pk)
    )


PERSONAL_DATA = [
    PersonalData(
        AccessLog,
        holds=_(
            "Who read, changed or exported whose data, when, from which unit, address and "
            "page, with the reason (identifiers only, no names)"
        ),
        whose=EVERYONE,
        purpose=_("Checking that only those who need data read it (PDL 4 kap. 3 §)"),
        basis=LegalBasis.LEGAL_OBLIGATION,
        retention=LOG_KEPT,
        recipients=_("The organisation's auditors; the person, about their own data"),
        of=(
            Of(
                models.Model,
                _about,
                ("occurred_at", "action", "outcome", "organisation__name", "emergency"),
            ),
            Of(
                User,
                lambda user: AccessLog.objects.filter(actor=user),
                ("occurred_at", "action", "outcome", "path", "ip_address"),
            ),
        ),
    ),
    PersonalData(
        EmergencyAccess,
        holds=_("Who opened whose record in an emergency, why, and the auditor's verdict"),
        whose=(DataSubject.CLIENT, DataSubject.STAFF),
        purpose=_("Checking emergency access (PDL 4 kap. 3 §)"),
        basis=LegalBasis.LEGAL_OBLIGATION,
        retention=LOG_KEPT,
        recipients=_("The organisation's auditors"),
        of=(
            Of(
                models.Model,
                lambda person: EmergencyAccess.objects.filter(
                    person_type=ContentType.objects.get_for_model(person),
                    person_id=str(person.pk),
                ),
                ("granted_at", "expires_at"),
            ),
            Of(
                User,
                lambda user: EmergencyAccess.objects.filter(actor=user),
                ("granted_at", "reason", "expires_at", "verdict", "review_note"),
            ),
        ),
    ),
    PersonalData(
        LogEntry,
        title=_("change trail"),
        holds=_("The change trail: each change to a record, the old and new values, by whom"),
        whose=EVERYONE,
        purpose=_("Showing what was changed in a record, when and by whom"),
        basis=LegalBasis.LEGAL_OBLIGATION,
        retention=_("As long as the record it describes; erased with it"),
        recipients=_("The operators and the organisation's auditors"),
        of=(
            Of(
                User,
                lambda user: LogEntry.objects.filter(actor=user),
                ("timestamp", "action", "content_type__model", "object_pk"),
            ),
        ),
    ),
    PersonalData(
        PersonalExport,
        holds=_("Copies of their own data people asked for: who, when, the file for a week"),
        whose=EVERYONE,
        purpose=_("A person's right to a copy of their data (GDPR art. 15 and 20)"),
        basis=LegalBasis.LEGAL_OBLIGATION,
        retention=_("The file is erased after a week; the row stays as the record"),
        recipients=_("Only the person who asked"),
        of=(
            Of(
                User,
                lambda user: PersonalExport.objects.filter(requested_by=user),
                ("requested_at", "status", "finished_at"),
            ),
        ),
    ),
    PersonalData(
        LogReview,
        holds=_("Which auditor reviewed which unit's reads over which period, and when"),
        whose=(DataSubject.STAFF,),
        purpose=_("Documented checks of the access log (HSLF-FS 2016:40 4 kap. 9 §)"),
        basis=LegalBasis.LEGAL_OBLIGATION,
        retention=LOG_KEPT,
        recipients=_("The organisation's auditors"),
        of=(
            Of(
                User,
                lambda user: LogReview.objects.filter(created_by=user),
                ("organisation__name", "period_start", "period_end", "created_at"),
            ),
        ),
    ),
    PersonalData(
        LogReviewItem,
        holds=_(
            "The auditor's judgement of one read in the access log (who read whose data is "
            "in the log row), with a note"
        ),
        whose=EVERYONE,
        purpose=_("Documented checks of the access log (HSLF-FS 2016:40 4 kap. 9 §)"),
        basis=LegalBasis.LEGAL_OBLIGATION,
        retention=LOG_KEPT,
        recipients=_("The organisation's auditors"),
        of=(
            Of(
                User,
                lambda user: LogReviewItem.objects.filter(reviewed_by=user),
                ("reviewed_at", "outcome"),
            ),
        ),
    ),
]
