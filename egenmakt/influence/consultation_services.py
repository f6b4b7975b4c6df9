"""Changes of consultations (remiss): written and sent by the area's coordinators, answered
once per asked organisation before the deadline, summarised, published; and the one
reminder before the deadline. Each in a transaction, checked (``rules``), logged. Reads
are in ``consultation_selectors``.

The notices carry no content of the question or the answers: the title of the
consultation, its deadline and a link to sign in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from egenmakt.accounts.models import Membership, User
from egenmakt.accounts.roles import Role
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.core.rules import require
from egenmakt.outbox.notify import Recipient, notify

from .consultation_selectors import is_open
from .models import (
    AskedOrganisation,
    CareArea,
    Consultation,
    ConsultationAnswer,
    ConsultationStatus,
    InfluenceOrganisation,
)
from .rules import is_area_coordinator, organisations_answering
from .services import InfluenceError

NOTICE_KIND = "consultation"
# INFERRED: the issue asks for reminders "before the deadline"; three days leaves time to
# agree on an answer in a small organisation's board.
REMINDER_DAYS_BEFORE = 3
TEXT_MAX = 8000


@transaction.atomic
def create_consultation(
    *,
    user: User,
    area: CareArea,
    title: str,
    question: str,
    deadline: date,
    organisations: Iterable[InfluenceOrganisation],
) -> Consultation:
    """A draft: nothing is sent until the coordinator sends it."""
    require(is_area_coordinator(user, area), "write a consultation")
    chosen = list(organisations)
    in_area = set(area.organisations.values_list("pk", flat=True))
    # Only an organisation with an account in Egenmakt has members who can answer.
    if not chosen or any(o.pk not in in_area or o.account_id is None for o in chosen):
        raise InfluenceError(
            _("Choose the organisations to ask, among the area's with an account in Egenmakt.")
        )
    if deadline < timezone.localdate():
        raise InfluenceError(_("The deadline cannot be in the past."))
    if not title.strip() or not question.strip():
        raise InfluenceError(_("Write the title and the question."))
    consultation = Consultation.objects.create(
        area=area,
        title=title.strip()[:200],
        question=question.strip()[:TEXT_MAX],
        deadline=deadline,
        created_by=user,
    )
    AskedOrganisation.objects.bulk_create(
        AskedOrganisation(consultation=consultation, organisation=o) for o in chosen
    )
    log_access(actor=user, action=Action.CREATE, obj=consultation)
    return consultation


def _locked(consultation: Consultation) -> Consultation:
    return (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("area__organisation", "area__co_organisation")
        .get(pk=consultation.pk)
    )


@transaction.atomic
def send_consultation(*, user: User, consultation: Consultation) -> Consultation:
    """Send the draft: the asked organisations' members are told (kind "consultation")."""
    locked = _locked(consultation)
    require(is_area_coordinator(user, locked.area), "send a consultation")
    if locked.status != ConsultationStatus.DRAFT:
        raise InfluenceError(_("The consultation has already been sent."))
    if locked.deadline < timezone.localdate():
        raise InfluenceError(_("The deadline has passed: the consultation cannot be sent."))
    locked.status = ConsultationStatus.SENT
    locked.sent_at = timezone.now()
    locked.save(update_fields=["status", "sent_at"])
    log_access(actor=user, action=Action.CHANGE, obj=locked)
    organisations = [a.organisation for a in locked.asked.select_related("organisation__account")]
    _tell(locked, organisations, reminder=False, exclude=user.pk)
    return locked


@transaction.atomic
def answer_consultation(
    *,
    user: User,
    consultation: Consultation,
    organisation: InfluenceOrganisation,
    text: str,
    today: date | None = None,
) -> ConsultationAnswer:
    """The organisation's one answer, by a member who speaks for it, up to the deadline.
    The consultation's row is locked, so its status is read as it stands; two answers for
    one organisation at the same moment meet the unique constraint."""
    consultation = _locked(consultation)
    require(organisation in organisations_answering(user, consultation), "answer a consultation")
    if not is_open(consultation, today):
        if consultation.status == ConsultationStatus.CLOSED:
            raise InfluenceError(_("The consultation is closed: answers are no longer taken."))
        raise InfluenceError(_("The deadline has passed: answers are no longer taken."))
    if not text.strip():
        raise InfluenceError(_("Write the answer."))
    already = _("%(organisation)s has already answered this consultation; it answers once.") % {
        "organisation": organisation.name
    }
    if ConsultationAnswer.objects.filter(
        consultation=consultation, organisation=organisation
    ).exists():
        raise InfluenceError(already)
    try:
        # A savepoint: when another member of the organisation answered at the same moment,
        # the unique constraint refuses this insert and the transaction goes on.
        with transaction.atomic():
            answer = ConsultationAnswer.objects.create(
                consultation=consultation,
                organisation=organisation,
                text=text.strip()[:TEXT_MAX],
                answered_by=user,
                answered_at=timezone.now(),
            )
    except IntegrityError:
        raise InfluenceError(already) from None
    log_access(actor=user, action=Action.CREATE, obj=answer)
    return answer


