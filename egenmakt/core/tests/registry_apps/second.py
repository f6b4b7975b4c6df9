from django.apps import AppConfig

ENTRIES = ("second: one",)
LAST_OF_FIRST = "first: three (kept in second.py)"


class SecondConfig(AppConfig):
    name = "egenmakt.core.tests.registry_apps.second"
    label = "registry_second"
    contributes = {"navigation": "egenmakt.core.tests.registry_apps.second.ENTRIES"}
