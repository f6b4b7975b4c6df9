"""Who reaches a client: role by role and organisation by organisation, before and after
consent and its revocation; what consent shares and what it does not; protected
identity; emergency access; every read in the access log; constant query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from egenmakt.audit.models import AccessLog, EmergencyAccess
from egenmakt.conftest import sign_in
from egenmakt.coordination.models import Consent, Contact
from egenmakt.coordination.services import common as common_services
from egenmakt.coordination.services import consent as consent_services
from egenmakt.coordination.services import emergency as emergency_services
from egenmakt.coordination.services import mapping as mapping_services
from egenmakt.coordination.services import team as team_services
from egenmakt.coordination.tests.factories import (
    consent,
    ensure_instruments,
    new_client,
    shared_client,
    with_municipal_partner,
)
from egenmakt.instruments.models import InstrumentDefinition

pytestmark = pytest.mark.django_db

CLIENT_PAGES = ["client", "network", "checklist", "summary", "consent", "team", "resource_group"]


def pages(client_pk: int) -> list[str]:
    return [reverse(f"coordination:{name}", args=[client_pk]) for name in CLIENT_PAGES]


def as_(user) -> Browser:
    return sign_in(Browser(), user)


def codes(user, client_pk: int) -> set[int]:
    browser = as_(user)
    return {browser.get(page).status_code for page in pages(client_pk)}


# Everyone in the demo cast who is not in this client's care team, whatever their role
# or organisation: the same clinic, the municipality, the other region, the user movement.
OUTSIDERS = [
    "clinic_colleague",
    "coordinator",
    "peer_supporter",
    "supervisor",
    "workplace_manager",
    "auditor",
    "analyst",
    "admin",
    "outsider_case_manager",
    "outsider_coordinator",
]


@pytest.mark.parametrize("person", OUTSIDERS)
def test_nobody_outside_the_care_team_reaches_the_client(cast, person):
    client = shared_client(cast)
    assert codes(getattr(cast, person), client.pk) == {404}
    listing = as_(getattr(cast, person)).get(reverse("coordination:clients"))
    assert client.full_name not in listing.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(cast):
    client = new_client(cast)
    for page in pages(client.pk):
        response = Browser().get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")


def test_the_home_case_manager_reaches_the_client_before_any_consent(cast):
    client = new_client(cast)
    assert codes(cast.case_manager, client.pk) == {200}


def test_the_other_organisation_needs_a_consent_that_names_it_and_the_person(cast):
    client = new_client(cast)
    with_municipal_partner(cast, client)
    partner = cast.municipal_case_manager
    assert codes(partner, client.pk) == {404}, "in the team, but no consent yet"

    consent(cast, client, name_partner=False)
    assert codes(partner, client.pk) == {404}, "the organisation is named, the person not"

    consent(cast, client)
    assert codes(partner, client.pk) == {200}


def test_revocation_takes_effect_on_the_next_request(cast):
    client = shared_client(cast)
    partner = as_(cast.municipal_case_manager)
    page = reverse("coordination:client", args=[client.pk])
    assert partner.get(page).status_code == 200
    row = Consent.objects.get(client=client)
    consent_services.revoke_consent(
        user=cast.case_manager, client=client, consent=row, note="Per telefon"
    )
    assert partner.get(page).status_code == 404, "same session, next request"
    # The home organisation keeps its own record of the client.
    assert codes(cast.case_manager, client.pk) == {200}
    assert client.full_name not in partner.get(reverse("coordination:clients")).content.decode()


def test_an_expired_consent_covers_nobody(cast):
    client = new_client(cast)
    with_municipal_partner(cast, client)
    consent(
        cast,
        client,
        given_on=timezone.localdate() - timedelta(days=400),
        valid_until=timezone.localdate() - timedelta(days=1),
    )
    assert codes(cast.municipal_case_manager, client.pk) == {404}


def test_a_person_who_leaves_the_team_loses_access(cast):
    client = shared_client(cast)
    seat = client.team.get(user=cast.municipal_case_manager)
    team_services.end_team_member(
        user=cast.case_manager, client=client, seat=seat, handover_note="Se planen."
    )
    assert codes(cast.municipal_case_manager, client.pk) == {404}


def test_the_method_supervisor_of_the_home_organisation_reaches_the_client(cast):
    client = new_client(cast)
    team_services.add_team_member(
        user=cast.case_manager,
        client=client,
        member=cast.method_supervisor,
        organisation=cast.org("clinic"),
        role="method_supervisor",
    )
    assert codes(cast.method_supervisor, client.pk) == {200}


def _worksheet(cast, client, user, *, shared: bool):
    ensure_instruments()
    definition = InstrumentDefinition.objects.filter(key="normal_day").first()
    return mapping_services.start_worksheet(
        user=user,
        client=client,
        definition=definition,
        respondent_kind="client",
        done_on=timezone.localdate(),
        present=[user],
        shared=shared,
    )


def test_consent_shares_the_joint_work_not_what_the_client_keeps_within_one_organisation(cast):
    client = shared_client(cast)
    kept = _worksheet(cast, client, cast.municipal_case_manager, shared=False)
    joint = _worksheet(cast, client, cast.municipal_case_manager, shared=True)
    home = as_(cast.case_manager)
    assert home.get(reverse("instruments:response", args=[joint.response_id])).status_code == 200
    assert home.get(reverse("instruments:response", args=[kept.response_id])).status_code == 404
    assert home.get(reverse("instruments:answer", args=[kept.response_id])).status_code == 404
    overview = home.get(reverse("coordination:client", args=[client.pk])).content.decode()
    assert reverse("instruments:answer", args=[joint.response_id]) in overview
    assert reverse("instruments:answer", args=[kept.response_id]) not in overview
    owner = as_(cast.municipal_case_manager)
    assert owner.get(reverse("instruments:response", args=[kept.response_id])).status_code == 200


def test_after_revocation_each_organisation_sees_only_its_own_entries(cast):
    client = shared_client(cast)
    theirs = _worksheet(cast, client, cast.municipal_case_manager, shared=True)
    mapping_services.save_contact(
        user=cast.municipal_case_manager,
        client=client,
        data={"name": "Kommunens kontakt", "relationship": "boendestöd", "sector": "professionals"},
    )
    ours = _worksheet(cast, client, cast.case_manager, shared=True)
    consent_services.revoke_consent(
        user=cast.case_manager, client=client, consent=Consent.objects.get(client=client)
    )
    home = as_(cast.case_manager)
    assert home.get(reverse("instruments:response", args=[theirs.response_id])).status_code == 404
    assert home.get(reverse("instruments:response", args=[ours.response_id])).status_code == 200
    network = home.get(reverse("coordination:network", args=[client.pk])).content.decode()
    assert "Kommunens kontakt" not in network
    # No new shared work without a consent.
    with pytest.raises(common_services.CoordinationError):
        _worksheet(cast, client, cast.case_manager, shared=True)
    assert Contact.objects.filter(client=client).count() == 1


def test_protected_identity_hides_the_address_from_everyone_but_the_care_team(cast):
    ensure_instruments()
    client = shared_client(cast, protected_identity=True, address="Hemliggatan 7",
                           phone="070-999 99 99")  # fmt: skip
    team_page = as_(cast.case_manager).get(reverse("coordination:client", args=[client.pk]))
    assert "Hemliggatan 7" in team_page.content.decode()
    record = _worksheet(cast, client, cast.case_manager, shared=True)

    colleague = as_(cast.clinic_colleague)
    opened = colleague.post(
        reverse("coordination:emergency"),
        {"identity_number": client.identity.display, "reason": "Akut läge på mottagningen nu"},
    )
    assert opened.status_code == 302
    seen = [
        *pages(client.pk),
        reverse("instruments:response", args=[record.response_id]),
        reverse("instruments:chart", args=["ors", "klient", client.pk]),
    ]
    for page in seen:
        response = colleague.get(page)
        assert response.status_code == 200, page
        text = response.content.decode()
        assert "Hemliggatan 7" not in text, page
        assert "070-999 99 99" not in text, page
        assert client.identity.display not in text, page
    assert colleague.post(reverse("coordination:identity", args=[client.pk])).status_code == 403
    # The auditor's export of the log holds ids, never the address.
    export = as_(cast.auditor).get(reverse("audit:access_log_csv"))
    assert "Hemliggatan 7" not in b"".join(export.streaming_content).decode()


def test_emergency_access_is_read_only_limited_in_time_logged_and_flagged(cast):
    client = shared_client(cast)
    colleague = as_(cast.clinic_colleague)
    refused = colleague.post(
        reverse("coordination:emergency"),
        {"identity_number": client.identity.display, "reason": "kort"},
    )
    assert refused.status_code == 400
    assert not EmergencyAccess.objects.exists()
    colleague.post(
        reverse("coordination:emergency"),
        {"identity_number": client.identity.display, "reason": "Klienten är här i kris nu"},
    )
    grant = EmergencyAccess.objects.get(actor=cast.clinic_colleague)
    page = colleague.get(reverse("coordination:client", args=[client.pk]))
    assert page.status_code == 200
    assert "Nödåtkomst" in page.content.decode()
    row = AccessLog.objects.filter(actor=cast.clinic_colleague, person_id=str(client.pk)).first()
    assert row.emergency and row.reason == "Klienten är här i kris nu"
    # Read-only: no shared work, no own notes.
    summary = reverse("coordination:summary", args=[client.pk])
    assert colleague.post(summary, {"area": "x", "wants_to_change": "y"}).status_code == 403
    assert colleague.get(reverse("coordination:notes", args=[client.pk])).status_code == 404
    # The auditor sees it flagged and reviews it; nobody reviews their own.
    auditor = as_(cast.auditor)
    listing = auditor.get(reverse("audit:emergency")).content.decode()
    assert "Klienten är här i kris nu" in listing and "row--flagged" in listing
    auditor.post(reverse("audit:emergency_review", args=[grant.pk]), {"verdict": "justified"})
    grant.refresh_from_db()
    assert grant.verdict == "justified" and grant.reviewed_by == cast.auditor
    assert colleague.get(reverse("audit:emergency")).status_code == 403
    # When the time is up, the record is closed again.
    EmergencyAccess.objects.filter(pk=grant.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert codes(cast.clinic_colleague, client.pk) == {404}


def test_only_care_giving_staff_may_break_the_glass(cast):
    client = new_client(cast)
    for person in ("coordinator", "auditor", "analyst", "peer_supporter"):
        browser = as_(getattr(cast, person))
        response = browser.post(
            reverse("coordination:emergency"),
            {"identity_number": client.identity.display, "reason": "Jag vill bara titta lite"},
        )
        assert response.status_code == 403, person
    assert not EmergencyAccess.objects.exists()


def test_every_page_about_the_client_writes_the_access_log(cast):
    client = shared_client(cast)
    browser = as_(cast.municipal_case_manager)
    for page in pages(client.pk):
        before = AccessLog.objects.filter(person_id=str(client.pk)).count()
        assert browser.get(page).status_code == 200
        rows = AccessLog.objects.filter(person_id=str(client.pk))
        assert rows.count() == before + 1, page
        newest = rows.order_by("-id").first()
        assert newest.actor == cast.municipal_case_manager
        assert newest.organisation_id == cast.org("social_psychiatry").pk


def _count(browser: Browser, page: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(page).status_code == 200
    return len(queries)


def _more_work(cast, client, n: int) -> None:
    ensure_instruments()
    for index in range(n):
        _worksheet(cast, client, cast.case_manager, shared=True)
        mapping_services.save_contact(
            user=cast.case_manager,
            client=client,
            data={"name": f"Person {index}", "relationship": "vän", "sector": "friends"},
        )
        mapping_services.record_step(
            user=cast.case_manager,
            client=client,
            step="other",
            title=f"Möte {index}",
            done_on=timezone.localdate(),
            present=[cast.case_manager, cast.municipal_case_manager],
        )
        mapping_services.add_summary_entry(
            user=cast.case_manager, client=client, area=f"Område {index}", wants_to_change="x"
        )


def test_client_pages_run_the_same_queries_with_few_or_many_entries(cast):
    client = shared_client(cast)
    _more_work(cast, client, 1)
    browser = as_(cast.case_manager)
    few = {page: _count(browser, page) for page in pages(client.pk)}
    _more_work(cast, client, 8)
    many = {page: _count(browser, page) for page in pages(client.pk)}
    assert few == many


def test_the_client_list_runs_the_same_queries_with_few_or_many_clients(cast):
    for _ in range(2):
        shared_client(cast)
    browser = as_(cast.case_manager)
    page = reverse("coordination:clients")
    few = _count(browser, page)
    for _ in range(10):
        shared_client(cast)
    assert _count(browser, page) == few


def test_the_glass_breaks_only_under_the_users_own_principal(cast):
    """Found by the permission matrix: a Region Nordmark case manager could search a
    Västerhav number and open that record in an emergency, and Västerhav's auditor saw
    neither the grant nor the reads. Emergency access is the care provider's own."""
    client = shared_client(cast)
    number = client.identity.display
    reason = "Klienten är här i kris nu"
    response = as_(cast.outsider_case_manager).post(
        reverse("coordination:emergency"), {"identity_number": number, "reason": reason}
    )
    assert response.status_code == 400
    assert "Ingen klient med det numret" in response.content.decode()
    assert codes(cast.outsider_case_manager, client.pk) == {404}
    # The user movement's supervisors (either network's) work for a network, not for
    # care: they do not break the glass at all (issue 26).
    for supervisor in (cast.supervisor, cast.outsider_supervisor):
        response = as_(supervisor).post(
            reverse("coordination:emergency"), {"identity_number": number, "reason": reason}
        )
        assert response.status_code == 403, supervisor
        assert codes(supervisor, client.pk) == {404}
    assert not EmergencyAccess.objects.exists()
    with pytest.raises(PermissionDenied):
        emergency_services.open_in_emergency(
            user=cast.outsider_case_manager, client=client, reason=reason
        )
    # The region's own colleague still can, and the region's auditor sees it.
    as_(cast.clinic_colleague).post(
        reverse("coordination:emergency"), {"identity_number": number, "reason": reason}
    )
    assert EmergencyAccess.objects.filter(actor=cast.clinic_colleague).exists()
    assert reason in as_(cast.auditor).get(reverse("audit:emergency")).content.decode()
    assert reason not in as_(cast.outsider_auditor).get(reverse("audit:emergency")).content.decode()


