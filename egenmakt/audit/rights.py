"""Services for a person's rights over their own data: a copy of everything the system
holds about them (GDPR art. 15 and 20), made by the task queue from the registry of
personal data (``registry.export_person``), logged, and fetched only by whoever asked.

Who the person is, is the caller's to decide (the account page passes the user
themself; the client's own pages pass the client they are recognised as); here the
request is recorded and the file made and kept for a week."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from .events import AuditEvent
from .models import Action, ExportStatus, PersonalExport
from .registry import export_person
from .services import log_access

if TYPE_CHECKING:
    from egenmakt.accounts.models import User

KEEP_FILES = timedelta(days=7)


def request_personal_export(*, user: User, person: models.Model) -> PersonalExport:
    """Record ``user``'s request for a copy of ``person``'s data and queue its making.
    A request while one is being prepared returns that one (a double click makes one)."""
    from .tasks import build_personal_export

    person_type = ContentType.objects.get_for_model(person)
    with transaction.atomic():
        pending = (
            PersonalExport.objects.select_for_update()
            .filter(
                requested_by=user,
                person_type=person_type,
                person_id=str(person.pk),
                status=ExportStatus.QUEUED,
            )
            .first()
        )
        if pending is not None:
            return pending
        export = PersonalExport.objects.create(
            person_type=person_type, person_id=str(person.pk), requested_by=user
        )
        log_access(
            actor=user,
            action=Action.EXPORT,
            person=person,
            obj=export,
            reason=AuditEvent.PERSONAL_DATA_EXPORTED,
        )
        # The database backend queues the task in this transaction: both or neither.
        build_personal_export.enqueue(export.pk)
    export.refresh_from_db()  # an immediate backend has made it already
    return export


def build_personal_export_file(export_id: int) -> str:
    """Make the file (in the task queue). Returns the export's status."""
    with transaction.atomic():
        export = (
            PersonalExport.objects.select_for_update()
            .filter(pk=export_id, status=ExportStatus.QUEUED)
            .select_related("person_type")
            .first()
        )
        if export is None:
            return "nothing to do"
        try:
            model = export.person_type.model_class()
            if model is None:
                raise LookupError("the kind of person no longer exists")
            person = model._default_manager.get(pk=export.person_id)
            content = json.dumps(export_person(person), ensure_ascii=False, indent=2, default=str)
        except Exception as exc:  # the row says it failed; the person can ask again
            export.status = ExportStatus.FAILED
            export.error = str(exc)[:300]
            export.finished_at = timezone.now()
            export.save(update_fields=["status", "error", "finished_at"])
            return export.status
        name = f"mina-uppgifter-{timezone.localdate():%Y-%m-%d}.json"
        export.file.save(name, ContentFile(content.encode("utf-8")), save=False)
        export.status = ExportStatus.READY
        export.finished_at = timezone.now()
        export.save(update_fields=["file", "status", "finished_at"])
    return export.status


def exports_of(user: User, person: models.Model) -> QuerySet[PersonalExport]:
    """The copies ``user`` asked for of ``person``'s data, newest first."""
    return PersonalExport.objects.filter(
        requested_by=user,
        person_type=ContentType.objects.get_for_model(person),
        person_id=str(person.pk),
    )


def log_personal_export_download(*, user: User, export: PersonalExport, person: Any) -> None:
    log_access(
        actor=user,
        action=Action.EXPORT,
        person=person,
        obj=export,
        reason=AuditEvent.PERSONAL_DATA_DOWNLOADED,
    )


def erase_old_personal_exports(now: Any = None) -> int:
    """Daily: files older than a week are erased; the row stays as the record."""
    cutoff = (now or timezone.now()) - KEEP_FILES
    count = 0
    for export in PersonalExport.objects.filter(requested_at__lt=cutoff).exclude(file=""):
        export.file.delete(save=False)
        export.file = ""
        export.save(update_fields=["file"])
        count += 1
    return count
