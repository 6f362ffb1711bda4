"""Django settings. Values that vary come from `joinedup.config.env` only."""

from __future__ import annotations

import os
import pathlib
from datetime import timedelta

import dj_database_url

from joinedup.config import env

BASE_DIR = env.BASE_DIR
VAR_DIR = env.VAR_DIR
IS_PRODUCTION = env.IS_PRODUCTION

if IS_PRODUCTION:
    SECRET_KEY = env.env_str("JOINEDUP_SECRET_KEY")
    ALLOWED_HOSTS = env.env_list("JOINEDUP_ALLOWED_HOSTS")
    DEBUG = False
else:
    # A fixed key is acceptable only outside production, where no real data may exist.
    SECRET_KEY = env.env_str(
        "JOINEDUP_SECRET_KEY", "development-only-key-not-for-real-data-0123456789abcdefghijkl"
    )
    ALLOWED_HOSTS = env.env_list("JOINEDUP_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
    DEBUG = env.env_bool("JOINEDUP_DEBUG", env.ENVIRONMENT == "development")

# The audit chain's HMAC key. Keep it outside the database (and apart from its backups).
AUDIT_CHAIN_KEY = (
    env.env_str("JOINEDUP_AUDIT_KEY")
    if IS_PRODUCTION
    else env.env_str("JOINEDUP_AUDIT_KEY", "development-only-audit-key")
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves Swagger UI from its own static files, not a CDN
    "axes",  # failed sign-ins and lockout (docs/sign-in.md)
    "django_otp",
    "django_otp.plugins.otp_totp",  # the second factor: an authenticator app's 6-digit code
    "django_otp.plugins.otp_static",  # its recovery codes, each used once
    "joinedup.governance",
    "joinedup.people",
    "joinedup.chronology",
    "joinedup.access",
    "joinedup.web",
    "joinedup.demo",
    "joinedup.ingest",
    "joinedup.indicators",
    "joinedup.needs",
    "joinedup.directory",
    "joinedup.referrals",
    "joinedup.assessments",
    "joinedup.tac",
    "joinedup.notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "joinedup.governance.middleware.SessionLifetimeMiddleware",
    "joinedup.governance.middleware.LoginRequiredMiddleware",
    "joinedup.governance.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that a locked-out sign-in's response is replaced by the lockout page.
    "axes.middleware.AxesMiddleware",
]

if IS_PRODUCTION:
    # Outside production, runserver and the test live server serve static files themselves.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "joinedup.config.urls"
WSGI_APPLICATION = "joinedup.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "joinedup.web.context.area_pages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env.env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'joinedup.sqlite3'}"),
        # Persistent connections only behind a production WSGI server: `joinedup serve`
        # (runserver) and the test live server start a thread per request, and each thread's
        # kept connection would stay open until PostgreSQL refuses more clients.
        conn_max_age=60 if IS_PRODUCTION else 0,
        conn_health_checks=IS_PRODUCTION,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not shared-cache memory, so tests see SQLite's real locking (busy_timeout); one per
    # test process, so two test runs on one machine never share (and destroy) each other's.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-joinedup-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "governance.StaffUser"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions: 15 minutes idle (the cookie age, renewed on each request) and 12 hours absolute
# (enforced by SessionLifetimeMiddleware from the sign-in time).
SESSION_COOKIE_AGE = 15 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_LIFETIME_SECONDS = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Failed sign-in lockout (django-axes): LOGIN_FAILURE_LIMIT failures lock a username, and
# separately an address (one password tried across many usernames), for LOGIN_LOCKOUT_SECONDS
# after the last failure; an administrator can unlock a username (docs/sign-in.md).
LOGIN_FAILURE_LIMIT = 5
LOGIN_LOCKOUT_SECONDS = 15 * 60
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out attempt
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(seconds=LOGIN_LOCKOUT_SECONDS)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "joinedup.governance.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "joinedup.web.home.signin_views.lockout_page"
AXES_USERNAME_FORM_FIELD = "username"
AXES_SENSITIVE_PARAMETERS = ["username", "password"]
# Behind a proxy, how many append to X-Forwarded-For (0: the connection's address is the client's).
TRUSTED_PROXY_COUNT = env.TRUSTED_PROXY_COUNT

