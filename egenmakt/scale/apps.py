from django.apps import AppConfig


class ScaleConfig(AppConfig):
    """Synthetic data at a region's scale and the benchmark's sign-ins (``manage.py
    generate_scale``, ``manage.py bench_logins``; see ``bench/README.md``).

    Tooling, not product: it holds no models and writes the domain apps' tables directly;
    no domain app imports it.
    """

    name = "egenmakt.scale"
    label = "scale"
    # The generators generate_scale runs, in this order (egenmakt/scale/registry.py).
    contributes = {
        "scale_generators": [
            "egenmakt.scale.accounts.generate",
            "egenmakt.scale.peer.generate",
            "egenmakt.scale.influence.generate",
            "egenmakt.scale.coordination.generate",
            "egenmakt.scale.audit.generate",
        ],
    }
