"""The registry of personal data (audit/registry.py): every model of the project that holds
personal data is registered once, with what it holds, whose, why and for how long; the
models whose rows are people are what the access log and the auditor's search treat as
people; the record of processing is generated from it."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models

from egenmakt.accounts.models import Organisation, User
from egenmakt.audit.middleware import people_in
from egenmakt.audit.registry import (
    export_personal_data,
    is_person_model,
    is_person_type,
    not_personal,
    person_content_types,
    registrations,
)
from egenmakt.coordination.models import Client
from egenmakt.peer.models import Application

# Field names that hold a person's name, number or address as text.
PERSONAL_NAMES = {
    "full_name",
    "name",
    "identity_number",
    "phone",
    "address",
    "contact_name",
    "contact_phone",
    "contact_person",
    "attendees",
    "who",
    "chair",
    "person_label",
    "others_present",
    "copies_held_by",
    "parties",
    "agreed_by_peers",
}
PERSON_MODELS = (User, Client, Application)


def _personal_fields(model: type[models.Model]) -> list[str]:
    found = []
    for field in model._meta.concrete_fields:
        if (
            isinstance(
                field,
                models.EmailField
                | models.FileField
                | models.TextField
                | models.GenericIPAddressField,
            )
            or field.name in PERSONAL_NAMES
            or (field.is_relation and field.related_model in PERSON_MODELS)
        ):
            found.append(field.name)
    return found


def test_every_model_with_a_personal_field_is_registered_once():
    """A name, an e-mail, a phone, an identity number, free text, a file or a link to a
    person: the model must say what it holds and why (PersonalData), or why it holds
    nobody's data (NoPersonalData)."""
    registered = {entry.label for entry in registrations()} | {e.label for e in not_personal()}
    holding = {
        model._meta.label_lower: _personal_fields(model)
        for model in apps.get_models()
        if model.__module__.startswith("egenmakt.") and _personal_fields(model)
    }
    assert len(holding) > 40, "the walk must find the models"
    missing = {label: fields for label, fields in holding.items() if label not in registered}
    assert missing == {}


def test_every_registration_names_whose_data_why_and_for_how_long():
    for entry in registrations():
        assert entry.whose and str(entry.holds) and str(entry.purpose), entry.label
        assert str(entry.retention) and entry.basis.label, entry.label
        for part in entry.of:
            fields = {f.name for f in entry.model._meta.concrete_fields} | {"pk"}
            assert all(f.split("__")[0] in fields for f in part.fields), entry.label
    for entry in not_personal():
        assert str(entry.why), entry.label


def test_the_person_models_are_the_registered_people_and_nothing_else():
    assert all(is_person_model(model) for model in (User, Application, Client))
    assert not is_person_model(Organisation)


@pytest.mark.django_db
def test_the_auditors_search_offers_the_person_models_by_name():
    offered = [(ct.app_label, ct.model) for ct in person_content_types()]
    assert offered == [("peer", "application"), ("coordination", "client"), ("accounts", "user")]
    assert is_person_type(ContentType.objects.get_for_model(Client))
    assert not is_person_type(ContentType.objects.get_for_model(Organisation))


@pytest.mark.django_db
def test_a_row_pointing_to_a_person_names_them_and_a_model_without_a_record_gives_none(cast):
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
