from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Holds no models; its migrations set up shared infrastructure (the cache table)."""

    name = "egenmakt.core"
    label = "core"

    def ready(self) -> None:
        # One place for what every form field refuses: control characters, implausible dates.
        from . import input as input_rules
        from .registry import check_contributions

        input_rules.install()
        # What the apps declare in ``contributes``: a wrong path stops the start here.
        check_contributions()
