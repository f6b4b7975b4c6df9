"""Administration inside the app, scoped to one's own tree (issue 17).

The clinic's administrator acts on the clinic and the units below it, never on the region
above, the outpatient unit beside it, or Region Nordmark. Every URL and service is tried
from each position: inside works, outside answers 404 and writes nothing. Someone signed in
without the admin role gets 403 (the pages are about the administrator's own organisations,
not about a person, so a 404 would hide nothing).
"""

from __future__ import annotations

import importlib

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from egenmakt.accounts import services
from egenmakt.accounts.models import Invitation, Membership, Organisation, OrganisationKind, User
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import admin_scope
from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import AccessLog, Action
from egenmakt.conftest import sign_in

POSITIONS_INSIDE = ("own", "below")
POSITIONS_OUTSIDE = ("sibling", "above", "other_region")


@pytest.fixture
def world(cast):
    """The clinic's administrator, a unit under the clinic, and one person per position."""
    clinic_admin = User.objects.create_user(
        "admin.mottagning@egenmakt.example", None, full_name="Alva Admin"
    )
    Membership.objects.create(user=clinic_admin, organisation=cast.org("clinic"), role=Role.ADMIN)
    unit = services.create_unit(
        actor=clinic_admin,
        scope=admin_scope(clinic_admin),
        parent=cast.org("clinic"),
        name="Mottagning Syd",
        kind=OrganisationKind.WORKPLACE,
    )
    below_person = User.objects.create_user("syd@egenmakt.example", None, full_name="Sigge Syd")
    Membership.objects.create(user=below_person, organisation=unit, role=Role.CASE_MANAGER)
    organisations = {
        "own": cast.org("clinic"),
        "below": unit,
        "sibling": cast.org("outpatient"),
        "above": cast.org("region"),
        "other_region": cast.org("other_region"),
    }
    people = {
        "own": cast.clinic_colleague,
        "below": below_person,
        "sibling": cast.workplace_manager,
        "above": cast.auditor,
        "other_region": cast.outsider_case_manager,
    }
    return clinic_admin, organisations, people


def _as(user) -> Client:
    return sign_in(Client(), user)


def _rows() -> int:
    return AccessLog.objects.count()


# --- Who reaches the pages at all -------------------------------------------------------------


STATIC_URLS = ("/administration/", "/administration/personer/", "/administration/personer/bjud-in/")


def test_signed_in_without_the_admin_role_gets_403_everywhere(cast, world):
    _admin, organisations, people = world
    browser = _as(cast.case_manager)
    membership = Membership.objects.filter(user=people["own"]).first()
    person = people["own"].pk
    for url in (
        *STATIC_URLS,
        f"/administration/enhet/{organisations['own'].pk}/ny/",
        f"/administration/personer/{person}/",
        f"/administration/personer/{person}/stang/",
        f"/administration/personer/{person}/tvastegs/",
    ):
        assert browser.get(url).status_code == 403, url
    for url in (
        f"/administration/personer/{person}/roll/",
        f"/administration/personer/{person}/stang/",
        f"/administration/personer/{person}/oppna/",
        f"/administration/personer/{person}/tvastegs/",
        f"/administration/roller/{membership.pk}/avsluta/",
    ):
        assert browser.post(url).status_code == 403, url
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert people["own"].is_active


def test_anonymous_visitors_are_sent_to_the_sign_in(cast, client):
    response = client.get("/administration/personer/")
    assert response.status_code == 302
    assert response["Location"] == "/logga-in/?next=/administration/personer/"


def test_the_menu_shows_administration_to_administrators_only(cast, world):
    clinic_admin, _organisations, _people = world
    assert (
        'href="/administration/"' in _as(clinic_admin).get("/roll/administrator/").content.decode()
    )
    assert 'href="/administration/"' not in _as(cast.case_manager).get("/").content.decode()


# --- The tree: own and below, never above or beside --------------------------------------------


def test_the_tree_shows_own_organisation_and_units_below_only(cast, world):
    clinic_admin, organisations, _people = world
    page = _as(clinic_admin).get("/administration/")
    assert page.status_code == 200
    names = [org.name for org, _depth in page.context["tree"]]
    assert names == [organisations["own"].name, organisations["below"].name]


