"""Use-cases that change instruments and responses: each in a transaction, each logged.

Loading definitions (``load_definition``, ``load_shipped_definitions``) and an admin's
import (``import_definition``) keep versions immutable once answered. Answering goes
``start_response`` → ``save_draft`` (any number of times) → ``submit_response``; every
save is checked against the definition (``answers.clean_answers``), scored
(``scoring.compute_scores``) and written with an access-log row, or refused as a whole.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import holds_role_in
from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.core.rules import require

from .answers import InvalidAnswersError, clean_answers
from .models import InstrumentDefinition, Response, ResponseStatus
from .schema import (
    DefinitionError,
    load_definition_file,
    parse_definition,
    shipped_definition_paths,
)
from .scoring import compute_scores
from .selectors import applies_to
from .subjects import can_access_subject, organisation_of, person_of

if TYPE_CHECKING:
    from egenmakt.accounts.models import Organisation, User

# Who uploads an organisation's own versions (an administrator, or a coordinator: the
# PEER interview template is the network's coordinators' work).
IMPORT_ROLES = (Role.ADMIN, Role.COORDINATOR)

__all__ = [
    "DefinitionError",
    "DefinitionRefusedError",
    "InstrumentError",
    "InvalidAnswersError",
    "StaleResponseError",
    "checksum_of",
    "import_definition",
    "load_definition",
    "load_shipped_definitions",
    "may_import_for",
    "save_draft",
    "start_response",
    "submit_answered_by_link",
    "submit_response",
]


class InstrumentError(Exception):
    """A refused action, with a message for the user."""


class DefinitionRefusedError(InstrumentError):
    pass


class StaleResponseError(InstrumentError):
    """Someone saved the response after this form was opened."""


def checksum_of(definition: dict[str, Any]) -> str:
    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- Definitions ---------------------------------------------------------------------------

LoadAction = Literal["created", "updated", "unchanged", "refused"]


@dataclass(frozen=True)
class LoadOutcome:
    key: str
    version: int
    action: LoadAction
    source_file: str
    message: str = ""


@transaction.atomic
def load_definition(
    definition: dict[str, Any], *, source_file: str, user: User | None = None
) -> LoadOutcome:
    """Store one validated definition version; never change one that has been answered.

    A new (key, version) is created. The same content is left alone. Changed content of a
    version nobody has answered yet replaces it (a definition being written); changed
    content of an answered version is refused: the file must get a higher version.
    """
    key, version = definition["key"], definition["version"]
    checksum = checksum_of(definition)
    existing = (
        InstrumentDefinition.objects.select_for_update().filter(key=key, version=version).first()
    )
    if existing is not None and existing.organisation_id is not None:
        # Version numbers are unique per key across the installation (an export's
        # "ors|3" names one version): an organisation's upload holds this number.
        return LoadOutcome(
            key,
            version,
            "refused",
            source_file,
            _(
                "%(file)s: version %(version)s of “%(key)s” is an organisation's own "
                "version. Save the shipped definition with version: %(next)s."
            )
            % {"file": source_file, "version": version, "key": key, "next": _next_version(key)},
        )
    if existing is None:
        InstrumentDefinition.objects.create(
            key=key,
            version=version,
            definition=definition,
            source_file=source_file,
            checksum=checksum,
            created_by=user,
        )
        return LoadOutcome(key, version, "created", source_file)
    if existing.checksum == checksum:
        return LoadOutcome(key, version, "unchanged", source_file)
    if existing.responses.exists():
        return LoadOutcome(
            key,
            version,
            "refused",
            source_file,
            _(
                "%(file)s: version %(version)s of “%(key)s” has been answered and cannot "
                "change. Save the edited definition with version: %(next)s."
            )
            % {"file": source_file, "version": version, "key": key, "next": _next_version(key)},
        )
    existing.definition = definition
    existing.checksum = checksum
    existing.source_file = source_file
    existing.save(update_fields=["definition", "checksum", "source_file"])
    return LoadOutcome(key, version, "updated", source_file)


def _next_version(key: str) -> int:
    latest = InstrumentDefinition.objects.filter(key=key).aggregate(v=Max("version"))["v"]
    return int(latest or 0) + 1


def load_shipped_definitions() -> list[LoadOutcome]:
    """Load every file in ``definitions/``; invalid files are reported, the rest load."""
    outcomes: list[LoadOutcome] = []
    for path in shipped_definition_paths():
        try:
            definition = load_definition_file(path)
        except DefinitionError as exc:
            outcomes.append(LoadOutcome("?", 0, "refused", path.name, str(exc)))
            continue
        outcomes.append(load_definition(definition, source_file=path.name))
    return outcomes


def may_import_for(user: User, organisation: Organisation) -> bool:
    """An administrator or coordinator of the organisation (or of one above it) uploads
    its own versions; they apply there and below, nowhere else."""
    return any(holds_role_in(user, role, organisation) for role in IMPORT_ROLES)


@transaction.atomic
def import_definition(
    *, user: User, text: str, file_name: str, organisation: Organisation
) -> InstrumentDefinition:
    """An upload of an organisation's own template: a new key, or a higher version. It
    belongs to ``organisation`` and applies there and in the units below it; no other
    organisation's form changes. Version numbers stay unique per key across the
    installation, so the number is higher than every existing version of the key.

    Raises ``DefinitionError`` (problems with lines) or ``DefinitionRefusedError``; nothing is
    saved then.
    """
    require(may_import_for(user, organisation), "instrument import")
    definition = parse_definition(text, source=file_name)
    key, version = definition["key"], definition["version"]
    latest = InstrumentDefinition.objects.filter(key=key).aggregate(v=Max("version"))["v"]
    if latest is not None and version <= latest:
        raise DefinitionRefusedError(
            _(
                "“%(key)s” already has version %(latest)s. A changed definition is a new "
                "version: set version: %(next)s in the file and upload it again."
            )
            % {"key": key, "latest": latest, "next": latest + 1}
        )
    try:
        # Two admins importing the same version at once: the unique constraint decides.
        with transaction.atomic():
            row = InstrumentDefinition.objects.create(
                key=key,
                version=version,
                definition=definition,
                source_file=file_name[:200],
                checksum=checksum_of(definition),
                created_by=user,
                organisation=organisation,
            )
    except IntegrityError:
        raise DefinitionRefusedError(
            _("Version %(version)s of “%(key)s” was just imported by someone else.")
            % {"version": version, "key": key}
        ) from None
    log_access(actor=user, action=Action.CREATE, obj=row, reason=AuditEvent.INSTRUMENT_IMPORTED)
    return row


# --- Responses -----------------------------------------------------------------------------


def _require_access(user: User, subject: models.Model, action: Literal["view", "change"]) -> None:
    require(can_access_subject(user, subject, action))


@transaction.atomic
def start_response(
    *,
    user: User,
    definition: InstrumentDefinition,
    subject: models.Model,
    respondent_kind: str,
    answered_on: date | None = None,
) -> Response:
    """Open a draft of ``definition`` about ``subject``: a version shipped or owned by the
    subject's organisation or one above it, never another organisation's."""
    _require_access(user, subject, "change")
    if not applies_to(definition, organisation_of(subject)):
        raise InstrumentError(_("This version of the instrument is not used here."))
    if respondent_kind not in definition.respondents:
        raise InstrumentError(_("This instrument is not answered by that kind of respondent."))
    answered_on = answered_on or timezone.localdate()
    _check_date(answered_on)
    response = Response(
        definition=definition,
        subject=subject,
        respondent_kind=respondent_kind,
        entered_by=user,
        answered_on=answered_on,
        scores=_scores(definition, {}),
    )
    response.full_clean()
    response.save()
    log_access(actor=user, action=Action.CREATE, person=person_of(subject), obj=response)
    return response


def _check_date(answered_on: date) -> None:
    if answered_on > timezone.localdate():
        raise InvalidAnswersError({"answered_on": [_("The date cannot be in the future.")]})


def _scores(definition: InstrumentDefinition, answers: dict[str, Any]) -> dict[str, Any]:
    return {k: s.as_json() for k, s in compute_scores(definition.definition, answers).items()}


def _save(
    *,
    user: User,
    response: Response,
    answers: dict[str, Any],
    expected_version: int,
    edit_token: str,
    answered_on: date | None,
    submit: bool,
) -> Response:
    with transaction.atomic():
        # Lock only the response row: the joined definition is shared by every response.
        locked = (
            Response.objects.select_for_update(of=("self",))
            .select_related("definition", "subject_type")
            .defer("definition__definition")
            .get(pk=response.pk)
        )
        subject = locked.subject
        if subject is None:
            raise PermissionDenied
        _require_access(user, subject, "change")
        own_autosave = bool(edit_token) and locked.edit_token == edit_token
        if locked.version != expected_version and not own_autosave:
            raise StaleResponseError(
                _(
                    "Someone else saved this response after you opened it, so your changes "
                    "were not saved. What you typed is still in the form below; open the "
                    "response again in another tab to see the newer answers, then save yours."
                )
            )
        if not submit and locked.status == ResponseStatus.SUBMITTED:
            raise InstrumentError(
                _("This response has been submitted; submit your corrections instead.")
            )
        errors: dict[str, list[str]] = {}
        try:
            cleaned = clean_answers(locked.definition.definition, answers, complete=submit)
        except InvalidAnswersError as exc:
            errors.update(exc.errors)
            cleaned = {}
        if answered_on is not None:
            try:
                _check_date(answered_on)
            except InvalidAnswersError as exc:
                errors.update(exc.errors)
        if errors:
            raise InvalidAnswersError(errors)
        locked.answers = cleaned
        locked.scores = _scores(locked.definition, cleaned)
        locked.version += 1
        locked.edit_token = edit_token[:32]
        fields = ["answers", "scores", "version", "edit_token", "updated_at"]
        if answered_on is not None:
            locked.answered_on = answered_on
            fields.append("answered_on")
        if submit:
            locked.status = ResponseStatus.SUBMITTED
            locked.submitted_at = locked.submitted_at or timezone.now()
            fields += ["status", "submitted_at"]
        locked.save(update_fields=fields)
        log_access(
            actor=user,
            action=Action.CHANGE,
            person=person_of(subject),
            obj=locked,
            reason=AuditEvent.RESPONSE_SUBMITTED if submit else AuditEvent.DRAFT,
        )
    return locked


def save_draft(
    *,
    user: User,
    response: Response,
    answers: dict[str, Any],
    expected_version: int,
    edit_token: str = "",
    answered_on: date | None = None,
) -> Response:
    """Keep what has been typed so far: answers are type- and range-checked, not required.

    Raises ``InvalidAnswersError`` (nothing saved) or ``StaleResponseError``.
    """
    return _save(
        user=user,
        response=response,
        answers=answers,
        expected_version=expected_version,
        edit_token=edit_token,
        answered_on=answered_on,
        submit=False,
    )


def submit_response(
    *,
    user: User,
    response: Response,
    answers: dict[str, Any],
    expected_version: int,
    edit_token: str = "",
    answered_on: date | None = None,
) -> Response:
    """Check everything (required items too), score, and mark the response submitted.

    Raises ``InvalidAnswersError`` (nothing saved) or ``StaleResponseError``.
    """
    return _save(
        user=user,
        response=response,
        answers=answers,
        expected_version=expected_version,
        edit_token=edit_token,
        answered_on=answered_on,
        submit=True,
    )


@transaction.atomic
def submit_answered_by_link(
    *,
    definition: InstrumentDefinition,
    subject: models.Model,
    respondent_kind: str,
    answers: dict[str, Any],
    entered_by: User,
    answered_on: date | None = None,
) -> Response:
    """A response answered in one go by someone without an account (a relative through
    the one-time link of ``coordination.services.relatives``), checked complete, scored
    and submitted.

    The caller has checked the credential (the link) and names the user the response is
    in the name of (``entered_by``: whoever sent the link); the log row has no actor, as
    every act of a person without an account. Raises ``InvalidAnswersError``, nothing saved.
    """
    if respondent_kind not in definition.respondents:
        raise InstrumentError(_("This instrument is not answered by that kind of respondent."))
    cleaned = clean_answers(definition.definition, answers, complete=True)
    now = timezone.now()
    response = Response(
        definition=definition,
        subject=subject,
        respondent_kind=respondent_kind,
        entered_by=entered_by,
        answered_on=answered_on or timezone.localdate(),
        answers=cleaned,
        scores=_scores(definition, cleaned),
        status=ResponseStatus.SUBMITTED,
        submitted_at=now,
    )
    response.full_clean()
    response.save()
    log_access(
        actor=None,
        action=Action.CREATE,
        person=person_of(subject),
        obj=response,
        reason=AuditEvent.RESPONSE_SUBMITTED,
    )
    return response
