"""My data: downloads through the binder and export functions built in coordination.

The download tests run once ``coordination/binder.py`` and ``coordination/export.py`` are
in the build; until then they skip, saying why, and the page says "not available yet".
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from egenmakt.audit.models import AccessLog, Action
from egenmakt.portal import exports

from .factories import as_client, as_staff, invited_client

pytestmark = pytest.mark.django_db

AVAILABLE = exports.available()


def test_the_page_lists_what_is_available(cast):
    _client, account = invited_client(cast)
    page = as_client(account).get(reverse("portal:my_data"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Min pärm (PDF)" in html
    for key, url in (
        ("pdf", reverse("portal:download_pdf")),
        ("json", reverse("portal:download_json")),
        ("fhir", reverse("portal:download_fhir")),
    ):
        assert (url in html) == AVAILABLE[key]


@pytest.mark.skipif(not AVAILABLE["pdf"], reason="coordination.binder.render_binder_pdf missing")
def test_the_client_downloads_the_binder(cast):
    _client, account = invited_client(cast)
    response = as_client(account).get(reverse("portal:download_pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert AccessLog.objects.filter(actor=account.user, action=Action.EXPORT).exists()


@pytest.mark.skipif(not AVAILABLE["json"], reason="coordination.export.export_json missing")
def test_the_client_downloads_json(cast):
    _client, account = invited_client(cast)
    response = as_client(account).get(reverse("portal:download_json"))
    assert response.status_code == 200
    assert isinstance(json.loads(response.content), dict)


@pytest.mark.skipif(not AVAILABLE["fhir"], reason="coordination.export.export_fhir_bundle missing")
def test_the_client_downloads_the_fhir_bundle(cast):
    _client, account = invited_client(cast)
    response = as_client(account).get(reverse("portal:download_fhir"))
    assert response.status_code == 200
    assert json.loads(response.content)["resourceType"] == "Bundle"


def test_nobody_else_downloads(cast):
    _client, _account = invited_client(cast)
    staff = as_staff(cast.case_manager)
    for name in ("portal:download_pdf", "portal:download_json", "portal:download_fhir"):
        assert staff.get(reverse(name)).status_code == 404
