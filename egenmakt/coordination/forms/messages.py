"""Messages between meetings: start a thread, answer in one (the care team and the client)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from egenmakt.core.uploads import check_upload

# A message's attachment: a PDF or a photo, nothing that runs or hides macros.
ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
MAX_MESSAGE_CHARS = 5000


class MessageReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=MAX_MESSAGE_CHARS
    )
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        help_text=_("A PDF, JPEG or PNG file of at most 5 MB."),
    )

    def clean_attachment(self) -> Any:
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        extension = check_upload(upload)
        if extension not in ATTACHMENT_TYPES:
            raise ValidationError(_("Attach a PDF, JPEG or PNG file."))
        return upload


class MessageStartForm(MessageReplyForm):
    subject = forms.CharField(label=_("Topic"), max_length=150)

    field_order = ["subject", "text", "attachment"]
