"""The auditor's start page: emergency accesses and log reviews waiting for them, each a
link that opens, never another region's, in few queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from egenmakt.accounts.roles import ROLE_SLUGS, Role
from egenmakt.audit.services import grant_emergency_access, start_log_review

pytestmark = pytest.mark.django_db

START = reverse("accounts:role_start", args=[ROLE_SLUGS[Role.AUDITOR]])


def waiting(response):
    return response.context["panels"][0].context["waiting"]


def test_the_auditor_sees_an_emergency_access_and_a_log_review_to_finish(
    client, cast, signed_in, django_assert_max_num_queries
):
    grant_emergency_access(
        actor=cast.case_manager, person=cast.peer_supporter, reason="Akut läge i natt"
    )
    today = timezone.localdate()
    review = start_log_review(
        auditor=cast.auditor,
        organisation=cast.org("region"),
        period_start=today - timedelta(days=7),
        period_end=today,
        sample_size=5,
    )
    signed_in(cast.auditor)
    with django_assert_max_num_queries(18):
        response = client.get(START)
    urls = [item.url for item in waiting(response).items]
    assert reverse("audit:emergency") in urls
    assert reverse("audit:log_review", args=[review.pk]) in urls
    for url in urls:
        assert client.get(url).status_code == 200


def test_another_regions_auditor_is_not_shown_them(client, cast, signed_in):
    grant_emergency_access(
        actor=cast.case_manager, person=cast.peer_supporter, reason="Akut läge i natt"
    )
    today = timezone.localdate()
    review = start_log_review(
        auditor=cast.auditor,
        organisation=cast.org("region"),
        period_start=today - timedelta(days=7),
        period_end=today,
        sample_size=5,
    )
    signed_in(cast.outsider_auditor)
    panel = waiting(client.get(START))
    assert reverse("audit:log_review", args=[review.pk]) not in [i.url for i in panel.items]
    assert reverse("audit:emergency") not in [i.url for i in panel.items]
    # Nothing waits: a calm sentence and the auditor's next actions, each opening.
    assert panel.items == []
    assert panel.next_actions
    for action in panel.next_actions:
        assert client.get(action.url).status_code == 200
