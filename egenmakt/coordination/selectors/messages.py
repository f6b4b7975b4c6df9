"""Messages between meetings, read by the client or the care team: threads with their
unread counts for one reader, a thread's messages, one attachment."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from egenmakt.coordination.models import Client, Message, MessageRead, MessageThread


def threads_for(client: Client, reader: Any) -> QuerySet[MessageThread]:
    """The client's threads, newest first, each with ``unread`` (messages by others sent
    after ``reader`` last read it) and ``message_count``: one query whatever the count."""
    read_at = MessageRead.objects.filter(thread=OuterRef("pk"), user_id=reader.pk).values(
        "read_at"
    )[:1]
    others = ~Q(messages__author_id=reader.pk)
    return (
        MessageThread.objects.filter(client=client)
        .select_related("created_by")
        .annotate(my_read_at=Subquery(read_at))
        .annotate(
            message_count=Count("messages", distinct=True),
            unread=Count(
                "messages",
                filter=others
                & (Q(my_read_at__isnull=True) | Q(messages__sent_at__gt=F("my_read_at"))),
                distinct=True,
            ),
        )
        .order_by("-last_message_at", "-id")
    )


def unread_total(client: Client, reader: Any) -> int:
    return sum(getattr(thread, "unread", 0) for thread in threads_for(client, reader))


def get_thread(client: Client, thread_id: Any) -> MessageThread:
    """The client's thread named in the URL, or 404 (another client's alike)."""
    thread = (
        MessageThread.objects.filter(pk=thread_id, client=client).select_related("client").first()
    )
    if thread is None:
        raise Http404
    return thread


def messages_of(thread: MessageThread) -> list[Message]:
    return list(thread.messages.select_related("author").order_by("sent_at", "id"))


def get_attachment(client: Client, message_id: Any) -> Message:
    """A message of the client's with an attachment, or 404."""
    message = (
        Message.objects.filter(pk=message_id, thread__client=client)
        .exclude(attachment="")
        .select_related("thread")
        .first()
    )
    if message is None:
        raise Http404
    return message
