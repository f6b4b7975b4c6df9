"""What a request may carry: one rule for control characters and one for dates, for every form.

Issue 17 found that a NUL byte in a worksheet answer gave a 500 on PostgreSQL (text and
JSONB columns refuse it) and that a coordination could start on 0001-01-01. Rather than
asking each form and view to remember, ``install()`` (run from ``CoreConfig.ready``) puts
the rules on Django's form fields themselves:

* every ``forms.CharField`` (and so ``EmailField``, ``URLField``, ``SlugField``,
  ``RegexField``, password fields and every model-form text field) gets
  ``ControlCharacterValidator`` in place of Django's own NUL-only validator. It is added in
  the field's ``__init__``, exactly where Django adds its NUL check, because
  ``default_validators`` is replaced by the subclasses (``EmailField`` sets its own list)
  and would miss them. A refused field keeps what the user typed and shows the message.
  Choice, number and date fields need no such check: a control character cannot match a
  choice or parse as a number or date, so they refuse it already.
* every ``forms.DateField`` and ``forms.DateTimeField`` gets ``DateRangeValidator`` with
  1900–2100 unless the form gave a tighter ``DateRangeValidator`` of its own.

Values read from ``request.GET``/``request.POST`` without a form are covered by
``ControlCharacterMiddleware``: a request carrying a control character in any key or value
runs in a transaction; if no form refused the character (so a view took it as it is), the
transaction is rolled back and the user gets the friendly 400 page.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any

from django import forms
from django.core import validators
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from egenmakt.core.dates import add_months

logger = logging.getLogger(__name__)

# C0 controls except tab, newline and carriage return (which textareas send), DEL, and
# lone surrogates (which JSON can carry and no database encoding accepts).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

CONTROL_CHARACTER_MESSAGE = _(
    "The text contains invisible control characters that cannot be saved (this can happen "
    "when text is copied from another program). Remove them and try again."
)

# Set by the middleware for a request that carries a control character: the forms that
# refused one add to it, so the middleware knows a form has shown the user its message.
_refusals: ContextVar[list[str] | None] = ContextVar("egenmakt_input_refusals", default=None)


def has_control_characters(value: Any) -> bool:
    """True if ``value`` (text, or lists and dicts of text, keys included) holds one."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.search(value) is not None
    if isinstance(value, dict):
        return any(has_control_characters(k) or has_control_characters(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_control_characters(v) for v in value)
    return False


def check_text(value: Any) -> None:
    """Raise the one ``ValidationError`` for a control character; forms and answers use it."""
    if has_control_characters(value):
        refusals = _refusals.get()
        if refusals is not None:
            refusals.append("control_characters")
        raise ValidationError(CONTROL_CHARACTER_MESSAGE, code="control_characters")


@deconstructible
class ControlCharacterValidator:
    """Refuses C0 control characters (but tab, newline, CR), DEL and lone surrogates."""

    message = CONTROL_CHARACTER_MESSAGE
    code = "control_characters"

    def __call__(self, value: Any) -> None:
        check_text(value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ControlCharacterValidator)

    def __hash__(self) -> int:
        return hash(type(self))


def posted_id(value: Any) -> int:
    """A row id read straight from ``request.POST``/``GET``: 0 (matches nothing) unless digits.

    ``filter(pk="abc")`` raises in the ORM (a 500); 0 makes the view's own "not found" answer.
    """
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else 0


# --- Dates -----------------------------------------------------------------------------------

# No date this service records (a consent, a meeting, a course day, a plan's target) lies
# before 1900 or after 2100: a year outside that is a typo (0024 for 2024) or a probe.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)

Bound = date | Callable[[], date]


def years_from_today(years: int) -> Callable[[], date]:
    """A bound that moves with the clock: today plus (or minus) whole years."""

    def bound() -> date:
        return add_months(timezone.localdate(), 12 * years)

    return bound


def today() -> date:
    return timezone.localdate()


@deconstructible
class DateRangeValidator:
    """A date (or the local date of a date and time) inside ``earliest``..``latest``."""

    def __init__(self, earliest: Bound = EARLIEST_DATE, latest: Bound = LATEST_DATE) -> None:
        self.earliest = earliest
        self.latest = latest

    @staticmethod
    def _resolve(bound: Bound) -> date:
        return bound if isinstance(bound, date) else bound()

    def __call__(self, value: Any) -> None:
        if isinstance(value, datetime):
            value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
        if not isinstance(value, date):
            return
        earliest, latest = self._resolve(self.earliest), self._resolve(self.latest)
        if value < earliest:
            raise ValidationError(
                _("Give a date on or after %(date)s."),
                code="date_too_early",
                params={"date": date_format(earliest, "DATE_FORMAT")},
            )
        if value > latest:
            raise ValidationError(
                _("Give a date on or before %(date)s."),
                code="date_too_late",
                params={"date": date_format(latest, "DATE_FORMAT")},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateRangeValidator) and (self.earliest, self.latest) == (
            other.earliest,
            other.latest,
        )

    def __hash__(self) -> int:
        return hash((type(self), self.earliest, self.latest))


def set_date_range(field: forms.Field, earliest: Bound, latest: Bound) -> None:
    """Give a (model-form) date field the domain's range in place of the plausible default."""
    field.validators = [
        *(v for v in field.validators if not isinstance(v, DateRangeValidator)),
        DateRangeValidator(earliest, latest),
    ]


# --- Installing the rules on Django's fields --------------------------------------------------


def _with_control_check(field_validators: list[Any]) -> list[Any]:
    # Ours covers NUL too; one message per field is clearer than two.
    kept = [
        v for v in field_validators if not isinstance(v, validators.ProhibitNullCharactersValidator)
    ]
    return [*kept, ControlCharacterValidator()]


def _with_date_range(field_validators: list[Any]) -> list[Any]:
    if any(isinstance(v, DateRangeValidator) for v in field_validators):
        return field_validators  # the form gave the domain's own, tighter range
    return [*field_validators, DateRangeValidator()]


def _after_init(cls: type[forms.Field], change: Callable[[list[Any]], list[Any]]) -> None:
    original = cls.__init__
    if getattr(original, "_egenmakt_input", False):
        return  # installed already (ready() can run twice in tests)

    @functools.wraps(original)
    def init(self: forms.Field, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.validators = change(list(self.validators))

    init._egenmakt_input = True  # type: ignore[attr-defined]
    cls.__init__ = init  # type: ignore[method-assign]


def install() -> None:
    """Put the control-character and date rules on every form field (see the module note)."""
    _after_init(forms.CharField, _with_control_check)
    _after_init(forms.DateField, _with_date_range)
    _after_init(forms.DateTimeField, _with_date_range)


# --- The net for values read without a form ---------------------------------------------------


class ControlCharacterInputError(SuspiciousOperation):
    """Django answers a ``SuspiciousOperation`` with the 400 page (``handler400``)."""


def _request_values(request: HttpRequest) -> Iterable[str]:
    for query in (request.GET, request.POST):
        for key, values in query.lists():
            yield key
            yield from values


class ControlCharacterMiddleware:
    """400, with nothing written, for a control character that no form refused.

    A form's own check wins: when a form field refused the character, the view's page (the
    form with the user's text and the field's message) is the answer. Otherwise the view has
    taken the value as it is, so whatever it wrote is rolled back and the 400 page is shown.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not any(CONTROL_CHARACTERS.search(value) for value in _request_values(request)):
            return self.get_response(request)
        refusals: list[str] = []
        token = _refusals.set(refusals)
        try:
            with transaction.atomic():
                response = self.get_response(request)
                if refusals:
                    return response
                transaction.set_rollback(True)
        finally:
            _refusals.reset(token)
        raise ControlCharacterInputError("A control character in the request that no form refused")

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # A view that passed the value on to the database fails there (PostgreSQL refuses
        # NUL); that is the refusal above, not a server error, so say 400 and skip the 500.
        if _refusals.get() is not None:
            logger.info("A view failed on input with control characters: %r", exception)
            return HttpResponse(status=400)
        return None
