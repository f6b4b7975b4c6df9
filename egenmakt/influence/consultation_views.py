"""Pages of consultations (remiss): an area's consultations and a new one (its
coordinators), a consultation's page (the coordinators see every answer, write the summary
and publish; a member of an asked organisation reads the question and answers once for
it), and "my consultations" for the members of asked organisations.

Out of reach is 404; in reach but not allowed is 403 (``core.http.protected_object``);
an answer after the deadline, or a second answer, is refused with 400 and the message.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.audit.services import log_access
from egenmakt.core.http import page_rule, protected_object

from . import consultation_selectors as read
from . import consultation_services as write
from .consultation_forms import AnswerForm, ConsultationForm, PublishForm, SummaryForm
from .models import (
    AskedOrganisation,
    Consultation,
    ConsultationAnswer,
    ConsultationStatus,
    InfluenceOrganisation,
)
from .rules import (
    answers_consultations,
    asked_organisations,
    is_area_coordinator,
    organisations_answering,
    speaks_for,
)
from .services import InfluenceError
from .views import OpenedArea, _coordinates, area_view


class OpenedConsultation(NamedTuple):
    consultation: Consultation
    coordinator: bool
    organisations: list[InfluenceOrganisation]  # the asked organisations the user speaks for


def _resolve(request: HttpRequest, consultation_id: Any) -> OpenedConsultation:
    consultation = (
        Consultation.objects.select_related("area__organisation", "area__co_organisation")
        .filter(pk=consultation_id)
        .first()
    )
    if consultation is None:
        raise Http404
    coordinator = is_area_coordinator(request.user, consultation.area)
    mine = organisations_answering(request.user, consultation)
    if not coordinator and not mine:
        raise Http404
    return OpenedConsultation(consultation, coordinator, mine)


def _log_read(
    request: HttpRequest, opened: OpenedConsultation, *, action: str, reason: str
) -> None:
    log_access(request=request, action=action, obj=opened.consultation, reason=reason)


consultation_view = protected_object(
    url_kwarg="consultation_id", resolve=_resolve, log_read=_log_read
)


def _coordinates_it(opened: OpenedConsultation) -> bool:
    return opened.coordinator


def _answers_for_one(opened: OpenedConsultation) -> bool:
    return bool(opened.organisations)


# --- An area's consultations ---------------------------------------------------------------


def _area_page(
    request: AuthenticatedRequest, opened: OpenedArea, form: ConsultationForm | None = None
) -> HttpResponse:
    area = opened.area
    return render(
        request,
        "influence/consultations.html",
        {
            "area": area,
            "consultations": list(read.area_consultations(area)),
            "form": form or ConsultationForm(organisations=_organisations(area)),
        },
        status=400 if form is not None else 200,
    )


def _organisations(area: Any) -> Any:
    """The area's organisations that can answer: those with an account in Egenmakt."""
    return area.organisations.filter(account__isnull=False).order_by("name")


@login_required
@require_GET
@area_view(allow=_coordinates, reason="consultations")
def area_consultations(request: AuthenticatedRequest, opened: OpenedArea) -> HttpResponse:
    return _area_page(request, opened)


@login_required
@require_POST
@area_view(allow=_coordinates, reason="new consultation")
def consultation_new(request: AuthenticatedRequest, opened: OpenedArea) -> HttpResponse:
    form = ConsultationForm(request.POST, organisations=_organisations(opened.area))
    if form.is_valid():
        data = form.cleaned_data
        try:
            consultation = write.create_consultation(
                user=request.user,
                area=opened.area,
                title=data["title"],
                question=data["question"],
                deadline=data["deadline"],
                organisations=data["organisations"],
            )
        except InfluenceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("The consultation is saved as a draft. Send it when ready.")
            )
            return redirect("influence:consultation", consultation.pk)
    return _area_page(request, opened, form)


# --- My consultations ----------------------------------------------------------------------


@login_required
@require_GET
@page_rule(answers_consultations, "consultations")
def my_consultations(request: AuthenticatedRequest) -> HttpResponse:
    """The consultations asking an organisation the user speaks for, and whether it has
    answered."""
    organisations = [
        o
        for o in InfluenceOrganisation.objects.filter(
            consultations__status__in=[ConsultationStatus.SENT, ConsultationStatus.CLOSED],
            account__isnull=False,
        )
        .select_related("account")
        .distinct()
        .order_by("name")
        if speaks_for(request.user, o)
    ]
    consultations = list(read.consultations_for(organisations))
    answered = set(
        ConsultationAnswer.objects.filter(
            consultation__in=consultations, organisation__in=organisations
        ).values_list("consultation_id", "organisation_id")
    )
    asked = set(
        AskedOrganisation.objects.filter(
            consultation__in=consultations, organisation__in=organisations
        ).values_list("consultation_id", "organisation_id")
    )
    names = {o.pk: o.name for o in organisations}
    rows = [
        {
            "consultation": c,
            "open": read.is_open(c),
            "organisations": [
                (names[org_id], (c.pk, org_id) in answered)
                for consultation_id, org_id in sorted(asked)
                if consultation_id == c.pk
            ],
        }
        for c in consultations
    ]
    return render(request, "influence/my_consultations.html", {"rows": rows})


