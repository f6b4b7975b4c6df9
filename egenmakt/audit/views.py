"""The auditor's pages: search the access log and export it as CSV.

The auditor's own reading is logged too (PDL 4 kap. 3 §: the log is checkable, and that
includes checking the checker): each page of a search and each export writes one row with
the names of the filters used, never their values, since a name typed into the search is
itself personal data. A search narrowed to one person names that person on the row, so the
person's own log extract shows that their log was looked at. The rows a page lists carry ids
only (no health data); the page shows whose data each row is about by the person's current
name (looked up when shown, never copied into the log), the CSV by kind and id. The row per
search, not one per listed row, is what makes the auditor's reads findable without burying
the reads the log exists for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from egenmakt.accounts.rules import is_auditor
from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.core.http import View, protected_object, with_rule
from egenmakt.core.tabular import csv_lines, streaming_csv_response

from .forms import AccessLogSearchForm, EmergencyReviewForm, LogReviewItemForm, LogReviewStartForm
from .models import (
    SAMPLED,
    AccessLog,
    Action,
    EmergencyAccess,
    LogReview,
    Outcome,
    Verdict,
    kind_label,
)
from .reasons import reason_label
from .review import reason_labels
from .selectors import (
    access_log_for_auditor,
    audited_units,
    emergency_accesses_for_auditor,
    keyset_page,
    log_reviews_for_auditor,
    review_items,
    search_access_log,
    with_display,
    with_person_names,
    with_reason_labels,
)
from .services import (
    PersonKey,
    Refused,
    finish_log_review,
    log_list_access,
    record_review_outcome,
    review_emergency_access,
    start_log_review,
)

PAGE_SIZE = 50
PAGE_PARAM = "sida"
# The access log's pages are found by where the neighbouring page ended (selectors.keyset_page).
OLDER_PARAM = "aldre"
NEWER_PARAM = "nyare"


def _searched(request: HttpRequest) -> tuple[AccessLogSearchForm, QuerySet[AccessLog]]:
    data = request.GET.copy()
    for param in (PAGE_PARAM, OLDER_PARAM, NEWER_PARAM):
        data.pop(param, None)
    form = AccessLogSearchForm(data or None)
    rows = access_log_for_auditor(request.user)
    if form.is_bound and form.is_valid():
        rows = search_access_log(rows, **form.cleaned_data)
    elif form.is_bound:
        rows = rows.none()
    return form, rows


def _log_search(request: HttpRequest, form: AccessLogSearchForm, action: str) -> None:
    """One row for this search, naming the person searched for (if any) but no search term."""
    used = [name for name in form.fields if form.data.get(name)]
    searched: list[PersonKey] = []
    if form.is_bound and form.is_valid() and form.cleaned_data.get("person_type"):
        searched.append((form.cleaned_data["person_type"], form.cleaned_data["person_id"]))
    what = "access log CSV export" if action == Action.EXPORT else "access log search"
    log_list_access(
        request=request,
        action=action,
        people=searched,
        reason=f"{what}: {', '.join(used)}" if used else what,
    )


def _require_auditor(request: HttpRequest, action: str) -> None:
    """Everyone but the auditor is refused, and the refusal names the act tried."""
    if not is_auditor(request.user):
        raise Refused("access log", action=action)


def auditor_page(action: str) -> Callable[[View], View]:
    """The auditor's own pages; anyone else is refused (logged by handler403)."""

    def wrap(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            _require_auditor(request, action)
            return view(request, *args, **kwargs)

        return with_rule(wrapped, is_auditor)

    return wrap


def _resolve_grant(request: HttpRequest, grant_id: Any) -> EmergencyAccess:
    # Non-auditors are refused before the grant is looked up.
    _require_auditor(request, Action.CHANGE)
    # Another organisation's grant answers as if it did not exist.
    grant = emergency_accesses_for_auditor(request.user).filter(pk=grant_id).first()
    if grant is None:
        raise Http404
    return grant


# An emergency access named in the URL, for its review (a POST: nothing to log as a read).
grant_view = protected_object(url_kwarg="grant_id", resolve=_resolve_grant)


def _render_page(request: HttpRequest, form: AccessLogSearchForm, rows: Any) -> HttpResponse:
    """Newest first, 50 rows a page, with links to older and newer rows; no total count
    (that would be a COUNT(*) over the whole log on every page)."""
    page = keyset_page(
        rows,
        older=request.GET.get(OLDER_PARAM),
        newer=request.GET.get(NEWER_PARAM),
        size=PAGE_SIZE,
    )
    with_person_names(page.object_list)
    with_reason_labels(page.object_list)
    with_display(page.object_list)
    query = request.GET.copy()
    for param in (PAGE_PARAM, OLDER_PARAM, NEWER_PARAM):
        query.pop(param, None)
    return render(
        request,
        "audit/access_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
@auditor_page(Action.VIEW)
def access_log(request: AuthenticatedRequest) -> HttpResponse:
    form, rows = _searched(request)
    # Before a row is shown; if it cannot be written, nothing is.
    _log_search(request, form, Action.VIEW)
    return _render_page(request, form, rows)


def _csv_lines(rows: QuerySet[AccessLog]) -> Iterator[str]:
    """The export's lines. Every label is translated here, in the request's language: the
    lines themselves are produced after the view has returned, while the file streams."""
    header = [
        _("Time (UTC)"),
        _("User"),
        _("User's e-mail"),
        _("Action"),
        _("Outcome"),
        _("Kind of person"),
        _("Person's id"),
        _("Kind of object"),
        _("Object id"),
        _("Organisation"),
        _("Reason"),
        _("Reason, in words"),
        _("Emergency access"),
        _("Page"),
        _("IP address"),
    ]
    actions = {value: str(label) for value, label in Action.choices}
    outcomes = {value: str(label) for value, label in Outcome.choices}
    kinds = {ct.pk: kind_label(ct) for ct in ContentType.objects.all()}
    yes = _("yes")

    # A generator, so the rows are read (in chunks) only while the file streams.
    values = (
        (
            row.occurred_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            row.actor.full_name if row.actor else "",
            row.actor.email if row.actor else "",
            actions.get(row.action, row.action),
            outcomes.get(row.outcome, row.outcome),
            kinds.get(row.person_type_id, "") if row.person_type_id else "",
            row.person_id,
            kinds.get(row.object_type_id, "") if row.object_type_id else "",
            row.object_id,
            row.organisation.name if row.organisation else "",
            row.reason,
            reason_label(row.reason),
            yes if row.emergency else "",
            row.path,
            row.ip_address or "",
        )
        for row in rows.iterator(chunk_size=2000)
    )
    return csv_lines(header, values)


@login_required
@require_GET
@auditor_page(Action.EXPORT)
def access_log_csv(request: AuthenticatedRequest) -> HttpResponseBase:
    form, rows = _searched(request)
    if form.errors:
        # Show what is wrong instead of handing over an empty file.
        _log_search(request, form, Action.VIEW)
        return _render_page(request, form, rows)
    # Written before a single line leaves; if it cannot be written, nothing is exported.
    _log_search(request, form, Action.EXPORT)
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    return streaming_csv_response(_csv_lines(rows), filename=f"atkomstlogg-{stamp}.csv")


# --- Emergency accesses to review ------------------------------------------------------------


@login_required
@require_GET
@auditor_page(Action.VIEW)
def emergency_list(request: AuthenticatedRequest) -> HttpResponse:
    """Every emergency access, those not yet reviewed first, with what was opened."""
    rows = (
        emergency_accesses_for_auditor(request.user)
        .select_related("actor", "reviewed_by", "person_type")
        .order_by(F("reviewed_at").asc(nulls_first=True), "-granted_at")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get(PAGE_PARAM))
    # The page names each person whose record was opened (by name, as the access log does:
    # "Klient #15" told the auditor nothing, issue 26) and the reason written for it.
    with_person_names(page.object_list)
    log_list_access(
        request=request,
        people=[(grant.person_type, grant.person_id) for grant in page.object_list],
        reason="emergency accesses to review",
    )
    return render(
        request,
        "audit/emergency_list.html",
        {"page": page, "verdicts": Verdict.choices, "now": timezone.now()},
    )


@login_required
@require_POST
@grant_view()
def emergency_review(request: AuthenticatedRequest, grant: EmergencyAccess) -> HttpResponse:
    form = EmergencyReviewForm(request.POST)
    if not form.is_valid():
        # The note's own message (control characters) where it is the note that is wrong.
        note_errors = form.errors.get("note")
        messages.error(
            request,
            " ".join(str(e) for e in note_errors)
            if note_errors
            else _("Choose a verdict; an access is reviewed only once."),
        )
        return redirect("audit:emergency")
    try:
        review_emergency_access(
            reviewer=request.user,
            grant=grant,
            verdict=form.cleaned_data["verdict"],
            note=form.cleaned_data["note"],
        )
    except PermissionError:
        messages.error(request, _("Nobody reviews their own emergency access."))
    except ValueError:
        messages.error(request, _("Choose a verdict; an access is reviewed only once."))
    else:
        messages.success(request, _("The review is saved."))
    return redirect("audit:emergency")


# --- Log review (loggkontroll) ------------------------------------------------------------------


@dataclass(frozen=True)
class OpenedReview:
    review: LogReview


def _resolve_review(request: HttpRequest, review_id: Any) -> OpenedReview:
    # Non-auditors are refused before the review is looked up.
    _require_auditor(request, Action.VIEW if request.method in ("GET", "HEAD") else Action.CHANGE)
    review = (
        log_reviews_for_auditor(request.user)
        .select_related("organisation", "created_by", "finished_by")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise Http404
    return OpenedReview(review)


def _log_review_read(request: HttpRequest, opened: OpenedReview, **_kwargs: Any) -> None:
    # One row for the page, as for a page of the access log (see the module's text).
    log_list_access(
        request=request,
        people=[],
        obj=opened.review,
        organisation=opened.review.organisation,
        reason="log review",
    )


review_view = protected_object(
    url_kwarg="review_id", resolve=_resolve_review, log_read=_log_review_read
)


def _start_form(request: HttpRequest, data: Any = None) -> LogReviewStartForm:
    today = timezone.localdate()
    last_month_end = today.replace(day=1) - timedelta(days=1)
    return LogReviewStartForm(
        data,
        units=audited_units(request.user),
        initial={"period_start": last_month_end.replace(day=1), "period_end": last_month_end},
    )


def _render_reviews(
    request: HttpRequest, form: LogReviewStartForm, status: int = 200
) -> HttpResponse:
    reviews = (
        log_reviews_for_auditor(request.user)
        .select_related("organisation", "created_by")
        .annotate(
            item_count=Count("items"),
            done_count=Count("items", filter=~Q(items__outcome="")),
        )
        .order_by("-created_at", "-id")
    )
    page = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get(PAGE_PARAM))
    return render(request, "audit/log_reviews.html", {"form": form, "page": page}, status=status)


@login_required
@require_GET
@auditor_page(Action.VIEW)
def log_reviews(request: AuthenticatedRequest) -> HttpResponse:
    """The reviews of the auditor's units (no personal data: units, periods, counts)."""
    return _render_reviews(request, _start_form(request))


@login_required
@require_POST
@auditor_page(Action.CREATE)
def log_review_start(request: AuthenticatedRequest) -> HttpResponse:
    form = _start_form(request, request.POST)
    if form.is_valid():
        try:
            review = start_log_review(
                auditor=request.user,
                organisation=form.cleaned_data["organisation"],
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                sample_size=form.cleaned_data["sample_size"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The review is drawn. Give each read an outcome."))
            return redirect("audit:log_review", review_id=review.pk)
    return _render_reviews(request, form, status=400)


def _render_review(
    request: HttpRequest,
    review: LogReview,
    *,
    bound: tuple[int, LogReviewItemForm] | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    labels = reason_labels()
    items = list(review_items(review))
    with_person_names(item.log_row for item in items)
    with_reason_labels(item.log_row for item in items)
    rows = []
    for item in items:
        if bound is not None and bound[0] == item.pk:
            form = bound[1]
        else:
            form = LogReviewItemForm(
                initial={"outcome": item.outcome, "note": item.note}, prefix=f"item-{item.pk}"
            )
        reasons = [(code, labels.get(code, code)) for code in item.reason_codes]
        rows.append((item, reasons, form))
    done = sum(1 for item in items if item.outcome)
    return render(
        request,
        "audit/log_review.html",
        {
            "review": review,
            "rows": rows,
            "done": done,
            "total": len(items),
            "sampled": sum(1 for item in items if SAMPLED in item.reason_codes),
            "errors": errors or [],
        },
        status=status,
    )


@login_required
@require_GET
@review_view()
def log_review(request: AuthenticatedRequest, opened: OpenedReview) -> HttpResponse:
    return _render_review(request, opened.review)


@login_required
@require_POST
@review_view()
def log_review_item(
    request: AuthenticatedRequest, opened: OpenedReview, item_id: int
) -> HttpResponse:
    item = opened.review.items.filter(pk=item_id).first()
    if item is None:
        raise Http404
    form = LogReviewItemForm(request.POST, prefix=f"item-{item.pk}")
    if form.is_valid():
        try:
            record_review_outcome(
                auditor=request.user,
                item=item,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(
                reverse("audit:log_review", kwargs={"review_id": opened.review.pk})
                + f"#item-{item.pk}"
            )
    return _render_review(request, opened.review, bound=(item.pk, form), status=400)


@login_required
@require_POST
@review_view()
def log_review_finish(request: AuthenticatedRequest, opened: OpenedReview) -> HttpResponse:
    try:
        finish_log_review(auditor=request.user, review=opened.review)
    except ValidationError as error:
        return _render_review(request, opened.review, errors=error.messages, status=400)
    messages.success(request, _("The review is finished."))
    return redirect("audit:log_review", review_id=opened.review.pk)