# Password sign-in, and its second factor (TOTP with recovery codes); production always asks
# for the second factor. Single sign-on leaves multi-factor to the identity provider.
PASSWORD_SIGN_IN = env.PASSWORD_SIGN_IN
REQUIRE_SECOND_FACTOR = env.REQUIRE_SECOND_FACTOR
OTP_TOTP_ISSUER = "joinedup"
# The identity providers (OpenID Connect) staff sign in through; docs/sign-in.md.
OIDC_PROVIDERS = env.OIDC_PROVIDERS
# How long a set-password link made by an administrator lasts.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60

# The largest extract file `joinedup import` accepts, in bytes (default 2 GiB).
IMPORT_MAX_BYTES = int(env.env_str("JOINEDUP_IMPORT_MAX_BYTES", str(2 * 1024**3)))

# A full list (a case list marked so, a school roll) that would end more than this share of
# the agency's open involvements is refused unless forced: a truncated export must never end
# every relationship in an area (default 0.2, i.e. 20%).
IMPORT_MAX_END_SHARE = float(env.env_str("JOINEDUP_IMPORT_MAX_END_SHARE", "0.2"))

# `joinedup link --engine spark`: Spark's master URL, its scratch and checkpoint space, and
# the Java it starts (None: java on the PATH).
LINKAGE_SPARK = {
    "master": env.SPARK_MASTER,
    "work_dir": VAR_DIR / "spark",
    "java_home": env.JAVA_HOME,
}

# The indicator rule file (JOINEDUP_INDICATOR_RULES; default: the shipped rule set).
INDICATOR_RULES_FILE = env.INDICATOR_RULES or str(
    pathlib.Path(__file__).resolve().parents[1] / "indicators" / "rules" / "default.toml"
)

# The continuum of need and needs vocabulary (JOINEDUP_NEEDS_VOCABULARY; default: shipped).
NEEDS_VOCABULARY_FILE = env.NEEDS_VOCABULARY or str(
    pathlib.Path(__file__).resolve().parents[1] / "needs" / "vocabularies" / "default.toml"
)

ASSESSMENT_FORMS_DIR = env.ASSESSMENT_FORMS_DIR
ASSESSMENT_INSTRUMENTS_DIR = env.ASSESSMENT_INSTRUMENTS_DIR

# How long a break-glass grant lasts before the viewer must give a new reason.
BREAK_GLASS_HOURS = 4

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [VAR_DIR / "frontend-build"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = False

if IS_PRODUCTION:
    SECURE_SSL_REDIRECT = env.env_bool("JOINEDUP_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

EMAIL_BACKEND = env.env_str(
    "JOINEDUP_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)

DEFAULT_FROM_EMAIL = env.MAIL_FROM
SITE_URL = env.SITE_URL

# The area's pages: its service name, phase banner (None: no banner), footer, help contact, and
# the files with its own accessibility statement and privacy notice (empty: the shipped text).
# From the environment (env.area_pages; docs/operations.md); the demo's come from the Makefile.
SERVICE_NAME: str = env.AREA_PAGES["service_name"]
PHASE_BANNER: dict[str, str] | None = env.AREA_PAGES["phase_banner"]
ORGANISATION: str = env.AREA_PAGES["organisation"]
FOOTER_TEXT: str = env.AREA_PAGES["footer_text"]
FOOTER_LINKS: list[tuple[str, str]] = env.AREA_PAGES["footer_links"]
HELP_CONTACT: dict[str, str] = env.AREA_PAGES["help_contact"]
ACCESSIBILITY_STATEMENT_FILE: str = env.AREA_PAGES["accessibility_statement_file"]
ACCESSIBILITY_TESTED_ON = env.AREA_PAGES["accessibility_tested_on"]
PRIVACY_NOTICE_FILE: str = env.AREA_PAGES["privacy_notice_file"]
# The warning before the idle sign-out (SESSION_COOKIE_AGE) opens this long before it.
SESSION_TIMEOUT_WARNING_SECONDS = 2 * 60

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
