"""Sign-in through an organisation's OpenID Connect provider (a region's e-ID broker).

An ``IdentityProvider`` is data, edited by the organisation's administrator: where the
provider is, the client id and secret Egenmakt was given, whom it signs in (staff or
clients), which claims carry the subject, the e-mail and the personal identity number, and
which ``acr``/``amr`` values say that the person used more than one factor.

``StaffIdentity`` remembers the provider's stable subject of a staff member after the first
match (by a verified e-mail); clients are remembered in the portal's ``PortalIdentity``.
``IdentityProviderDevice`` is the second factor a multi-factor sign-in at the provider
stands for, the way the portal's ``SignInLinkDevice`` stands for a used link.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from egenmakt.core.secrets import EncryptedTextField
from egenmakt.portal.models import HiddenDeviceManager

# The claim the Swedish e-ID brokers (OIDC Sweden profile) put the personnummer in.
PERSONAL_NUMBER_CLAIM = "https://id.oidc.se/claim/personalIdentityNumber"


class SignsIn(models.TextChoices):
    STAFF = "staff", _("Staff")
    CLIENTS = "clients", _("Clients")


class IdentityProvider(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        related_name="identity_providers",
        on_delete=models.PROTECT,
    )
    name = models.CharField(
        _("name"), max_length=80, help_text=_('Shown on the button: "Sign in with <name>".')
    )
    slug = models.SlugField(_("short name in addresses"), max_length=40, unique=True)
    signs_in = models.CharField(_("signs in"), max_length=10, choices=SignsIn.choices)
    issuer = models.URLField(_("issuer"), max_length=200)
    authorization_endpoint = models.URLField(_("authorization endpoint"), max_length=300)
    token_endpoint = models.URLField(_("token endpoint"), max_length=300)
    jwks_uri = models.URLField(_("key set (JWKS) address"), max_length=300)
    client_id = models.CharField(_("client id"), max_length=200)
    # Encrypted at rest (``core.secrets``); write-only in every form.
    client_secret = EncryptedTextField(_("client secret"), max_length=500)
    scopes = models.CharField(_("scopes"), max_length=200, default="openid email")
    subject_claim = models.CharField(_("subject claim"), max_length=200, default="sub")
    email_claim = models.CharField(_("e-mail claim"), max_length=200, default="email")
    personal_number_claim = models.CharField(
        _("personal identity number claim"), max_length=200, default=PERSONAL_NUMBER_CLAIM
    )
    mfa_acr_values = models.CharField(
        _("acr values that count as two factors"),
        max_length=500,
        blank=True,
        help_text=_("Separated by spaces."),
    )
    mfa_amr_values = models.CharField(
        _("amr values that count as two factors"),
        max_length=500,
        blank=True,
        help_text=_("Separated by spaces; one of them in the token is enough."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def counts_as_two_factors(self, claims: dict[str, object]) -> bool:
        """The provider said the person used more than one factor, as configured."""
        acr = claims.get("acr")
        if isinstance(acr, str) and acr in self.mfa_acr_values.split():
            return True
        amr = claims.get("amr")
        if isinstance(amr, list):
            return any(isinstance(v, str) and v in self.mfa_amr_values.split() for v in amr)
        return False


class StaffIdentity(models.Model):
    """A staff member's stable subject at a provider, stored at the first match."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="staff_identities",
        on_delete=models.CASCADE,
    )
    provider = models.ForeignKey(
        IdentityProvider,
        verbose_name=_("identity provider"),
        related_name="staff_identities",
        on_delete=models.CASCADE,
    )
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("staff identity")
        verbose_name_plural = _("staff identities")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="staffidentity_unique_subject"
            ),
            models.UniqueConstraint(fields=["provider", "user"], name="staffidentity_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id}: {self.user_id}"


class IdentityProviderDevice(Device):
    """The second factor that a multi-factor sign-in at a provider stands for.

    Like the portal's ``SignInLinkDevice``: ``django_otp.login`` with it marks the session
    verified through the one check every page asks (``user.is_verified()``); it accepts no
    typed code and is hidden from ``devices_for_user``, so it never counts as an
    authenticator app. It is used only when the provider's ``acr``/``amr`` said the person
    used more than one factor.
    """

    provider: models.ForeignKey[IdentityProvider, IdentityProvider] = models.ForeignKey(
        IdentityProvider, related_name="+", on_delete=models.CASCADE
    )

    objects: ClassVar[HiddenDeviceManager[IdentityProviderDevice]] = HiddenDeviceManager()

    class Meta:
        verbose_name = _("identity provider device")
        verbose_name_plural = _("identity provider devices")
        constraints = [
            models.UniqueConstraint(fields=["user", "provider"], name="idpdevice_one_per_user"),
        ]

    def verify_token(self, token: object) -> bool:
        return False
