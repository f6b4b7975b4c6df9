"""Two-factor sign-in with TOTP and backup codes (django-otp)."""

from __future__ import annotations

import secrets
from io import BytesIO
from typing import TYPE_CHECKING

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

if TYPE_CHECKING:
    from .models import User

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"


def pending_totp_device(user: User) -> TOTPDevice:
    """The user's unconfirmed TOTP device, created on first use of the enrolment page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def qr_code_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    # Inline in the page: drop the XML declaration.
    return svg[svg.index("<svg") :]


@transaction.atomic
def confirm_totp_device(*, user: User, device: TOTPDevice) -> list[str]:
    """Confirm the new device, drop older ones, and issue fresh backup codes."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return issue_backup_codes(user=user)


@transaction.atomic
def issue_backup_codes(*, user: User) -> list[str]:
    """Replace the user's backup codes with new ones, each usable once."""
    static, _created = StaticDevice.objects.get_or_create(
        user=user, name="Backup codes", defaults={"confirmed": True}
    )
    static.token_set.all().delete()
    codes = [secrets.token_hex(4) for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes
