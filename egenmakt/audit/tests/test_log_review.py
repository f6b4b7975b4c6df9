"""The auditor's log review (loggkontroll, HSLF-FS 2016:40 4 kap. 9 §): a reproducible
random sample of a unit's reads in a period, every read a rule flags, an outcome for each,
and a finished review that no longer changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from egenmakt.accounts.models import Membership, User
from egenmakt.accounts.roles import Role
from egenmakt.audit.models import SAMPLED, AccessLog, Action, LogReview, LogReviewItem
from egenmakt.audit.services import (
    draw_sample,
    finish_log_review,
    log_access,
    record_review_outcome,
    start_log_review,
)
from egenmakt.coordination.tests.factories import new_client

LIST = "/granskning/loggkontroll/"


@pytest.fixture
def auditor_client(cast, signed_in):
    client = signed_in(cast.auditor)
    client.cookies["egenmakt_language"] = "en"
    return client


def _today():
    return timezone.localdate()


def _start(cast, *, seed=7, size=5, unit="clinic", auditor=None):
    return start_log_review(
        auditor=auditor or cast.auditor,
        organisation=cast.org(unit),
        period_start=_today(),
        period_end=_today(),
        sample_size=size,
        seed=seed,
    )


def _reasons(review):
    return {item.log_row_id: set(item.reason_codes) for item in review.items.all()}


def _reads(cast, count):
    return [log_access(actor=cast.case_manager, person=cast.peer_supporter) for _ in range(count)]


# --- The sample ---------------------------------------------------------------------------------


def test_a_seed_draws_the_same_rows_from_the_same_log():
    ids = list(range(1, 200))
    assert draw_sample(ids, seed=11, size=10) == draw_sample(list(reversed(ids)), seed=11, size=10)
    assert draw_sample(ids, seed=11, size=10) != draw_sample(ids, seed=12, size=10)
    assert draw_sample(ids[:3], seed=11, size=10) == ids[:3]


def test_the_same_seed_gives_the_same_review_and_another_seed_another(cast):
    _reads(cast, 40)
    first, again, other = _start(cast, seed=7), _start(cast, seed=7), _start(cast, seed=8)

    def sampled(review):
        return sorted(
            item.log_row_id for item in review.items.all() if SAMPLED in item.reason_codes
        )

    assert len(sampled(first)) == 5 and first.seed == 7 and first.sample_size == 5
    assert sampled(first) == sampled(again)
    assert sampled(first) != sampled(other)
    assert first.reads == again.reads >= 40


def test_the_sample_holds_only_allowed_reads_of_the_unit_in_the_period(cast):
    reads = _reads(cast, 3)
    changed = log_access(actor=cast.case_manager, action=Action.CHANGE, person=cast.peer_supporter)
    denied = log_access(actor=cast.case_manager, outcome="denied", person=cast.peer_supporter)
    # The coordinator is in the user network, not the clinic.
    elsewhere = log_access(actor=cast.coordinator, person=cast.peer_supporter)
    review = _start(cast, size=500)
    sampled = {row_id for row_id, codes in _reasons(review).items() if SAMPLED in codes}
    assert {r.pk for r in reads} <= sampled
    assert not sampled & {changed.pk, denied.pk, elsewhere.pk}
    # Yesterday's review does not hold today's reads.
    yesterday = start_log_review(
        auditor=cast.auditor,
        organisation=cast.org("clinic"),
        period_start=_today() - timedelta(days=1),
        period_end=_today() - timedelta(days=1),
        sample_size=500,
    )
    assert not set(_reasons(yesterday)) & {r.pk for r in reads}


# --- The flags ----------------------------------------------------------------------------------


def test_each_rule_flags_its_reads(cast):
    client = new_client(cast)
    hidden = new_client(cast, name="Alva Dold", protected_identity=True)
    rows = {
        "team": log_access(actor=cast.case_manager, person=client),
        "outside": log_access(actor=cast.clinic_colleague, person=client),
        "emergency": log_access(actor=cast.clinic_colleague, person=client, emergency=True),
        "protected": log_access(actor=cast.case_manager, person=hidden),
        "colleague": log_access(actor=cast.case_manager, person=cast.clinic_colleague),
        "own": log_access(actor=cast.case_manager, person=cast.case_manager),
        "stranger": log_access(actor=cast.case_manager, person=cast.peer_supporter),
    }
    # A sample of one draws one read; the rest are there by their flags only.
    flags = {
        key: codes - {SAMPLED}
        for key, codes in (
            (key, _reasons(_start(cast, size=1)).get(row.pk, set())) for key, row in rows.items()
        )
    }
    assert flags == {
        "team": set(),
        "outside": {"outside_care_team"},
        "emergency": {"outside_care_team", "emergency"},
        "protected": {"protected_identity"},
        "colleague": {"colleague_record"},
        "own": {"own_record"},
        "stranger": set(),
    }


def test_a_read_after_the_seat_ended_is_outside_the_care_team(cast):
    from egenmakt.coordination.models import CareTeamMember

    client = new_client(cast)
    seat = CareTeamMember.objects.get(client=client, user=cast.case_manager)
    CareTeamMember.objects.filter(pk=seat.pk).update(ended_on=_today() - timedelta(days=1))
    row = log_access(actor=cast.case_manager, person=client)
    assert "outside_care_team" in _reasons(_start(cast, size=1))[row.pk]


# --- Outcomes and finishing ----------------------------------------------------------------------


def test_a_review_is_finished_when_every_item_has_an_outcome(cast):
    _reads(cast, 3)
    review = _start(cast, size=3)
    items = list(review.items.all())
    with pytest.raises(ValidationError):
        finish_log_review(auditor=cast.auditor, review=review)
    for item in items:
        record_review_outcome(auditor=cast.auditor, item=item, outcome="justified", note="Ok.")
    finished = finish_log_review(auditor=cast.auditor, review=review)
    assert finished.finished_at is not None and finished.finished_by == cast.auditor
    with pytest.raises(ValidationError):
        record_review_outcome(auditor=cast.auditor, item=items[0], outcome="not_justified")
    assert LogReviewItem.objects.get(pk=items[0].pk).outcome == "justified"
    assert AccessLog.objects.filter(
        actor=cast.auditor, reason="log review: finished", object_id=str(review.pk)
    ).exists()


def test_only_the_units_auditors_start_a_review(cast):
    with pytest.raises(PermissionDenied):
        _start(cast, auditor=cast.outsider_auditor)
    with pytest.raises(PermissionDenied):
        _start(cast, auditor=cast.case_manager)
    assert not LogReview.objects.exists()


# --- The pages --------------------------------------------------------------------------------


def _sibling_auditor(cast):
    user = User.objects.create_user(
        "granskare.sidan@example.org", "ett-langt-losenord-2026", full_name="Sid Granskare"
    )
    Membership.objects.create(user=user, organisation=cast.org("outpatient"), role=Role.AUDITOR)
    return user


def test_an_auditor_starts_marks_and_finishes_a_review_through_the_pages(cast, auditor_client):
    _reads(cast, 4)
    response = auditor_client.post(
        reverse("audit:log_review_start"),
        {
            "organisation": cast.org("clinic").pk,
            "period_start": _today().isoformat(),
            "period_end": _today().isoformat(),
            "sample_size": 3,
        },
    )
    review = LogReview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("audit:log_review", args=[review.pk])
    page = auditor_client.get(response["Location"])
    assert page.status_code == 200
    assert "Random sample" in page.content.decode()
    for item in review.items.all():
        answer = auditor_client.post(
            reverse("audit:log_review_item", args=[review.pk, item.pk]),
            {f"item-{item.pk}-outcome": "follow_up", f"item-{item.pk}-note": "Fråga chefen."},
        )
        assert answer.status_code == 302
    finished = auditor_client.post(reverse("audit:log_review_finish", args=[review.pk]))
    assert finished.status_code == 302
    review.refresh_from_db()
    assert review.finished
    body = auditor_client.get(reverse("audit:log_review", args=[review.pk])).content.decode()
    assert "Needs follow-up" in body and "Fråga chefen." in body
    assert "Save the outcome" not in body


def test_a_bad_outcome_is_refused_with_400_and_nothing_saved(cast, auditor_client):
    _reads(cast, 2)
    review = _start(cast, size=2)
    item = review.items.first()
    url = reverse("audit:log_review_item", args=[review.pk, item.pk])
    for data in (
        {},
        {f"item-{item.pk}-outcome": "maybe"},
        {f"item-{item.pk}-outcome": "justified", f"item-{item.pk}-note": "x" * 501},
    ):
        response = auditor_client.post(url, data)
        assert response.status_code == 400
    item.refresh_from_db()
    assert (item.outcome, item.note, item.reviewed_by) == ("", "", None)


def test_finishing_too_early_is_refused_with_400(cast, auditor_client):
    _reads(cast, 2)
    review = _start(cast, size=2)
    response = auditor_client.post(reverse("audit:log_review_finish", args=[review.pk]))
    assert response.status_code == 400
    assert "Give every item an outcome" in response.content.decode()
    review.refresh_from_db()
    assert not review.finished


def test_a_bad_start_is_refused_with_400_and_nothing_drawn(cast, auditor_client):
    url = reverse("audit:log_review_start")
    base = {
        "organisation": cast.org("clinic").pk,
        "period_start": _today().isoformat(),
        "period_end": _today().isoformat(),
        "sample_size": 3,
    }
    for change in (
        {"period_end": (_today() - timedelta(days=2)).isoformat()},
        {"sample_size": 0},
        {"period_start": "not a date"},
        {"period_start": (_today() + timedelta(days=3)).isoformat(), "period_end": ""},
        # A unit outside the auditor's tree is not a choice.
        {"organisation": cast.org("other_region").pk},
    ):
        response = auditor_client.post(url, {**base, **change})
        assert response.status_code == 400, change
    assert not LogReview.objects.exists()


def test_a_review_opens_only_to_its_units_auditors(cast, signed_in):
    review = _start(cast)
    url = reverse("audit:log_review", args=[review.pk])
    assert signed_in(_sibling_auditor(cast)).get(url).status_code == 404
    assert signed_in(cast.outsider_auditor).get(url).status_code == 404
    assert signed_in(cast.case_manager).get(url).status_code == 403
    assert signed_in(cast.auditor).get(url).status_code == 200


def test_the_list_shows_only_reviews_of_the_auditors_units(cast, signed_in):
    mine = _start(cast)
    theirs = _start(cast, unit="other_region", auditor=cast.outsider_auditor)
    body = signed_in(cast.auditor).get(LIST).content.decode()
    assert reverse("audit:log_review", args=[mine.pk]) in body
    assert reverse("audit:log_review", args=[theirs.pk]) not in body
    assert signed_in(cast.case_manager).get(LIST).status_code == 403


def test_reading_a_review_is_logged(cast, auditor_client):
    review = _start(cast)
    auditor_client.get(reverse("audit:log_review", args=[review.pk]))
    assert AccessLog.objects.filter(
        actor=cast.auditor, reason="log review", object_id=str(review.pk), action=Action.VIEW
    ).exists()


def test_the_review_page_costs_the_same_queries_for_many_items(
    cast, auditor_client, django_assert_max_num_queries
):
    client = new_client(cast)
    _reads(cast, 3)
    small = _start(cast, size=2)
    url = reverse("audit:log_review", args=[small.pk])
    auditor_client.get(url)  # Warm the caches of content types and roles.
    # 14, and one to name the people of each kind on the page (here users and clients).
    with django_assert_max_num_queries(16):
        assert auditor_client.get(url).status_code == 200
    for _ in range(30):
        log_access(actor=cast.clinic_colleague, person=client)
    big = _start(cast, size=60)
    assert big.items.count() > 30
    with django_assert_max_num_queries(16):
        assert auditor_client.get(reverse("audit:log_review", args=[big.pk])).status_code == 200
    with django_assert_max_num_queries(13):
        assert auditor_client.get(LIST).status_code == 200
