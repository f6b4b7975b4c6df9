from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo region for ``make run`` and the tests' cast (``manage.py seed_demo``).

    Tooling, not product: it holds no models and reaches into the domain apps through
    their services; no domain app imports it.
    """

    name = "egenmakt.demo"
    label = "demo"
