"""The personal data this app holds (``audit.registry``; the record of processing reads it)."""

from __future__ import annotations

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from egenmakt.core.personal_data import (
    DataSubject,
    LegalBasis,
    NoPersonalData,
    Of,
    Person,
    PersonalData,
)

from .models import Invitation, Membership, Organisation, User

ACCOUNT_KEPT = _(
    "While the person works in Egenmakt; when they leave, the account is anonymised: the "
    "name and e-mail are replaced by a stable pseudonym, so records and the log stay readable"
)
SIGN_IN_KEPT = _("Until the sign-in method is replaced, or the account is anonymised")


def user_identifiers(user: User) -> list[str]:
    return [user.full_name, user.email, *([user.phone] if user.phone else [])]


def _anonymise(user: User, **kwargs: object) -> list[str]:
    from .services import anonymise_user  # services import this app's models and audit

    return anonymise_user(user=user, **kwargs)  # type: ignore[arg-type]


PERSONAL_DATA = [
    PersonalData(
        User,
        holds=_(
            "Name, e-mail address, mobile phone (optional), language, when the account was "
            "made and last used"
        ),
        whose=(DataSubject.STAFF, DataSubject.PEER_SUPPORTER, DataSubject.CLIENT),
        purpose=_("Signing in, and showing who did what in the records"),
        basis=LegalBasis.ASSIGNMENT,
        retention=ACCOUNT_KEPT,
        person=Person(
            identifiers=user_identifiers,
            erase=_anonymise,
            erasure=_("Anonymised: name and e-mail replaced by a stable pseudonym"),
        ),
        of=(
            Of(
                User,
                lambda user: User.objects.filter(pk=user.pk),
                ("full_name", "email", "phone", "preferred_language", "date_joined", "last_login"),
            ),
        ),
    ),
    PersonalData(
        Membership,
        holds=_("Which role a user has in which organisation, since when"),
        whose=(DataSubject.STAFF, DataSubject.PEER_SUPPORTER),
        purpose=_("Access rights that follow the work a person does (PDL 4 kap. 2 §)"),
        basis=LegalBasis.ASSIGNMENT,
        retention=_("Until the role ends; ended roles are kept in the change trail"),
        of=(
            Of(
                User,
                lambda user: Membership.objects.filter(user=user),
                ("organisation__name", "role", "created_at"),
            ),
        ),
    ),
    PersonalData(
        Invitation,
        holds=_("Single-use sign-in links: to whom, when, by whom, when used"),
        whose=(DataSubject.STAFF, DataSubject.PEER_SUPPORTER),
        purpose=_("Setting a first password and a second factor"),
        basis=LegalBasis.ASSIGNMENT,
        retention=SIGN_IN_KEPT,
        of=(
            Of(
                User,
                lambda user: Invitation.objects.filter(user=user),
                ("purpose", "created_at", "expires_at", "used_at"),
            ),
        ),
    ),
    PersonalData(
        TOTPDevice,
        title=_("authenticator apps"),
        holds=_("The authenticator app's secret key for the second factor"),
        whose=(DataSubject.STAFF, DataSubject.PEER_SUPPORTER, DataSubject.CLIENT),
        purpose=_("Two-factor sign-in (HSLF-FS 2016:40 3 kap. 15 §)"),
        basis=LegalBasis.ASSIGNMENT,
        retention=SIGN_IN_KEPT,
        of=(Of(User, lambda user: TOTPDevice.objects.filter(user=user), ("name", "confirmed")),),
    ),
    PersonalData(
        StaticDevice,
        title=_("backup codes"),
        holds=_("Backup codes for the second factor (stored as given, single use)"),
        whose=(DataSubject.STAFF, DataSubject.PEER_SUPPORTER, DataSubject.CLIENT),
        purpose=_("Two-factor sign-in when the phone is lost"),
        basis=LegalBasis.ASSIGNMENT,
        retention=SIGN_IN_KEPT,
        of=(Of(User, lambda user: StaticDevice.objects.filter(user=user), ("name",)),),
    ),
    PersonalData(
        AccessAttempt,
        title=_("failed sign-in attempts"),
        holds=_("Failed sign-in attempts: the e-mail typed, address, browser, time"),
        whose=(DataSubject.STAFF, DataSubject.PEER_SUPPORTER, DataSubject.CLIENT),
        purpose=_("Stopping password guessing (ASVS 6.3.1)"),
        basis=LegalBasis.LEGAL_OBLIGATION,
        retention=_("Until the lock-out ends or an administrator clears it"),
        of=(
            Of(
                User,
                lambda user: AccessAttempt.objects.filter(username=user.email),
                ("attempt_time", "ip_address", "failures_since_start"),
            ),
        ),
    ),
    PersonalData(
        AccessLog,
        title=_("sign-ins"),
        holds=_("Sign-ins and sign-outs: the e-mail, address, browser, time"),
        whose=(DataSubject.STAFF, DataSubject.PEER_SUPPORTER, DataSubject.CLIENT),
        purpose=_("Security: who signed in when (ASVS 16.3.1)"),
        basis=LegalBasis.LEGAL_OBLIGATION,
        retention=_("Like the access log"),
        of=(
            Of(
                User,
                lambda user: AccessLog.objects.filter(username=user.email),
                ("attempt_time", "logout_time", "ip_address"),
            ),
        ),
    ),
    PersonalData(
        AccessFailureLog,
        title=_("failed sign-ins"),
        holds=_("Each failed sign-in: the e-mail typed, address, browser, time"),
        whose=(DataSubject.STAFF, DataSubject.PEER_SUPPORTER, DataSubject.CLIENT),
        purpose=_("Stopping password guessing (ASVS 6.3.1)"),
        basis=LegalBasis.LEGAL_OBLIGATION,
        retention=_("Like the access log"),
        of=(
            Of(
                User,
                lambda user: AccessFailureLog.objects.filter(username=user.email),
                ("attempt_time", "ip_address", "locked_out"),
            ),
        ),
    ),
    NoPersonalData(Organisation, _("Names organisations and units, not people")),
]
