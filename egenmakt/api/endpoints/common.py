"""What every area's operations share: the answers each may meet, the list limit, the
page's 400 as JSON and the access-log reason of a service token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Status

from egenmakt.api.auth import Caller
from egenmakt.api.schemas import ErrorOut, InvalidOut

# Every operation may meet these: 400 from the project's guard against control characters
# in any request (egenmakt/core/input.py), 401 without a usable token, 403 without the
# scope or the right, 422 for parameters that do not fit, 429 over the rate limit.
DENIED = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: InvalidOut, 429: ErrorOut}
HIDDEN = {**DENIED, 404: ErrorOut}
LIST_LIMIT = 500


def api_reason(request: HttpRequest, text: str) -> str:
    """The log row's reason; a service token acts as nobody, so its row names the token
    (the auditor finds it, and who made it, among the organisation's tokens)."""
    caller = getattr(request, "auth", None)
    if isinstance(caller, Caller) and caller.token.is_service:
        return f"{text} (service token {caller.token.pk})"
    return text


def form_refusal(form: Any) -> Any:
    """The page's 400 (its bound form with the errors) as JSON."""
    errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
    return Status(400, {"detail": "Invalid input.", "errors": errors})
