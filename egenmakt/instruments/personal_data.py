"""The personal data this app holds (``audit.registry``; the record of processing reads it)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import User
from egenmakt.audit.registry import DataSubject, LegalBasis, Of, PersonalData

from .models import InstrumentDefinition, Response

PERSONAL_DATA = [
    PersonalData(
        Response,
        holds=_(
            "Answers to questionnaires and worksheets (ratings, free text) about a client, "
            "an applicant's interview, a peer supporter or a workplace, with who entered them"
        ),
        whose=(DataSubject.CLIENT, DataSubject.APPLICANT, DataSubject.PEER_SUPPORTER),
        purpose=_("Mapping, outcome ratings, interviews and fidelity, as each method asks"),
        basis=LegalBasis.CARE,
        retention=_("As long as the record the answers are about; erased with it"),
        recipients=_("Those who may see the record the answers are about"),
        special_category=True,
        of=(
            Of(
                models.Model,
                lambda person: Response.objects.filter(
                    subject_type=ContentType.objects.get_for_model(person),
                    subject_id=str(person.pk),
                ),
                (
                    "definition__key",
                    "definition__version",
                    "respondent_kind",
                    "answered_on",
                    "status",
                    "answers",
                    "scores",
                ),
            ),
            Of(
                User,
                lambda user: Response.objects.filter(entered_by=user),
                ("definition__key", "created_at", "submitted_at"),
            ),
        ),
    ),
    PersonalData(
        InstrumentDefinition,
        holds=_("Who imported each version of a questionnaire"),
        whose=(DataSubject.STAFF,),
        purpose=_("Knowing where a questionnaire's version came from"),
        basis=LegalBasis.ASSIGNMENT,
        retention=_("As long as the version exists"),
        of=(
            Of(
                User,
                lambda user: InstrumentDefinition.objects.filter(created_by=user),
                ("key", "version", "created_at"),
            ),
        ),
    ),
]
