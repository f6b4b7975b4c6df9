from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import Role


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="sv"
    )
    # Optional: for reminders by text message, if the person chooses them.
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("admin site access"),
        default=False,
        # Django's admin answers superusers only (accounts/admin_site.py); this flag alone
        # opens nothing.
        help_text=_("Platform operators only: the admin pages also need superuser status."),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_demo_user(self) -> bool:
        return self.email.endswith("@" + settings.DEMO_EMAIL_DOMAIN)


class OrganisationKind(models.TextChoices):
    REGION = "region", _("Region / psychiatry")
    MUNICIPALITY = "municipality", _("Municipality / social services")
    USER_ORGANISATION = "user_organisation", _("User organisation")
    USER_NETWORK = "user_network", _("User-movement network")
    WORKPLACE = "workplace", _("Workplace / service")
    OTHER = "other", _("Other")


# The principals that give care (a region's psychiatry, a municipality's social services),
# as opposed to the user movement: whose staff are care staff (emergency access, the
# method supervisor's start page).
CARE_PROVIDER_KINDS = frozenset({OrganisationKind.REGION, OrganisationKind.MUNICIPALITY})


class Organisation(models.Model):
    """A region, municipality, user organisation, network or a unit under one of them."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        related_name="children",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    # Materialised ancestry "/1/4/9/" so "in O or above it" is one indexed lookup.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="organisation_unique_name_per_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        old_path = self.path
        if self.pk is None:
            super().save(*args, **kwargs)
            kwargs.pop("force_insert", None)
        self.path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "path"}
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # Moving a unit moves everything under it.
            descendants = Organisation.objects.filter(path__startswith=old_path).exclude(pk=self.pk)
            for child_pk, child_path in descendants.values_list("pk", "path"):
                Organisation.objects.filter(pk=child_pk).update(
                    path=self.path + child_path[len(old_path) :]
                )

    def clean(self) -> None:
        super().clean()
        ancestor = self.parent
        while ancestor is not None:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("An organisation cannot be part of itself.")})
            ancestor = ancestor.parent

    def ancestor_ids(self) -> list[int]:
        """This organisation's id and its ancestors', nearest first."""
        return [int(part) for part in reversed(self.path.strip("/").split("/")) if part]


class Membership(models.Model):
    """A user holds a role in an organisation (and so in the units under it)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), related_name="memberships", on_delete=models.CASCADE
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        related_name="memberships",
        on_delete=models.PROTECT,
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            ),
        ]
        indexes = [models.Index(fields=["role", "organisation"], name="membership_role_org")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"


class InvitationPurpose(models.TextChoices):
    INVITE = "invite", _("Invitation")
    SECOND_FACTOR = "second_factor", _("New second factor")


class Invitation(models.Model):
    """A single-use link to set a first password and enrol the second factor.

    The link is the only way to enrol a second factor without already being verified, so
    a password alone never gives an account its second factor. Only the SHA-256 of the
    token is stored: a copy of the database lets nobody in. A newer invitation for the
    same person ends the older ones (``expires_at`` set to the moment it was superseded).
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), related_name="invitations", on_delete=models.CASCADE
    )
    created_by = models.ForeignKey(
        User,
        verbose_name=_("sent by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=InvitationPurpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "used_at"], name="invitation_open_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.purpose} {self.created_at:%Y-%m-%d %H:%M}"
