"""Signing in as a person does, shared by the locustfile and isolated.py."""

from __future__ import annotations

import hashlib
import hmac
import re
import struct
import time
from typing import Any

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def totp(key_hex: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238, as django-otp's TOTPDevice checks it (SHA-1, 30 s, 6 digits)."""
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"


def csrf_cookie(cookies: Any) -> str:
    """The CSRF secret from the cookie (bench mode: plain HTTP, so not ``__Host-``), which
    Django accepts as the form's token too."""
    return str(cookies.get("egenmakt_csrf") or cookies.get("__Host-egenmakt_csrf") or "")


def csrf_token(html: str) -> str:
    found = CSRF.search(html)
    return found.group(1) if found else ""


def headers_for(page: dict[str, Any], account: dict[str, Any]) -> dict[str, str]:
    """The page's own headers (an API read: ``Authorization: Bearer {api_token}``), filled
    in with the account's own values."""
    return {name: value.format(**account) for name, value in page.get("headers", {}).items()}


def is_api(page: dict[str, Any]) -> bool:
    """An API read goes without the session: only its token says who asks."""
    return "headers" in page


def signed_in_at(url: str) -> bool:
    """Where a sign-in ended: not at a sign-in form, the second factor or a spent link."""
    return not any(part in url for part in ("/logga-in/", "/konto/tvastegs/", "/lank/"))
