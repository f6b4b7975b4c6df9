from __future__ import annotations

from types import SimpleNamespace

from egenmakt.accounts.models import Organisation, OrganisationKind
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import forget_held_roles, holds_role_in


def test_role_holds_in_the_organisation_and_the_units_below_it(cast):
    user = cast.case_manager  # member of the clinic, under the region
    assert holds_role_in(user, Role.CASE_MANAGER, cast.org("clinic"))
    ward = Organisation.objects.create(
        name="Avdelning 5", kind=OrganisationKind.WORKPLACE, parent=cast.org("clinic")
    )
    assert holds_role_in(user, Role.CASE_MANAGER, ward)


def test_role_does_not_reach_upwards_sideways_or_into_another_region(cast):
    user = cast.case_manager
    for elsewhere in ("region", "outpatient", "municipality", "other_region"):
        assert not holds_role_in(user, Role.CASE_MANAGER, cast.org(elsewhere)), elsewhere
    assert not holds_role_in(cast.outsider_case_manager, Role.CASE_MANAGER, cast.org("clinic"))


def test_a_role_in_the_region_covers_all_its_units(cast):
    assert holds_role_in(cast.auditor, Role.AUDITOR, cast.org("clinic"))
    assert holds_role_in(cast.auditor, Role.AUDITOR, cast.org("outpatient"))
    assert not holds_role_in(cast.auditor, Role.AUDITOR, cast.org("social_psychiatry"))


def test_other_roles_do_not_count(cast):
    assert not holds_role_in(cast.case_manager, Role.COORDINATOR, cast.org("clinic"))
    assert not holds_role_in(
        SimpleNamespace(is_authenticated=False), Role.CASE_MANAGER, cast.org("clinic")
    )


def test_moving_a_unit_moves_its_units_and_their_roles(cast):
    ward = Organisation.objects.create(
        name="Avdelning 7", kind=OrganisationKind.WORKPLACE, parent=cast.org("clinic")
    )
    cast.org("clinic").parent = cast.org("municipality")
    cast.org("clinic").save()
    ward.refresh_from_db()
    assert ward.ancestor_ids() == [ward.pk, cast.org("clinic").pk, cast.org("municipality").pk]
    forget_held_roles(cast.auditor)
    assert not holds_role_in(cast.auditor, Role.AUDITOR, ward)
