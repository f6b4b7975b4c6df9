from django.apps import AppConfig


class SilentConfig(AppConfig):
    """Contributes nothing, like most of Django's own apps."""

    name = "egenmakt.core.tests.registry_apps.silent"
    label = "registry_silent"
