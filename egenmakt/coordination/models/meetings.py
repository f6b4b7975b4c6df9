"""The resource group and its meetings: members, agenda, attendance, reviews, decisions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .clients import Client, MeetingPlace
from .mapping import Contact
from .plan import Goal, PlanAction, PlanVersion
from .team import TeamRole


class MemberKind(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional or authority")
    RELATIVE = "relative", _("Relative or close person")
    OTHER = "other", _("Someone else")


class ResourceGroupMember(models.Model):
    """A person the client has chosen for their resource group (RACT: the client decides
    who is in it; the case managers and a physician always are)."""

    client = models.ForeignKey(Client, related_name="group_members", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=16, choices=MemberKind.choices)
    # What a person typed, kept as typed; empty for a care-team member copied from their
    # seat, whose role is the code in ``team_role``, shown in the reader's language.
    role = models.CharField(_("role or relationship"), max_length=100, blank=True)
    team_role = models.CharField(
        _("care-team role"), max_length=32, choices=TeamRole.choices, blank=True, default=""
    )
    organisation_name = models.CharField(_("organisation"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")
    email = models.EmailField(_("e-mail"), blank=True, default="")
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("from the contact list"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("care-team member"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    chosen_by_client = models.BooleanField(_("the client has chosen this person"), default=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("recorded by organisation"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    added_on = models.DateField(_("from"), default=timezone.localdate)
    ended_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("resource-group member")
        verbose_name_plural = _("resource-group members")
        ordering = ["kind", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def role_label(self) -> str:
        """The role as typed, or the care-team role's label in the reader's language."""
        if self.role or self.team_role not in TeamRole.values:
            return self.role
        return str(TeamRole(self.team_role).label)


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Booked")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    """A resource-group meeting: booked, invitations sent, held with minutes and decisions."""

    client = models.ForeignKey(Client, related_name="meetings", on_delete=models.CASCADE)
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=90)
    # What was typed, or the client's address or own note, kept as typed; empty when the
    # meeting is held where the client's meetings usually are without an address, whose
    # kind is the code in ``place_kind``, shown in the reader's language.
    place = models.CharField(_("place"), max_length=200, blank=True)
    place_kind = models.CharField(
        _("kind of place"), max_length=16, choices=MeetingPlace.choices, blank=True, default=""
    )
    chair = models.CharField(_("meeting leader"), max_length=150, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    client_present = models.BooleanField(_("the client was there"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True, default="")
    warning_plan_reviewed = models.BooleanField(
        _("the early-warning plan was reviewed"), default=False
    )
    invitations_sent_at = models.DateTimeField(_("invitations sent"), null=True, blank=True)
    version = models.PositiveIntegerField(_("edit number"), default=1)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("booked by organisation"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    # The client's home organisation, copied when the meeting is booked (``save`` fills it):
    # the indicators count an area's meetings by it through one index range per unit,
    # rather than finding every held meeting of the installation and joining the clients.
    # A client's home organisation is set at registration and never changes. No index of
    # its own: ``meeting_home_held`` starts with it (a second one on the column alone drew
    # PostgreSQL's planner away from the range at 100,000 clients: 21,000 rows read for 575).
    home_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("the client's home organisation"),
        related_name="+",
        on_delete=models.PROTECT,
        editable=False,
        db_index=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("resource-group meeting")
        verbose_name_plural = _("resource-group meetings")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["client", "status", "starts_at"], name="meeting_client_status"),
            # The indicators count the meetings held in a quarter by an area's clients.
            models.Index(
                fields=["home_organisation", "status", "starts_at"], name="meeting_home_held"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client_id} {self.starts_at:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.home_organisation_id is None:
            self.home_organisation_id = self.client.organisation_id
        super().save(*args, **kwargs)

    @property
    def shown_place(self) -> str:
        """The place as typed, or the kind of place's label in the reader's language."""
        if self.place or self.place_kind not in MeetingPlace.values:
            return self.place
        return str(MeetingPlace(self.place_kind).label)


# The method's standing agenda items (domain.md 2.1), by the code kept in ``AgendaItem.key``:
# shown in the reader's language, whatever language the meeting was booked in.
STANDING_ITEM_TITLES = {
    "decide_plan": _("Decide the plan (SIP)"),
    "follow_changes": _("Follow changes since last time"),
    "goals": _("Evaluate the goals and formulate new sub-goals: who does what and when"),
    "warning_plan": _("Review the early-warning plan"),
    "next_meeting": _("Book the next meeting"),
}


class AgendaItem(models.Model):
    """One item on a meeting's agenda, from the method's standing items or added; its
    notes are that part of the minutes. A standing item's title is a label (``key``),
    shown in the reader's language; an added one is shown as typed."""

    meeting = models.ForeignKey(Meeting, related_name="agenda", on_delete=models.CASCADE)
    key = models.CharField(max_length=40, blank=True, default="")
    title = models.CharField(_("item"), max_length=200)
    notes = models.TextField(_("notes"), blank=True, default="")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return str(self.shown_title)

    @property
    def shown_title(self) -> str:
        title = STANDING_ITEM_TITLES.get(self.key)
        return str(title) if title is not None else self.title


