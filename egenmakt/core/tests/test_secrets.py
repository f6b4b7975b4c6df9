"""Secrets at rest: the database holds ciphertext, Python the plain value; a key can be
rotated; a value written before encryption is still read."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from egenmakt.core.secrets import PREFIX, decrypt, encrypt

pytestmark = pytest.mark.django_db

SECRET = "klienthemlighet-från-regionens-idp"


def test_round_trip_and_no_plain_text(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    stored = encrypt(SECRET)
    assert stored.startswith(PREFIX) and SECRET not in stored
    assert decrypt(stored) == SECRET
    assert encrypt(SECRET) != stored  # a fresh IV each time


def test_a_key_can_be_rotated(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    stored = encrypt(SECRET)
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    assert decrypt(stored) == SECRET
    settings.FIELD_ENCRYPTION_KEYS = [new]
    with pytest.raises(ImproperlyConfigured):
        decrypt(stored)


def test_a_value_from_before_encryption_is_read_as_it_is():
    assert decrypt("gammal-klartext") == "gammal-klartext"


def test_the_providers_secret_is_ciphertext_in_the_database(cast):
    from egenmakt.sso.models import IdentityProvider

    provider = IdentityProvider.objects.create(
        organisation=cast.org("region"),
        name="Regionens IdP",
        slug="idp",
        signs_in="staff",
        issuer="https://idp.example",
        authorization_endpoint="https://idp.example/authorize",
        token_endpoint="https://idp.example/token",
        jwks_uri="https://idp.example/jwks",
        client_id="egenmakt",
        client_secret=SECRET,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT client_secret FROM sso_identityprovider WHERE id = %s", [provider.pk]
        )
        (raw,) = cursor.fetchone()
    assert raw.startswith(PREFIX) and SECRET not in raw
    assert IdentityProvider.objects.get(pk=provider.pk).client_secret == SECRET
