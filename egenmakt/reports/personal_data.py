"""The personal data this app holds (``audit.registry``; the record of processing reads it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import User
from egenmakt.core.personal_data import DataSubject, LegalBasis, NoPersonalData, Of, PersonalData

from .models import ReportExport, ResearchKey, StoredFigures

PERSONAL_DATA: list[PersonalData | NoPersonalData] = [
    NoPersonalData(
        StoredFigures,
        _("Counts and shares of closed periods (indicators, programme months), never a person"),
    ),
    PersonalData(
        ReportExport,
        holds=_(
            "Report files: counts, or rows about applicants, participants or clients in "
            "coordination under a pseudonym made with a research key; who asked for each "
            "file and when"
        ),
        whose=(
            DataSubject.APPLICANT,
            DataSubject.PEER_SUPPORTER,
            DataSubject.CLIENT,
            DataSubject.STAFF,
        ),
        purpose=_(
            "Following up the PEER programme and coordination in resource groups; research "
            "under a pseudonym"
        ),
        special_category=True,
        basis=LegalBasis.PROGRAMME,
        retention=_("The file is erased after a week; the row stays as the record of the export"),
        recipients=_("The analyst or researcher who asked for it"),
        of=(
            Of(
                User,
                lambda user: ReportExport.objects.filter(requested_by=user),
                ("kind", "format", "requested_at", "finished_at", "rows"),
            ),
        ),
    ),
    PersonalData(
        ResearchKey,
        holds=_("Keys that turn identities into pseudonyms for research, and who made each"),
        whose=(DataSubject.STAFF,),
        purpose=_("Research under a pseudonym"),
        basis=LegalBasis.PROGRAMME,
        retention=_("Until the organisation removes the key"),
        of=(
            Of(
                User,
                lambda user: ResearchKey.objects.filter(created_by=user),
                ("name", "created_at"),
            ),
        ),
    ),
]
