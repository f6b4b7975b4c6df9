from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from egenmakt.audit.reasons import reason_label as _reason_label

register = template.Library()


@register.filter
def break_after(value: object, characters: str) -> SafeString:
    """Let a long e-mail address or page path wrap after ``@`` or ``/``, not mid-word."""
    text = str(conditional_escape(str(value)))
    # Escaped HTML holds neither "@" nor "/", so only the value's own characters get a <wbr>.
    for character in characters:
        text = text.replace(character, character + "<wbr>")
    return mark_safe(text)  # noqa: S308 - built from escaped text above.


@register.filter
def reason_label(value: object) -> str:
    """A reason stored in the access log, as the reader reads it (see ``audit.reasons``)."""
    return _reason_label(str(value) if value else "")
