"""The personal data this app holds (``audit.registry``; the record of processing reads it)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import User
from egenmakt.core.personal_data import DataSubject, LegalBasis, Of, PersonalData

from .models import InstrumentDefinition, Response
from .subjects import subject_type_for_model


def _about(person: models.Model) -> QuerySet[Response]:
    """Answers about ``person`` themself. A subject whose app decides which answers the
    person may see (a client: what relatives said in confidence, what one organisation
    keeps) gives them in its own record instead (``Person.export``), never here."""
    subject_type = subject_type_for_model(type(person))
    if subject_type is not None and subject_type.visible_responses is not None:
        return Response.objects.none()
    return Response.objects.filter(
        subject_type=ContentType.objects.get_for_model(person), subject_id=str(person.pk)
    )


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
                _about,
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
