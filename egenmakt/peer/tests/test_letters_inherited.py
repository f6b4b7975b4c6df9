"""Decision letters are inherited down the organisation tree letter by letter: the
organisation's own, else the nearest organisation's above it, else the text Egenmakt
ships. Saving a letter makes the organisation's own; nobody else's letter changes."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from egenmakt.accounts.models import Membership, Organisation, OrganisationKind
from egenmakt.accounts.roles import Role
from egenmakt.peer import letters
from egenmakt.peer.models import DecisionOutcome, LetterOutcome, LetterTemplate
from egenmakt.peer.selectors.letters import letters_for
from egenmakt.peer.services import letters as letters_services

from .factories import make_round
from .test_letters_funnel_retention import _decide, _interviewed

pytestmark = pytest.mark.django_db

SHIPPED_ADMIT_SV = letters.DEFAULT_LETTERS[(LetterOutcome.ADMIT, "sv")][0]


def network_under_a_region(cast):
    """The demo network, moved under a region whose coordinator is the cast's."""
    region = Organisation.objects.create(name="Region Österland", kind=OrganisationKind.REGION)
    network = cast.org("network")
    network.parent = region
    network.save()
    Membership.objects.create(user=cast.coordinator, organisation=region, role=Role.COORDINATOR)
    return region, network


def write(cast, organisation, subject, outcome=LetterOutcome.ADMIT, language="sv"):
    return letters_services.save_letter_template(
        user=cast.coordinator,
        organisation=organisation,
        outcome=outcome,
        reason="",
        language=language,
        subject=subject,
        body="Hej {name}!",
    )


def letter(organisation, outcome=LetterOutcome.ADMIT, language="sv"):
    return next(lt for lt in letters_for(organisation) if lt.key == (outcome, "", language))


def test_every_decision_has_the_shipped_letter_without_any_rows(cast):
    network = cast.org("network")
    shipped = letters_for(network)
    assert {(lt.outcome, lt.language) for lt in shipped} == set(letters.DEFAULT_LETTERS)
    assert all(lt.origin == "shipped" for lt in shipped)
    round_ = make_round(cast)
    application = _interviewed(cast, round_)
    _decide(cast, application, DecisionOutcome.ADMIT)
    assert letters_services.send_decision_letters(user=cast.coordinator, round_=round_) == 1
    assert mail.outbox[-1].subject == SHIPPED_ADMIT_SV
    assert not LetterTemplate.objects.exists()


def test_a_network_below_a_region_sends_the_regions_letter(cast):
    region, network = network_under_a_region(cast)
    write(cast, region, "Välkommen från regionen, {name}")
    assert letter(network).origin == "inherited" and letter(network).source == region
    assert letter(network, LetterOutcome.NO).origin == "shipped"
    round_ = make_round(cast)
    application = _interviewed(cast, round_)
    _decide(cast, application, DecisionOutcome.ADMIT)
    letters_services.send_decision_letters(user=cast.coordinator, round_=round_)
    assert mail.outbox[-1].subject == f"Välkommen från regionen, {application.full_name}"
    assert not LetterTemplate.objects.filter(organisation=network).exists()


def test_the_networks_own_letter_wins_and_changes_nobody_elses(cast):
    region, network = network_under_a_region(cast)
    write(cast, region, "Regionens brev")
    write(cast, network, "Nätverkets brev")
    assert letter(network).subject == "Nätverkets brev" and letter(network).origin == "own"
    assert letter(region).subject == "Regionens brev"
    # The unit below the network follows the network; another network keeps the shipped.
    assert letter(cast.org("user_org_a")).subject == "Nätverkets brev"
    assert letter(cast.org("other_network")).subject == SHIPPED_ADMIT_SV
    # Only the letter written is the network's own; the others still come from above.
    assert letter(network, language="en").origin == "shipped"


def test_the_letters_page_marks_where_each_letter_comes_from(client, cast, signed_in):
    region, network = network_under_a_region(cast)
    write(cast, region, "Regionens brev")
    signed_in(cast.coordinator)
    url = reverse("peer:letter_templates", args=[network.pk])
    page = client.get(url).content.decode()
    assert "Ärvt från Region Österland" in page and "Följer med Egenmakt" in page
    page = client.get(url, {"mall": "admit..sv"}).content.decode()
    assert 'value="Regionens brev"' in page
    assert "När du sparar blir det organisationens eget brev." in page
    assert not LetterTemplate.objects.filter(organisation=network).exists()  # reading: no rows


def test_saving_an_inherited_letter_on_the_page_makes_the_organisations_own(
    client, cast, signed_in
):
    region, network = network_under_a_region(cast)
    write(cast, region, "Regionens brev")
    signed_in(cast.coordinator)
    url = reverse("peer:letter_templates", args=[network.pk])
    data = {
        "outcome": "admit",
        "reason": "",
        "language": "sv",
        "subject": "Nätverkets brev",
        "body": "Hej {name}!",
    }
    assert client.post(url, data).status_code == 302
    assert letter(network).origin == "own" and letter(network).subject == "Nätverkets brev"
    assert LetterTemplate.objects.get(organisation=region).subject == "Regionens brev"
    assert 'class="tag">Egen</span>' in client.get(url).content.decode()


def test_the_letters_page_in_english(client, cast, signed_in):
    signed_in(cast.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("peer:letter_templates", args=[cast.org("network").pk])
    page = client.get(url).content.decode()
    assert "Shipped with Egenmakt" in page and "Comes from" in page


@pytest.mark.parametrize(
    "data",
    [
        {"outcome": "maybe", "reason": "", "language": "sv", "subject": "X", "body": "Y"},
        {"outcome": "admit", "reason": "", "language": "de", "subject": "X", "body": "Y"},
        {"outcome": "admit", "reason": "", "language": "sv", "subject": "", "body": "Y"},
        {"outcome": "admit", "reason": "", "language": "sv", "subject": "X", "body": "{x}"},
    ],
)
def test_a_bad_letter_is_refused_and_nothing_is_written(client, cast, signed_in, data):
    signed_in(cast.coordinator)
    url = reverse("peer:letter_templates", args=[cast.org("network").pk])
    assert client.post(url, data).status_code == 400
    assert not LetterTemplate.objects.exists()


def test_another_regions_coordinator_does_not_reach_the_letters(client, cast, signed_in):
    _region, network = network_under_a_region(cast)
    url = reverse("peer:letter_templates", args=[network.pk])
    for person in ("outsider_coordinator", "course_leader", "peer_supporter"):
        signed_in(getattr(cast, person))
        assert client.get(url).status_code == 404, person
    # The network's administrator edits its letters as she edits its course plan.
    signed_in(cast.admin)
    assert client.get(url).status_code == 200
