"""The work log: the peer supporter's "Mitt arbete" (one short form, then the month), and
the supervisor's monthly summaries of the peer supporters they supervise."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import holds_role
from egenmakt.accounts.types import AuthenticatedRequest, Viewer
from egenmakt.audit.services import log_list_access
from egenmakt.core.http import page_rule, protected_object
from egenmakt.peer.forms.worklog import WorkLogForm
from egenmakt.peer.models import EDITABLE_DAYS, WorkLogEntry
from egenmakt.peer.selectors import worklog
from egenmakt.peer.services import worklog as worklog_services
from egenmakt.peer.services.recruitment import RecruitmentError


def is_peer_supporter(user: Viewer) -> bool:
    return holds_role(user, Role.PEER_SUPPORTER)


def is_supervisor(user: Viewer) -> bool:
    return holds_role(user, Role.SUPERVISOR)


def _resolve_entry(request: HttpRequest, entry_id: object) -> WorkLogEntry:
    return worklog.get_own_entry(request.user, entry_id)


# One's own entries only: nobody else reaches an entry (404), so a read logs nothing.
entry_view = protected_object(url_kwarg="entry_id", resolve=_resolve_entry)


def _month_page(
    request: AuthenticatedRequest, form: WorkLogForm, status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    month = worklog.parse_month(request.GET.get("month"), today)
    entries = list(worklog.entries_of(request.user, month))
    return render(
        request,
        "peer/work_log.html",
        {
            "form": form,
            "month": month,
            "this_month": month == today.replace(day=1),
            "entries": [(e, worklog.is_editable(e, today)) for e in entries],
            "summary": worklog.summarise(month, [(e.kind, e.minutes, e.themes) for e in entries]),
            "earlier": worklog.earlier_months(month),
            "later": None if month == today.replace(day=1) else worklog.later_month(month),
            "can_log": form.fields["placement"].queryset.exists(),  # type: ignore[attr-defined]
            "editable_days": EDITABLE_DAYS,
        },
        status=status,
    )


@login_required
@require_GET
@page_rule(is_peer_supporter, "work log")
def work_log(request: AuthenticatedRequest) -> HttpResponse:
    placements = worklog.placements_recent(request.user, timezone.localdate())
    return _month_page(request, WorkLogForm(placements=placements))


@login_required
@require_POST
@page_rule(is_peer_supporter, "work log")
def work_log_add(request: AuthenticatedRequest) -> HttpResponse:
    placements = worklog.placements_recent(request.user, timezone.localdate())
    form = WorkLogForm(request.POST, placements=placements)
    if form.is_valid():
        data = form.cleaned_data
        try:
            worklog_services.record_entry(
                user=request.user,
                placement=data["placement"],
                day=data["day"],
                kind=data["kind"],
                minutes=data["minutes"],
                setting=data["setting"],
                themes=data["themes"],
            )
        except RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved in your work log."))
            return redirect(f"{reverse('peer:work_log')}?month={data['day']:%Y-%m}")
    return _month_page(request, form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
@entry_view(allow=lambda entry: worklog.is_editable(entry), reason="work log entry too old")
def work_log_edit(request: AuthenticatedRequest, entry: WorkLogEntry) -> HttpResponse:
    placements = worklog.placements_recent(request.user, timezone.localdate())
    form = WorkLogForm.for_entry(
        entry, placements, request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            worklog_services.change_entry(
                user=request.user,
                entry=entry,
                placement=data["placement"],
                day=data["day"],
                kind=data["kind"],
                minutes=data["minutes"],
                setting=data["setting"],
                themes=data["themes"],
            )
        except RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The entry is changed."))
            return redirect(f"{reverse('peer:work_log')}?month={entry.day:%Y-%m}")
    return render(
        request,
        "peer/work_log_edit.html",
        {"form": form, "entry": entry},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
@entry_view(allow=lambda entry: worklog.is_editable(entry), reason="work log entry too old")
def work_log_delete(request: AuthenticatedRequest, entry: WorkLogEntry) -> HttpResponse:
    month = entry.day
    worklog_services.delete_entry(user=request.user, entry=entry)
    messages.success(request, _("The entry is removed."))
    return redirect(f"{reverse('peer:work_log')}?month={month:%Y-%m}")


@login_required
@require_GET
@page_rule(is_supervisor, "supervisees' work logs")
def supervisee_work(request: AuthenticatedRequest) -> HttpResponse:
    """Each supervisee's month in summary: counts by kind, time and themes, no entries."""
    today = timezone.localdate()
    month = worklog.parse_month(request.GET.get("month"), today)
    rows = worklog.supervisee_summaries(request.user, month, today)
    log_list_access(
        request=request, people=[person for person, _summary in rows], reason="work log summary"
    )
    return render(
        request,
        "peer/supervisee_work.html",
        {
            "rows": rows,
            "month": month,
            "earlier": worklog.earlier_months(month),
            "later": None if month == today.replace(day=1) else worklog.later_month(month),
        },
    )