@transaction.atomic
def save_summary(*, user: User, consultation: Consultation, summary: str) -> Consultation:
    """The coordinator's summary of the answers; it closes the consultation (no more
    answers). Writing it again replaces it."""
    locked = _locked(consultation)
    require(is_area_coordinator(user, locked.area), "summarise a consultation")
    if locked.status == ConsultationStatus.DRAFT:
        raise InfluenceError(_("Send the consultation before summarising it."))
    if not summary.strip():
        raise InfluenceError(_("Write the summary."))
    locked.summary = summary.strip()[:TEXT_MAX]
    locked.summary_by = user
    fields = ["summary", "summary_by"]
    if locked.status != ConsultationStatus.CLOSED:
        locked.status = ConsultationStatus.CLOSED
        locked.closed_at = timezone.now()
        fields += ["status", "closed_at"]
    locked.save(update_fields=fields)
    log_access(actor=user, action=Action.CHANGE, obj=locked)
    return locked


@transaction.atomic
def publish_consultation(
    *, user: User, consultation: Consultation, published: bool
) -> Consultation:
    """Show the consultation (the question, who was asked, the summary once written) on the
    public pages, or take it down."""
    locked = _locked(consultation)
    require(is_area_coordinator(user, locked.area), "publish a consultation")
    if published and locked.status == ConsultationStatus.DRAFT:
        raise InfluenceError(_("Send the consultation before publishing it."))
    locked.published = published
    locked.published_at = timezone.now() if published else None
    locked.save(update_fields=["published", "published_at"])
    log_access(actor=user, action=Action.CHANGE, obj=locked)
    return locked


# --- Notices --------------------------------------------------------------------------------


def speakers_of(organisation: InfluenceOrganisation) -> list[User]:
    """The active members of the organisation's account (or a unit below it) who speak for
    it (``rules.speaks_for``: any role but analyst)."""
    if organisation.account is None:
        return []
    ids = (
        Membership.objects.filter(organisation__path__startswith=organisation.account.path)
        .exclude(role=Role.ANALYST)
        .values_list("user_id", flat=True)
    )
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def _tell(
    consultation: Consultation,
    organisations: list[InfluenceOrganisation],
    *,
    reminder: bool,
    exclude: int | None = None,
) -> int:
    url = str(settings.SITE_URL).rstrip("/") + reverse(
        "influence:consultation", args=[consultation.pk]
    )
    told = 0
    people: dict[int, User] = {}
    for organisation in organisations:
        for person in speakers_of(organisation):
            if person.pk != exclude:
                people[person.pk] = person
    for person in people.values():
        recipient = Recipient(
            email=person.email,
            phone=getattr(person, "phone", ""),
            language=person.preferred_language or "sv",
            user_id=person.pk,
        )
        with translation.override(recipient.language):
            deadline = formats.date_format(consultation.deadline, "j F Y")
            if reminder:
                subject = _("Reminder: a consultation to answer by %(deadline)s") % {
                    "deadline": deadline
                }
                lead = _(
                    "Your organisation has not yet answered the consultation “%(title)s”. "
                    "The deadline is %(deadline)s."
                )
            else:
                subject = _("A consultation to your organisation")
                lead = _(
                    "Your organisation is asked to answer the consultation “%(title)s” by "
                    "%(deadline)s."
                )
            lead = lead % {"title": consultation.title, "deadline": deadline}
            ask = _("Read the question and answer for your organisation, once, here:")
            body = f"{lead}\n{ask}\n{url}\n"
            sms = f"{subject}: {url}"
        channel = notify(
            recipient=recipient,
            kind=NOTICE_KIND,
            subject=subject,
            body=body,
            sms=sms,
            purpose="consultation reminder" if reminder else "consultation sent",
        )
        told += channel != "none"
    return told


def send_consultation_reminders(
    *, today: date | None = None, days_before: int = REMINDER_DAYS_BEFORE
) -> int:
    """Daily: remind the asked organisations that have not answered, when the deadline is
    ``days_before`` days away or nearer (a missed day catches up). Once per organisation and
    consultation: ``AskedOrganisation.reminded_at`` is claimed by a conditional update in
    the same transaction as the notices, so a second run, or one at the same time, skips it.
    Returns how many organisations were reminded."""
    today = today or timezone.localdate()
    due = (
        AskedOrganisation.objects.filter(
            reminded_at__isnull=True,
            consultation__status=ConsultationStatus.SENT,
            consultation__deadline__gte=today,
            consultation__deadline__lte=today + timedelta(days=days_before),
        )
        .exclude(
            Exists(
                ConsultationAnswer.objects.filter(
                    consultation_id=OuterRef("consultation_id"),
                    organisation_id=OuterRef("organisation_id"),
                )
            )
        )
        .select_related("consultation", "organisation__account")
        .order_by("pk")
    )
    reminded = 0
    for row in due:
        with transaction.atomic():
            claimed = AskedOrganisation.objects.filter(pk=row.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if not claimed:
                continue
            _tell(row.consultation, [row.organisation], reminder=True)
        reminded += 1
    return reminded
