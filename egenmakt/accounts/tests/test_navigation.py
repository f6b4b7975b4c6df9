"""The navigation rule (issue 26): a menu entry, and a start page's link, is shown only to
someone the page lets in, because the menu asks the rule the page's view enforces."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client as Browser

from egenmakt.accounts.navigation import nav_entries, navigation_for, page_rule
from egenmakt.accounts.roles import ROLE_SLUGS
from egenmakt.accounts.selectors import forget_held_roles
from egenmakt.conftest import sign_in
from egenmakt.demo.cast import cast_keys, seed_demo_region

# Everyone ``make run`` prints: one person per role and the extra people (the researcher,
# the method supervisor...), not the other region's outsiders.
DEMO_PEOPLE = [(key, role) for key, role, _org in cast_keys() if not key.startswith("outsider_")]

MENU = re.compile(r'<nav class="site-nav".*?</nav>', re.S)
START_LINKS = re.compile(r'<ul class="start-links".*?</ul>', re.S)
HREF = re.compile(r'href="([^"]+)"')


def _hrefs(pattern: re.Pattern[str], html: str) -> list[str]:
    found = pattern.search(html)
    return HREF.findall(found.group(0)) if found else []


def _labels(user: Any) -> list[str]:
    forget_held_roles(user)
    return [item.url for item in navigation_for(user)]


def test_every_menu_entry_names_the_rule_its_page_enforces():
    for entry in nav_entries():
        assert callable(page_rule(entry.url_name)), entry.url_name


@pytest.mark.django_db
def test_every_menu_link_and_start_link_opens_for_every_demo_person():
    """Sign in as each demo person, follow every menu link and every link of their start
    pages: none answers 403 or 404 (it did: the region's analyst, the course leader, the
    supervisors)."""
    call_command("seed_demo", quiet_logins=True)
    cast = seed_demo_region()
    from egenmakt.demo.peer import demo_course_participant

    people = [(key, cast.people[key], role) for key, role in DEMO_PEOPLE]
    people.append(("participant", demo_course_participant(), None))
    dead: list[str] = []
    for key, user, role in people:
        browser = sign_in(Browser(), user)
        start = f"/roll/{ROLE_SLUGS[role]}/" if role else "/"
        page = browser.get(start, follow=True)
        assert page.status_code == 200, (key, start)
        html = page.content.decode()
        links = _hrefs(MENU, html) + _hrefs(START_LINKS, html)
        assert links, f"{key} has no menu"
        for url in dict.fromkeys(links):
            status = browser.get(url).status_code
            if status in (403, 404):
                dead.append(f"{key}: {url} answers {status}")
    assert not dead, "\n".join(dead)


def test_the_region_analyst_is_shown_only_what_opens(cast, signed_in):
    """The region's analyst reports on no user-movement network and analyses no influence
    area: the programme report and user influence are not offered; the caseload is."""
    urls = _labels(cast.analyst)
    assert "/rapporter/program/" not in urls
    assert "/inflytande/" not in urls
    assert "/rapporter/vardsamordning/" in urls
    browser = signed_in(cast.analyst)
    assert browser.get("/rapporter/vardsamordning/").status_code == 200
    # The network's researcher still has the programme report.
    assert "/rapporter/program/" in _labels(cast.researcher)


def test_calendar_activities_are_offered_only_to_members_of_a_submitting_organisation(
    cast, signed_in
):
    from egenmakt.demo.influence import seed_demo_influence

    seed_demo_influence(cast)
    for key in ("course_leader", "supervisor", "method_supervisor"):
        assert "/inflytande/aktiviteter/ny/" not in _labels(cast.people[key]), key
    assert "/inflytande/aktiviteter/ny/" in _labels(cast.lecturer)
    assert signed_in(cast.lecturer).get("/inflytande/aktiviteter/ny/").status_code == 200


def test_the_start_page_links_to_the_role_pages_the_person_may_open(cast, signed_in):
    page = signed_in(cast.auditor).get("/roll/loggranskare/")
    links = _hrefs(START_LINKS, page.content.decode())
    assert "/granskning/logg/" in links
    page = signed_in(cast.analyst).get("/roll/analytiker/")
    links = _hrefs(START_LINKS, page.content.decode())
    assert links == ["/rapporter/vardsamordning/"]


def test_the_method_supervisor_start_page_describes_the_method_supervisor(cast, signed_in):
    method = signed_in(cast.method_supervisor).get("/roll/handledare/")
    text = method.content.decode()
    assert "metodhandledare" in text.lower()
    assert "/samordning/nodatkomst/" in _hrefs(START_LINKS, text)
    # The PEER supervisor of the user-run network: supervision of peer supporters, and no
    # emergency access.
    peer = signed_in(cast.supervisor).get("/roll/handledare/").content.decode()
    assert "metodhandledare" not in peer.lower()
    assert "/samordning/nodatkomst/" not in _hrefs(START_LINKS, peer)
    assert "/samordning/nodatkomst/" not in _hrefs(MENU, peer)
