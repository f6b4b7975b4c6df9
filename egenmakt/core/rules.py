"""The one way a service refuses: ``require(allowed, reason)``.

Rules are plain functions returning ``bool`` (each app's ``rules.py``); a service asks them
and calls ``require`` before it changes anything. The ``PermissionDenied`` it raises reaches
``handler403``, which writes the denied row of the access log with the reason.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


def require(allowed: bool, reason: str = "") -> None:
    if not allowed:
        raise PermissionDenied(reason)
