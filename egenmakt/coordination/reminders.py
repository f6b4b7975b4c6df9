"""Reminders that follow the state of the work: the rules, as code.

Each rule is a function ``(today) -> iterable of Reminder``: one reminder per occasion and
recipient while its cause is there. A cause that is gone (the meeting cancelled, the
measure done, a meeting booked, the consent renewed) yields nothing, so the reminder stops.
``services.reminders.send_reminders`` runs every rule once a day (``manage.py
send_reminders``) and sends each reminder once per occasion (``SentReminder``).

The texts carry no sensitive content: no plan text, no diagnosis, not even the client's
name in what staff get: who it is for by role, when, where, and a link to sign in.
Each rule reads its rows in a constant number of queries, whatever the caseload.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egenmakt.core.dates import add_months
from egenmakt.outbox.notify import Recipient

from .checklist import ors_status
from .export.binder import binder_language
from .models import (
    ActionStatus,
    Attendance,
    CareTeamMember,
    Client,
    Consent,
    Meeting,
    MeetingStatus,
    Phase,
    PlanAction,
    ReminderRole,
    StepRecord,
    TeamRole,
)
from .selectors.meetings import MEETING_INTERVAL_MONTHS, MEETING_PHASES

# When each reminder comes. INFERRED: the issue names "two days before a meeting"; the
# other lead times are not in the method's sources and are kept here to be changed.
MEETING_DAYS_BEFORE = 2
ORS_DAYS_BEFORE = 3  # INFERRED: a day before the meeting reminder, time to answer
ACTION_DAYS_BEFORE = 3  # INFERRED: "when its date nears"
ACTION_TEAM_AFTER_DAYS = 14  # INFERRED: "when it stays overdue": two weeks
MAPPING_MONTHS = 4  # the mapping takes 2-4 months (domain.md 2.1)
CONSENT_DAYS_BEFORE = 30  # INFERRED: a month to renew it


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    sms: str


@dataclass(frozen=True)
class Reminder:
    rule: str  # stable key of the rule (the log's and the page's)
    kind: str  # the NotificationKind whose channel the recipient chose
    occasion: str  # what and when: a second run finds the same occasion
    client: Client
    role: str  # ReminderRole
    recipient_key: str  # "user:5", "member:3", "client:9"
    recipient: Recipient
    # Composed in the recipient's language (the runner switches to it first).
    compose: Callable[[], Message]


Rule = Callable[[date], Iterable[Reminder]]


def _absolute(path: str) -> str:
    return str(settings.SITE_URL).rstrip("/") + path


def _sign_in(for_client: bool, client: Client, page: str = "coordination:client") -> str:
    if for_client:
        return _absolute(reverse("portal:login"))
    return _absolute(reverse(page, args=[client.pk]))


def _day(value: date) -> str:
    return str(formats.date_format(value, "j F Y"))


def _clock(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _open_clients() -> QuerySet[Client]:
    """Clients the work goes on for: not closed, archived or restricted (GDPR art. 18)."""
    return Client.objects.exclude(phase=Phase.CLOSED).filter(
        archived_at__isnull=True, restricted_at__isnull=True
    )


def client_recipient(client: Client, *, with_login: bool = True) -> Recipient:
    """The client as a recipient: their e-mail and phone as the care team keeps them, in
    their language, by the channel they chose on their own pages when they have a login
    (``with_login=False`` leaves that read to the sender: the rules build many)."""
    from .registrations import client_login

    login = client_login(client) if with_login else None
    return Recipient(
        # The address kept by the care team, else the one the client signs in with.
        email=client.email or (login.email if login is not None else ""),
        phone=client.phone,
        language=binder_language(client),
        user_id=login.pk if login is not None else None,
    )


def _client_recipient(client: Client) -> Recipient:
    return client_recipient(client, with_login=False)


def staff_recipient(user: Any) -> Recipient:
    return Recipient(
        email=user.email,
        phone=getattr(user, "phone", ""),
        language=user.preferred_language or "sv",
        user_id=user.pk,
    )


def _case_managers(client_ids: Iterable[int]) -> dict[int, list[Any]]:
    """The active case managers of each client, one query."""
    found: dict[int, list[Any]] = defaultdict(list)
    rows = CareTeamMember.objects.filter(
        client_id__in=list(client_ids),
        role=TeamRole.CASE_MANAGER,
        ended_on__isnull=True,
        user__is_active=True,
    ).select_related("user")
    for row in rows:
        if all(user.pk != row.user_id for user in found[row.client_id]):
            found[row.client_id].append(row.user)
    return found


def _meetings_on(day: date) -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        status=MeetingStatus.PLANNED,
        starts_at__gte=_start_of(day),
        starts_at__lt=_start_of(day + timedelta(days=1)),
        client__in=_open_clients(),
    ).select_related("client")


# --- 1. The meeting, two days before ------------------------------------------------------


def _meeting_message(meeting: Meeting, audience: str) -> Message:
    """When and where; a link for those who sign in (a member without an account has
    none: the invitation they got holds the rest)."""
    starts = timezone.localtime(meeting.starts_at)
    when = _("%(day)s at %(time)s") % {"day": _day(starts.date()), "time": _clock(starts)}
    text = _("Reminder: resource-group meeting %(when)s, %(place)s.") % {
        "when": when,
        "place": meeting.shown_place,
    }
    body = text + "\n"
    if audience != "member":
        link = _sign_in(audience == "client", meeting.client, "coordination:resource_group")
        body += "\n" + _("Sign in to see more: %(link)s") % {"link": link} + "\n"
    return Message(subject=_("Reminder: resource-group meeting"), body=body, sms=text)


def meeting_reminders(today: date) -> Iterator[Reminder]:
    """The client and the invited members of the group, two days before a booked meeting:
    when and where. Cancelled or moved, the occasion is gone."""
    meetings = list(_meetings_on(today + timedelta(days=MEETING_DAYS_BEFORE)))
    invited: dict[int, list[Attendance]] = defaultdict(list)
    for row in Attendance.objects.filter(
        meeting__in=meetings, invited_at__isnull=False, member__ended_on__isnull=True
    ).select_related("member__user"):
        invited[row.meeting_id].append(row)
    for meeting in meetings:
        client = meeting.client
        occasion = f"meeting:{meeting.pk}:{timezone.localtime(meeting.starts_at):%Y-%m-%dT%H:%M}"

        yield Reminder(
            "meeting_reminder",
            "meeting_reminder",
            occasion,
            client,
            ReminderRole.CLIENT,
            f"client:{client.pk}",
            _client_recipient(client),
            partial(_meeting_message, meeting, "client"),
        )
        for row in invited[meeting.pk]:
            member = row.member
            user = member.user
            recipient = Recipient(
                email=member.email or (user.email if user else ""),
                phone=member.phone or (user.phone if user else ""),
                language=(user.preferred_language if user else "") or settings.LANGUAGE_CODE,
                user_id=user.pk if user else None,
            )
            yield Reminder(
                "meeting_reminder",
                "meeting_reminder",
                occasion,
                client,
                ReminderRole.MEMBER,
                f"user:{user.pk}" if user else f"member:{member.pk}",
                recipient,
                partial(_meeting_message, meeting, "staff" if user else "member"),
            )


# --- 2. The ORS before a meeting ----------------------------------------------------------


def ors_reminders(today: date) -> Iterator[Reminder]:
    """The client, when the ORS is due before a meeting (``checklist.ors_status``, the
    rule every page shows): none in since the last held meeting. Answered, it stops."""
    meetings = list(_meetings_on(today + timedelta(days=ORS_DAYS_BEFORE)))
    clients = [meeting.client_id for meeting in meetings]
    steps: dict[int, list[StepRecord]] = defaultdict(list)
    for record in StepRecord.objects.filter(client_id__in=clients, step="ors").select_related(
        "response"
    ):
        steps[record.client_id].append(record)
    last_held = dict(
        Meeting.objects.filter(client_id__in=clients, status=MeetingStatus.HELD)
        .values("client_id")
        .annotate(last=Max("starts_at"))
        .values_list("client_id", "last")
    )
    for meeting in meetings:
        client = meeting.client
        held = last_held.get(client.pk)
        status = ors_status(
            client,
            steps[client.pk],
            today,
            next_meeting=timezone.localtime(meeting.starts_at).date(),
            last_held=timezone.localtime(held).date() if held else None,
        )
        if status.before_meeting is None:
            continue
        before: date = status.before_meeting

        def compose(day: date = before) -> Message:
            text = _("Please fill in your rating (ORS) before your meeting on %(day)s.") % {
                "day": _day(day)
            }
            link = _absolute(reverse("portal:login"))
            return Message(
                subject=_("Your rating before the meeting"),
                body=text + "\n\n" + _("Sign in to answer: %(link)s") % {"link": link} + "\n",
                sms=text,
            )

        yield Reminder(
            "ors_due",
            "ors_due",
            f"ors:{meeting.pk}:{before.isoformat()}",
            client,
            ReminderRole.CLIENT,
            f"client:{client.pk}",
            _client_recipient(client),
            compose,
        )


# --- 3. Measures of the plan --------------------------------------------------------------


def _week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def action_reminders(today: date) -> Iterator[Reminder]:
    """The person responsible for the plan (``Plan.responsible_person``; a measure's
    "who" is free text, often someone without an account) when a measure's date is within
    ``ACTION_DAYS_BEFORE`` days, and every week while it is overdue; after
    ``ACTION_TEAM_AFTER_DAYS`` overdue also the case managers. Done or cancelled, it stops."""
    actions = list(
        PlanAction.objects.filter(
            status__in=(ActionStatus.PLANNED, ActionStatus.ONGOING),
            due_on__isnull=False,
            due_on__lte=today + timedelta(days=ACTION_DAYS_BEFORE),
            plan__client__in=_open_clients(),
        ).select_related("plan__client", "plan__responsible_person")
    )
    late = [a.plan.client_id for a in actions if a.due_on and a.due_on < today]
    managers = _case_managers(late) if late else {}
    for action in actions:
        if action.due_on is None:  # excluded by the query; for the type checker
            continue
        due_on: date = action.due_on
        client = action.plan.client
        overdue = due_on < today
        occasion = (
            f"action:{action.pk}:overdue:{_week(today)}"
            if overdue
            else f"action:{action.pk}:due:{due_on.isoformat()}"
        )

        def compose(
            due: date = due_on, overdue: bool = overdue, client: Client = client
        ) -> Message:
            if overdue:
                text = _("A measure in a coordinated plan was due on %(day)s and is not done.")
            else:
                text = _("A measure in a coordinated plan is due on %(day)s.")
            text %= {"day": _day(due)}
            link = _absolute(reverse("coordination:plan", args=[client.pk]))
            return Message(
                subject=_("A measure in a plan is due"),
                body=text + "\n\n" + _("Sign in to see it: %(link)s") % {"link": link} + "\n",
                sms=text,
            )

        responsible = action.plan.responsible_person
        recipients = [(ReminderRole.RESPONSIBLE, responsible)] if responsible else []
        if overdue and (today - due_on).days >= ACTION_TEAM_AFTER_DAYS:
            recipients += [
                (ReminderRole.CASE_MANAGER, user)
                for user in managers.get(client.pk, [])
                if responsible is None or user.pk != responsible.pk
            ]
        for role, user in recipients:
            yield Reminder(
                "plan_action_due" if role == ReminderRole.RESPONSIBLE else "plan_action_team",
                "plan_action_due",
                occasion,
                client,
                role,
                f"user:{user.pk}",
                staff_recipient(user),
                compose,
            )


# --- 4. For the case managers -------------------------------------------------------------


def _to_case_managers(
    rule: str, clients: list[tuple[Client, str, Callable[[], Message]]]
) -> Iterator[Reminder]:
    managers = _case_managers(client.pk for client, _occasion, _compose in clients)
    for client, occasion, compose in clients:
        for user in managers.get(client.pk, []):
            yield Reminder(
                rule,
                "case_manager_alerts",
                occasion,
                client,
                ReminderRole.CASE_MANAGER,
                f"user:{user.pk}",
                staff_recipient(user),
                compose,
            )


def _alert(text: Callable[[], str], client: Client, page: str) -> Callable[[], Message]:
    def compose() -> Message:
        link = _absolute(reverse(page, args=[client.pk]))
        return Message(
            subject=_("Coordination: something to see to"),
            body=text() + "\n\n" + _("Sign in to see it: %(link)s") % {"link": link} + "\n",
            sms=text(),
        )

    return compose


def no_meeting_reminders(today: date) -> Iterator[Reminder]:
    """A client in a meeting phase with no meeting booked in the next three months; again
    each month it stays so (INFERRED). A booked meeting ends it."""
    start = _start_of(today)
    booked = Meeting.objects.filter(
        client=OuterRef("pk"),
        status=MeetingStatus.PLANNED,
        starts_at__gte=start,
        starts_at__lt=_start_of(add_months(today, MEETING_INTERVAL_MONTHS)),
    )
    clients = list(_open_clients().filter(phase__in=MEETING_PHASES).filter(~Exists(booked)))

    def text() -> str:
        return _("A client of yours has no resource-group meeting booked in the next three months.")

    yield from _to_case_managers(
        "no_meeting",
        [
            (c, f"no_meeting:{c.pk}:{today:%Y-%m}", _alert(text, c, "coordination:resource_group"))
            for c in clients
        ],
    )


def long_mapping_reminders(today: date) -> Iterator[Reminder]:
    """The mapping has gone on past four months since the start: once. Moved on, it stops."""
    clients = list(
        _open_clients().filter(
            phase=Phase.MAPPING, started_on__lt=add_months(today, -MAPPING_MONTHS)
        )
    )
    # ``add_months`` back and forth agree on month ends; the test is on the start.
    clients = [c for c in clients if add_months(c.started_on, MAPPING_MONTHS) < today]

    def text() -> str:
        return _("The mapping with a client of yours has gone on for more than four months.")

    yield from _to_case_managers(
        "long_mapping",
        [
            (
                c,
                f"long_mapping:{c.pk}:{c.started_on.isoformat()}",
                _alert(text, c, "coordination:client"),
            )
            for c in clients
        ],
    )


def consent_reminders(today: date) -> Iterator[Reminder]:
    """The client's consent runs out within 30 days and no other one runs on after it;
    renewed (a newer consent lasting longer, or without an end), it stops."""
    valid = Consent.objects.filter(
        client__in=_open_clients(), revoked_at__isnull=True, given_on__lte=today
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    lasting = valid.filter(client=OuterRef("client"))
    expiring = list(
        valid.filter(valid_until__lte=today + timedelta(days=CONSENT_DAYS_BEFORE))
        .exclude(
            Exists(
                lasting.filter(
                    Q(valid_until__isnull=True) | Q(valid_until__gt=OuterRef("valid_until"))
                )
            )
        )
        .select_related("client")
        .order_by("client_id", "-given_on", "-id")
    )
    seen: set[int] = set()
    rows = []
    for consent in expiring:
        if consent.client_id in seen:
            continue
        seen.add(consent.client_id)
        if consent.valid_until is None:  # excluded by the query
            continue
        valid_until: date = consent.valid_until

        def text(until: date = valid_until) -> str:
            return _("A client's consent to coordination runs out on %(day)s.") % {
                "day": _day(until)
            }

        rows.append(
            (
                consent.client,
                f"consent:{consent.client_id}:{valid_until.isoformat()}",
                _alert(text, consent.client, "coordination:consent"),
            )
        )
    yield from _to_case_managers("consent_expiring", rows)


RULES: tuple[Rule, ...] = (
    meeting_reminders,
    ors_reminders,
    action_reminders,
    no_meeting_reminders,
    long_mapping_reminders,
    consent_reminders,
)

# What the client's page calls each rule's reminders.
RULE_LABELS = {
    "meeting_reminder": gettext_lazy("Resource-group meeting in two days"),
    "ors_due": gettext_lazy("Rating (ORS) due before a meeting"),
    "plan_action_due": gettext_lazy("A measure of the plan due or overdue"),
    "plan_action_team": gettext_lazy("A measure of the plan two weeks overdue"),
    "no_meeting": gettext_lazy("No meeting booked within three months"),
    "long_mapping": gettext_lazy("Mapping longer than four months"),
    "consent_expiring": gettext_lazy("Consent runs out within 30 days"),
}
