"""Messages between meetings, the client's side: threads with the care team."""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.coordination.forms.messages import MessageReplyForm, MessageStartForm
from egenmakt.coordination.models import Client, MessageThread
from egenmakt.coordination.selectors import messages as message_selectors
from egenmakt.coordination.services import messages as message_services
from egenmakt.coordination.views.messages import attachment_response

from .common import log_own_read, portal_page, render_tab

# --- Messages between meetings ------------------------------------------------------------------


def _messages_page(
    request: AuthenticatedRequest,
    client: Client,
    form: MessageStartForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render_tab(
        request,
        "portal/messages.html",
        client,
        "messages",
        {
            "threads": message_selectors.threads_for(client, request.user),
            "form": form or MessageStartForm(),
            "may_write": not client.is_frozen,
        },
        status=status,
    )


@portal_page
@require_GET
def messages_list(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    log_own_read(request, client, "messages")
    return _messages_page(request, client)


@portal_page
@require_POST
def message_start(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    form = MessageStartForm(request.POST, request.FILES)
    if not form.is_valid():
        log_own_read(request, client, "messages")
        return _messages_page(request, client, form, status=400)
    data = form.cleaned_data
    thread = message_services.start_thread(
        user=request.user,
        client=client,
        subject=data["subject"],
        text=data["text"],
        attachment=data["attachment"],
    )
    flash.success(request, _("Your message is sent to your care team."))
    return redirect("portal:message_thread", thread.pk)


def _thread_page(
    request: AuthenticatedRequest,
    client: Client,
    thread: MessageThread,
    form: MessageReplyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    log_own_read(request, client, "messages", thread)
    rows = message_selectors.messages_of(thread)
    message_services.mark_read(user=request.user, thread=thread)
    return render_tab(
        request,
        "portal/message_thread.html",
        client,
        "messages",
        {
            "thread": thread,
            "rows": rows,
            "form": form or MessageReplyForm(),
            "may_write": not client.is_frozen,
        },
        status=status,
    )


@portal_page
@require_GET
def message_thread(request: AuthenticatedRequest, client: Client, thread_id: int) -> HttpResponse:
    return _thread_page(request, client, message_selectors.get_thread(client, thread_id))


@portal_page
@require_POST
def message_reply(request: AuthenticatedRequest, client: Client, thread_id: int) -> HttpResponse:
    thread = message_selectors.get_thread(client, thread_id)
    form = MessageReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _thread_page(request, client, thread, form, status=400)
    message_services.reply(
        user=request.user,
        thread=thread,
        text=form.cleaned_data["text"],
        attachment=form.cleaned_data["attachment"],
    )
    flash.success(request, _("Your message is sent to your care team."))
    return redirect("portal:message_thread", thread.pk)


@portal_page
@require_GET
def message_attachment(
    request: AuthenticatedRequest, client: Client, message_id: int
) -> HttpResponse:
    message = message_selectors.get_attachment(client, message_id)
    log_own_read(request, client, "message attachment", message)
    return attachment_response(message)
