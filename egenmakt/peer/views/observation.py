"""Observation notes of step 3: the coordinator takes part in the course to get to know
the participants (handbook p. 21), and writes down what they notice. Only the round's
coordinators and the course leaders open these pages (``rules.may_observe``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.peer.forms.course import ObservationForm
from egenmakt.peer.selectors import course as selectors
from egenmakt.peer.services import course as services
from egenmakt.peer.services.recruitment import RecruitmentError
from egenmakt.peer.views.common import OpenedObserved, observed_view


def _page(
    request: AuthenticatedRequest, opened: OpenedObserved, form: ObservationForm, status: int
) -> HttpResponse:
    participant = opened.participant
    return render(
        request,
        "peer/observation_notes.html",
        {
            "participant": participant,
            "cohort": participant.cohort,
            "notes": selectors.observation_notes(participant),
            "form": form,
        },
        status=status,
    )


@login_required
@observed_view(reason="observation notes")
def observation_notes(request: AuthenticatedRequest, opened: OpenedObserved) -> HttpResponse:
    return _page(request, opened, ObservationForm(), 200)


@login_required
@require_POST
@observed_view()
def observation_add(request: AuthenticatedRequest, opened: OpenedObserved) -> HttpResponse:
    form = ObservationForm(request.POST)
    if form.is_valid():
        try:
            services.add_observation_note(
                user=request.user, participant=opened.participant, text=form.cleaned_data["text"]
            )
        except RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The observation is saved."))
            return redirect("peer:observation_notes", opened.participant.pk)
    return _page(request, opened, form, 400)
