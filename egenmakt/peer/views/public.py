"""The public side of recruitment: the application form and the applicant's own page.

No login: the round's link (an unguessable key) opens its form; the applicant's private
link (a signed token) opens their status page, where they download their data and may
erase their application. Posting an application is rate-limited per address and
CSRF-protected like every form.
"""

from __future__ import annotations

import contextlib
import json
import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import get_usage

from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.core.http import private_download
from egenmakt.peer.forms.common import LONG_TEXT_LIMIT
from egenmakt.peer.forms.recruitment import (
    ApplicationForm,
    EraseConfirmForm,
    WithdrawConfirmForm,
)
from egenmakt.peer.models import Application, RecruitmentRound
from egenmakt.peer.selectors.recruitment import closed_to_applicants
from egenmakt.peer.services import recruitment as services
from egenmakt.peer.services import retention

logger = logging.getLogger(__name__)

# Per address: a person applies once; a shared address (a library, a ward) a few times.
# Only saved applications count toward that, so someone correcting mistakes in the form
# is never locked out; every post counts toward a looser limit against floods.
APPLY_RATE = "5/h"
POST_RATE = "30/h"
RECEIPT_SESSION_KEY = "peer_receipt"


def _round_by_key(public_key: str) -> RecruitmentRound:
    round_ = (
        RecruitmentRound.objects.select_related("organisation")
        .filter(public_key=public_key)
        .exclude(status="draft")
        .first()
    )
    if round_ is None:
        raise Http404
    return round_


def _too_many(request: HttpRequest) -> bool:
    posts = get_usage(request, group="peer.apply", key="ip", rate=POST_RATE, increment=True)
    saved = get_usage(request, group="peer.applied", key="ip", rate=APPLY_RATE)
    # No usage (the cache is down) fails closed: better a retry later than a flood.
    if posts is None or saved is None or posts["should_limit"]:
        return True
    return bool(saved["count"] >= saved["limit"])


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, public_key: str) -> HttpResponse:
    round_ = _round_by_key(public_key)
    context = {
        "round": round_,
        "text_limit": LONG_TEXT_LIMIT,
        "retention_months": round_.retention_months,
    }
    unavailable = closed_to_applicants(round_)
    if unavailable:
        return render(request, "peer/public/unavailable.html", {**context, "reason": unavailable})
    if request.method == "POST":
        if _too_many(request):
            return render(request, "peer/public/rate_limited.html", context, status=429)
        form = ApplicationForm(request.POST)
        if form.is_valid():
            try:
                application = services.submit_application(
                    round_=round_,
                    data=form.application_data(),
                    language=get_language() or "sv",
                    accepted_notice=form.cleaned_data["accept_notice"],
                )
            except services.RecruitmentError as exc:
                form.add_error(None, str(exc))
            else:
                get_usage(request, group="peer.applied", key="ip", rate=APPLY_RATE, increment=True)
                request.session[RECEIPT_SESSION_KEY] = services.status_token(application)
                return redirect("peer_public:receipt", round_.public_key)
        return render(request, "peer/public/apply.html", {**context, "form": form}, status=400)
    return render(request, "peer/public/apply.html", {**context, "form": ApplicationForm()})


def receipt(request: HttpRequest, public_key: str) -> HttpResponse:
    round_ = _round_by_key(public_key)
    token = request.session.get(RECEIPT_SESSION_KEY)
    application = services.application_by_token(token) if token else None
    if application is None or application.round_id != round_.pk:
        return redirect("peer_public:apply", round_.public_key)
    return render(
        request,
        "peer/public/receipt.html",
        {
            "round": round_,
            "application": application,
            "status_url": reverse("peer_public:status", args=[token]),
        },
    )


def _by_token(token: str) -> Application:
    """The application the private link opens; a wrong or replaced link is not there."""
    application = services.application_by_token(token)
    if application is None:
        raise Http404
    return application


def _private(response: HttpResponse) -> HttpResponse:
    """The applicant's own pages hold their data: no copy in any cache."""
    response["Cache-Control"] = "no-store"
    return response


def status(request: HttpRequest, token: str) -> HttpResponse:
    application = _by_token(token)
    log_access(
        request=request,
        action=Action.VIEW,
        person=application,
        obj=application,
        reason="applicant's own page",
    )
    interview = (
        application.interviews.filter(cancelled_at__isnull=True, held_at__isnull=True)
        .order_by("starts_at")
        .first()
    )
    decision = application.decisions.exclude(letter_queued_at=None).order_by("-decided_at").first()
    return _private(
        render(
            request,
            "peer/public/status.html",
            {
                "application": application,
                "round": application.round,
                "interview": interview,
                "decision": decision,
                "token": token,
                "can_withdraw": application.status not in {"withdrawn", "declined", "not_now"},
                "can_erase": retention.may_erase_now(application),
            },
        )
    )


@require_POST
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    application = services.application_by_token(token)
    if application is None:
        raise Http404
    form = WithdrawConfirmForm(request.POST)
    if not (form.is_valid() and form.cleaned_data["confirm"]):
        return redirect("peer_public:status", token)
    # Withdrawing twice (a double click) leaves it withdrawn: nothing to tell.
    with contextlib.suppress(services.RecruitmentError):
        services.withdraw_application(application=application)
    return redirect("peer_public:status", token)


# --- The applicant's rights: their data as a file, and erasure now ----------------------


@require_GET
def export(request: HttpRequest, token: str) -> HttpResponse:
    """Everything the registry lists about the applicant, as a JSON file (GDPR art. 15, 20)."""
    application = _by_token(token)
    data = services.export_own_data(application=application)
    content = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    name = f"mina-uppgifter-{timezone.localdate():%Y%m%d}.json"
    return private_download(content, "application/json; charset=utf-8", name)


def _erase_page(
    request: HttpRequest,
    token: str,
    application: Application,
    form: EraseConfirmForm,
    status: int = 200,
) -> HttpResponse:
    return _private(
        render(
            request,
            "peer/public/erase.html",
            {
                "application": application,
                "round": application.round,
                "token": token,
                "form": form,
                "can_erase": retention.may_erase_now(application),
            },
            status=status,
        )
    )


@require_GET
def erase(request: HttpRequest, token: str) -> HttpResponse:
    """What erasing means, and the box to confirm it (the erasure itself is a POST)."""
    application = _by_token(token)
    log_access(
        request=request,
        action=Action.VIEW,
        person=application,
        obj=application,
        reason="applicant's own page: erase",
    )
    return _erase_page(request, token, application, EraseConfirmForm())


@require_POST
def erase_now(request: HttpRequest, token: str) -> HttpResponse:
    application = _by_token(token)
    form = EraseConfirmForm(request.POST)
    if form.is_valid():
        try:
            retention.erase_application_now(application)
        except retention.ErasureRefusedError as exc:
            form.add_error(None, str(exc))
        except retention.ErasureIncompleteError as exc:
            # A table still held the applicant's data: nothing was erased. The columns, not
            # the values, go to the error log for the operators.
            logger.error("Erasure of application %s left data in: %s", application.pk, exc)
            form.add_error(
                None,
                _(
                    "We could not erase your application just now, and nothing was erased. "
                    "We have been told of the fault; please try again later or contact "
                    "%(organisation)s."
                )
                % {"organisation": application.round.organisation.name},
            )
            return _erase_page(request, token, application, form, status=500)
        else:
            return redirect("peer_public:erased")
    return _erase_page(request, token, application, form, status=400)


@require_GET
def erased(request: HttpRequest) -> HttpResponse:
    """The thank-you page after an erasure: the private link no longer opens anything."""
    return render(request, "peer/public/erased.html")
