"""Care and support coordination in resource groups (RACT / vård- och stödsamordning).

A client (brukare) is registered by a case manager acting for one organisation, the
client's *home* organisation. Others join the care team; a member acting for another
organisation reaches the client only under a recorded, unrevoked consent that names
their organisation (and, for case managers, them by name). What is shared is the joint
work (worksheets the client shares, the mapping summary, contacts); each organisation's
own case notes stay with it. The rules are in ``rules.py`` and ``selectors.py``.

Checklist K (Kartläggning och planering inför resursgrupp/SIP) is not stored: it is
derived from the steps recorded here (``StepRecord``), see ``checklist.py``.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .identity import IdentityNumber


class Phase(models.TextChoices):
    START = "start", _("Start")
    MAPPING = "mapping", _("Mapping")
    PLANNING = "planning", _("Planning")
    WORK = "work", _("Work phase")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


class MeetingPlace(models.TextChoices):
    HOME = "home", _("In the client's home")
    OFFICE = "office", _("At the case manager's office")
    OTHER = "other", _("Somewhere else")


class Client(models.Model):
    """A person in coordination, as registered by their home organisation."""

    full_name = models.CharField(_("name"), max_length=150)
    # 12 digits, YYYYMMDDNNNC, checked by identity.parse_identity_number; a co-ordination
    # number keeps its day + 60. Never shown whole unless asked for (and logged).
    identity_number = models.CharField(_("personal identity number"), max_length=12)
    coordination_number = models.BooleanField(_("co-ordination number"), default=False)
    protected_identity = models.BooleanField(
        _("protected identity"),
        default=False,
        help_text=_("Address and contact data are shown to the care team only."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True, default="")
    postcode = models.CharField(_("postcode"), max_length=10, blank=True, default="")
    city = models.CharField(_("town"), max_length=100, blank=True, default="")
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")
    email = models.EmailField(_("e-mail"), blank=True, default="")
    preferred_language = models.CharField(
        _("preferred language"), max_length=60, blank=True, default="svenska"
    )
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    meeting_place = models.CharField(
        _("where meetings are held"),
        max_length=16,
        choices=MeetingPlace.choices,
        default=MeetingPlace.HOME,
    )
    meeting_place_note = models.CharField(
        _("about the meeting place"), max_length=200, blank=True, default=""
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("home organisation"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    phase = models.CharField(
        _("phase"), max_length=16, choices=Phase.choices, default=Phase.START, db_index=True
    )
    # The day the coordination assignment started (VSS-uppdrag): the ORS is due a month on.
    started_on = models.DateField(_("start of coordination"), default=timezone.localdate)
    closed_reason = models.CharField(_("why it ended"), max_length=300, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["full_name", "id"]
        constraints = [
            # Each organisation registers a person once; another organisation's record of
            # the same person is theirs (asking across would reveal that it exists).
            models.UniqueConstraint(
                fields=["organisation", "identity_number"], name="client_unique_per_organisation"
            ),
        ]
        indexes = [models.Index(fields=["identity_number"], name="client_identity_number")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def identity(self) -> IdentityNumber:
        return IdentityNumber(self.identity_number, self.coordination_number)

    @property
    def masked_identity_number(self) -> str:
        return self.identity.masked

    @property
    def is_closed(self) -> bool:
        return self.phase == Phase.CLOSED


class TeamRole(models.TextChoices):
    CASE_MANAGER = "case_manager", _("Case manager")
    METHOD_SUPERVISOR = "method_supervisor", _("Method supervisor")
    PEER_SUPPORTER = "peer_supporter", _("Peer supporter")


class CareTeamMember(models.Model):
    """A person in the client's care team, acting for one organisation."""

    client = models.ForeignKey(Client, related_name="team", on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        related_name="care_teams",
        on_delete=models.PROTECT,
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("acting for"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    role = models.CharField(_("role in the team"), max_length=32, choices=TeamRole.choices)
    started_on = models.DateField(_("from"), default=timezone.localdate)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    # Why two case managers from the same organisation, when the warning was passed.
    warning_reason = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("care-team member")
        verbose_name_plural = _("care team")
        ordering = ["role", "started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "user"],
                condition=Q(ended_on__isnull=True),
                name="careteam_one_active_seat_per_person",
            ),
        ]
        indexes = [models.Index(fields=["user", "ended_on"], name="careteam_user_active")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"

    @property
    def active(self) -> bool:
        return self.ended_on is None


class ConsentForm(models.TextChoices):
    WRITTEN = "written", _("In writing, signed")
    ORAL = "oral", _("Orally")
    DIGITAL = "digital", _("Digitally")


class ConsentScope(models.TextChoices):
    SHARE_INFORMATION = "share_information", _("Share information between the organisations")
    WORKSHEETS = "worksheets", _("The mapping worksheets the client shares")
    PLAN = "plan", _("The coordinated individual plan (SIP)")
    RESOURCE_GROUP = "resource_group", _("Resource-group meetings with the client's network")


def consent_file_name(instance: Consent, filename: str) -> str:
    return f"samtycken/{instance.client_id}/{uuid.uuid4().hex}.pdf"


class Consent(models.Model):
    """The client's consent to coordination across organisations.

    Field list INFERRED (domain.md 2.3: the worksheet's exact fields were not found): the
    organisations and named case managers it covers, what it covers, how and when it was
    given, who recorded it, an optional scan of the signed form, and its revocation.
    """

    client = models.ForeignKey(Client, related_name="consents", on_delete=models.CASCADE)
    given_on = models.DateField(_("given on"))
    form = models.CharField(_("how it was given"), max_length=16, choices=ConsentForm.choices)
    scope = models.JSONField(_("what it covers"), default=list)
    details = models.TextField(_("more about what it covers"), blank=True, default="")
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    organisations = models.ManyToManyField(
        "accounts.Organisation", verbose_name=_("organisations"), related_name="+"
    )
    case_managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("named case managers"), related_name="+"
    )
    document = models.FileField(_("signed form (PDF)"), upload_to=consent_file_name, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    revocation_note = models.CharField(
        _("about the revocation"), max_length=300, blank=True, default=""
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "-id"]
        indexes = [models.Index(fields=["client", "revoked_at"], name="consent_client_valid")]

    def __str__(self) -> str:
        return f"{self.client_id} {self.given_on}"

    def is_valid(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.revoked_at is None
            and self.given_on <= today
            and (self.valid_until is None or self.valid_until >= today)
        )

    @property
    def scope_labels(self) -> list[str]:
        labels = dict(ConsentScope.choices)
        return [str(labels.get(key, key)) for key in self.scope]


class Sector(models.TextChoices):
    """The network map's sectors. INFERRED: the RACT sheet's own labels were not found
    (domain.md 2.3); these four follow the issue and common Swedish network maps."""

    FAMILY = "family", _("Family and relatives")
    FRIENDS = "friends", _("Friends and acquaintances")
    PROFESSIONALS = "professionals", _("Professionals")
    OTHERS = "others", _("Others")


class Closeness(models.IntegerChoices):
    CLOSE = 1, _("Very close")
    MIDDLE = 2, _("Fairly close")
    DISTANT = 3, _("Further away")


class Contact(models.Model):
    """An important person in the client's life: the contact sheet and the network map."""

    client = models.ForeignKey(Client, related_name="contacts", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=150)
    relationship = models.CharField(_("role or relationship"), max_length=100)
    sector = models.CharField(_("part of the map"), max_length=16, choices=Sector.choices)
    closeness = models.PositiveSmallIntegerField(
        _("how close"), choices=Closeness.choices, default=Closeness.MIDDLE
    )
    workplace = models.CharField(_("organisation or workplace"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")
    email = models.EmailField(_("e-mail"), blank=True, default="")
    note = models.CharField(_("note"), max_length=300, blank=True, default="")
    on_map = models.BooleanField(_("show on the network map"), default=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("entered by organisation"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["sector", "closeness", "name", "id"]

    def __str__(self) -> str:
        return self.name


class StepRecord(models.Model):
    """One step of the work done with the client: a meeting, a worksheet, the summary.

    Checklist K is derived from these rows. A worksheet step points at the instrument
    response it was answered on; who was present is recorded per step, since the method
    asks both case managers to attend some steps.
    """

    client = models.ForeignKey(Client, related_name="steps", on_delete=models.CASCADE)
    step = models.CharField(_("step"), max_length=40)
    title = models.CharField(_("what"), max_length=150, blank=True, default="")
    done_on = models.DateField(_("date"))
    present = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("present from the care team"),
        related_name="+",
        blank=True,
    )
    client_present = models.BooleanField(_("the client was there"), default=True)
    others_present = models.CharField(_("others present"), max_length=200, blank=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True, default="")
    response = models.OneToOneField(
        "instruments.Response",
        related_name="coordination_step",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    # The client decides: a worksheet not shared stays with the organisation that owns it.
    shared = models.BooleanField(_("shared with the whole care team"), default=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("owned by"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("checklist step")
        verbose_name_plural = _("checklist steps")
        ordering = ["done_on", "id"]
        indexes = [models.Index(fields=["client", "step"], name="steprecord_client_step")]

    def __str__(self) -> str:
        return f"{self.step} {self.done_on}"


class SummaryEntry(models.Model):
    """A line of the mapping summary: an area the client wants to change, and what
    stands in the way, written right after the worksheet it came from."""

    client = models.ForeignKey(Client, related_name="summary", on_delete=models.CASCADE)
    source = models.ForeignKey(
        StepRecord,
        verbose_name=_("from"),
        related_name="summary_entries",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    area = models.CharField(_("area of life"), max_length=100)
    wants_to_change = models.TextField(_("what the client wants to change"), max_length=2000)
    obstacles = models.TextField(_("what stands in the way"), max_length=2000, blank=True)
    resources = models.TextField(_("strengths and resources"), max_length=2000, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("written by organisation"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mapping summary entry")
        verbose_name_plural = _("mapping summary")
        ordering = ["written_at", "id"]

    def __str__(self) -> str:
        return self.area


class CaseNote(models.Model):
    """An organisation's own note about the client. Never shared by consent: consent
    shares the joint work, not each organisation's own records."""

    client = models.ForeignKey(Client, related_name="notes", on_delete=models.CASCADE)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    text = models.TextField(_("note"), max_length=5000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["-written_at", "-id"]

    def __str__(self) -> str:
        return f"{self.client_id} {self.written_at:%Y-%m-%d}"


# --- The plan (personal plan = coordinated individual plan, SIP) ----------------------------


class Principal(models.TextChoices):
    """Who carries a measure, in the terms SIP uses (SoL 2:7, HSL 16:4; domain.md 3)."""

    REGION = "region", _("The region (health care)")
    MUNICIPALITY = "municipality", _("The municipality (social services)")
    OTHER = "other", _("Someone else")
    CLIENT = "client", _("The client")


class Plan(models.Model):
    """The client's plan as it is being worked on; each decided version is kept as a
    ``PlanVersion``. ``version`` guards against two people saving at once: every change
    names the version it started from, and a change based on an older one is refused."""

    client = models.OneToOneField(Client, related_name="plan", on_delete=models.CASCADE)
    long_term_goal = models.TextField(
        _("long-term goal, in the client's own words"), max_length=2000, blank=True
    )
    responsible_principal = models.CharField(
        _("principal with overall responsibility"),
        max_length=16,
        choices=Principal.choices[:2],
        blank=True,
    )
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person with overall responsibility"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    urgent_measures = models.TextField(
        _("urgent measures taken before the plan"), max_length=2000, blank=True
    )
    version = models.PositiveIntegerField(_("edit number"), default=1)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return f"{self.client_id}"


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Working on it")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class Goal(models.Model):
    """A sub-goal: concrete and measurable, with a target date."""

    plan = models.ForeignKey(Plan, related_name="goals", on_delete=models.CASCADE)
    text = models.CharField(_("sub-goal"), max_length=300)
    measure = models.CharField(_("how we will know it is reached"), max_length=300)
    target_date = models.DateField(_("target date"))
    status = models.CharField(
        _("status"), max_length=16, choices=GoalStatus.choices, default=GoalStatus.ACTIVE
    )
    position = models.PositiveSmallIntegerField(default=0)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("written by organisation"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sub-goal")
        verbose_name_plural = _("sub-goals")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class PlanAction(models.Model):
    """A measure: what, who (person and organisation), when, and its status."""

    plan = models.ForeignKey(Plan, related_name="actions", on_delete=models.CASCADE)
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("for the sub-goal"),
        related_name="actions",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    what = models.CharField(_("what is to be done"), max_length=300)
    who = models.CharField(_("who does it"), max_length=150)
    principal = models.CharField(_("carried by"), max_length=16, choices=Principal.choices)
    organisation_name = models.CharField(_("organisation"), max_length=150, blank=True)
    when = models.CharField(_("when"), max_length=100)
    due_on = models.DateField(_("by (date)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    urgent = models.BooleanField(_("urgent, before the plan is decided"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["goal__position", "id"]

    def __str__(self) -> str:
        return self.what


class PlanVersion(models.Model):
    """A decided version of the plan, kept as it was decided, with the consent that was
    confirmed for it (each new SIP is also renewed consent, domain.md 3)."""

    plan = models.ForeignKey(Plan, related_name="versions", on_delete=models.CASCADE)
    number = models.PositiveIntegerField(_("version"))
    decided_on = models.DateField(_("decided on"))
    content = models.JSONField(_("content"))
    consent = models.ForeignKey(
        Consent, verbose_name=_("consent confirmed"), related_name="+", on_delete=models.PROTECT
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("decided plan version")
        verbose_name_plural = _("decided plan versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planversion_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.number}"


class EarlyWarningPlan(models.Model):
    """Who holds a copy of the client's early-warning plan and when it was last reviewed.

    The content is the latest submitted "Tidiga varningstecken med åtgärder" worksheet
    (the client's signs, what they will do, what others should do, whom to call); this row
    adds what the worksheet cannot: the copies handed out and the reviews at the meetings.
    """

    client = models.OneToOneField(Client, related_name="warning_plan", on_delete=models.CASCADE)
    copies_held_by = models.CharField(_("who holds a copy"), max_length=300, blank=True)
    reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("early-warning plan")
        verbose_name_plural = _("early-warning plans")

    def __str__(self) -> str:
        return f"{self.client_id}"


# --- Resource group and its meetings --------------------------------------------------


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
    role = models.CharField(_("role or relationship"), max_length=100)
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


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Booked")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    """A resource-group meeting: booked, invitations sent, held with minutes and decisions."""

    client = models.ForeignKey(Client, related_name="meetings", on_delete=models.CASCADE)
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=90)
    place = models.CharField(_("place"), max_length=200)
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
        ]

    def __str__(self) -> str:
        return f"{self.client_id} {self.starts_at:%Y-%m-%d}"


class AgendaItem(models.Model):
    """One item on a meeting's agenda, from the method's standing items or added; its
    notes are that part of the minutes."""

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
        return self.title


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

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return self.text
