"""The product's URLs plus a view that reads a posted value without a form and writes it,
for the control-character test of such a view (test_control_characters.py). A module of
its own, so the product's URLs load when the test uses it, under the test's settings."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from egenmakt.audit.services import log_access


def takes_it_as_it_is(request: HttpRequest) -> HttpResponse:
    log_access(reason=request.POST.get("note", ""))
    return HttpResponse("ok")


urlpatterns = [
    path("utan-formular/", takes_it_as_it_is),
    path("", include("egenmakt.urls")),
]
handler400 = "egenmakt.views.bad_request"