@pytest.mark.parametrize("position", POSITIONS_INSIDE + POSITIONS_OUTSIDE)
def test_creating_a_unit(cast, world, position):
    clinic_admin, organisations, _people = world
    parent = organisations[position]
    browser = _as(clinic_admin)
    url = f"/administration/enhet/{parent.pk}/ny/"
    before = Organisation.objects.count()
    page = browser.get(url)
    response = browser.post(url, {"name": "Ny enhet", "kind": OrganisationKind.WORKPLACE})
    if position in POSITIONS_INSIDE:
        assert page.status_code == 200
        assert response.status_code == 302
        unit = Organisation.objects.get(parent=parent, name="Ny enhet")
        row = AccessLog.objects.latest("id")
        assert (row.actor, row.action, row.object_id) == (clinic_admin, Action.CREATE, str(unit.pk))
        assert row.reason == AuditEvent.ADMIN_UNIT_CREATED == "administration: unit created"
        trail = LogEntry.objects.get_for_object(unit)
        assert trail.filter(action=LogEntry.Action.CREATE).get().actor == clinic_admin
    else:
        assert page.status_code == response.status_code == 404
        assert Organisation.objects.count() == before
        with pytest.raises(services.OutsideTree):
            services.create_unit(
                actor=clinic_admin,
                scope=admin_scope(clinic_admin),
                parent=parent,
                name="Ny enhet",
                kind=OrganisationKind.WORKPLACE,
            )


# --- People ------------------------------------------------------------------------------------


def test_the_people_list_shows_the_tree_only_and_logs_whom_it_showed(cast, world):
    clinic_admin, _organisations, people = world
    before = _rows()
    page = _as(clinic_admin).get("/administration/personer/")
    shown = {person.pk for person in page.context["people"]}
    assert {people["own"].pk, people["below"].pk, clinic_admin.pk} <= shown
    for position in POSITIONS_OUTSIDE:
        assert people[position].pk not in shown
    logged = AccessLog.objects.filter(pk__gt=0).order_by("-id")[: _rows() - before]
    assert {int(row.person_id) for row in logged} == shown


def test_searching_people_by_name_or_address(cast, world):
    clinic_admin, _organisations, people = world
    browser = _as(clinic_admin)
    found = browser.post("/administration/personer/", {"q": "syd@"}).context["people"]
    assert [p.pk for p in found] == [people["below"].pk]
    # A name outside the tree is not found, however exact.
    outside = browser.post(
        "/administration/personer/", {"q": people["other_region"].full_name}
    ).context["people"]
    assert outside == []


def test_the_person_page_shows_memberships_inside_the_tree_only(cast, world):
    clinic_admin, organisations, people = world
    # The colleague also works in the sibling unit: the clinic's admin must not see it.
    Membership.objects.create(
        user=people["own"], organisation=organisations["sibling"], role=Role.SUPERVISOR
    )
    before = _rows()
    page = _as(clinic_admin).get(f"/administration/personer/{people['own'].pk}/")
    assert page.status_code == 200
    shown = {(m.organisation_id, m.role) for m in page.context["memberships"]}
    assert shown == {(organisations["own"].pk, Role.CASE_MANAGER)}
    assert organisations["sibling"].name not in page.content.decode()
    row = AccessLog.objects.latest("id")
    assert _rows() == before + 1 and row.person_id == str(people["own"].pk)
    # Not all of the colleague's work is here, so the account is not the clinic's to close.
    assert not page.context["whole_account"]


@pytest.mark.parametrize("position", POSITIONS_INSIDE + POSITIONS_OUTSIDE)
def test_person_pages_and_account_actions(cast, world, position, settings):
    settings.EGENMAKT_DEMO = False
    clinic_admin, _organisations, people = world
    person = people[position]
    TOTPDevice.objects.create(user=person, name="app", confirmed=True)
    browser = _as(clinic_admin)
    base = f"/administration/personer/{person.pk}/"
    if position in POSITIONS_OUTSIDE:
        for page in ("", "stang/", "tvastegs/"):
            assert browser.get(base + page).status_code == 404, page
        for action in ("stang/", "oppna/", "tvastegs/"):
            assert browser.post(base + action).status_code == 404, action
        person.refresh_from_db()
        assert person.is_active
        assert TOTPDevice.objects.filter(user=person).exists()
        assert not Invitation.objects.filter(user=person).exists()
        scope = admin_scope(clinic_admin)
        for service in (
            services.deactivate_account,
            services.reactivate_account,
            services.reset_second_factor,
        ):
            with pytest.raises(PermissionDenied):
                service(actor=clinic_admin, scope=scope, user=person)
        return
    for page in ("", "stang/", "tvastegs/"):  # the person, and the two confirmations
        assert browser.get(base + page).status_code == 200, page
    assert browser.get(base + "oppna/").status_code == 405
    person.refresh_from_db()
    assert person.is_active  # asking changed nothing
    assert browser.post(base + "stang/").status_code == 302
    person.refresh_from_db()
    assert not person.is_active
    assert browser.post(base + "oppna/").status_code == 302
    person.refresh_from_db()
    assert person.is_active
    assert browser.post(base + "tvastegs/").status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert Invitation.objects.filter(user=person, used_at__isnull=True).count() == 1