# --- A consultation ------------------------------------------------------------------------


def _page(
    request: AuthenticatedRequest,
    opened: OpenedConsultation,
    *,
    answer_form: AnswerForm | None = None,
    summary_form: SummaryForm | None = None,
    status: int = 200,
) -> HttpResponse:
    consultation = opened.consultation
    if opened.coordinator:
        answers = read.answers(consultation)
    else:
        answers = [
            a for a in read.answers(consultation) if a.organisation_id in _ids(opened.organisations)
        ]
    answered_ids = {a.organisation_id for a in answers}
    still_to_answer = [o for o in opened.organisations if o.pk not in answered_ids]
    invalid = answer_form is not None or summary_form is not None
    return render(
        request,
        "influence/consultation.html",
        {
            "consultation": consultation,
            "area": consultation.area,
            "is_coordinator": opened.coordinator,
            "asked": asked_organisations(consultation),
            "answers": answers,
            "not_answered": read.not_answered(consultation) if opened.coordinator else [],
            "open": read.is_open(consultation),
            "still_to_answer": still_to_answer,
            "answer_form": answer_form or AnswerForm(organisations=still_to_answer),
            "summary_form": summary_form or SummaryForm(initial={"summary": consultation.summary}),
            "statuses": ConsultationStatus,
        },
        status=status if status != 200 else (400 if invalid else 200),
    )


def _ids(organisations: list[InfluenceOrganisation]) -> set[int]:
    return {o.pk for o in organisations}


@login_required
@require_GET
@consultation_view(reason="consultation")
def consultation(request: AuthenticatedRequest, opened: OpenedConsultation) -> HttpResponse:
    return _page(request, opened)


@login_required
@require_POST
@consultation_view(allow=_coordinates_it, reason="send consultation")
def consultation_send(request: AuthenticatedRequest, opened: OpenedConsultation) -> HttpResponse:
    try:
        write.send_consultation(user=request.user, consultation=opened.consultation)
    except InfluenceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The consultation is sent to the organisations."))
    return redirect("influence:consultation", opened.consultation.pk)


@login_required
@require_POST
@consultation_view(allow=_answers_for_one, reason="answer consultation")
def consultation_answer(request: AuthenticatedRequest, opened: OpenedConsultation) -> HttpResponse:
    form = AnswerForm(request.POST, organisations=opened.organisations)
    if form.is_valid():
        try:
            write.answer_consultation(
                user=request.user,
                consultation=opened.consultation,
                organisation=form.cleaned_data["organisation"],
                text=form.cleaned_data["text"],
            )
        except InfluenceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your organisation's answer is sent."))
            return redirect("influence:consultation", opened.consultation.pk)
    return _page(request, opened, answer_form=form)


@login_required
@require_POST
@consultation_view(allow=_coordinates_it, reason="consultation summary")
def consultation_summary(request: AuthenticatedRequest, opened: OpenedConsultation) -> HttpResponse:
    form = SummaryForm(request.POST)
    if form.is_valid():
        try:
            write.save_summary(
                user=request.user,
                consultation=opened.consultation,
                summary=form.cleaned_data["summary"],
            )
        except InfluenceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The summary is saved and the consultation is closed."))
            return redirect("influence:consultation", opened.consultation.pk)
    return _page(request, opened, summary_form=form)


@login_required
@require_POST
@consultation_view(allow=_coordinates_it, reason="publish consultation")
def consultation_publish(request: AuthenticatedRequest, opened: OpenedConsultation) -> HttpResponse:
    form = PublishForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose to publish or not."), status=400)
    try:
        done = write.publish_consultation(
            user=request.user,
            consultation=opened.consultation,
            published=form.cleaned_data["published"],
        )
    except InfluenceError as exc:
        messages.error(request, str(exc))
    else:
        if done.published:
            messages.success(request, _("The consultation is published on the public pages."))
        else:
            messages.success(request, _("The consultation is no longer public."))
    return redirect("influence:consultation", opened.consultation.pk)
