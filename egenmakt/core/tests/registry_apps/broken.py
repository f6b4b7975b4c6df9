from django.apps import AppConfig


class BrokenPathConfig(AppConfig):
    name = "egenmakt.core.tests.registry_apps.broken"
    label = "registry_broken"
    contributes = {"navigation": "egenmakt.core.tests.registry_apps.broken.NO_SUCH_ENTRIES"}


class UnknownKindConfig(AppConfig):
    name = "egenmakt.core.tests.registry_apps.broken"
    label = "registry_unknown_kind"
    contributes = {"navigaton": "egenmakt.core.tests.registry_apps.first.ENTRIES"}
