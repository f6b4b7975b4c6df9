from django.apps import AppConfig

ENTRIES = ["first: one", "first: two"]


def rule(user: object) -> bool:
    return True


class FirstConfig(AppConfig):
    name = "egenmakt.core.tests.registry_apps.first"
    label = "registry_first"
    contributes = {
        # A list is spread; a single object (here given as itself) is one contribution.
        "navigation": [
            "egenmakt.core.tests.registry_apps.first.ENTRIES",
            "egenmakt.core.tests.registry_apps.second.LAST_OF_FIRST",
        ],
        "two_factor_rules": rule,
    }
