"""Pages: the instrument list, import, answering, a response, and change over time."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import held_roles, holds_role
from egenmakt.audit.services import log_denied

from . import services
from .forms import ImportForm
from .schema import DefinitionError, Problem
from .selectors import instrument_summaries


def _refuse(request: HttpRequest, reason: str) -> HttpResponse:
    log_denied(request, reason=reason)
    return render(request, "403.html", status=403)


@login_required
def instrument_list(request: HttpRequest) -> HttpResponse:
    """Every instrument and its versions: for admins and all staff (no personal data)."""
    if not held_roles(request.user) and not request.user.is_superuser:
        return _refuse(request, "instrument list")
    return render(
        request,
        "instruments/list.html",
        {
            "instruments": instrument_summaries(),
            "can_import": holds_role(request.user, Role.ADMIN),
        },
    )


@login_required
def import_definition(request: HttpRequest) -> HttpResponse:
    """An admin uploads a region's own template; invalid files are explained, never saved."""
    if not holds_role(request.user, Role.ADMIN):
        return _refuse(request, "instrument import")
    problems: list[Problem] = []
    refused = ""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.import_definition(
                user=request.user,
                text=form.cleaned_data["file"],
                file_name=form.file_name,
                request=request,
            )
        except DefinitionError as exc:
            problems = exc.problems
        except services.DefinitionRefusedError as exc:
            refused = str(exc)
        else:
            messages.success(
                request,
                _("Imported %(title)s, version %(version)s.")
                % {"title": row.title(), "version": row.version},
            )
            return redirect("instruments:list")
    status = 400 if problems or refused or form.errors else 200
    return render(
        request,
        "instruments/import.html",
        {"form": form, "problems": problems, "refused": refused},
        status=status,
    )
