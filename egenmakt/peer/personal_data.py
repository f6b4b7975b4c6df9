"""The personal data this app holds (``audit.registry``; the record of processing reads it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egenmakt.core.personal_data import DataSubject, LegalBasis, Of, Person, PersonalData

from .models import Application


def application_identifiers(application: Application) -> list[str]:
    return [application.full_name, application.email, application.phone]


PERSONAL_DATA = [
    PersonalData(
        Application,
        holds=_(
            "Name, e-mail, phone, municipality, birth year, gender, language, own "
            "experience of mental ill-health and of care, motivation, capacity and support needs"
        ),
        whose=(DataSubject.APPLICANT,),
        purpose=_("Choosing participants for a PEER course"),
        basis=LegalBasis.PROGRAMME,
        retention=_(
            "Until the round has been closed for the organisation's retention period "
            "(12 months unless the organisation sets another); an admitted applicant's "
            "application stays with the course"
        ),
        special_category=True,
        person=Person(identifiers=application_identifiers),
        of=(
            Of(
                Application,
                lambda application: Application.objects.filter(pk=application.pk),
                (
                    "round__title",
                    "status",
                    "full_name",
                    "email",
                    "phone",
                    "municipality",
                    "birth_year",
                    "gender",
                    "preferred_language",
                    "own_experience",
                    "care_experience",
                    "motivation",
                    "work_capacity",
                    "available_for_course",
                    "support_needs",
                    "heard_from",
                    "privacy_notice_version",
                    "submitted_at",
                    "withdrawn_at",
                ),
            ),
        ),
    ),
]
