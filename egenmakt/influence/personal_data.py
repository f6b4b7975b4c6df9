"""The personal data this app holds (``audit.registry``; the record of processing reads it).

User influence is about organisations and forums, not about people's care: what is
personal here is who the contact persons and forum members are (named as text, they are
mostly not users of Egenmakt), and which user submitted or decided a calendar activity.
A forum member who takes part "with own experience" discloses lived experience of mental
ill-health, so the forum members are a special category. Nothing here is erased
automatically: a member who leaves gets an end date, a contact is replaced by hand.

Forum work adds people's own text: agenda items, the minutes the coordinator writes, the
representatives' confirmations and corrections, matters, and the reports back to an
organisation. Minutes and reports back may tell of a member's own experience, so they are
a special category (INFERRED: the seed says nothing of it; the cautious reading).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import User
from egenmakt.core.personal_data import DataSubject, LegalBasis, NoPersonalData, Of, PersonalData

from .models import (
    Activity,
    AgendaItem,
    AskedOrganisation,
    CareArea,
    Consultation,
    ConsultationAnswer,
    Forum,
    ForumMeeting,
    ForumMember,
    ForumMinutesConfirmation,
    InfluenceOrganisation,
    Matter,
    OutreachContact,
    ReportBack,
)

PURPOSE = _("User influence on care: mapping organisations and forums, the shared calendar")
KEPT_BY_HAND = _(
    "Until a coordinator changes or removes it; there is no automatic erasure. When a user "
    "named here leaves, their name is replaced by a pseudonym"
)

PERSONAL_DATA: list[PersonalData | NoPersonalData] = [
    NoPersonalData(CareArea, _("Names a care-collaboration area and its units, not people")),
    NoPersonalData(Forum, _("Names a forum and what it does; its members are forum members")),
    PersonalData(
        InfluenceOrganisation,
        holds=_("A user or relatives' organisation's contact person: name, e-mail, phone"),
        whose=(DataSubject.REPRESENTATIVE,),
        purpose=PURPOSE,
        basis=LegalBasis.PUBLIC_INTEREST,
        retention=KEPT_BY_HAND,
        recipients=_(
            "The area's coordinators; the public directory only when the organisation "
            "chose to show its contact details"
        ),
        names=("contact_name",),
    ),
    PersonalData(
        ForumMember,
        holds=_(
            "Who sits in an influence forum, since when and until when, in which capacity "
            "(representative, own experience, relative, staff) and for which organisation"
        ),
        whose=(DataSubject.REPRESENTATIVE,),
        purpose=PURPOSE,
        basis=LegalBasis.PUBLIC_INTEREST,
        retention=_(
            "A member who leaves gets an end date and stays in the forum's history; there "
            "is no automatic erasure. When a user named here leaves, their name is "
            "replaced by a pseudonym"
        ),
        recipients=_("The area's coordinators"),
        special_category=True,
        names=("name",),
    ),
    PersonalData(
        Activity,
        holds=_("Calendar activities: who submitted one and who approved or refused it"),
        whose=(DataSubject.REPRESENTATIVE, DataSubject.STAFF),
        purpose=PURPOSE,
        basis=LegalBasis.PUBLIC_INTEREST,
        retention=_("As long as the activity is in the calendar; there is no automatic erasure"),
        recipients=_("The area's coordinators; the public calendar shows no names"),
        of=(
            Of(
                User,
                lambda user: Activity.objects.filter(submitted_by=user),
                ("title", "starts_at", "status", "submitted_at"),
            ),
            Of(
                User,
                lambda user: Activity.objects.filter(decided_by=user),
                ("title", "status", "decided_at"),
            ),
        ),
    ),
]

FORUM_WORK_KEPT = _(
    "As long as the forum's history is kept; there is no automatic erasure. When a user "
    "named here leaves, their name is replaced by a pseudonym"
)

PERSONAL_DATA += [
    PersonalData(
        ForumMeeting,
        holds=_("A forum meeting's minutes, as the coordinator wrote them, and who wrote them"),
        whose=(DataSubject.REPRESENTATIVE, DataSubject.STAFF),
        purpose=PURPOSE,
        basis=LegalBasis.PUBLIC_INTEREST,
        retention=FORUM_WORK_KEPT,
        recipients=_("The area's coordinators; the members of the forum's member organisations"),
        special_category=True,
        of=(
            Of(
                User,
                lambda user: ForumMeeting.objects.filter(minutes_by=user),
                ("day", "minutes"),
            ),
        ),
    ),
    PersonalData(
        AgendaItem,
        holds=_("Items on a forum meeting's agenda: the text and who added it"),
        whose=(DataSubject.REPRESENTATIVE, DataSubject.STAFF),
        purpose=PURPOSE,
        basis=LegalBasis.PUBLIC_INTEREST,
        retention=FORUM_WORK_KEPT,
        recipients=_("The area's coordinators; the members of the forum's member organisations"),
        of=(
            Of(
                User,
                lambda user: AgendaItem.objects.filter(added_by=user),
                ("meeting__day", "title", "description", "added_at"),
            ),
        ),
    ),
    PersonalData(
        ForumMinutesConfirmation,
        holds=_("A representative's confirmation of a forum meeting's minutes or correction"),
        whose=(DataSubject.REPRESENTATIVE,),
        purpose=PURPOSE,
        basis=LegalBasis.PUBLIC_INTEREST,
        retention=FORUM_WORK_KEPT,
        recipients=_("The area's coordinators; the members of the forum's member organisations"),
        of=(
            Of(
                User,
                lambda user: ForumMinutesConfirmation.objects.filter(user=user),
                ("meeting__day", "correction", "confirmed_at"),
            ),
        ),
    ),
    PersonalData(
        Matter,
        holds=_(
            "A matter a user representative raised in a forum, who raised it, its outcome "
            "and the reason"
        ),
        whose=(DataSubject.REPRESENTATIVE,),
        purpose=PURPOSE,
        basis=LegalBasis.PUBLIC_INTEREST,
        retention=FORUM_WORK_KEPT,
        recipients=_("The area's coordinators; the members of the forum's member organisations"),
        of=(
            Of(
                User,
                lambda user: Matter.objects.filter(raised_by__user=user),
                ("title", "description", "raised_on", "status"),
            ),
        ),
    ),
    PersonalData(
        ReportBack,
        holds=_("A representative's report back to their organisation after a forum meeting"),
        whose=(DataSubject.REPRESENTATIVE,),
        purpose=PURPOSE,
        basis=LegalBasis.PUBLIC_INTEREST,
        retention=FORUM_WORK_KEPT,
        recipients=_("The members of the representative's organisation"),
        special_category=True,
        of=(
            Of(
                User,
                lambda user: ReportBack.objects.filter(written_by=user),
                ("meeting__day", "text", "written_at"),
            ),
        ),
    ),
]

PERSONAL_DATA += [
    PersonalData(
        OutreachContact,
        holds=_(
            "The coordinators' contacts with an organisation: when, how, why, a short note "
            "and who recorded it (never about a client)"
        ),
        whose=(DataSubject.REPRESENTATIVE, DataSubject.STAFF),
        purpose=PURPOSE,
        basis=LegalBasis.PUBLIC_INTEREST,
        retention=KEPT_BY_HAND,
        recipients=_("The area's coordinators, of both coordinating organisations"),
        of=(
            Of(
                User,
                lambda user: OutreachContact.objects.filter(recorded_by=user),
                ("contacted_on", "organisation__name", "channel", "purpose", "note"),
            ),
        ),
    ),
]

PERSONAL_DATA += [
    PersonalData(
        Consultation,
        holds=_(
            "A consultation (remiss) to organisations: the question, the deadline, the "
            "summary, and which coordinator wrote it"
        ),
        whose=(DataSubject.STAFF,),
        purpose=PURPOSE,
        basis=LegalBasis.PUBLIC_INTEREST,
        retention=KEPT_BY_HAND,
        recipients=_(
            "The area's coordinators and the asked organisations' members; the public when "
            "published (never the coordinator's name)"
        ),
        of=(
            Of(
                User,
                lambda user: Consultation.objects.filter(created_by=user),
                ("title", "deadline", "status"),
            ),
        ),
    ),
    NoPersonalData(AskedOrganisation, _("Which organisations a consultation asks")),
    PersonalData(
        ConsultationAnswer,
        holds=_("An organisation's answer to a consultation and which member sent it"),
        whose=(DataSubject.REPRESENTATIVE,),
        purpose=PURPOSE,
        basis=LegalBasis.PUBLIC_INTEREST,
        retention=KEPT_BY_HAND,
        recipients=_("The area's coordinators; the members of the answering organisation"),
        of=(
            Of(
                User,
                lambda user: ConsultationAnswer.objects.filter(answered_by=user),
                ("consultation__title", "organisation__name", "text", "answered_at"),
            ),
        ),
    ),
]
