"""Text messages on the wire: one backend chosen by ``settings.SMS_BACKEND``.

Like Django's ``EMAIL_BACKEND``, the setting is a dotted path to a class with a
``send(to, text) -> str`` method that returns the provider's id of the message and raises
``SmsError`` when the message was not taken. The outbox (``services.deliver_sms``) calls
it and retries on failure.

* ``ConsoleBackend`` writes the message to the log (development).
* ``LocmemBackend`` keeps messages in ``LocmemBackend.outbox`` (tests).
* ``DisabledBackend`` sends nothing (production without a provider): ``notify`` then uses
  e-mail, and a queued message fails with a reason.
* ``FortySixElksBackend`` sends through 46elks (https://46elks.se), a Swedish provider:
  ``POST {ELKS_API_URL}/sms`` with HTTP basic auth (the API username and password) and the
  form fields ``from``, ``to`` (E.164) and ``message``; a 2xx answer is JSON with ``id``
  and ``status``, anything else is a failure.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from typing import ClassVar

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

_SEPARATORS = re.compile(r"[\s\-().]")


class SmsError(Exception):
    """The provider did not take the message (or could not be reached)."""


def normalise_phone(number: str) -> str:
    """A phone number in E.164 ("+46701234567"), or "" when it is not one.

    Swedish numbers may be written nationally ("070-123 45 67" → "+46701234567") or with
    "0046"; other countries' numbers must start with "+" or "00".
    """
    digits = _SEPARATORS.sub("", number or "")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = "+46" + digits[1:]
    if digits.startswith("+460"):  # "+46 (0)70…": the trunk zero is not dialled
        digits = "+46" + digits[4:]
    if not re.fullmatch(r"\+[1-9]\d{6,14}", digits):
        return ""
    return digits


class BaseSmsBackend:
    #: Whether messages can be sent at all (``notify`` falls back to e-mail if not).
    available: ClassVar[bool] = True

    def send(self, *, to: str, text: str) -> str:
        raise NotImplementedError


class ConsoleBackend(BaseSmsBackend):
    def send(self, *, to: str, text: str) -> str:
        logger.info("SMS to %s: %s", to, text)
        sys.stdout.write(f"SMS to {to}:\n{text}\n\n")
        return "console"


class LocmemBackend(BaseSmsBackend):
    """Keeps what was sent, for tests: ``LocmemBackend.outbox`` is a list of (to, text)."""

    outbox: ClassVar[list[tuple[str, str]]] = []

    def send(self, *, to: str, text: str) -> str:
        self.outbox.append((to, text))
        return f"locmem-{len(self.outbox)}"


class DisabledBackend(BaseSmsBackend):
    available = False

    def send(self, *, to: str, text: str) -> str:
        raise SmsError("no SMS provider is configured (SMS_BACKEND)")


class FortySixElksBackend(BaseSmsBackend):
    """46elks' SMS API (https://46elks.se/docs/send-sms)."""

    def __init__(self) -> None:
        self.url = settings.ELKS_API_URL.rstrip("/") + "/sms"
        self.username = settings.ELKS_API_USERNAME
        self.password = settings.ELKS_API_PASSWORD
        self.sender = settings.SMS_SENDER
        self.timeout = settings.SMS_TIMEOUT

    def send(self, *, to: str, text: str) -> str:
        if not (self.username and self.password):
            raise SmsError("ELKS_API_USERNAME and ELKS_API_PASSWORD are not set")
        data = urllib.parse.urlencode({"from": self.sender, "to": to, "message": text}).encode()
        credentials = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        request = urllib.request.Request(  # noqa: S310 — the URL is the operator's setting
            self.url,
            data=data,
            method="POST",
            headers={
                "Authorization": f"Basic {credentials}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read().decode() or "{}")
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode(errors="replace")[:200]
            raise SmsError(f"46elks answered {exc.code}: {detail}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"46elks could not be reached: {exc}") from exc
        except ValueError as exc:
            raise SmsError("46elks answered with something that is not JSON") from exc
        if not isinstance(answer, dict) or not answer.get("id"):
            raise SmsError(f"46elks answered without an id: {str(answer)[:200]}")
        if answer.get("status") == "failed":
            raise SmsError(f"46elks could not send the message ({answer['id']})")
        return str(answer["id"])


def get_backend() -> BaseSmsBackend:
    backend: BaseSmsBackend = import_string(settings.SMS_BACKEND)()
    return backend


def sms_available() -> bool:
    return bool(import_string(settings.SMS_BACKEND).available)
