"""The ethics guidelines: the shipped text, a network's own versions inherited down its
tree and kept apart from another network's, the participant's acknowledgement (kept as
read when the text changes later), and the certificate refused until it is given."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from egenmakt.accounts.models import Membership
from egenmakt.accounts.roles import Role
from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import AccessLog
from egenmakt.peer.models import EthicsAcknowledgement, EthicsGuidelines
from egenmakt.peer.selectors.ethics import DEFAULT_GUIDELINES, guidelines_for
from egenmakt.peer.services import course as course_services
from egenmakt.peer.services import ethics as services
from egenmakt.peer.services.recruitment import RecruitmentError

from .factories import acknowledge
from .test_course import add_day, cohort_with, meet_the_handbook

pytestmark = pytest.mark.django_db


def _save(cast, organisation, text_sv: str, text_en: str = ""):
    return services.save_guidelines(
        user=cast.coordinator, organisation=organisation, text_sv=text_sv, text_en=text_en
    )


def test_every_organisation_starts_with_the_shipped_guidelines(cast):
    shipped = guidelines_for(cast.org("network"))
    assert shipped == DEFAULT_GUIDELINES and shipped.source is None
    assert "Tystnadsplikt" in shipped.text("sv")
    assert "Confidentiality" in shipped.text("en")
    assert guidelines_for(cast.org("other_network")) == DEFAULT_GUIDELINES


def test_a_networks_guidelines_are_inherited_below_it_and_not_beside_it(cast):
    network, other = cast.org("network"), cast.org("other_network")
    _save(cast, network, "Västerhavs riktlinjer.")
    assert guidelines_for(network).text("sv") == "Västerhavs riktlinjer."
    below = guidelines_for(cast.org("user_org_a"))
    assert below.source == network and below.text("sv") == "Västerhavs riktlinjer."
    # English falls back to the Swedish text where none is written.
    assert below.text("en") == "Västerhavs riktlinjer."
    assert guidelines_for(other) == DEFAULT_GUIDELINES


def test_the_first_save_copies_and_each_save_is_a_new_version_of_that_organisation(cast):
    network, unit = cast.org("network"), cast.org("user_org_a")
    first = _save(cast, network, "Version ett.")
    # The unit below makes its own copy from what it inherits: the network's stays.
    own = _save(cast, unit, "Version ett.\nOch vår egen punkt.")
    second = _save(cast, network, "Version två.")
    assert (first.version, second.version, own.version) == (1, 2, 1)
    assert guidelines_for(network).version == second
    assert guidelines_for(unit).text("sv") == "Version ett.\nOch vår egen punkt."
    # A saved version is never changed.
    first.refresh_from_db()
    assert first.text_sv == "Version ett."
    assert AccessLog.objects.filter(reason=AuditEvent.ETHICS_GUIDELINES_SAVED).count() == 3


def test_saving_nothing_new_or_an_empty_text_is_refused(cast):
    network = cast.org("network")
    with pytest.raises(RecruitmentError):
        _save(cast, network, "   ")
    _save(cast, network, "Samma.")
    with pytest.raises(RecruitmentError):
        _save(cast, network, "Samma.")
    assert EthicsGuidelines.objects.count() == 1


def test_another_networks_coordinator_cannot_save_ours(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.save_guidelines(
            user=cast.outsider_coordinator, organisation=cast.org("network"), text_sv="X"
        )
    assert not EthicsGuidelines.objects.exists()


def _completed(cast):
    cohort = meet_the_handbook(cast, cohort_with(cast, n=1))
    add_day(cast, cohort, -3)
    participant = cohort.participants.get()
    course_services.complete_course(
        user=cast.coordinator,
        participant=participant,
        completed=True,
        recommended=True,
        reason="Ja",
    )
    return participant


def test_the_certificate_is_refused_with_a_reason_until_the_guidelines_are_acknowledged(
    client, cast, signed_in
):
    participant = _completed(cast)
    url = reverse("peer:certificate", args=[participant.pk])
    signed_in(participant.user)
    response = client.get(url)
    assert response.status_code == 403
    assert "etiska riktlinjerna" in response.content.decode()
    assert AccessLog.objects.filter(
        outcome="denied", reason="certificate: ethics guidelines not acknowledged"
    ).exists()
    # The coordinator is refused the same way.
    signed_in(cast.coordinator)
    assert client.get(url).status_code == 403
    # The participant acknowledges on their own page; then the certificate is given.
    signed_in(participant.user)
    page = client.get(reverse("peer:my_ethics_guidelines"))
    checksum = page.context["form"].initial["checksum"]
    response = client.post(reverse("peer:my_ethics_guidelines_acknowledge"), {"checksum": checksum})
    assert response.status_code == 302
    assert client.get(url).status_code == 200
    assert AccessLog.objects.filter(
        reason=AuditEvent.ETHICS_GUIDELINES_ACKNOWLEDGED, person_id=str(participant.application_id)
    ).exists()


def test_the_acknowledged_text_is_kept_when_the_network_edits_its_guidelines(
    client, cast, signed_in
):
    network = cast.org("network")
    _save(cast, network, "Första texten.")
    cohort = cohort_with(cast, n=2)
    early, late = cohort.participants.order_by("pk")
    acknowledge(early)
    _save(cast, network, "Andra texten.")
    acknowledge(late)
    early_row, late_row = (
        EthicsAcknowledgement.objects.get(participant=early),
        EthicsAcknowledgement.objects.get(participant=late),
    )
    assert early_row.text == "Första texten." and early_row.guidelines.version == 1
    assert late_row.text == "Andra texten." and late_row.guidelines.version == 2
    signed_in(early.user)
    page = client.get(reverse("peer:my_ethics_guidelines")).content.decode()
    assert "Första texten." in page and "Andra texten." not in page
    assert "har ändrat sina riktlinjer" in page


def test_a_text_changed_while_it_was_read_is_not_taken_as_acknowledged(client, cast, signed_in):
    cohort = cohort_with(cast, n=1)
    participant = cohort.participants.get()
    signed_in(participant.user)
    old = client.get(reverse("peer:my_ethics_guidelines")).context["form"].initial["checksum"]
    _save(cast, cast.org("network"), "Nyss ändrad.")
    response = client.post(reverse("peer:my_ethics_guidelines_acknowledge"), {"checksum": old})
    assert response.status_code == 409
    assert "Nyss ändrad." in response.content.decode()
    assert not EthicsAcknowledgement.objects.exists()
    # A post without the checksum is a clear 400, nothing written.
    assert client.post(reverse("peer:my_ethics_guidelines_acknowledge"), {}).status_code == 400
    assert not EthicsAcknowledgement.objects.exists()


def test_acknowledging_twice_keeps_the_first(cast):
    participant = cohort_with(cast, n=1).participants.get()
    first = acknowledge(participant)
    assert acknowledge(participant) == first
    assert EthicsAcknowledgement.objects.count() == 1


def test_a_participant_acknowledges_only_their_own(client, cast, signed_in):
    from django.core.exceptions import PermissionDenied

    one, other = cohort_with(cast, n=2).participants.order_by("pk")
    with pytest.raises(PermissionDenied):
        services.acknowledge_guidelines(
            user=other.user, participant=one, checksum=DEFAULT_GUIDELINES.checksum, language="sv"
        )
    # The page has no id: what the signed-in participant acknowledges is always their own.
    signed_in(other.user)
    client.post(
        reverse("peer:my_ethics_guidelines_acknowledge"),
        {"checksum": DEFAULT_GUIDELINES.checksum},
    )
    assert list(EthicsAcknowledgement.objects.values_list("participant", flat=True)) == [other.pk]
    # Someone who takes no course has no such page.
    signed_in(cast.case_manager)
    assert client.get(reverse("peer:my_ethics_guidelines")).status_code == 404


def test_the_guidelines_are_shown_in_the_participants_language(client, cast, signed_in):
    participant = cohort_with(cast, n=1).participants.get()
    signed_in(participant.user)
    assert "Tystnadsplikt" in client.get(reverse("peer:my_ethics_guidelines")).content.decode()
    # The language switch (a cookie) chooses English.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("peer:my_ethics_guidelines"))
    assert "Confidentiality" in page.content.decode()
    client.post(
        reverse("peer:my_ethics_guidelines_acknowledge"),
        {"checksum": page.context["form"].initial["checksum"]},
    )
    row = EthicsAcknowledgement.objects.get()
    assert row.language == "en" and "Confidentiality" in row.text


def test_the_course_page_shows_who_has_acknowledged(client, cast, signed_in):
    cohort = cohort_with(cast, n=2)
    done, _waiting = cohort.participants.order_by("pk")
    acknowledge(done)
    signed_in(cast.course_leader)
    page = client.get(reverse("peer:cohort", args=[cohort.pk])).content.decode()
    assert "1 av 2 har bekräftat de etiska riktlinjerna" in page
    assert page.count("inte bekräftat än") == 1


def test_the_participants_start_panel_and_course_page_ask_for_the_acknowledgement(
    client, cast, signed_in
):
    participant = cohort_with(cast, n=1).participants.get()
    Membership.objects.create(
        user=participant.user, organisation=cast.org("network"), role=Role.PEER_SUPPORTER
    )
    signed_in(participant.user)
    link = reverse("peer:my_ethics_guidelines")
    start = client.get(reverse("accounts:role_start", args=["peer-supporter"])).content.decode()
    assert link in start
    assert link in client.get(reverse("peer:my_course")).content.decode()
    acknowledge(participant)
    start = client.get(reverse("accounts:role_start", args=["peer-supporter"])).content.decode()
    assert link not in start


def test_the_edit_page_is_for_the_organisations_coordinators_and_administrators(
    client, cast, signed_in
):
    network = cast.org("network")
    url = reverse("peer:ethics_guidelines", args=[network.pk])
    save = reverse("peer:ethics_guidelines_save", args=[network.pk])
    for person in (cast.coordinator, cast.admin):
        signed_in(person)
        assert client.get(url).status_code == 200
    response = client.post(save, {"text_sv": "Våra riktlinjer.", "text_en": "Our guidelines."})
    assert response.status_code == 302
    assert guidelines_for(network).text("en") == "Our guidelines."
    for person in (
        cast.course_leader,
        cast.training_lead,
        cast.peer_supporter,
        cast.outsider_coordinator,
        cast.outsider_admin,
    ):
        signed_in(person)
        assert client.get(url).status_code == 404
        assert client.post(save, {"text_sv": "Inte era."}).status_code == 404
    assert EthicsGuidelines.objects.count() == 1
    # A unit beside the network (a sibling) is not the coordinator's to edit either.
    signed_in(cast.coordinator)
    sibling = cast.org("municipality")
    assert client.get(reverse("peer:ethics_guidelines", args=[sibling.pk])).status_code == 404


def test_an_empty_text_on_the_edit_page_is_a_400_and_nothing_is_saved(client, cast, signed_in):
    signed_in(cast.coordinator)
    response = client.post(
        reverse("peer:ethics_guidelines_save", args=[cast.org("network").pk]), {"text_sv": ""}
    )
    assert response.status_code == 400
    assert not EthicsGuidelines.objects.exists()


def test_an_organisation_can_follow_the_inherited_guidelines_again(cast):
    network, unit = cast.org("network"), cast.org("user_org_a")
    _save(cast, network, "Nätverkets riktlinjer.")
    own = _save(cast, unit, "Enhetens egna riktlinjer.")
    back = services.follow_inherited(user=cast.coordinator, organisation=unit)
    assert (back.version, back.follows_inherited, back.text_sv, back.checksum) == (2, True, "", "")
    followed = guidelines_for(unit)
    assert followed.source == network and followed.text("sv") == "Nätverkets riktlinjer."
    # Later changes above reach the unit again; its own versions are kept as they were.
    _save(cast, network, "Nätverkets nya riktlinjer.")
    assert guidelines_for(unit).text("sv") == "Nätverkets nya riktlinjer."
    own.refresh_from_db()
    assert own.text_sv == "Enhetens egna riktlinjer."
    assert AccessLog.objects.filter(reason=AuditEvent.ETHICS_GUIDELINES_INHERITED).count() == 1
    # Saving again makes the unit's own guidelines once more, as the next version.
    again = _save(cast, unit, "Nätverkets nya riktlinjer.")
    assert again.version == 3 and guidelines_for(unit).source == unit
    # At the top of the tree, following the inherited means the shipped guidelines.
    services.follow_inherited(user=cast.coordinator, organisation=network)
    assert guidelines_for(network) == DEFAULT_GUIDELINES
    assert guidelines_for(unit).source == unit


def test_following_the_inherited_is_refused_without_own_guidelines(cast):
    network, unit = cast.org("network"), cast.org("user_org_a")
    with pytest.raises(RecruitmentError):
        services.follow_inherited(user=cast.coordinator, organisation=network)
    _save(cast, network, "Nätverkets riktlinjer.")
    # The unit inherits the network's: there is nothing of its own to leave.
    with pytest.raises(RecruitmentError):
        services.follow_inherited(user=cast.coordinator, organisation=unit)
    services.follow_inherited(user=cast.coordinator, organisation=network)
    # A second time in a row: already following.
    with pytest.raises(RecruitmentError):
        services.follow_inherited(user=cast.coordinator, organisation=network)
    assert EthicsGuidelines.objects.count() == 2


def test_another_networks_coordinator_cannot_make_ours_follow_the_inherited(cast):
    from django.core.exceptions import PermissionDenied

    _save(cast, cast.org("network"), "Våra.")
    with pytest.raises(PermissionDenied):
        services.follow_inherited(user=cast.outsider_coordinator, organisation=cast.org("network"))
    assert EthicsGuidelines.objects.count() == 1


def test_a_version_has_a_text_or_follows_the_inherited_and_has_none(cast):
    from django.db import IntegrityError, transaction

    network = cast.org("network")
    for fields in (
        {"text_sv": "", "checksum": "x"},
        {"text_sv": "Text.", "checksum": "x", "follows_inherited": True},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            EthicsGuidelines.objects.create(
                organisation=network, version=1, saved_by=cast.coordinator, **fields
            )


def test_the_acknowledged_text_is_kept_when_the_organisation_follows_the_inherited(cast):
    participant = _completed(cast)
    organisation = participant.cohort.round.organisation
    _save(cast, organisation, "Våra egna riktlinjer.")
    acknowledge(participant)
    services.follow_inherited(user=cast.coordinator, organisation=organisation)
    kept = EthicsAcknowledgement.objects.get(participant=participant)
    assert kept.text == "Våra egna riktlinjer."
    assert kept.guidelines is not None and kept.guidelines.text_sv == "Våra egna riktlinjer."


def test_the_edit_page_offers_to_follow_the_inherited_guidelines(client, cast, signed_in):
    network, unit = cast.org("network"), cast.org("user_org_a")
    _save(cast, network, "Nätverkets riktlinjer.")
    signed_in(cast.coordinator)
    url = reverse("peer:ethics_guidelines", args=[unit.pk])
    follow = reverse("peer:ethics_guidelines_follow_inherited", args=[unit.pk])
    # Inheriting already: no such choice on the page.
    assert follow not in client.get(url).content.decode()
    _save(cast, unit, "Enhetens egna.")
    page = client.get(url).content.decode()
    assert follow in page and network.name in page
    response = client.post(follow, follow=True)
    assert response.redirect_chain == [(url, 302)]
    page = response.content.decode()
    assert "följer de ärvda riktlinjerna igen" in page.lower()
    assert follow not in page
    assert "Nätverkets riktlinjer." in page  # the form starts from what applies now
    # Pressed again (a second tab): the reason, nothing new saved.
    response = client.post(follow, follow=True)
    assert "följer redan" in response.content.decode()
    assert EthicsGuidelines.objects.filter(organisation=unit).count() == 2
