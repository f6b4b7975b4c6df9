"""One registry for what the apps add to each other, read from every ``AppConfig``.

An app declares what it contributes in its ``AppConfig``, by kind, as dotted paths::

    class PeerConfig(AppConfig):
        contributes = {
            "navigation": "egenmakt.peer.registrations.NAVIGATION",
            "subjects": "egenmakt.peer.registrations.SUBJECTS",
        }

A kind takes one entry or a list of entries; an entry is a dotted path (or, rarely, the
object itself) naming one contribution or a list or tuple of them, which is spread. The
app that owns a kind reads it with ``contributions("navigation")``: every app's
contributions of that kind, apps in ``INSTALLED_APPS`` order and each app's in the order
it declared them. Paths are imported only then, so ``apps.py`` imports no model.

Every path is resolved once at start-up (``CoreConfig.ready``), so a wrong one stops the
process there instead of failing on the first request that needs it; what is read after
the app registry is ready is cached until the installed apps change (in tests).

This module imports no app: the kinds below are names, and their types belong to the app
that reads them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar, overload

from django.apps import AppConfig, apps
from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

T = TypeVar("T")

# Every kind, with the app that reads it and what one contribution is.
KINDS: dict[str, str] = {
    "navigation": "accounts.navigation.NavEntry: a menu entry for some roles",
    "start_panels": "accounts.start_panels.StartPanel: a panel on a role's start page",
    "homes": "accounts.navigation.Home: where someone without a role starts",
    "two_factor_rules": "a predicate user -> bool (accounts.selectors.needs_two_factor): "
    "someone without a role who must still sign in with two factors",
    "personal_data": "audit.registry.PersonalData: a model that holds personal data, "
    "what it holds, whose, why, for how long, and how a person's rows are exported and "
    "erased (or NoPersonalData: a model that looks personal but is not, and why)",
    "subjects": "instruments.subjects.SubjectType: what a questionnaire response is about",
    "client_self": "coordination.registrations.ClientSelf: the client on their own pages, "
    "recognised, and what of their own record they read",
    "plan_activities": "a function client -> list of coordination.selectors"
    ".plan.CalendarActivity: coming activities near the client the plan can take up as a measure",
    "actor_scopes": "a function organisations -> user ids (audit.selectors): people "
    "without a membership whose acts those organisations' auditors review",
    "log_review_flags": "audit.review.LogReviewFlag: a rule that flags reads of the access "
    "log for the auditor's log review (a code, a label, and a function over log rows)",
    "notification_kinds": "core.notifications.NotificationKind: a kind of notice (a "
    "reminder...) a person chooses e-mail, SMS or none for (outbox.notify)",
    "sign_in_methods": "a function user -> None that removes an app's sign-in methods of a "
    "user whose account is anonymised (accounts.services.anonymise_user)",
    "account_closed": "a function (user, actor) -> None that stops an app's credentials of a "
    "user whose account is closed or anonymised (accounts.services.deactivate_account, "
    "anonymise_user); they stay stopped when the account is opened again",
    "stored_figures": "reports.stored.FigureKind: figures of closed periods (a quarter's "
    "indicators...) stored once and reused, and how to compute them again from their scope",
    "reason_details": "a function {(code, key)} -> {(code, key): name} (audit.reasons."
    "detail_names): the name, in the active language, of a key an app writes after an "
    "access-log reason (a questionnaire's key after 'instrument'), one query for a page",
    "scale_generators": "a function ScaleContext -> None (scale.registry), run by "
    "generate_scale in the order declared",
}

_resolved: dict[str, tuple[Any, ...]] = {}


@overload
def contributions(kind: str) -> tuple[Any, ...]: ...


@overload
def contributions(kind: str, of: type[T]) -> tuple[T, ...]: ...


def contributions(kind: str, of: type[Any] | None = None) -> tuple[Any, ...]:
    """Every installed app's contributions of ``kind``, in ``INSTALLED_APPS`` order.

    With ``of``, each must be an instance of it (a wrong declaration fails here, loudly).
    """
    _known(kind)
    if not apps.ready:
        raise AppRegistryNotReady(f"The {kind!r} contributions are read once every app is ready.")
    found = _resolved.get(kind)
    if found is None:
        found = _resolved[kind] = _collect(apps.get_app_configs(), kind)
    if of is not None:
        for item in found:
            if not isinstance(item, of):
                raise ImproperlyConfigured(
                    f"A {kind!r} contribution is {item!r}, not a {of.__qualname__}."
                )
    return found


def check_contributions(app_configs: Iterable[AppConfig] | None = None) -> None:
    """Resolve every declared contribution now, raising ``ImproperlyConfigured`` for an
    unknown kind or a path that does not import. Called from ``CoreConfig.ready``."""
    configs = list(apps.get_app_configs() if app_configs is None else app_configs)
    for config in configs:
        for kind in _declared(config):
            _known(kind, config)
    for kind in KINDS:
        found = _collect(configs, kind)
        if app_configs is None:
            # What start-up resolved is what the first read would: keep it, resolve once.
            _resolved[kind] = found


def clear_cache() -> None:
    _resolved.clear()


@receiver(setting_changed)
def _installed_apps_changed(*, setting: str, **kwargs: Any) -> None:
    # Tests that install other apps (override_settings) read theirs, then ours again.
    if setting == "INSTALLED_APPS":
        clear_cache()


def _known(kind: str, config: AppConfig | None = None) -> None:
    if kind not in KINDS:
        where = f"{config.name} contributes" if config is not None else "Asked for"
        raise ImproperlyConfigured(
            f"{where} the unknown kind {kind!r}; the kinds are {', '.join(KINDS)}."
        )


def _declared(config: AppConfig) -> Mapping[str, Any]:
    declared = getattr(config, "contributes", None) or {}
    if not isinstance(declared, Mapping):
        raise ImproperlyConfigured(f"{config.name}: `contributes` must map kinds to paths.")
    return declared


def _collect(configs: Iterable[AppConfig], kind: str) -> tuple[Any, ...]:
    found: list[Any] = []
    for config in configs:
        paths = _declared(config).get(kind, ())
        for path in paths if isinstance(paths, list | tuple) else (paths,):
            value = _resolve(config, kind, path)
            if isinstance(value, list | tuple):
                found.extend(value)
            else:
                found.append(value)
    return tuple(found)


def _resolve(config: AppConfig, kind: str, path: Any) -> Any:
    if not isinstance(path, str):
        return path  # given as the object itself
    try:
        return import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"{config.name} contributes {kind} {path!r}, which does not import: {exc}"
        ) from exc
