"""The ethics guidelines: an organisation's own text (its coordinators and administrators
edit it) and the participant's page where they read and acknowledge it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from egenmakt.accounts.models import Organisation
from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.core.http import page_rule
from egenmakt.peer.forms.ethics import AcknowledgeForm, GuidelinesForm
from egenmakt.peer.models import Participant
from egenmakt.peer.rules import may_edit_plan
from egenmakt.peer.selectors import course as course_selectors
from egenmakt.peer.selectors.ethics import (
    EffectiveGuidelines,
    acknowledgement_of,
    guidelines_for,
    inherited_guidelines,
    own_versions,
)
from egenmakt.peer.services import ethics as services
from egenmakt.peer.services.recruitment import RecruitmentError
from egenmakt.peer.views.course import takes_a_course


def _organisation(request: AuthenticatedRequest, organisation_id: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not may_edit_plan(request.user, organisation):
        raise Http404
    return organisation


def _edit_page(
    request: AuthenticatedRequest,
    organisation: Organisation,
    form: GuidelinesForm,
    status: int,
    current: EffectiveGuidelines | None = None,
) -> HttpResponse:
    """The edit page; ``current``, the guidelines in force, when the caller has read them."""
    current = current or guidelines_for(organisation)
    return render(
        request,
        "peer/ethics_guidelines.html",
        {
            "organisation": organisation,
            "current": current,
            # What following the inherited guidelines again would return to.
            "inherited": inherited_guidelines(organisation)
            if current.source == organisation
            else None,
            "versions": own_versions(organisation),
            "form": form,
        },
        status=status,
    )


@login_required
@require_safe
def guidelines_edit(request: AuthenticatedRequest, organisation_id: int) -> HttpResponse:
    organisation = _organisation(request, organisation_id)
    current = guidelines_for(organisation)
    form = GuidelinesForm(initial={"text_sv": current.text_sv, "text_en": current.text_en})
    return _edit_page(request, organisation, form, 200, current)


@login_required
@require_POST
def guidelines_save(request: AuthenticatedRequest, organisation_id: int) -> HttpResponse:
    organisation = _organisation(request, organisation_id)
    form = GuidelinesForm(request.POST)
    if form.is_valid():
        try:
            row = services.save_guidelines(
                user=request.user, organisation=organisation, **form.cleaned_data
            )
        except RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("The guidelines are saved as version %(version)s.") % {"version": row.version},
            )
            return redirect("peer:ethics_guidelines", organisation.pk)
    return _edit_page(request, organisation, form, 400)


@login_required
@require_POST
def guidelines_follow_inherited(
    request: AuthenticatedRequest, organisation_id: int
) -> HttpResponse:
    organisation = _organisation(request, organisation_id)
    try:
        services.follow_inherited(user=request.user, organisation=organisation)
    except RecruitmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The organisation follows the guidelines it inherits again."))
    return redirect("peer:ethics_guidelines", organisation.pk)


def _own(request: AuthenticatedRequest) -> Participant:
    participant = course_selectors.own_participation(request.user)
    if participant is None:
        raise Http404
    return participant


def _own_page(
    request: AuthenticatedRequest, participant: Participant, status: int = 200
) -> HttpResponse:
    acknowledged = acknowledgement_of(participant)
    current = guidelines_for(participant.cohort.round.organisation)
    return render(
        request,
        "peer/my_ethics_guidelines.html",
        {
            "participant": participant,
            "acknowledged": acknowledged,
            "text": acknowledged.text if acknowledged else current.text(get_language()),
            "changed_since": acknowledged is not None and acknowledged.checksum != current.checksum,
            "form": AcknowledgeForm(initial={"checksum": current.checksum}),
        },
        status=status,
    )


@login_required
@require_safe
@page_rule(takes_a_course, missing=True)
def my_guidelines(request: AuthenticatedRequest) -> HttpResponse:
    return _own_page(request, _own(request))


@login_required
@require_POST
@page_rule(takes_a_course, missing=True)
def my_guidelines_acknowledge(request: AuthenticatedRequest) -> HttpResponse:
    participant = _own(request)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Read the guidelines, then press the button."))
        return _own_page(request, participant, 400)
    try:
        services.acknowledge_guidelines(
            user=request.user,
            participant=participant,
            checksum=form.cleaned_data["checksum"],
            language=get_language() or "sv",
        )
    except services.GuidelinesChangedError as exc:
        messages.error(request, str(exc))
        return _own_page(request, participant, 409)
    messages.success(request, _("Thank you. You have acknowledged the ethics guidelines."))
    return redirect("peer:my_ethics_guidelines")
