"""The administrator's pages for the organisation's e-ID providers, under /administration/.

Scoped like the rest of the administration (``accounts.administration_views``): a provider
of an organisation outside the administrator's tree answers 404, someone without the
admin role gets 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from egenmakt.accounts.administration_views import administration_page
from egenmakt.accounts.selectors import AdminScope, administered_tree
from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.audit.services import log_access

from . import services
from .forms import IdentityProviderForm
from .models import IdentityProvider


def _form_page(
    request: AuthenticatedRequest,
    scope: AdminScope,
    provider: IdentityProvider | None,
) -> HttpResponse:
    form = IdentityProviderForm(
        request.POST or None, instance=provider, tree=administered_tree(scope)
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_provider(actor=request.user, scope=scope, form=form)
        except PermissionError:
            raise Http404 from None
        messages.success(request, _("%(name)s is saved.") % {"name": saved.name})
        return redirect("sso_admin:list")
    return render(
        request,
        "sso/admin_form.html",
        {
            "form": form,
            "provider": provider,
            "callback": request.build_absolute_uri("/logga-in/oidc/tillbaka/"),
        },
        status=400 if form.errors else 200,
    )


@administration_page
def provider_list(request: AuthenticatedRequest, scope: AdminScope) -> HttpResponse:
    providers = list(
        IdentityProvider.objects.filter(scope.organisation_filter("organisation__"))
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )
    return render(request, "sso/admin_list.html", {"providers": providers})


@administration_page
@require_http_methods(["GET", "POST"])
def provider_create(request: AuthenticatedRequest, scope: AdminScope) -> HttpResponse:
    return _form_page(request, scope, None)


@administration_page
@require_http_methods(["GET", "POST"])
def provider_edit(
    request: AuthenticatedRequest, scope: AdminScope, provider_id: int
) -> HttpResponse:
    provider = (
        IdentityProvider.objects.filter(scope.organisation_filter("organisation__"))
        .filter(pk=provider_id)
        .first()
    )
    if provider is None:
        raise Http404
    if request.method == "GET":
        log_access(
            request=request,
            obj=provider,
            organisation=provider.organisation,
            reason="administration: identity provider",
        )
    return _form_page(request, scope, provider)