class Attendance(models.Model):
    """Who was invited to a meeting and whether they came."""

    meeting = models.ForeignKey(Meeting, related_name="attendance", on_delete=models.CASCADE)
    member = models.ForeignKey(
        ResourceGroupMember, related_name="attendance", on_delete=models.CASCADE
    )
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    present = models.BooleanField(_("was there"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique_member")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.member_id}"


class Attainment(models.IntegerChoices):
    """Goal attainment at a meeting (INFERRED five-step scale; the RACT form is NOT FOUND)."""

    NOT_STARTED = 0, _("Not started")
    SOME = 1, _("A little way")
    HALF = 2, _("Halfway")
    MOST = 3, _("Most of the way")
    REACHED = 4, _("Reached")


class GoalReview(models.Model):
    """How far a sub-goal had come at a meeting."""

    meeting = models.ForeignKey(Meeting, related_name="goal_reviews", on_delete=models.CASCADE)
    goal = models.ForeignKey(Goal, related_name="reviews", on_delete=models.CASCADE)
    attainment = models.PositiveSmallIntegerField(_("how far"), choices=Attainment.choices)
    comment = models.CharField(_("comment"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("goal review")
        verbose_name_plural = _("goal reviews")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "goal"], name="goalreview_unique_goal")
        ]

    def __str__(self) -> str:
        return f"{self.goal_id}@{self.meeting_id}: {self.attainment}"


class DecisionKind(models.TextChoices):
    NEW_GOAL = "new_goal", _("New sub-goal")
    NEW_ACTION = "new_action", _("New measure")
    GOAL_STATUS = "goal_status", _("Sub-goal reached or dropped")
    ACTION_STATUS = "action_status", _("Measure done or cancelled")
    DECIDE_PLAN = "decide_plan", _("The plan is decided")
    OTHER = "other", _("Other decision")


class Decision(models.Model):
    """A decision recorded at a meeting; those that change the plan name what they changed."""

    meeting = models.ForeignKey(Meeting, related_name="decisions", on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=16, choices=DecisionKind.choices)
    text = models.CharField(_("decision"), max_length=500)
    goal = models.ForeignKey(
        Goal, related_name="decisions", on_delete=models.SET_NULL, null=True, blank=True
    )
    action = models.ForeignKey(
        PlanAction, related_name="decisions", on_delete=models.SET_NULL, null=True, blank=True
    )
    plan_version = models.ForeignKey(
        PlanVersion, related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # What the sentence is made of (the goal's words, a status code, a version number), so
    # that it is shown in the reader's language; ``text`` keeps it as first written, and
    # is what an older decision without parts shows.
    parts = models.JSONField(_("parts"), default=dict, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return self.shown

    @property
    def shown(self) -> str:
        return decision_sentence(self.kind, self.parts) or self.text


def decision_sentence(kind: str, parts: dict[str, Any]) -> str:
    """A decision of ``kind`` in the active language, from its parts ("" without them)."""
    from .plan import ActionStatus, GoalStatus

    if not parts:
        return ""
    if kind == DecisionKind.NEW_GOAL:
        return gettext("New sub-goal: %(goal)s") % parts
    if kind == DecisionKind.NEW_ACTION:
        return gettext("New measure: %(what)s (%(who)s, %(when)s)") % parts
    if kind == DecisionKind.GOAL_STATUS:
        status = GoalStatus(parts["status"]).label
        return gettext("Sub-goal %(goal)s: %(status)s") % {"goal": parts["goal"], "status": status}
    if kind == DecisionKind.ACTION_STATUS:
        status = ActionStatus(parts["status"]).label
        return gettext("Measure %(what)s: %(status)s") % {"what": parts["what"], "status": status}
    if kind == DecisionKind.DECIDE_PLAN:
        return gettext("The plan is decided (version %(number)s).") % parts
    return ""


class MinutesConfirmation(models.Model):
    """A member of the resource group with an account (the client on their own pages, or
    someone of the care team in the group) has read a meeting's minutes and confirms them,
    or asks for something to be corrected. ``digest`` is the minutes as they were read: a
    later change to them asks again (``services.minutes``)."""

    meeting = models.ForeignKey(Meeting, related_name="confirmations", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    by_client = models.BooleanField(default=False)
    digest = models.CharField(max_length=64)
    correction = models.TextField(_("what should be corrected"), blank=True, default="")
    confirmed_at = models.DateTimeField(_("confirmed"))

    class Meta:
        verbose_name = _("confirmation of minutes")
        verbose_name_plural = _("confirmations of minutes")
        ordering = ["confirmed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="minutes_confirmed_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.user_id}"
