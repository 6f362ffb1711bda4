"""Django settings. Values that vary come from `joinedup.config.env` only."""

from __future__ import annotations

import os
import pathlib

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
    "joinedup.governance.middleware.SessionLifetimeMiddleware",
    "joinedup.governance.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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

# Failed sign-in lockout.
LOGIN_FAILURE_LIMIT = 5
LOGIN_LOCKOUT_SECONDS = 15 * 60

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