@pytest.mark.parametrize("position", POSITIONS_INSIDE + POSITIONS_OUTSIDE)
def test_ending_a_membership(cast, world, position):
    clinic_admin, _organisations, people = world
    membership = Membership.objects.filter(user=people[position]).first()
    response = _as(clinic_admin).post(f"/administration/roller/{membership.pk}/avsluta/")
    exists = Membership.objects.filter(pk=membership.pk).exists()
    if position in POSITIONS_INSIDE:
        assert response.status_code == 302 and not exists
        row = AccessLog.objects.latest("id")
        assert (row.action, row.person_id) == (Action.DELETE, str(people[position].pk))
        assert row.reason == AuditEvent.ADMIN_MEMBERSHIP_ENDED
    else:
        assert response.status_code == 404 and exists


@pytest.mark.parametrize("position", POSITIONS_INSIDE + POSITIONS_OUTSIDE)
def test_giving_a_role_in_an_organisation(cast, world, position):
    clinic_admin, organisations, people = world
    organisation = organisations[position]
    response = _as(clinic_admin).post(
        f"/administration/personer/{people['own'].pk}/roll/",
        {"role": Role.ADMIN, "organisation": organisation.pk},
    )
    given = Membership.objects.filter(
        user=people["own"], organisation=organisation, role=Role.ADMIN
    ).exists()
    if position in POSITIONS_INSIDE:
        assert response.status_code == 302 and given
        assert mail.outbox[-1].to == [people["own"].email]
    else:
        # Not a choice on the form at all; the service refuses it too.
        assert response.status_code == 400 and not given
        with pytest.raises(services.OutsideTree):
            services.grant_role(
                actor=clinic_admin,
                scope=admin_scope(clinic_admin),
                user=people["own"],
                organisation=organisation,
                role=Role.ADMIN,
            )


@pytest.mark.parametrize("position", POSITIONS_OUTSIDE)
def test_giving_a_role_to_someone_outside_the_tree(cast, world, position):
    clinic_admin, organisations, people = world
    response = _as(clinic_admin).post(
        f"/administration/personer/{people[position].pk}/roll/",
        {"role": Role.CASE_MANAGER, "organisation": organisations["own"].pk},
    )
    assert response.status_code == 404
    assert not Membership.objects.filter(
        user=people[position], organisation=organisations["own"]
    ).exists()


@pytest.mark.parametrize("position", POSITIONS_INSIDE + POSITIONS_OUTSIDE)
def test_inviting_into_an_organisation(cast, world, position):
    clinic_admin, organisations, _people = world
    response = _as(clinic_admin).post(
        "/administration/personer/bjud-in/",
        {
            "full_name": "Nora Ny",
            "email": "nora.ny@example.org",
            "language": "en",
            "role": Role.CASE_MANAGER,
            "organisation": organisations[position].pk,
        },
    )
    created = User.objects.filter(email="nora.ny@example.org").first()
    if position in POSITIONS_INSIDE:
        assert response.status_code == 302
        assert created is not None and not created.has_usable_password()
        assert not created.is_staff and not created.is_superuser
        assert Membership.objects.filter(user=created, organisation=organisations[position])
        assert "You are invited to Egenmakt" in mail.outbox[-1].subject  # her language
    else:
        assert response.status_code == 400 and created is None


def test_inviting_an_existing_address_says_the_same_and_changes_nothing_of_the_account(cast, world):
    clinic_admin, organisations, _people = world
    browser = _as(clinic_admin)
    outsider = cast.outsider_coordinator
    name, password = outsider.full_name, outsider.password
    TOTPDevice.objects.create(user=outsider, name="app", confirmed=True)
    data = {
        "full_name": "Någon Annan",
        "language": "sv",
        "role": Role.SUPERVISOR,
        "organisation": organisations["own"].pk,
    }
    existing = browser.post(
        "/administration/personer/bjud-in/", {**data, "email": outsider.email}, follow=True
    )
    fresh = browser.post(
        "/administration/personer/bjud-in/", {**data, "email": "ny@example.org"}, follow=True
    )
    said = [
        [str(m).replace(address, "ADDRESS") for m in response.context["messages"]]
        for response, address in ((existing, outsider.email), (fresh, "ny@example.org"))
    ]
    assert said[0] == said[1] and len(said[0]) == 1
    outsider.refresh_from_db()
    assert (outsider.full_name, outsider.password) == (name, password)
    # The person page shows only the new role, nothing of Nordmark.
    page = browser.get(f"/administration/personer/{outsider.pk}/").content.decode()
    assert cast.org("other_network").name not in page
    # A set-up account gets a notice of the role, not a link that could reset anything.
    assert not Invitation.objects.filter(user=outsider).exists()


