"""The analyst's start page: the reports they may open, each a link that opens for them,
never another network's, in few queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from egenmakt.accounts.roles import ROLE_SLUGS, Role

pytestmark = pytest.mark.django_db

START = reverse("accounts:role_start", args=[ROLE_SLUGS[Role.ANALYST]])


def urls(response):
    return [item.url for item in response.context["panels"][0].context["waiting"].items]


def test_the_researcher_sees_the_programme_report_of_their_network(
    client, cast, signed_in, django_assert_max_num_queries
):
    signed_in(cast.researcher)
    with django_assert_max_num_queries(18):
        response = client.get(START)
    mine = f"{reverse('reports:programme')}?network={cast.org('network').pk}"
    theirs = f"{reverse('reports:programme')}?network={cast.org('other_network').pk}"
    assert mine in urls(response)
    assert theirs not in urls(response)
    assert client.get(mine).status_code == 200


def test_the_regions_analyst_sees_the_caseload_report_of_their_region(client, cast, signed_in):
    signed_in(cast.analyst)
    response = client.get(START)
    mine = f"{reverse('reports:caseload')}?unit={cast.org('region').pk}"
    assert mine in urls(response)
    assert f"?unit={cast.org('other_region').pk}" not in " ".join(urls(response))
    assert client.get(mine).status_code == 200
