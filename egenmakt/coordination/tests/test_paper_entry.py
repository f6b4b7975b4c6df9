"""A worksheet filled in on paper is entered afterwards: the day it was filled in, who
filled it in, "from paper" and the scanned form; a relative's sheet names the relative."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from egenmakt.audit.models import AccessLog
from egenmakt.coordination.models import StepRecord
from egenmakt.coordination.services import mapping as mapping_services
from egenmakt.coordination.tests.factories import ensure_instruments, shared_client
from egenmakt.demo.programme import DEMO_PDF
from egenmakt.instruments.models import Response

pytestmark = pytest.mark.django_db


def _start(registered, **extra):
    return {
        "arbetsblad": "everyday_life_self",
        "respondent_kind": "client",
        "done_on": (timezone.localdate() - timedelta(days=12)).isoformat(),
        "present": [],
        "shared": "on",
        **extra,
    }


def test_a_paper_worksheet_keeps_its_day_who_filled_it_in_and_the_scan(cast, signed_in):
    ensure_instruments()
    registered = shared_client(cast)
    browser = signed_in(cast.case_manager)
    url = reverse("coordination:worksheet_start", args=[registered.pk])
    page = browser.post(
        url,
        _start(
            registered,
            from_paper="on",
            filled_in_by="Kim själv, hemma",
            scan=SimpleUploadedFile("blad.pdf", DEMO_PDF, content_type="application/pdf"),
        ),
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    record = StepRecord.objects.get(client=registered)
    assert record.from_paper and record.filled_in_by == "Kim själv, hemma"
    assert record.response.answered_on == timezone.localdate() - timedelta(days=12)
    checklist = browser.get(reverse("coordination:checklist", args=[registered.pk]))
    text = checklist.content.decode()
    assert "från papper" in text and "ifyllt av Kim själv, hemma" in text
    scan_url = reverse("coordination:step_scan", args=[registered.pk, record.pk])
    assert scan_url in text
    download = browser.get(scan_url)
    assert download.status_code == 200 and download["Cache-Control"] == "no-store"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AccessLog.objects.filter(reason="scanned worksheet", actor=cast.case_manager).exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"from_paper": "on"}, "filled_in_by"),
        (
            {
                "from_paper": "on",
                "filled_in_by": "Kim",
                "scan": SimpleUploadedFile("blad.txt", b"hello", content_type="text/plain"),
            },
            "scan",
        ),
    ],
)
def test_a_paper_entry_without_who_or_with_a_non_pdf_is_refused(cast, signed_in, extra, field):
    ensure_instruments()
    registered = shared_client(cast)
    browser = signed_in(cast.case_manager)
    page = browser.post(
        reverse("coordination:worksheet_start", args=[registered.pk]), _start(registered, **extra)
    )
    assert page.status_code == 400
    assert field in page.context["form"].errors
    assert not StepRecord.objects.exists() and not Response.objects.exists()


def test_a_relatives_sheet_asks_which_relative(cast, signed_in):
    ensure_instruments()
    registered = shared_client(cast)
    mother = mapping_services.save_contact(
        user=cast.case_manager,
        client=registered,
        data={"name": "Eva Berg", "relationship": "mamma", "sector": "family", "closeness": 1},
    )
    browser = signed_in(cast.case_manager)
    url = reverse("coordination:worksheet_start", args=[registered.pk])
    form = browser.get(url + "?arbetsblad=relative_rating")
    assert "Eva Berg (mamma)" in form.content.decode()
    data = _start(registered, arbetsblad="relative_rating", respondent_kind="relative")
    refused = browser.post(url, data)
    assert refused.status_code == 400
    assert "relative" in refused.context["form"].errors
    assert not StepRecord.objects.exists()
    assert browser.post(url, {**data, "relative": mother.pk}).status_code == 302
    assert StepRecord.objects.get(client=registered).relative == mother
    # Sheets a relative does not answer do not ask.
    assert "relative" not in browser.get(url + "?arbetsblad=ors").context["form"].fields
