"""The plan (SIP): goal, sub-goals, measures, responsibility; decided versions with the
consent confirmed; comparing versions; the second of two concurrent saves refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from egenmakt.conftest import sign_in
from egenmakt.coordination.models import Consent, Goal, Plan, PlanAction, PlanVersion
from egenmakt.coordination.services import plan as plans
from egenmakt.coordination.tests.factories import new_client, shared_client

pytestmark = pytest.mark.django_db


def as_(user) -> Browser:
    return sign_in(Browser(), user)


def page_of(client) -> str:
    return reverse("coordination:plan", args=[client.pk])


def action_of(client, which: str) -> str:
    """The URL of one change to the plan ("header", "goal", "action", "decide")."""
    return reverse(f"coordination:plan_{which}", args=[client.pk])


def version_of(client) -> int:
    return Plan.objects.get(client=client).version


def soon(days: int = 60) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def build(browser: Browser, client) -> None:
    assert browser.get(page_of(client)).status_code == 200
    steps = [
        {
            "form": "header",
            "long_term_goal": "Jag vill ha ett eget jobb och vänner att träffa.",
            "responsible_principal": "municipality",
        },
        {
            "form": "goal",
            "text": "Gå med i kören",
            "measure": "Går på kören två gånger i månaden",
            "target_date": soon(),
        },
    ]
    for data in steps:
        which = data.pop("form")
        response = browser.post(action_of(client, which), {**data, "version": version_of(client)})
        assert response.status_code == 302, response.content.decode()[:3000]
    goal = Goal.objects.get(plan__client=client)
    response = browser.post(
        action_of(client, "action"),
        {
            "version": version_of(client),
            "goal": goal.pk,
            "what": "Följa med till första övningen",
            "who": "Lena, boendestödjare",
            "principal": "municipality",
            "organisation_name": "Boendestöd Östra",
            "when": "tisdag vecka 3",
        },
    )
    assert response.status_code == 302


def test_the_case_manager_builds_and_decides_the_plan_with_consent_confirmed(cast):
    client = shared_client(cast)
    browser = as_(cast.case_manager)
    build(browser, client)
    consent = Consent.objects.get(client=client)
    refused = browser.post(
        action_of(client, "decide"),
        {
            "version": version_of(client),
            "decided_on": timezone.localdate().isoformat(),
            "consent": consent.pk,
        },
    )
    assert refused.status_code == 400
    assert "samtycke bekräftat igen" in refused.content.decode()
    assert not PlanVersion.objects.exists()
    decided = browser.post(
        action_of(client, "decide"),
        {
            "version": version_of(client),
            "decided_on": timezone.localdate().isoformat(),
            "consent": consent.pk,
            "consent_confirmed": "on",
        },
    )
    assert decided.status_code == 302
    version = PlanVersion.objects.get(plan__client=client)
    assert version.number == 1 and version.consent == consent
    assert version.content["goals"][0]["actions"][0]["who"] == "Lena, boendestödjare"
    text = browser.get(page_of(client)).content.decode()
    assert "Gå med i kören" in text and "Version 1" in text
    # The partner organisation reads the same plan under the consent.
    assert (
        "Gå med i kören" in as_(cast.municipal_case_manager).get(page_of(client)).content.decode()
    )


def test_a_plan_is_not_decided_without_goal_and_responsibility(cast):
    client = shared_client(cast)
    browser = as_(cast.case_manager)
    browser.get(page_of(client))
    consent = Consent.objects.get(client=client)
    response = browser.post(
        action_of(client, "decide"),
        {
            "version": version_of(client),
            "decided_on": timezone.localdate().isoformat(),
            "consent": consent.pk,
            "consent_confirmed": "on",
        },
    )
    assert response.status_code == 400
    assert "långsiktiga målet och minst ett delmål" in response.content.decode()
    assert not PlanVersion.objects.exists()


def test_versions_are_kept_and_compared(cast):
    client = shared_client(cast)
    browser = as_(cast.case_manager)
    build(browser, client)
    consent = Consent.objects.get(client=client)
    plan = Plan.objects.get(client=client)
    plans.decide_plan(
        user=cast.case_manager, client=client, plan=plan, expected_version=plan.version,
        decided_on=timezone.localdate(), consent=consent, consent_confirmed=True,
    )  # fmt: skip
    plans.add_goal(
        user=cast.case_manager, client=client, plan=plan, expected_version=plan.version,
        text="Söka praktik", measure="Ansökan skickad", target_date=timezone.localdate(),
    )  # fmt: skip
    plans.decide_plan(
        user=cast.case_manager, client=client, plan=plan, expected_version=plan.version,
        decided_on=timezone.localdate(), consent=consent, consent_confirmed=True,
    )  # fmt: skip
    assert list(PlanVersion.objects.values_list("number", flat=True)) == [2, 1]
    first = PlanVersion.objects.get(number=1)
    assert len(first.content["goals"]) == 1, "a decided version never changes"
    page = browser.get(reverse("coordination:plan_compare", args=[client.pk]) + "?a=1&b=2")
    text = page.content.decode()
    assert page.status_code == 200
    assert "<ins>" in text and "Söka praktik" in text


def test_the_second_of_two_concurrent_saves_is_refused_and_keeps_its_text(cast):
    client = shared_client(cast)
    first, second = as_(cast.case_manager), as_(cast.municipal_case_manager)
    first.get(page_of(client))
    opened = version_of(client)  # both open the plan at the same edit number
    ok = first.post(
        action_of(client, "goal"),
        {"version": opened, "text": "Sova bättre", "measure": "7 timmar",
         "target_date": soon()},
    )  # fmt: skip
    assert ok.status_code == 302
    late = second.post(
        action_of(client, "goal"),
        {"version": opened, "text": "Träffa vänner", "measure": "En gång i veckan",
         "target_date": soon()},
    )  # fmt: skip
    assert late.status_code == 409
    text = late.content.decode()
    assert "Någon annan har ändrat planen" in text
    assert "Träffa vänner" in text, "the refused text is there to copy"
    assert list(Goal.objects.values_list("text", flat=True)) == ["Sova bättre"]


def test_every_stale_save_is_refused_at_the_service(cast):
    client = shared_client(cast)
    plan = plans.plan_for(client, cast.case_manager)
    start = plan.version
    plans.save_plan_header(
        user=cast.case_manager, client=client, plan=plan, expected_version=start,
        long_term_goal="A", responsible_principal="region", responsible_person=None,
    )  # fmt: skip
    for attempt in range(3):
        with pytest.raises(plans.StalePlanError):
            plans.save_plan_header(
                user=cast.municipal_case_manager, client=client, plan=Plan.objects.get(pk=plan.pk),
                expected_version=start, long_term_goal=f"B{attempt}",
                responsible_principal="region", responsible_person=None,
            )  # fmt: skip
    plan.refresh_from_db()
    assert (plan.long_term_goal, plan.version) == ("A", start + 1)


def test_nobody_outside_the_team_reaches_the_plan_and_no_one_plans_without_consent(cast):
    client = shared_client(cast)
    for person in ("clinic_colleague", "outsider_case_manager", "coordinator"):
        assert as_(getattr(cast, person)).get(page_of(client)).status_code == 404
    fresh = new_client(cast)
    browser = as_(cast.case_manager)
    assert browser.get(page_of(fresh)).status_code == 200
    response = browser.post(
        action_of(fresh, "goal"),
        {"version": version_of(fresh), "text": "x", "measure": "y",
         "target_date": soon()},
    )  # fmt: skip
    assert response.status_code == 403
    assert not Goal.objects.filter(plan__client=fresh).exists()


def _count(browser: Browser, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return len(queries)


def test_the_plan_page_runs_the_same_queries_with_few_or_many_goals(cast):
    client = shared_client(cast)
    browser = as_(cast.case_manager)
    build(browser, client)
    few = _count(browser, page_of(client))
    plan = Plan.objects.get(client=client)
    for index in range(8):
        goal = plans.add_goal(
            user=cast.case_manager, client=client, plan=plan, expected_version=plan.version,
            text=f"Mål {index}", measure="m", target_date=timezone.localdate(),
        )  # fmt: skip
        plans.add_action(
            user=cast.case_manager, client=client, plan=plan, expected_version=plan.version,
            data={"goal": goal, "what": "w", "who": "x", "principal": "region", "when": "nu"},
        )  # fmt: skip
    assert PlanAction.objects.count() == 9
    assert _count(browser, page_of(client)) == few


# --- Forms rendered when opened (issue 25) -------------------------------------------------


def test_the_plan_page_renders_a_form_only_when_it_is_opened(cast):
    client = shared_client(cast)
    browser = as_(cast.case_manager)
    # A plan without its goal opens on the goal's form; the others wait to be opened.
    page = browser.get(page_of(client)).content.decode()
    assert f'action="{action_of(client, "header")}"' in page
    for which in ("goal", "action", "decide"):
        assert f'action="{action_of(client, which)}"' not in page
        fetch = reverse("coordination:plan_form", args=[client.pk, which])
        assert f'hx-get="{fetch}"' in page
        assert f'href="?form={which}#form-{which}"' in page  # the same without JavaScript
    build(browser, client)
    page = browser.get(page_of(client)).content.decode()
    assert f'action="{action_of(client, "header")}"' not in page
    # Without JavaScript: the link renders the page with that form open.
    opened = browser.get(page_of(client), {"form": "action"}).content.decode()
    assert f'action="{action_of(client, "action")}"' in opened
    assert f'action="{action_of(client, "goal")}"' not in opened


@pytest.mark.parametrize("which", ["header", "goal", "action", "activity", "decide"])
def test_each_form_comes_alone_when_its_section_opens(cast, which):
    client = shared_client(cast)
    browser = as_(cast.case_manager)
    response = browser.get(reverse("coordination:plan_form", args=[client.pk, which]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    if which == "activity":  # no coming activity in the calendar: said so, no form
        assert "<form" not in body
    else:
        assert f'action="{action_of(client, which)}"' in body
        assert f'name="version" value="{version_of(client)}"' in body


def test_a_form_nobody_has_is_404_and_outsiders_get_none(cast):
    client = shared_client(cast)
    assert (
        as_(cast.case_manager)
        .get(reverse("coordination:plan_form", args=[client.pk, "nothing"]))
        .status_code
        == 404
    )
    url = reverse("coordination:plan_form", args=[client.pk, "goal"])
    for person in ("clinic_colleague", "outsider_case_manager", "coordinator"):
        assert as_(getattr(cast, person)).get(url).status_code == 404
    # In the team but without the client's consent: no form to add to the plan.
    fresh = new_client(cast)
    fetch = reverse("coordination:plan_form", args=[fresh.pk, "goal"])
    assert as_(cast.case_manager).get(fetch).status_code == 403


def test_a_refused_form_comes_back_open_with_what_was_typed(cast):
    client = shared_client(cast)
    browser = as_(cast.case_manager)
    build(browser, client)
    response = browser.post(
        action_of(client, "goal"), {"version": version_of(client), "text": "Sjunga i kör"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert '<details class="fold fold--small" id="form-goal" open>' in body
    assert "Sjunga i kör" in body
