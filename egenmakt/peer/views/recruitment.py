"""Staff pages of recruitment: rounds, applications (list and board), interviews,
decisions, letters and the funnel.

Every page that shows an applicant's data writes an access-log row before rendering;
rounds, applications and interviews outside the user's reach answer 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from egenmakt.accounts.models import Organisation, User
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import held_roles
from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access, log_list_access
from egenmakt.core.http import page_rule, row_urls
from egenmakt.core.tabular import Table, csv_response
from egenmakt.peer import letters
from egenmakt.peer.forms.recruitment import (
    ApplicationFilterForm,
    DecisionForm,
    LetterTemplateForm,
    MemberForm,
    RoundForm,
)
from egenmakt.peer.models import (
    DecisionStep,
    RoundMember,
    RoundStatus,
)
from egenmakt.peer.rules import may_create_cohort_in, may_edit_plan
from egenmakt.peer.selectors import recruitment as selectors
from egenmakt.peer.selectors.handbook import coordinator_check
from egenmakt.peer.selectors.letters import letters_for
from egenmakt.peer.services import letters as letters_services
from egenmakt.peer.services import recruitment as services
from egenmakt.peer.views.common import (
    OpenedApplication,
    OpenedRound,
    application_view,
    round_view,
)

PAGE_SIZE = 25
PAGE_PARAM = "sida"


def _coordinator_organisations(user: User) -> list[Organisation]:
    ids = [h.organisation_id for h in held_roles(user) if h.role == Role.COORDINATOR]
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


# --- Rounds ----------------------------------------------------------------------------


def may_open_rounds(user: User) -> bool:
    """The list of rounds: coordinators (who create rounds), interviewers, and anyone a
    round names as one of its people."""
    roles = {h.role for h in held_roles(user)}
    if roles & {Role.COORDINATOR, Role.INTERVIEWER}:
        return True
    return selectors.rounds_for(user).exists()


@login_required
@page_rule(may_open_rounds, "recruitment rounds")
def round_list(request: AuthenticatedRequest) -> HttpResponse:
    organisations = _coordinator_organisations(request.user)
    rounds = list(selectors.rounds_for(request.user))
    return render(
        request,
        "peer/round_list.html",
        {"rounds": rounds, "can_create": bool(organisations), "today": timezone.localdate()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: AuthenticatedRequest) -> HttpResponse:
    organisations = _coordinator_organisations(request.user)
    if not organisations:
        raise PermissionDenied("create recruitment round")
    form = RoundForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "organisation"}
        round_ = services.create_round(
            user=request.user,
            organisation=form.cleaned_data["organisation"],
            **data,
        )
        messages.success(request, _("The round is created. Add its people, then open it."))
        return redirect("peer:round", round_.pk)
    return render(
        request,
        "peer/round_form.html",
        {"form": form, "creating": True},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@round_view(allow=lambda o: o.is_coordinator, reason="edit recruitment round", log=False)
def round_edit(request: AuthenticatedRequest, opened: OpenedRound) -> HttpResponse:
    round_ = opened.round
    form = RoundForm(request.POST or None, instance=round_)
    if request.method == "POST" and form.is_valid():
        services.update_round(user=request.user, round_=round_, **form.cleaned_data)
        messages.success(request, _("The round is saved."))
        return redirect("peer:round", round_.pk)
    # A ModelForm writes into its instance while validating; read the round afresh.
    round_.refresh_from_db()
    return render(
        request,
        "peer/round_form.html",
        {"form": form, "round": round_, "creating": False},
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
@round_view(reason="round page")
def round_detail(request: AuthenticatedRequest, opened: OpenedRound) -> HttpResponse:
    round_ = opened.round
    coordinator = opened.is_coordinator
    return render(
        request,
        "peer/round_detail.html",
        {
            "round": round_,
            "is_coordinator": coordinator,
            "timeline": selectors.timeline(round_),
            "people": selectors.round_people(round_),
            "funnel": selectors.funnel(round_) if coordinator else [],
            "checks": [coordinator_check(round_)] if coordinator else [],
            "pending_letters": len(letters_services.pending_letters(round_)) if coordinator else 0,
            "public_url": request.build_absolute_uri(
                reverse("peer_public:apply", args=[round_.public_key])
            ),
            "statuses": RoundStatus,
            "can_form_cohort": coordinator
            and may_create_cohort_in(request.user, round_.organisation)
            and round_.applications.filter(status="admitted", participant=None).exists(),
        },
    )


def _set_round_status(
    request: AuthenticatedRequest, opened: OpenedRound, status: str
) -> HttpResponse:
    round_ = opened.round
    try:
        services.set_round_status(user=request.user, round_=round_, status=status)
    except services.RecruitmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("The round is now: %(status)s.") % {"status": RoundStatus(status).label}
        )
    return redirect("peer:round", round_.pk)


@login_required
@require_POST
@round_view(allow=lambda o: o.is_coordinator, reason="round status")
def round_open(request: AuthenticatedRequest, opened: OpenedRound) -> HttpResponse:
    """Open the round for applications (its public form answers from now on)."""
    return _set_round_status(request, opened, RoundStatus.OPEN)


@login_required
@require_POST
@round_view(allow=lambda o: o.is_coordinator, reason="round status")
def round_close(request: AuthenticatedRequest, opened: OpenedRound) -> HttpResponse:
    """Close the round; the retention clock for its applications starts."""
    return _set_round_status(request, opened, RoundStatus.CLOSED)


@login_required
@require_http_methods(["GET", "POST"])
@round_view(allow=lambda o: o.is_coordinator, reason="round people", log=False)
def round_people(request: AuthenticatedRequest, opened: OpenedRound) -> HttpResponse:
    round_ = opened.round
    form = MemberForm(request.POST or None, candidates=selectors.people_who_can_join(round_))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_round_member(
                user=request.user,
                round_=round_,
                person=form.cleaned_data["person"],
                role=form.cleaned_data["role"],
                represents_user_movement=form.cleaned_data["represents_user_movement"],
                has_lived_experience=form.cleaned_data["has_lived_experience"],
            )
        except services.RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(name)s is added to the round.")
                % {"name": form.cleaned_data["person"].full_name},
            )
            return redirect("peer:round_people", round_.pk)
    return render(
        request,
        "peer/round_people.html",
        {"round": round_, "people": selectors.round_people(round_), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
@round_view()
def round_member_remove(
    request: AuthenticatedRequest, opened: OpenedRound, member_id: int
) -> HttpResponse:
    round_ = opened.round
    member = (
        RoundMember.objects.filter(round=round_, pk=member_id)
        .select_related("round", "user")
        .first()
    )
    if member is None:
        raise Http404
    try:
        services.remove_round_member(user=request.user, member=member)
    except services.RecruitmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("%(name)s is no longer in the round.") % {"name": member.user.full_name}
        )
    return redirect("peer:round_people", round_.pk)


# --- Applications ----------------------------------------------------------------------


def _filters(request: AuthenticatedRequest) -> tuple[ApplicationFilterForm, dict[str, str]]:
    data = request.GET.copy()
    data.pop(PAGE_PARAM, None)
    form = ApplicationFilterForm(data or None)
    filters = {"status": "", "search": "", "heard_from": "", "work_capacity": "", "sort": "nyast"}
    if form.is_bound and form.is_valid():
        cleaned = form.cleaned_data
        filters.update(
            status=cleaned["status"],
            search=cleaned["q"].strip(),
            heard_from=cleaned["heard_from"],
            work_capacity=cleaned["work_capacity"],
            sort=cleaned["sort"] or "nyast",
        )
    return form, filters


@login_required
@round_view(log=False)
def application_list(request: AuthenticatedRequest, opened: OpenedRound) -> HttpResponse:
    round_ = opened.round
    form, filters = _filters(request)
    rows = selectors.applications_in(request.user, round_, **filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get(PAGE_PARAM))
    log_list_access(request=request, people=page.object_list, obj=round_, reason="application list")
    query = request.GET.copy()
    query.pop(PAGE_PARAM, None)
    return render(
        request,
        "peer/application_list.html",
        {
            "round": round_,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "is_coordinator": opened.is_coordinator,
        },
    )


@login_required
@round_view(log=False)
def application_board(request: AuthenticatedRequest, opened: OpenedRound) -> HttpResponse:
    round_ = opened.round
    search = (request.GET.get("q") or "").strip()[:100]
    columns = selectors.board(request.user, round_, search=search)
    # Each card's link and line are made here once, not by a URL tag and a translation
    # tag per card (a round's board holds up to 200 cards).
    card_url = row_urls("peer:application")
    for column in columns:
        for card in column.cards:
            card.board_url = card_url(card.pk)  # type: ignore[attr-defined]
            applied = _("applied %(date)s") % {
                "date": timezone.localtime(card.submitted_at).date().isoformat()
            }
            card.board_note = (  # type: ignore[attr-defined]
                f"{card.get_status_display()} · {applied}" if column.key == "out" else applied
            )
    log_list_access(
        request=request,
        people=[card for column in columns for card in column.cards],
        obj=round_,
        reason="application board",
    )
    return render(
        request,
        "peer/application_board.html",
        {
            "round": round_,
            "columns": columns,
            "search": search,
            "is_coordinator": opened.is_coordinator,
        },
    )


@login_required
@require_safe
@application_view()
def application_detail(request: AuthenticatedRequest, opened: OpenedApplication) -> HttpResponse:
    return _render_application(request, opened)


def _render_application(
    request: AuthenticatedRequest,
    opened: OpenedApplication,
    *,
    screening_form: DecisionForm | None = None,
    interview_form: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    application = opened.application
    can_decide = opened.may_decide
    step_from = services.STEP_FROM
    context = {
        "application": application,
        "round": application.round,
        "decisions": selectors.decisions_of(application),
        "interviews": selectors.interviews_of(application),
        "can_decide": can_decide,
        "can_screen": can_decide and application.status in step_from[DecisionStep.SCREENING],
        "can_book": can_decide and application.status in {"go_on", "interview_booked"},
        "can_admit": can_decide and application.status in step_from[DecisionStep.INTERVIEW],
        "screening_form": screening_form or DecisionForm(step=DecisionStep.SCREENING),
        "interview_form": interview_form or DecisionForm(step=DecisionStep.INTERVIEW),
        "can_withdraw": can_decide
        and application.status not in {"withdrawn", "declined", "not_now"},
    }
    return render(request, "peer/application_detail.html", context, status=status)


@login_required
@require_POST
@application_view(allow=lambda o: o.may_decide, reason="application decision")
def application_decide(
    request: AuthenticatedRequest, opened: OpenedApplication, step: str
) -> HttpResponse:
    application = opened.application
    if step not in DecisionStep.values:
        raise Http404
    form = DecisionForm(request.POST, step=step)
    if form.is_valid():
        try:
            services.decide(
                user=request.user,
                application=application,
                step=step,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                comment=form.cleaned_data["comment"],
            )
        except services.RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("peer:application", application.pk)
    application.refresh_from_db()
    log_access(request=request, action=Action.VIEW, person=application, obj=application)
    forms = {"screening_form" if step == DecisionStep.SCREENING else "interview_form": form}
    return _render_application(request, opened, status=400, **forms)


@login_required
@require_POST
@application_view()
def application_withdraw(request: AuthenticatedRequest, opened: OpenedApplication) -> HttpResponse:
    application = opened.application
    try:
        services.withdraw_application(application=application, by=request.user)
    except services.RecruitmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The application is withdrawn."))
    return redirect("peer:application", application.pk)


# --- Letters ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@round_view(allow=lambda o: o.is_coordinator, reason="decision letters", log=False)
def round_letters(request: AuthenticatedRequest, opened: OpenedRound) -> HttpResponse:
    round_ = opened.round
    if request.method == "POST":
        count = letters_services.send_decision_letters(user=request.user, round_=round_)
        messages.success(request, _("%(count)s letters are on their way.") % {"count": count})
        return redirect("peer:round_letters", round_.pk)
    templates = letters_for(round_.organisation)
    pending: list[dict[str, Any]] = []
    for decision in letters_services.pending_letters(round_):
        template = letters_services.template_for(decision, templates)
        subject, body = letters_services.letter_text(decision, template) if template else ("", "")
        pending.append({"decision": decision, "subject": subject, "body": body})
    log_list_access(
        request=request,
        people=[item["decision"].application for item in pending],
        obj=round_,
        reason="pending letters",
    )
    return render(request, "peer/round_letters.html", {"round": round_, "pending": pending})


@login_required
@require_http_methods(["GET", "POST"])
def letter_templates(request: AuthenticatedRequest, organisation_id: int) -> HttpResponse:
    # The course content's people (``rules.may_edit_plan``): the organisation's
    # coordinators and administrators, and those of an organisation above it.
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not may_edit_plan(request.user, organisation):
        raise Http404
    templates = letters_for(organisation)
    initial: dict[str, Any] = {}
    chosen = request.GET.get("mall", "")
    template = next((t for t in templates if t.slug == chosen), None) if chosen else None
    if template is not None:
        initial = {
            "outcome": template.outcome,
            "reason": template.reason,
            "language": template.language,
            "subject": template.subject,
            "body": template.body,
        }
    form = LetterTemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            letters_services.save_letter_template(
                user=request.user,
                organisation=organisation,
                **form.cleaned_data,
            )
        except services.RecruitmentError as exc:
            form.add_error("body", str(exc))
        else:
            messages.success(request, _("The letter is saved."))
            return redirect("peer:letter_templates", organisation.pk)
    return render(
        request,
        "peer/letter_templates.html",
        {
            "organisation": organisation,
            "templates": templates,
            "chosen": template,
            "form": form,
            "editing": bool(initial) or request.method == "POST",
            "placeholders": ["{" + p + "}" for p in letters.PLACEHOLDERS],
        },
        status=400 if form.errors else 200,
    )


# --- Funnel ----------------------------------------------------------------------------


@login_required
@round_view(allow=lambda o: o.is_coordinator, reason="funnel", log=False)
def round_funnel(request: AuthenticatedRequest, opened: OpenedRound) -> HttpResponse:
    round_ = opened.round
    rows = selectors.funnel(round_)
    return render(
        request,
        "peer/round_funnel.html",
        {
            "round": round_,
            "rows": rows,
            "bars": selectors.funnel_bars(rows),
            "chart_height": 20 + 34 * len(rows),
        },
    )


@login_required
@require_safe
@round_view(allow=lambda o: o.is_coordinator, reason="funnel CSV", action=Action.EXPORT)
def round_funnel_csv(request: AuthenticatedRequest, opened: OpenedRound) -> HttpResponse:
    round_ = opened.round
    table = Table(
        title=round_.title,
        headers=[_("Round"), _("Stage"), _("Number")],
        rows=[[round_.title, str(row.label), row.count] for row in selectors.funnel(round_)],
    )
    # Without the byte-order mark, as this file has always been written.
    return csv_response(table, filename=f"tratt-{round_.pk}.csv", bom=False)
