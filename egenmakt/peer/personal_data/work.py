"""The personal data of the work: workplaces, placements, sick leave, supervision,
follow-up and the work log."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egenmakt.core.personal_data import (
    DataSubject,
    LegalBasis,
    NoPersonalData,
    PersonalData,
)
from egenmakt.peer.models import (
    CollaborationAgreement,
    FollowUpEvent,
    FollowUpInvitation,
    PeerWorkplace,
    Placement,
    PlacementEvent,
    SickLeave,
    SupervisionAttendance,
    SupervisionMeeting,
    TaskDescription,
    WorkLogEntry,
    WorkplaceTraining,
)

from .common import (
    PLACEMENT_FIELDS,
    STAFF_KEPT,
    WORK,
    WORK_PEOPLE,
    _entry,
    _of_user,
)

WORK_DATA: list[PersonalData | NoPersonalData] = [
    _entry(
        PeerWorkplace,
        _("Who registered a workplace for peer supporters, and when"),
        _of_user(PeerWorkplace, "registered_by", ("workplace__name", "registered_at")),
        whose=(DataSubject.STAFF,),
        purpose=WORK,
        basis=LegalBasis.ASSIGNMENT,
        retention=STAFF_KEPT,
    ),
    _entry(
        TaskDescription,
        _(
            "A workplace's agreed task list, who agreed it for the workplace, and the names "
            "of the peer supporters who agreed it"
        ),
        _of_user(
            TaskDescription, "agreed_by_workplace", ("workplace__workplace__name", "agreed_on")
        ),
        whose=(DataSubject.STAFF, DataSubject.PEER_SUPPORTER),
        purpose=WORK,
        basis=LegalBasis.ASSIGNMENT,
        retention=STAFF_KEPT,
        recipients=WORK_PEOPLE,
        names=("agreed_by_peers",),
    ),
    _entry(
        CollaborationAgreement,
        _("Agreements with the local user movement: the parties by name, the signed PDF"),
        _of_user(CollaborationAgreement, "recorded_by", ("valid_from", "recorded_at")),
        whose=(DataSubject.REPRESENTATIVE, DataSubject.STAFF),
        purpose=WORK,
        basis=LegalBasis.ASSIGNMENT,
        retention=_("As long as the workplace is registered; there is no automatic erasure"),
        recipients=WORK_PEOPLE,
        names=("parties",),
    ),
    _entry(
        WorkplaceTraining,
        _("Training sessions for a workplace or the user organisations: who took part"),
        _of_user(WorkplaceTraining, "recorded_by", ("day", "theme")),
        whose=(DataSubject.STAFF, DataSubject.REPRESENTATIVE),
        purpose=WORK,
        basis=LegalBasis.ASSIGNMENT,
        retention=_(
            "As long as the workplace or the user organisation is registered; there is no "
            "automatic erasure"
        ),
        recipients=WORK_PEOPLE,
        names=("attendees",),
    ),
    _entry(
        Placement,
        _(
            "A peer supporter's job: workplace, period, employer, share of full time, "
            "contact person, supervisor, warnings passed and why, why it ended"
        ),
        _of_user(Placement, "peer_supporter", PLACEMENT_FIELDS),
        _of_user(Placement, "supervisor", ("workplace__workplace__name", "starts_on", "ends_on")),
        _of_user(Placement, "created_by", ("workplace__workplace__name", "created_at")),
        whose=(DataSubject.PEER_SUPPORTER, DataSubject.STAFF),
        purpose=WORK,
        recipients=WORK_PEOPLE,
        names=("contact_person",),
    ),
    _entry(
        PlacementEvent,
        _("A placement's history: started, changed, ended, with a note"),
        _of_user(
            PlacementEvent,
            "placement__peer_supporter",
            ("placement__workplace__workplace__name", "kind", "note", "at"),
        ),
        _of_user(PlacementEvent, "by", ("kind", "at")),
        whose=(DataSubject.PEER_SUPPORTER, DataSubject.STAFF),
        purpose=WORK,
        recipients=WORK_PEOPLE,
    ),
    _entry(
        SickLeave,
        _("Sick leave periods the employer reports (never a cause)"),
        _of_user(
            SickLeave,
            "placement__peer_supporter",
            ("placement__workplace__workplace__name", "starts_on", "ends_on", "recorded_at"),
        ),
        _of_user(SickLeave, "recorded_by", ("recorded_at",)),
        whose=(DataSubject.PEER_SUPPORTER, DataSubject.STAFF),
        purpose=_("Following up how working peer supporters fare (the programme report)"),
        recipients=WORK_PEOPLE,
        special=True,
    ),
    _entry(
        SupervisionMeeting,
        _("Supervision meetings: the supervisor, kind, time and place"),
        _of_user(SupervisionMeeting, "supervisor", ("kind", "starts_at", "place")),
        whose=(DataSubject.STAFF,),
        purpose=WORK,
        basis=LegalBasis.ASSIGNMENT,
        retention=STAFF_KEPT,
        recipients=_("The supervisor and the peer supporters invited"),
    ),
    _entry(
        SupervisionAttendance,
        _(
            "Which peer supporters were invited to and took part in each supervision "
            "meeting (the supervisor's notes are questionnaire answers about the row)"
        ),
        _of_user(
            SupervisionAttendance,
            "peer_supporter",
            ("meeting__kind", "meeting__starts_at", "meeting__place", "attended"),
        ),
        whose=(DataSubject.PEER_SUPPORTER,),
        purpose=WORK,
        recipients=_("The supervisor and the peer supporter"),
    ),
    _entry(
        FollowUpEvent,
        _("Reunions and further-training days, and who created them"),
        _of_user(FollowUpEvent, "created_by", ("title", "created_at")),
        whose=(DataSubject.STAFF,),
        purpose=WORK,
        basis=LegalBasis.ASSIGNMENT,
        retention=STAFF_KEPT,
    ),
    _entry(
        FollowUpInvitation,
        _("Who was invited to a reunion or further training, whether working, and came"),
        _of_user(
            FollowUpInvitation,
            "peer_supporter",
            ("event__title", "event__starts_at", "was_working", "invited_at", "attended"),
        ),
        whose=(DataSubject.PEER_SUPPORTER,),
        purpose=WORK,
        recipients=_("The network's coordinators; the peer supporter themself"),
    ),
    _entry(
        WorkLogEntry,
        _(
            "A peer supporter's work log: the day, the kind of work, the minutes, the "
            "setting and the themes of each encounter or group activity (never who they met: "
            "there is no free text)"
        ),
        _of_user(
            WorkLogEntry,
            "peer_supporter",
            (
                "placement__workplace__workplace__name",
                "day",
                "kind",
                "minutes",
                "setting",
                "themes",
            ),
        ),
        whose=(DataSubject.PEER_SUPPORTER,),
        purpose=_(
            "The peer supporter's own record of their work, brought to supervision, and "
            "counted in the programme report"
        ),
        recipients=_(
            "The peer supporter; their supervisor a monthly summary; the network's "
            "coordinators only counts in the programme report"
        ),
    ),
]
