"""Sapling's one settings module. Every value comes from the environment; see README."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF

from sapling.env import EnvironmentError_, env_bool, env_int, env_list, env_str

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SAPLING_VAR_DIR", str(BASE_DIR / "var")))

# "production" is the default so that a forgotten setting fails safe; `make`, the demo and
# the tests ask for "development" explicitly.
SAPLING_ENV = env_str("SAPLING_ENV", "production")
if SAPLING_ENV not in {"production", "development"}:
    raise EnvironmentError_(f"SAPLING_ENV must be production or development, not {SAPLING_ENV!r}")
PRODUCTION = SAPLING_ENV == "production"

DEBUG = env_bool("SAPLING_DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise EnvironmentError_("SAPLING_DEBUG cannot be true when SAPLING_ENV is production")

SECRET_KEY = env_str("SAPLING_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise EnvironmentError_("SAPLING_SECRET_KEY must be set in production")
    SECRET_KEY = "development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "SAPLING_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise EnvironmentError_("SAPLING_ALLOWED_HOSTS must list the host names in production")
CSRF_TRUSTED_ORIGINS = env_list("SAPLING_CSRF_TRUSTED_ORIGINS", [])

SERVICE_NAME = env_str("SAPLING_SERVICE_NAME", "Children's occupational therapy")
# Test NHS numbers (the 999 range) are refused outside the demo and tests.
ALLOW_TEST_NHS_NUMBERS = env_bool("SAPLING_ALLOW_TEST_NHS_NUMBERS", default=not PRODUCTION)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_linear_migrations",
    "axes",
    "auditlog",
    "csp",
    "sapling.core",
    "sapling.accounts",
    "sapling.areas",
    "sapling.children",
    "sapling.referrals",
    "sapling.triage",
    "sapling.waitlist",
    "sapling.groups",
    "sapling.consultations",
    "sapling.care",
    "sapling.outcomes",
    "sapling.reports",
    "sapling.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "sapling.core.middleware.TeamMiddleware",
    # Axes last, as its documentation asks, so it sees the final response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sapling.urls"
WSGI_APPLICATION = "sapling.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "sapling" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "sapling.core.jinja.environment",
            "context_processors": ["sapling.core.context.page_shell"],
        },
    },
    {
        # Django's templates serve only the admin site, for superusers.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sapling.sqlite3'}"),
        conn_max_age=env_int("SAPLING_DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Report queries cross PostgreSQL's JIT threshold, and compiling them costs seconds
    # more than it saves on a small server (benchmarks/RESULTS.md, "Dashboard").
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a command writes; a busy timeout rather than
    # "database is locked" when two writers meet.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared by every worker process (the rate limiter of the public form counts here).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "sapling_cache",
    }
}

# The public request-for-help form: submissions allowed per client address per hour, and
# the team it files requests with (by name) when Sapling hosts more than one team.
SAPLING_PUBLIC_FORM_RATE = env_int("SAPLING_PUBLIC_FORM_RATE", 10, minimum=1)
SAPLING_PUBLIC_TEAM = env_str("SAPLING_PUBLIC_TEAM", "")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"

AXES_FAILURE_LIMIT = env_int("SAPLING_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("SAPLING_LOGIN_COOLOFF_MINUTES", 30, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "sapling.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "sapling" / "locale"]
LANGUAGE_COOKIE_NAME = "sapling_language"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "sapling" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = not PRODUCTION

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SAPLING_SESSION_MINUTES", 8 * 60, minimum=5) * 60
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("SAPLING_SSL_REDIRECT", default=PRODUCTION)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# No inline script anywhere: page data reaches scripts through json_script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

EMAIL_HOST = env_str("SAPLING_EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("SAPLING_EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("SAPLING_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = env_str("SAPLING_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("SAPLING_EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "sent-mail")
DEFAULT_FROM_EMAIL = env_str("SAPLING_FROM_EMAIL", "sapling@localhost")

# Secure links in messages are absolute: the address families reach Sapling at.
SAPLING_BASE_URL = env_str("SAPLING_BASE_URL", "http://127.0.0.1:8000")
if not SAPLING_BASE_URL.startswith(("https://", "http://")):
    raise EnvironmentError_(
        f"SAPLING_BASE_URL must start with https:// or http://, not {SAPLING_BASE_URL!r}"
    )
# GOV.UK Notify sends email and text messages when its key is set (sapling/core/outbox.py);
# without it email goes through the backend above and text messages cannot be sent.
SAPLING_NOTIFY_API_KEY = env_str("SAPLING_NOTIFY_API_KEY", "")
SAPLING_NOTIFY_EMAIL_TEMPLATE_ID = env_str("SAPLING_NOTIFY_EMAIL_TEMPLATE_ID", "")
SAPLING_NOTIFY_SMS_TEMPLATE_ID = env_str("SAPLING_NOTIFY_SMS_TEMPLATE_ID", "")
if SAPLING_NOTIFY_API_KEY and not SAPLING_NOTIFY_EMAIL_TEMPLATE_ID:
    raise EnvironmentError_(
        "SAPLING_NOTIFY_EMAIL_TEMPLATE_ID must be set with SAPLING_NOTIFY_API_KEY"
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("SAPLING_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
