"""One registry read from each AppConfig: what the apps contribute, in INSTALLED_APPS order,
resolved at start-up and cached once the app registry is ready (egenmakt/core/registry.py)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured
from django.test import override_settings

from egenmakt.core import registry
from egenmakt.core.registry import contributions

APPS = "egenmakt.core.tests.registry_apps"
FIRST = f"{APPS}.first.FirstConfig"
SECOND = f"{APPS}.second.SecondConfig"
SILENT = f"{APPS}.silent.SilentConfig"


def installed(*entries: str) -> override_settings:
    # egenmakt.core first, as in the settings: its ready() checks every contribution.
    return override_settings(INSTALLED_APPS=["egenmakt.core", *entries])


def test_contributions_come_in_installed_apps_order_then_in_declared_order():
    with installed(SECOND, SILENT, FIRST):
        assert contributions("navigation") == (
            "second: one",
            "first: one",
            "first: two",
            "first: three (kept in second.py)",
        )
    with installed(FIRST, SECOND):
        assert contributions("navigation")[0] == "first: one"
        assert contributions("navigation")[-1] == "second: one"


def test_an_app_contributing_nothing_adds_nothing_and_a_kind_nobody_gives_is_empty():
    with installed(SILENT):
        assert contributions("navigation") == ()
    with installed(FIRST, SILENT):
        assert contributions("homes") == ()
        assert len(contributions("two_factor_rules")) == 1


def test_an_object_given_as_itself_is_one_contribution():
    from egenmakt.core.tests.registry_apps.first import rule

    with installed(FIRST):
        assert contributions("two_factor_rules") == (rule,)


def test_contributions_are_resolved_once_and_cached(monkeypatch):
    imported: list[str] = []
    real = registry.import_string

    def counting(path: str) -> object:
        imported.append(path)
        return real(path)

    with installed(FIRST, SECOND):
        monkeypatch.setattr(registry, "import_string", counting)
        first = contributions("navigation")
        assert contributions("navigation") is first
        assert len(imported) == 3  # two paths of FIRST, one of SECOND, each read once
    # Other apps installed (and the real ones back afterwards): read again.
    with installed(SECOND):
        assert contributions("navigation") == ("second: one",)


def test_the_real_apps_are_read_again_after_a_test_installs_others():
    before = contributions("navigation")
    with installed(SILENT):
        assert contributions("navigation") == ()
    assert contributions("navigation") == before != ()


def test_a_path_that_does_not_import_stops_the_start():
    refused = pytest.raises(ImproperlyConfigured, match=r"broken contributes navigation")
    with refused, installed(FIRST, f"{APPS}.broken.BrokenPathConfig"):
        pass  # pragma: no cover - populating the apps raises
    # The apps of the settings are back, whole.
    assert apps.is_installed("egenmakt.peer")
    assert contributions("navigation") != ()


def test_an_unknown_kind_stops_the_start():
    refused = pytest.raises(ImproperlyConfigured, match="unknown kind 'navigaton'")
    with refused, installed(f"{APPS}.broken.UnknownKindConfig"):
        pass  # pragma: no cover - populating the apps raises


def test_asking_for_an_unknown_kind_fails():
    with pytest.raises(ImproperlyConfigured, match="unknown kind 'menu'"):
        contributions("menu")


def test_a_contribution_of_the_wrong_type_fails_where_it_is_read():
    with installed(FIRST), pytest.raises(ImproperlyConfigured, match="not a int"):
        contributions("navigation", int)


def test_nothing_is_read_before_every_app_is_ready(monkeypatch):
    monkeypatch.setattr(apps, "ready", False)
    with pytest.raises(AppRegistryNotReady):
        contributions("navigation")


def test_every_kind_the_product_reads_is_contributed_by_some_app():
    # A kind nobody contributes is a registry nobody needs (or a declaration gone missing).
    assert [kind for kind in registry.KINDS if not contributions(kind)] == []


def test_the_scale_generators_run_in_the_order_declared():
    from egenmakt.scale.registry import generators

    names = [generator.name for generator in generators()]
    assert names == ["accounts", "peer", "influence", "coordination", "audit"]