def test_the_peer_supervisor_of_the_user_movement_never_breaks_the_glass(cast):
    """Emergency access is care staff's: a supervisor role held in a user-run network is
    PEER supervision, not care (issue 26), even for a record kept under that network."""
    from egenmakt.coordination.models import Client

    client = new_client(cast)
    Client.objects.filter(pk=client.pk).update(organisation=cast.org("user_org_a"))
    client.refresh_from_db()
    peer_supervisor = as_(cast.supervisor)
    assert peer_supervisor.get(reverse("coordination:emergency")).status_code == 403
    response = peer_supervisor.post(
        reverse("coordination:emergency"),
        {"identity_number": client.identity.display, "reason": "Klienten är här i kris nu"},
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        emergency_services.open_in_emergency(
            user=cast.supervisor, client=client, reason="Klienten är här i kris nu"
        )
    assert not EmergencyAccess.objects.exists()
    # The method supervisor of the clinic is care staff and still may.
    assert as_(cast.method_supervisor).get(reverse("coordination:emergency")).status_code == 200


def test_the_care_team_picker_offers_no_one_of_another_region(cast):
    """A Västerhav case manager is offered the region's staff, the municipality's and the
    user movement's, never Region Nordmark's (issue 26); posting one of them is refused."""
    client = new_client(cast)
    browser = as_(cast.case_manager)
    page = browser.get(reverse("coordination:team", args=[client.pk]))
    form = page.context["form"]
    people = set(form.fields["member"].queryset)
    organisations = set(form.fields["organisation"].queryset)
    assert cast.method_supervisor in people
    assert cast.municipal_case_manager in people
    assert cast.peer_supporter in people
    assert cast.outsider_case_manager not in people
    assert cast.org("other_region") not in organisations
    assert cast.org("social_psychiatry") in organisations
    refused = browser.post(
        reverse("coordination:team", args=[client.pk]),
        {
            "member": cast.outsider_case_manager.pk,
            "organisation": cast.org("other_region").pk,
            "role": "case_manager",
        },
    )
    assert refused.status_code == 400
    assert not client.team.filter(user=cast.outsider_case_manager).exists()
