"""The relative's own page: a sheet about the client, opened with a one-time link.

No account and no sign-in: the link is the credential (``services.relatives``). The page
shows the sheet and nothing of the client's record: not the client's name, not other
sheets, not other relatives' answers. An unknown, expired, revoked or used link answers the
same 404 page, so the page tells nobody which it was. Requests are counted per address
(django-ratelimit, as the portal's sign-in link and the PEER application form).
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import get_usage

from egenmakt.coordination.models import RelativeLink
from egenmakt.coordination.services import relatives as services
from egenmakt.coordination.services.common import CoordinationError
from egenmakt.core.context import current_request_context, request_context
from egenmakt.instruments.answers import InvalidAnswersError
from egenmakt.instruments.forms import AnswerStateForm
from egenmakt.instruments.renderer import AnswerForm
from egenmakt.instruments.schema import text

# Per address: enough for a family answering on one connection, too few to guess tokens.
SHEET_RATE = "60/h"
TOKEN_PLACEHOLDER = "-"  # noqa: S105 (what stands in the log for the token, no secret)


def _too_many(request: HttpRequest) -> bool:
    usage = get_usage(request, group="relatives.sheet", key="ip", rate=SHEET_RATE, increment=True)
    # No usage (the cache is down) fails closed, as the application form does.
    return usage is None or bool(usage["should_limit"])


def _invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "coordination/relatives/invalid.html", status=404)


def _without_token(token: str) -> AbstractContextManager[None]:
    """The access log keeps the page's path, but never the token, which is a key."""
    context = current_request_context()
    return request_context(context.path.replace(token, TOKEN_PLACEHOLDER), context.ip_address)


def _page(
    request: HttpRequest,
    link: RelativeLink,
    form: AnswerForm,
    *,
    status: int = 200,
) -> HttpResponse:
    definition = link.definition
    return render(
        request,
        "coordination/relatives/sheet.html",
        {
            "form": form,
            "title": definition.title(),
            "instrument_help": text(definition.definition.get("help"), get_language()),
            "organisation": link.organisation.name,
            "expires": link.expires_at,
        },
        status=status,
    )


@never_cache  # the page holds the relative's saved answers: never kept by a browser or proxy
@require_http_methods(["GET", "POST"])
def sheet(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the sheet with what was saved; POST saves to go on later, or sends."""
    if _too_many(request):
        return render(request, "coordination/relatives/too_many.html", status=429)
    link = services.find_live_link(token)
    if link is None:
        return _invalid(request)
    definition = link.definition.definition
    language = get_language()
    with _without_token(token):
        if request.method == "GET":
            services.log_relative_opened(link)
            return _page(
                request, link, AnswerForm(definition, language=language, answers=link.draft_answers)
            )
        state = AnswerStateForm(request.POST)
        state.is_valid()  # optional text fields: always valid
        form = AnswerForm(definition, language=language, data=request.POST, add_row=state.add_row)
        form.is_valid()
        if state.add_row:
            services.log_relative_opened(link)
            return _page(request, link, form)
        try:
            if state.submits:
                services.submit_relative_sheet(link=link, answers=form.raw_answers())
            else:
                services.save_relative_draft(link=link, answers=form.raw_answers())
        except InvalidAnswersError as exc:
            form.set_item_errors(exc.errors)
            services.log_relative_opened(link)
            return _page(request, link, form, status=400)
        except CoordinationError:
            return _invalid(request)
    if state.submits:
        return redirect("relatives:thanks")
    messages.success(request, _("Saved. You can open the link again and go on later."))
    return redirect(reverse("relatives:sheet", args=[token]))


@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "coordination/relatives/thanks.html")
