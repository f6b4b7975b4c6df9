"""The client's own sign-in: a portal account links a user to their ``Client`` record.

A portal user is a separate ``User`` holding no role anywhere: the portal pages are the
only pages it reaches (``middleware.PortalBoundaryMiddleware``), and nobody else reaches
the portal pages of a client (``selectors.get_portal_account``).

How the client proves who they are:

* a password and a TOTP code (``accounts``' own login and two-factor pages), or
* a one-time sign-in link sent by e-mail (``SignInLink``): used once, within
  ``LINK_MINUTES``, stored only as a hash. Using it marks the session verified through
  ``SignInLinkDevice``, see there for why.

e-ID (BankID, Freja eID through a region's OpenID Connect broker) is the ``sso`` app's: it
matches the verified personnummer claim to the open account and keeps the provider's
subject in ``PortalIdentity(provider=<issuer>, subject=<sub claim>)``. The ``email``
provider row is written when an invitation is sent, so every account has at least one
identity.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device


class PortalAccount(models.Model):
    """The client's own login, for one ``Client`` record (the home organisation's)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="portal_account",
        on_delete=models.PROTECT,
    )
    client = models.ForeignKey(
        "coordination.Client",
        verbose_name=_("client"),
        related_name="portal_accounts",
        on_delete=models.PROTECT,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("access ended"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("portal account")
        verbose_name_plural = _("portal accounts")
        constraints = [
            # One open account per client; an ended one is kept for the record.
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(revoked_at__isnull=True),
                name="portalaccount_one_open_per_client",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.user_id}"

    @property
    def is_open(self) -> bool:
        return self.revoked_at is None


class PortalIdentity(models.Model):
    """An identity the client signs in with: ``email`` today, an OIDC issuer later."""

    EMAIL = "email"

    account = models.ForeignKey(PortalAccount, related_name="identities", on_delete=models.CASCADE)
    # "email", or an OpenID Connect issuer URL (e.g. a region's e-ID broker).
    provider = models.CharField(_("provider"), max_length=200)
    # The e-mail address, or the OIDC "sub" claim: stable and unique per issuer.
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("portal identity")
        verbose_name_plural = _("portal identities")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="portalidentity_unique_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.account_id}"


class SignInLink(models.Model):
    """A one-time sign-in link. Only the SHA-256 of its token is stored, so a copy of
    the database cannot sign anyone in."""

    account = models.ForeignKey(PortalAccount, related_name="links", on_delete=models.CASCADE)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")
        indexes = [models.Index(fields=["account", "created_at"], name="signinlink_recent")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.created_at:%Y-%m-%d %H:%M}"


_Device = TypeVar("_Device", bound=Device)


class HiddenDeviceManager(models.Manager[_Device]):
    """Never listed among a user's devices (see ``SignInLinkDevice``, and the e-ID
    provider's device in ``sso``); django-otp's ``devices_for_user`` asks each device
    model's manager this question."""

    def devices_for_user(
        self, user: object, confirmed: bool | None = None
    ) -> models.QuerySet[_Device]:
        return self.none()


class SignInLinkDevice(Device):
    """The second factor that a used sign-in link stands for.

    Why a device rather than a flag in the session: every two-factor check in Egenmakt
    asks django-otp's ``user.is_verified()``, which is true when the session names a
    confirmed device of the user (``OTPMiddleware``). Logging the link in through a device
    of its own keeps that one check, records in the session which factor was used, and
    ends with the session like any other. The device accepts no typed code
    (``verify_token`` is always false) and its manager hides it from
    ``devices_for_user``, so it neither counts as "has an authenticator app" on the
    two-factor pages nor answers ``match_token``: a client who signs in with a password
    must still enrol and use TOTP.
    """

    objects: ClassVar[HiddenDeviceManager[SignInLinkDevice]] = HiddenDeviceManager()

    class Meta:
        verbose_name = _("sign-in link device")
        verbose_name_plural = _("sign-in link devices")

    def verify_token(self, token: object) -> bool:
        return False
