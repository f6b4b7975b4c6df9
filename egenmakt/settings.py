"""Egenmakt settings, read from environment variables only (12-factor).

Development defaults are safe: without ``DEBUG=1`` the app refuses to start without a
real ``SECRET_KEY``, and every production security setting is on.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from egenmakt.core.cache_config import cache_settings

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
# Demo mode: the demo region's users may skip two-factor login. Never on in production.
EGENMAKT_DEMO = env_bool("EGENMAKT_DEMO", default=False)
DEMO_EMAIL_DOMAIN = "egenmakt.example"

_DEV_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    SECRET_KEY = _DEV_SECRET_KEY
if not DEBUG and (SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured("SECRET_KEY is a development key; set a real one.")
# Fernet keys for secrets kept encrypted in the database (core/secrets.py); the first
# encrypts. Empty: a key derived from SECRET_KEY.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
if not DEBUG and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")

INSTALLED_APPS = [
    # Django's admin, for the platform operators (superusers) only.
    "egenmakt.accounts.admin_site.OperatorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "django_ratelimit",
    # django-ninja's own Swagger UI files, served from here (no CDN, the CSP allows 'self').
    "ninja",
    "egenmakt.core",
    "egenmakt.accounts",
    "egenmakt.audit",
    "egenmakt.instruments",
    "egenmakt.outbox",
    "egenmakt.peer",
    "egenmakt.reports",
    "egenmakt.influence",
    "egenmakt.coordination",
    "egenmakt.portal",
    "egenmakt.sso",
    "egenmakt.api",
    # Tooling, after the domain apps it fills: the demo region and the scale data with
    # their commands. No domain app imports them.
    "egenmakt.demo",
    "egenmakt.scale",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Path and address for the access log rows that services write (egenmakt/core/context.py).
    "egenmakt.core.context.RequestContextMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "egenmakt.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "egenmakt.accounts.middleware.SessionTimeoutMiddleware",
    "egenmakt.accounts.middleware.RequireTwoFactorMiddleware",
    "egenmakt.portal.middleware.PortalBoundaryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "egenmakt.audit.middleware.ChangeTrailMiddleware",
    "egenmakt.audit.middleware.AdminAccessLogMiddleware",
    "egenmakt.accounts.middleware.NoStoreMiddleware",
    # Last, so that a lockout answers before any view runs.
    "axes.middleware.AxesMiddleware",
    # Innermost, so that its transaction holds only the view: a control character that no
    # form refused gets 400 and nothing the view wrote is kept (egenmakt/core/input.py).
    "egenmakt.core.input.ControlCharacterMiddleware",
]

# Benchmark mode (bench/run.sh only, never production): mounts the no-database floor view
# and counts each request's queries in a response header (egenmakt/scale/bench.py).
EGENMAKT_BENCH = env_bool("EGENMAKT_BENCH", default=False)
if EGENMAKT_BENCH:
    MIDDLEWARE.insert(0, "egenmakt.scale.bench.QueryCountMiddleware")

ROOT_URLCONF = "egenmakt.urls"
WSGI_APPLICATION = "egenmakt.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "egenmakt.accounts.context_processors.navigation",
            ],
        },
    },
]

# Forms render through one field template (egenmakt/core/forms.py).
FORM_RENDERER = "egenmakt.core.forms.FormRenderer"

# --- Database ---------------------------------------------------------------------------
VAR_DIR = Path(env_str("EGENMAKT_VAR_DIR", str(BASE_DIR / "var")))
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'egenmakt.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers and one writer work at once; IMMEDIATE avoids lock upgrades.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"].setdefault("OPTIONS", {})["application_name"] = "egenmakt"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Shared cache, client address and rate limits -----------------------------------------
# One cache for every worker process: the rate limits count there (egenmakt/core/cache.py).
# The database table by default; Redis when CACHE_URL names one (redis://host:6379/0).
CACHE_URL = env_str("CACHE_URL")
CACHES = cache_settings(CACHE_URL)
# Sessions stay in the database (django.contrib.sessions' default), not in the cache: every
# request renews the session (SESSION_SAVE_EVERY_REQUEST), so "cached_db" would add a cache
# write to the database write and save only a read; and a session must end when its row is
# deleted, which a cached copy would outlive until it expires.

# How many reverse proxies we run in front of the app, each appending to X-Forwarded-For
# (egenmakt/core/network.py). 0: the app faces the clients and the header is ignored.
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 0)
if TRUSTED_PROXY_HOPS < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_HOPS must be 0 or more.")
RATELIMIT_IP_META_KEY = "egenmakt.core.network.client_ip_for_limits"
# The JSON API (egenmakt/api): requests per token, and failed tokens per address.
API_TOKEN_RATE = env_str("API_TOKEN_RATE", "600/m")
API_BAD_TOKEN_RATE = env_str("API_BAD_TOKEN_RATE", "30/m")
AXES_CLIENT_IP_CALLABLE = "egenmakt.core.network.client_ip"

# --- People, passwords, sign-in ------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # ASVS 6.2.1: at least 8, 15 recommended; we ask for 12 and allow up to 128.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "egenmakt.accounts.validators.MaximumLengthValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failed logins (django-axes). Keyed on the e-mail given, so a
# made-up address is treated exactly like a real one (no user enumeration).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
SILENCED_SYSTEM_CHECKS = [
    # axes.W006 asks for the IP address among the lockout keys, against attackers who rotate
    # user agents or cookies. We key on the e-mail alone, which those do not change, and an
    # IP key would lock out a whole office behind one address after a few typos.
    "axes.W006",
    # django-ratelimit knows only memcached and django-redis by name and calls every other
    # backend "not officially supported". What its check guards is an atomic increment
    # shared by all workers (E003, which is not silenced): Django's RedisCache increments
    # with Redis' INCR and egenmakt.core.cache.DatabaseCache under a row lock, and
    # the tests in egenmakt/core/tests prove both, across processes.
    "django_ratelimit.W001",
]

# Two-factor login: required for everyone who sees personal data, unless demo mode lets
# the demo region's users skip it.
EGENMAKT_REQUIRE_2FA = env_bool("EGENMAKT_REQUIRE_2FA", default=True)
OTP_TOTP_ISSUER = "Egenmakt"
OTP_TOTP_TOLERANCE = 1

# Sessions: idle timeout by cookie age renewed on every request, absolute limit by middleware.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60)
# An invitation link (first password and second factor) works once, for this many days.
INVITATION_DAYS = env_int("INVITATION_DAYS", 7)
# The access log is kept this many years, then removed by purge_access_log; at least five
# (HSLF-FS 2016:40 4 kap. 9 §), the job refuses less.
# The key the access log's hash chains are sealed with (audit/chain.py): keep it outside the
# database, and keep it when the secret key changes, or old rows no longer verify. Empty:
# derived from SECRET_KEY.
ACCESS_LOG_KEY = env_str("ACCESS_LOG_KEY", "")
ACCESS_LOG_RETENTION_YEARS = env_int("ACCESS_LOG_RETENTION_YEARS", 5)

# --- Language ------------------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "egenmakt_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- Static files --------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = DEBUG

# --- E-mail and background work -----------------------------------------------------------
# With DEBUG off e-mail must be configured: the console backend would write applicants'
# private status links and portal sign-in links into the server's log.
EMAIL_URL = env_str("EMAIL_URL")
if not EMAIL_URL:
    if not DEBUG:
        raise ImproperlyConfigured(
            "EMAIL_URL must be set when DEBUG is off, e.g. submission://user:password@host:587 "
            "(without it e-mail would be printed to the server's log, private links included). "
            "Use dummy:// to send no e-mail at all."
        )
    EMAIL_URL = "console://"
_email = dj_email_url.parse(EMAIL_URL)
if "EMAIL_BACKEND" not in _email:
    raise ImproperlyConfigured(
        f"EMAIL_URL: unknown scheme; use one of {', '.join(sorted(dj_email_url.SCHEMES))}."
    )
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
# Links in e-mail (an applicant's private link, an interview page) start with this.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Egenmakt <noreply@egenmakt.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Text messages (egenmakt/outbox/sms.py): a dotted path like EMAIL_BACKEND. Without a
# provider, DEBUG prints them and production sends none (notify then uses e-mail).
SMS_BACKEND = env_str(
    "SMS_BACKEND",
    "egenmakt.outbox.sms.ConsoleBackend" if DEBUG else "egenmakt.outbox.sms.DisabledBackend",
)
# 46elks (egenmakt.outbox.sms.FortySixElksBackend): the API's base URL and credentials, and
# the sender shown on the phone (up to 11 letters and digits, or a phone number).
ELKS_API_URL = env_str("ELKS_API_URL", "https://api.46elks.com/a1")
ELKS_API_USERNAME = env_str("ELKS_API_USERNAME")
ELKS_API_PASSWORD = env_str("ELKS_API_PASSWORD")
SMS_SENDER = env_str("SMS_SENDER", "Egenmakt")
SMS_TIMEOUT = env_int("SMS_TIMEOUT", 10)

# The task queue: the database by default (django-tasks-db: `manage.py db_worker`), or Redis
# when TASKS_URL names one (django-tasks-rq: `manage.py rqworker --job-class
# django_tasks_rq.Job default`). Either way no task lives in one process's memory.
TASKS_URL = env_str("TASKS_URL")
if TASKS_URL and urlsplit(TASKS_URL).scheme not in {"redis", "rediss", "unix"}:
    raise ImproperlyConfigured("TASKS_URL must be a Redis URL (redis://host:6379/1) or empty.")
TASKS = {
    "default": {
        "BACKEND": env_str(
            "TASKS_BACKEND",
            "django_tasks_rq.RQBackend" if TASKS_URL else "django_tasks_db.DatabaseBackend",
        ),
        "QUEUES": ["default"],
    }
}
if TASKS_URL:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": TASKS_URL, "DEFAULT_TIMEOUT": 600}}

# --- Security headers and cookies ----------------------------------------------------------
SECURE_COOKIES = env_bool("EGENMAKT_SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
# ASVS 3.3.1: the __Host- prefix pins cookies to this host over HTTPS.
SESSION_COOKIE_NAME = "__Host-egenmakt_session" if SECURE_COOKIES else "egenmakt_session"
CSRF_COOKIE_NAME = "__Host-egenmakt_csrf" if SECURE_COOKIES else "egenmakt_csrf"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "egenmakt.views.csrf_failure"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("BEHIND_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# --- Audit ---------------------------------------------------------------------------------
# PDL / HSLF-FS 2016:40 4 kap. 9 §: access logs are kept at least five years.
AUDIT_RETENTION_YEARS = 5
AUDITLOG_INCLUDE_ALL_MODELS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

if DEBUG:
    INTERNAL_IPS = ["127.0.0.1"]
