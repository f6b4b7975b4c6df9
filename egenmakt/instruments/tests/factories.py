"""Test helpers: instrument versions and responses made through the services."""

from __future__ import annotations

from typing import Any

from egenmakt.instruments import services
from egenmakt.instruments.models import InstrumentDefinition, Response
from egenmakt.instruments.schema import parse_definition
from egenmakt.instruments.tests.examples import ALL_TYPES_YAML

ORS_ANSWERS = {"individually": 5.5, "interpersonally": 6.0, "socially": 7.1, "overall": 6.4}


def engine_definition(version: int = 1) -> InstrumentDefinition:
    """The all-types test instrument, stored (once per version)."""
    definition = parse_definition(ALL_TYPES_YAML.replace("version: 1", f"version: {version}", 1))
    services.load_definition(definition, source_file="engine_test.yaml")
    return InstrumentDefinition.objects.get(key="engine_test", version=version)


def ors_definition() -> InstrumentDefinition:
    """The ORS as the data migration loaded it (newest version).

    Loaded again when a transactional test (the browser tests) has flushed the database.
    """
    row = InstrumentDefinition.objects.filter(key="ors").order_by("-version").first()
    if row is None:
        services.load_shipped_definitions()
        row = InstrumentDefinition.objects.filter(key="ors").order_by("-version").first()
    assert row is not None
    return row


def start(definition: InstrumentDefinition, subject: Any, user: Any, **kwargs: Any) -> Response:
    kwargs.setdefault("respondent_kind", definition.respondents[0])
    return services.start_response(user=user, definition=definition, subject=subject, **kwargs)


def submitted(
    definition: InstrumentDefinition, subject: Any, user: Any, answers: dict[str, Any], **kw: Any
) -> Response:
    response = start(definition, subject, user, **kw)
    return services.submit_response(
        user=user, response=response, answers=answers, expected_version=response.version
    )
