"""Checks of uploaded files: size, and that the content is what its name says.

ASVS 5.2.1–5.2.2: a size limit and a type check by content, not by name alone. Allowed are
the formats people hand in (homework, a signed consent, a workplace agreement): PDF, Word
and OpenDocument text, plain text, and photos of handwritten pages (JPEG, PNG). Callers
narrow it further by the extension returned (a consent or an agreement must be a PDF).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

# extension -> how the content must start (None: checked as UTF-8 text)
SIGNATURES: dict[str, tuple[bytes, ...] | None] = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "txt": None,
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}


def check_upload(upload: UploadedFile) -> str:
    """The file's extension when it passes; otherwise a ValidationError saying why."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in SIGNATURES:
        raise ValidationError(
            _("Upload a PDF, Word (.docx), OpenDocument (.odt), text, JPEG or PNG file.")
        )
    if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than 5 MB. Make it smaller and try again."))
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    head = upload.read(2048)
    upload.seek(0)
    expected = SIGNATURES[extension]
    if expected is None:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A cut in the middle of a character at byte 2048 is still text.
            if exc.start < len(head) - 4:
                raise ValidationError(_("The file does not look like plain text.")) from exc
    elif not any(head.startswith(signature) for signature in expected):
        raise ValidationError(
            _("The file's content is not a %(kind)s file, although its name says so.")
            % {"kind": extension.upper()}
        )
    return extension
