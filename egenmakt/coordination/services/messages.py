"""Messages between meetings: the client and their care team write to each other.

Who writes: the client themself (their own login, an open record) and the care team
working jointly with the client (``rules.may_work_jointly``). Each new message tells the
other side that there is one, never what it says, by the channel they chose
(``outbox.notify``), at most once per thread until they have read it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.coordination.access import client_access
from egenmakt.coordination.models import Client, Message, MessageRead, MessageThread
from egenmakt.coordination.rules import may_work_jointly
from egenmakt.outbox.notify import Recipient, notify

from .common import acting_organisation, record_change, require_open

if TYPE_CHECKING:
    from egenmakt.accounts.models import User

NOTICE_KIND = "new_message"


def _is_the_client(user: Any, client: Client) -> bool:
    # Run-time import: the registrations import the views, which import these services.
    from egenmakt.coordination.registrations import is_the_client

    return is_the_client(user, client)


def may_write(user: Any, client: Client) -> bool:
    """The client on their own pages, or the care team working jointly with them."""
    return _is_the_client(user, client) or may_work_jointly(user, client)


def _check_writer(user: User, client: Client) -> bool:
    """Refuse anyone else; answer whether the writer is the client."""
    require_open(client)
    if _is_the_client(user, client):
        return True
    if not may_work_jointly(user, client):
        raise PermissionDenied("messages")
    return False


@transaction.atomic
def start_thread(
    *,
    user: User,
    client: Client,
    subject: str,
    text: str,
    attachment: UploadedFile | None = None,
) -> MessageThread:
    by_client = _check_writer(user, client)
    now = timezone.now()
    organisation = client.organisation if by_client else acting_organisation(user, client)
    thread = MessageThread.objects.create(
        client=client,
        subject=subject,
        organisation=organisation,
        created_by=user,
        created_at=now,
        last_message_at=now,
    )
    _log_change(user, client, thread, by_client, Action.CREATE, AuditEvent.MESSAGE_THREAD_STARTED)
    _add(user=user, thread=thread, text=text, attachment=attachment, by_client=by_client, now=now)
    return thread


@transaction.atomic
def reply(
    *,
    user: User,
    thread: MessageThread,
    text: str,
    attachment: UploadedFile | None = None,
) -> Message:
    client = thread.client
    by_client = _check_writer(user, client)
    now = timezone.now()
    MessageThread.objects.filter(pk=thread.pk).update(last_message_at=now)
    return _add(
        user=user, thread=thread, text=text, attachment=attachment, by_client=by_client, now=now
    )


def _log_change(
    user: User, client: Client, obj: Any, by_client: bool, action: str, reason: str
) -> None:
    # The client acts for no organisation; the care team for their seat's.
    organisation = client.organisation if by_client else None
    record_change(user, client, obj, action=action, reason=reason, organisation=organisation)


def _add(
    *,
    user: User,
    thread: MessageThread,
    text: str,
    attachment: UploadedFile | None,
    by_client: bool,
    now: datetime,
) -> Message:
    message = Message(thread=thread, author=user, by_client=by_client, text=text, sent_at=now)
    message.full_clean(exclude=["attachment", "thread", "author"])
    if attachment is not None:
        message.attachment = attachment
    message.save()
    _log_change(user, thread.client, message, by_client, Action.CREATE, AuditEvent.MESSAGE_SENT)
    # The writer has read what they wrote.
    MessageRead.objects.update_or_create(thread=thread, user=user, defaults={"read_at": now})
    for recipient in _other_side(thread.client, by_client):
        _tell(recipient, thread, now, to_client=not by_client)
    return message


def _other_side(client: Client, by_client: bool) -> list[Any]:
    if by_client:
        seats = client.team.filter(ended_on__isnull=True, user__is_active=True).select_related(
            "user"
        )
        # Only those who can open the thread: a seat whose organisation the consent does
        # not cover (``ClientAccess.seat`` is None) is not told of it either.
        people = {seat.user_id: seat.user for seat in seats}.values()
        return [person for person in people if client_access(person, client).in_team]
    from egenmakt.coordination.registrations import client_login

    login = client_login(client)
    return [login] if login is not None else []


def _tell(user: Any, thread: MessageThread, now: datetime, *, to_client: bool) -> None:
    """One notice per thread until the reader has read it: no flood of e-mail."""
    mark, _created = MessageRead.objects.select_for_update().get_or_create(thread=thread, user=user)
    if mark.noticed_at is not None and (mark.read_at is None or mark.noticed_at > mark.read_at):
        return
    language = getattr(user, "preferred_language", "") or "sv"
    path = reverse("portal:login") if to_client else reverse("accounts:login")
    url = str(settings.SITE_URL).rstrip("/") + path
    with translation.override(language):
        subject = _("You have a new message in Egenmakt")
        body = _(
            "You have a new message in Egenmakt. Sign in to read it:\n%(url)s\n\n"
            "This e-mail says nothing about what the message is about, so that it stays "
            "between you and the people it is meant for."
        ) % {"url": url}
        sms = _("You have a new message in Egenmakt. Sign in: %(url)s") % {"url": url}
    notify(
        recipient=Recipient(email=user.email, language=language, user_id=user.pk),
        kind=NOTICE_KIND,
        subject=subject,
        body=body,
        sms=sms,
        purpose="new message",
        person=thread.client,
    )
    MessageRead.objects.filter(pk=mark.pk).update(noticed_at=now)


def mark_read(*, user: Any, thread: MessageThread) -> None:
    """The reader has seen every message in the thread up to now."""
    MessageRead.objects.update_or_create(
        thread=thread, user=user, defaults={"read_at": timezone.now()}
    )
