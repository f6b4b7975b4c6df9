"""The client's address, from the connection and the proxies we run (TRUSTED_PROXY_HOPS).

Every reverse proxy in front of the app appends the address that connected to it to
``X-Forwarded-For`` (nginx: ``$proxy_add_x_forwarded_for``), and the app sees the nearest
proxy as ``REMOTE_ADDR``. With ``TRUSTED_PROXY_HOPS = N`` the client is the N-th entry
counted from the right: the rightmost entry was written by our proxy nearest the app, the
N-th by the proxy at the edge. Everything to the left of it came from the client (or from
proxies we do not run) and is never looked at, so a forged header can add entries but cannot
change the address we use.

With N = 0 (the default: the app faces the clients directly) the header is ignored. A header
with fewer than N entries, or an entry that is not an address, means the request did not
pass through our proxies as configured: the connection's own address is used then, which
nobody can forge. Nothing here raises on a bad header.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# The address django-ratelimit keys on when no address is known at all (a unix socket with
# no proxy hops configured): every such request shares one count, which fails closed.
UNKNOWN_ADDRESS = "0.0.0.0"  # noqa: S104 - a key for the rate limiter, nothing binds to it
# A longer header than any real chain of proxies is not worth parsing.
MAX_HEADER_LENGTH = 2000


def _address(value: str) -> str | None:
    """A bare IPv4/IPv6 address from one header entry, port or brackets dropped; else None."""
    value = value.strip()
    if value.startswith("["):  # "[2001:db8::1]" or "[2001:db8::1]:443"
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:  # "192.0.2.1:443"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _forwarded_client(request: HttpRequest, hops: int) -> str | None:
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not isinstance(header, str) or not header or len(header) > MAX_HEADER_LENGTH:
        return None
    entries = header.split(",")
    if len(entries) < hops:
        return None
    return _address(entries[-hops])


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as configured by TRUSTED_PROXY_HOPS, or None when unknown.

    Used by the rate limits, the sign-in lockout, the access log and the change trail, so
    they all agree on who the client is.
    """
    if request is None:
        return None
    hops = int(getattr(settings, "TRUSTED_PROXY_HOPS", 0))
    if hops > 0:
        forwarded = _forwarded_client(request, hops)
        if forwarded is not None:
            return forwarded
    return _address(str(request.META.get("REMOTE_ADDR") or ""))


def client_ip_for_limits(request: HttpRequest) -> str:
    """client_ip for django-ratelimit (RATELIMIT_IP_META_KEY), which needs some address."""
    return client_ip(request) or UNKNOWN_ADDRESS