def test_the_last_own_admin_membership_cannot_be_ended(cast, world):
    clinic_admin, _organisations, _people = world
    own = Membership.objects.get(user=clinic_admin, role=Role.ADMIN)
    browser = _as(clinic_admin)
    browser.post(f"/administration/roller/{own.pk}/avsluta/")
    assert Membership.objects.filter(pk=own.pk).exists()
    assert browser.post(f"/administration/personer/{clinic_admin.pk}/stang/").status_code == 302
    clinic_admin.refresh_from_db()
    assert clinic_admin.is_active


def test_superusers_are_not_administered_here(cast, world):
    clinic_admin, organisations, _people = world
    operator = User.objects.create_superuser("drift@egenmakt.example", None, full_name="Drift")
    membership = Membership.objects.create(
        user=operator, organisation=organisations["own"], role=Role.CASE_MANAGER
    )
    browser = _as(clinic_admin)
    assert browser.get(f"/administration/personer/{operator.pk}/").status_code == 404
    assert browser.post(f"/administration/personer/{operator.pk}/stang/").status_code == 404
    assert browser.post(f"/administration/roller/{membership.pk}/avsluta/").status_code == 404
    response = browser.post(
        "/administration/personer/bjud-in/",
        {
            "full_name": "X",
            "email": operator.email,
            "language": "sv",
            "role": Role.ADMIN,
            "organisation": organisations["own"].pk,
        },
    )
    assert response.status_code == 400
    assert not Membership.objects.filter(user=operator, role=Role.ADMIN).exists()


def test_closing_an_account_ends_its_sessions(cast, world, settings):
    settings.EGENMAKT_DEMO = False
    clinic_admin, _organisations, people = world
    colleague = _as(people["own"])
    assert colleague.get("/").status_code in {200, 302}
    Membership.objects.filter(user=people["own"]).exclude(
        organisation__path__startswith=cast.org("clinic").path
    ).delete()
    _as(clinic_admin).post(f"/administration/personer/{people['own'].pk}/stang/")
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(people["own"].pk) for s in Session.objects.all()
    )
    assert colleague.get("/roll/vardsamordnare/")["Location"].startswith("/logga-in/")


def test_an_account_with_work_elsewhere_cannot_be_closed_only_its_roles_ended(cast, world):
    clinic_admin, organisations, people = world
    Membership.objects.create(
        user=people["own"], organisation=organisations["other_region"], role=Role.SUPERVISOR
    )
    browser = _as(clinic_admin)
    browser.post(f"/administration/personer/{people['own'].pk}/stang/")
    browser.post(f"/administration/personer/{people['own'].pk}/tvastegs/")
    people["own"].refresh_from_db()
    assert people["own"].is_active
    assert not Invitation.objects.filter(user=people["own"]).exists()


def test_list_and_person_pages_use_a_bounded_number_of_queries(
    cast, world, django_assert_max_num_queries
):
    clinic_admin, organisations, _people = world
    browser = _as(clinic_admin)

    def add_people(count: int, start: int) -> None:
        for n in range(start, start + count):
            person = User.objects.create_user(f"p{n}@example.org", None, full_name=f"P {n}")
            Membership.objects.create(
                user=person, organisation=organisations["below"], role=Role.PEER_SUPPORTER
            )
            Membership.objects.create(
                user=person, organisation=organisations["own"], role=Role.SUPERVISOR
            )

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    add_people(30, 0)
    with CaptureQueriesContext(connection) as first:
        browser.get("/administration/personer/")
    add_people(60, 100)
    with CaptureQueriesContext(connection) as second:
        browser.get("/administration/personer/")
    # A page shows 25 people whatever the tree holds: one access-log row each, no more.
    assert len(second) == len(first)
    with django_assert_max_num_queries(len(first)):
        browser.get("/administration/personer/?sida=2")
    with django_assert_max_num_queries(25):
        browser.get(f"/administration/personer/{User.objects.get(email='p5@example.org').pk}/")


def test_in_app_changes_are_in_the_change_trail_with_the_actor(cast, world):
    clinic_admin, organisations, people = world
    _as(clinic_admin).post(
        f"/administration/personer/{people['below'].pk}/roll/",
        {"role": Role.SUPERVISOR, "organisation": organisations["below"].pk},
    )
    membership = Membership.objects.get(user=people["below"], role=Role.SUPERVISOR)
    assert LogEntry.objects.get_for_object(membership).get().actor == clinic_admin


