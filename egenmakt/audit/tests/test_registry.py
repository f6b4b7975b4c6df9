"""The person models: what the apps contribute as people (their AppConfig's "person_models",
egenmakt/core/registry.py) is what the access log and the auditor's search treat as people;
a model that holds a person's name or identity number and is not contributed fails here."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from egenmakt.accounts.models import Organisation, User
from egenmakt.audit.middleware import people_in
from egenmakt.audit.registry import (
    export_personal_data,
    is_person_model,
    is_person_type,
    person_content_types,
)
from egenmakt.coordination.models import Client
from egenmakt.peer.models import Application

# Fields that make a row a person's own: a name, an identity number.
PERSON_FIELDS = {"full_name", "identity_number"}


def test_every_model_holding_a_name_or_identity_number_is_a_person_model():
    holding = [
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("egenmakt.")
        and PERSON_FIELDS & {f.name for f in model._meta.concrete_fields}
    ]
    assert holding, "the walk must find the people"
    assert [label for label in holding if not is_person_model(apps.get_model(label))] == []


def test_the_person_models_are_the_contributed_ones_and_nothing_else():
    assert all(is_person_model(model) for model in (User, Application, Client))
    assert not is_person_model(Organisation)


@pytest.mark.django_db
def test_the_auditors_search_offers_the_person_models_by_name():
    offered = list(person_content_types().values_list("app_label", "model"))
    assert offered == [("peer", "application"), ("coordination", "client"), ("accounts", "user")]
    assert is_person_type(ContentType.objects.get_for_model(Client))
    assert not is_person_type(ContentType.objects.get_for_model(Organisation))


@pytest.mark.django_db
def test_a_row_pointing_to_a_person_names_them_and_a_model_without_an_exporter_gives_none(cast):
    membership = cast.case_manager.memberships.first()
    assert people_in(membership) == [
        (ContentType.objects.get_for_model(User), cast.case_manager.pk)
    ]
    assert export_personal_data(cast.case_manager) is None


def test_every_audit_event_stores_its_own_string():
    """Two members with one value would be aliases: the auditor could not tell them apart
    and listing the events would hide one. One member per stored reason."""
    from egenmakt.audit.events import AuditEvent

    assert len(AuditEvent.__members__) == len(AuditEvent)
    assert all(event.value == event.value.strip() and event.value for event in AuditEvent)
