"""Messages between meetings, the care team's side: the client's threads, one thread, an
answer, a new thread to the client, an attachment. Reading needs a view of the client;
writing needs joint work (``rules.works_jointly``)."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.coordination.forms.messages import (
    ATTACHMENT_TYPES,
    MessageReplyForm,
    MessageStartForm,
)
from egenmakt.coordination.models import MessageThread
from egenmakt.coordination.selectors import messages as selectors
from egenmakt.coordination.services import messages as services
from egenmakt.core.http import private_download

from .common import OpenedClient, client_page, client_view, joint_work, log_read

REASON = "messages"


def _list_page(
    request: AuthenticatedRequest,
    opened: OpenedClient,
    form: MessageStartForm | None = None,
    status: int = 200,
) -> HttpResponse:
    client, access = opened
    return client_page(
        request,
        "coordination/messages.html",
        client,
        access,
        "messages",
        {
            "threads": selectors.threads_for(client, request.user),
            "form": form or MessageStartForm(),
        },
        status=status,
    )


@login_required
@require_GET
@client_view(reason=REASON)
def message_list(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    return _list_page(request, opened)


@login_required
@require_POST
@client_view(allow=joint_work, reason=REASON)
def message_start(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    form = MessageStartForm(request.POST, request.FILES)
    if not form.is_valid():
        log_read(request, opened.client, opened.access, reason=REASON)
        return _list_page(request, opened, form, status=400)
    data = form.cleaned_data
    thread = services.start_thread(
        user=request.user,
        client=opened.client,
        subject=data["subject"],
        text=data["text"],
        attachment=data["attachment"],
    )
    flash.success(request, _("The message is sent."))
    return redirect("coordination:message_thread", opened.client.pk, thread.pk)


def _thread_page(
    request: AuthenticatedRequest,
    opened: OpenedClient,
    thread: MessageThread,
    form: MessageReplyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    client, access = opened
    log_read(request, client, access, obj=thread, reason=REASON)
    rows = selectors.messages_of(thread)
    if access.seat is not None:
        # Read marks are the care team's: an emergency or sealed-record reader is logged,
        # but the team still sees the message as unread.
        services.mark_read(user=request.user, thread=thread)
    return client_page(
        request,
        "coordination/message_thread.html",
        client,
        access,
        "messages",
        {"thread": thread, "rows": rows, "form": form or MessageReplyForm()},
        status=status,
    )


@login_required
@require_GET
@client_view(reason=REASON, log=False)
def message_thread(
    request: AuthenticatedRequest, opened: OpenedClient, thread_id: int
) -> HttpResponse:
    return _thread_page(request, opened, selectors.get_thread(opened.client, thread_id))


@login_required
@require_POST
@client_view(allow=joint_work, reason=REASON)
def message_reply(
    request: AuthenticatedRequest, opened: OpenedClient, thread_id: int
) -> HttpResponse:
    thread = selectors.get_thread(opened.client, thread_id)
    form = MessageReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _thread_page(request, opened, thread, form, status=400)
    services.reply(
        user=request.user,
        thread=thread,
        text=form.cleaned_data["text"],
        attachment=form.cleaned_data["attachment"],
    )
    flash.success(request, _("The message is sent."))
    return redirect("coordination:message_thread", opened.client.pk, thread.pk)


@login_required
@require_GET
@client_view(reason=REASON, log=False)
def message_attachment(
    request: AuthenticatedRequest, opened: OpenedClient, message_id: int
) -> HttpResponse:
    client, access = opened
    message = selectors.get_attachment(client, message_id)
    log_read(request, client, access, obj=message, reason="message attachment")
    return attachment_response(message)


def attachment_response(message: object) -> HttpResponse:
    """The file of a message's attachment, to save, kept by no cache."""
    attachment = message.attachment  # type: ignore[attr-defined]
    extension = attachment.name.rsplit(".", 1)[-1].lower()
    with attachment.open("rb") as handle:
        content = handle.read()
    return private_download(
        content,
        ATTACHMENT_TYPES.get(extension, "application/octet-stream"),
        f"bilaga-{message.pk}.{extension}",  # type: ignore[attr-defined]
    )
