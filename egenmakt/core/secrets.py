"""Secrets kept in the database encrypted at rest (an e-ID provider's client secret).

``EncryptedTextField`` stores ``fernet:<token>`` (Fernet from ``cryptography``: AES-128-CBC
with an HMAC). The keys are ``settings.FIELD_ENCRYPTION_KEYS`` (Fernet keys; the first
encrypts, every one decrypts, so a key can be rotated), else one derived from
``SECRET_KEY``. A copy of the database alone does not give the secrets away. A value without
the prefix is read as it is (a row written before the field was encrypted) and encrypted on
its next save.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "fernet:"


def _fernet() -> MultiFernet:
    keys = [key for key in getattr(settings, "FIELD_ENCRYPTION_KEYS", []) if key]
    if not keys:
        digest = hashlib.sha256(b"egenmakt field encryption\x00" + settings.SECRET_KEY.encode())
        keys = [base64.urlsafe_b64encode(digest.digest()).decode()]
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS holds a key that is not a Fernet key."
        ) from exc


def encrypt(value: str) -> str:
    return PREFIX + _fernet().encrypt(value.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored
    try:
        return _fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A secret in the database cannot be decrypted with FIELD_ENCRYPTION_KEYS (or the "
            "SECRET_KEY it was derived from): was a key changed without keeping the old one?"
        ) from exc


class EncryptedTextField(models.TextField):
    """Text that is encrypted in the database and plain in Python."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return value if value is None else decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))
