"""The public side of recruitment: the application form and the applicant's own page.

No login: the round's link (an unguessable key) opens its form; the applicant's private
link (a signed token) opens their status page. Posting an application is rate-limited per
address and CSRF-protected like every form.
"""

from __future__ import annotations

import contextlib

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import get_usage

from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.peer.forms.common import LONG_TEXT_LIMIT
from egenmakt.peer.forms.recruitment import ApplicationForm, WithdrawConfirmForm
from egenmakt.peer.models import RecruitmentRound
from egenmakt.peer.selectors.recruitment import closed_to_applicants
from egenmakt.peer.services import recruitment as services

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


def status(request: HttpRequest, token: str) -> HttpResponse:
    application = services.application_by_token(token)
    if application is None:
        raise Http404
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
    return render(
        request,
        "peer/public/status.html",
        {
            "application": application,
            "round": application.round,
            "interview": interview,
            "decision": decision,
            "token": token,
            "can_withdraw": application.status not in {"withdrawn", "declined", "not_now"},
        },
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
