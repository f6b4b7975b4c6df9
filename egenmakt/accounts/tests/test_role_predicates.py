from __future__ import annotations

from types import SimpleNamespace

from egenmakt.accounts.models import Organisation, OrganisationKind
from egenmakt.accounts.roles import Role
from egenmakt.accounts.rules import has_role_in
from egenmakt.accounts.selectors import forget_held_roles


def test_role_holds_in_the_organisation_and_the_units_below_it(cast):
    is_case_manager = has_role_in(Role.CASE_MANAGER)
    user = cast.case_manager  # member of the clinic, under the region
    assert is_case_manager(user, cast.org("clinic"))
    ward = Organisation.objects.create(
        name="Avdelning 5", kind=OrganisationKind.WORKPLACE, parent=cast.org("clinic")
    )
    assert is_case_manager(user, ward)


def test_role_does_not_reach_upwards_sideways_or_into_another_region(cast):
    is_case_manager = has_role_in(Role.CASE_MANAGER)
    user = cast.case_manager
    assert not is_case_manager(user, cast.org("region"))
    assert not is_case_manager(user, cast.org("outpatient"))
    assert not is_case_manager(user, cast.org("municipality"))
    assert not is_case_manager(user, cast.org("other_region"))
    assert not is_case_manager(cast.outsider_case_manager, cast.org("clinic"))


def test_a_role_in_the_region_covers_all_its_units(cast):
    is_auditor = has_role_in(Role.AUDITOR)
    assert is_auditor(cast.auditor, cast.org("clinic"))
    assert is_auditor(cast.auditor, cast.org("outpatient"))
    assert not is_auditor(cast.auditor, cast.org("social_psychiatry"))


def test_other_roles_do_not_count(cast):
    assert not has_role_in(Role.COORDINATOR)(cast.case_manager, cast.org("clinic"))
    assert not has_role_in(Role.CASE_MANAGER)(
        SimpleNamespace(is_authenticated=False), cast.org("clinic")
    )
    assert not has_role_in(Role.CASE_MANAGER)(cast.case_manager, None)


def test_moving_a_unit_moves_its_units_and_their_roles(cast):
    ward = Organisation.objects.create(
        name="Avdelning 7", kind=OrganisationKind.WORKPLACE, parent=cast.org("clinic")
    )
    cast.org("clinic").parent = cast.org("municipality")
    cast.org("clinic").save()
    ward.refresh_from_db()
    assert ward.ancestor_ids() == [ward.pk, cast.org("clinic").pk, cast.org("municipality").pk]
    forget_held_roles(cast.auditor)
    assert not has_role_in(Role.AUDITOR)(cast.auditor, ward)