# --- Finding 1: the exact attack of the report ---------------------------------------------------


def test_nordmarks_administrator_cannot_reach_vasterhav(cast, settings):
    """Issue 17, finding 1: Region Nordmark's administrator listed Västerhav's users, made
    itself superuser, set a case manager's password and backup code, and made itself auditor
    of Region Västerhav. None of it works now."""
    settings.EGENMAKT_DEMO = False
    attacker = cast.outsider_admin
    victim = cast.case_manager
    TOTPDevice.objects.create(user=victim, name="app", confirmed=True)
    victim_password = victim.password
    browser = _as(attacker)

    # Django's admin does not exist for a non-superuser.
    for url in (
        "/admin/",
        "/admin/login/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{attacker.pk}/change/",
        f"/admin/accounts/user/{victim.pk}/password/",
        "/admin/accounts/membership/add/",
        "/admin/otp_static/staticdevice/add/",
        f"/admin/r/1/{victim.pk}/",  # "view on site", which the admin itself leaves open
        "/admin/no-such-page/",
    ):
        assert browser.get(url).status_code == 404, url
    browser.post(
        f"/admin/accounts/user/{attacker.pk}/change/",
        {"email": attacker.email, "full_name": "x", "is_superuser": "on", "is_staff": "on"},
    )
    browser.post(
        f"/admin/accounts/user/{victim.pk}/password/",
        {"usable_password": "true", "password1": "Stulet-2026-x", "password2": "Stulet-2026-x"},
    )
    browser.post(
        "/admin/accounts/membership/add/",
        {"user": attacker.pk, "organisation": cast.org("region").pk, "role": Role.AUDITOR},
    )
    browser.post("/admin/otp_static/staticdevice/add/", {"user": victim.pk, "name": "x"})

    # The in-app pages do not reach Västerhav either.
    listed = browser.get("/administration/personer/").context["people"]
    assert {p.pk for p in listed}.isdisjoint(
        Membership.objects.filter(
            organisation__path__startswith=cast.org("region").path
        ).values_list("user_id", flat=True)
    )
    assert browser.get(f"/administration/personer/{victim.pk}/").status_code == 404
    assert browser.post(f"/administration/personer/{victim.pk}/tvastegs/").status_code == 404
    own_admin = Membership.objects.get(user=attacker, role=Role.ADMIN)
    auditor_of_vasterhav = browser.post(
        f"/administration/personer/{attacker.pk}/roll/",
        {"role": Role.AUDITOR, "organisation": cast.org("region").pk},
    )
    assert auditor_of_vasterhav.status_code == 400

    attacker.refresh_from_db()
    victim.refresh_from_db()
    assert not attacker.is_superuser and not attacker.is_staff
    assert victim.password == victim_password
    assert not StaticDevice.objects.filter(user=victim).exists()
    assert TOTPDevice.objects.filter(user=victim, confirmed=True).count() == 1
    assert list(Membership.objects.filter(user=attacker)) == [own_admin]


def test_no_demo_administrator_is_staff_or_in_a_group(cast):
    assert not User.objects.filter(is_staff=True, is_superuser=False).exists()
    assert not cast.admin.groups.exists()
    assert not Group.objects.filter(name="Administratörer").exists()


def test_the_migration_takes_admin_access_from_everyone_but_operators(cast):
    from django.apps import apps

    migration = importlib.import_module("egenmakt.accounts.migrations.0002_operators_only_in_admin")
    group = Group.objects.create(name="Administratörer")
    cast.admin.groups.add(group)
    User.objects.filter(pk=cast.admin.pk).update(is_staff=True)
    operator = User.objects.create_superuser("drift@egenmakt.example", None, full_name="Drift")
    migration.operators_only(apps, None)
    cast.admin.refresh_from_db()
    operator.refresh_from_db()
    assert not cast.admin.is_staff and operator.is_staff
    assert not Group.objects.filter(name="Administratörer").exists()


def test_operators_reach_the_admin_and_anonymous_visitors_the_apps_sign_in(cast, client):
    operator = User.objects.create_superuser("drift@egenmakt.example", None, full_name="Drift")
    assert client.get("/admin/")["Location"] == "/logga-in/?next=/admin/"
    assert client.get("/admin/login/")["Location"].startswith("/logga-in/")
    assert _as(operator).get("/admin/accounts/user/").status_code == 200
    assert _as(cast.admin).get("/admin/").status_code == 404
