"""Django settings. Everything that differs between a laptop and production comes from the
environment (../shared/CONTRACTS.md §2); the defaults are safe for development only."""

from __future__ import annotations

import json
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("SENGEN_VAR_DIR", Path.cwd() / "var"))


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _flag("SENGEN_DEBUG", True)
_DEV_KEY = "sengen-development-only-not-secret"
SECRET_KEY = os.environ.get("SENGEN_SECRET_KEY", _DEV_KEY if DEBUG else "")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SENGEN_SECRET_KEY must be set when SENGEN_DEBUG is off.")
ALLOWED_HOSTS = [h for h in os.environ.get("SENGEN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "sengen.catalog",
    "sengen.portal",
    "sengen.workspace",
    "sengen.audit",
    "sengen.reports",
    "sengen.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sengen.audit.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during sign-in into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sengen.urls"
WSGI_APPLICATION = "sengen.wsgi.application"

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

if "DATABASE_URL" not in os.environ:
    # The embedded default lives under ./var/, which a fresh clone does not have yet.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sengen.sqlite3'}"),
        conn_max_age=int(os.environ.get("SENGEN_DB_CONN_MAX_AGE", "0")),
    )
}

# Sign-in (docs/workspace.md). django-axes locks a user name out after repeated failures.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "workspace:login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "workspace:login"
AXES_FAILURE_LIMIT = int(os.environ.get("SENGEN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("SENGEN_LOGIN_COOLOFF_HOURS", "0.5"))
# By user name (a distributed guess at one account) and by address (one client trying many names).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Behind a reverse proxy every client would share the proxy's address (and one lockout): give the
# number of proxies in front, so the client address is read from X-Forwarded-For.
if os.environ.get("SENGEN_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = int(os.environ["SENGEN_PROXY_COUNT"])
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
AXES_LOCKOUT_TEMPLATE = "workspace/locked.html"
AXES_VERBOSE = False
# A signed-in session ends after this many seconds without a request, and with the browser.
SESSION_COOKIE_AGE = int(os.environ.get("SENGEN_SESSION_SECONDS", str(2 * 60 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Japanese at unprefixed URLs, English under /en/ (urls.py); the URL alone decides, so a page's
# language never depends on the browser's Accept-Language.
LANGUAGE_CODE = "ja"
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("ja", "日本語"), ("en", "English")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Evaluation thresholds and labels (docs/evaluation.md), as JSON like every other setting:
# SENGEN_EVALUATION='{"on_track_ratio": "9/10", "labels": {"behind": ["要注意", "Watch"]}}'
try:
    SENGEN_EVALUATION = json.loads(os.environ.get("SENGEN_EVALUATION") or "{}")
except json.JSONDecodeError as exc:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"SENGEN_EVALUATION is not valid JSON: {exc}") from exc

# Workspace entry rules (docs/workspace.md): an actual that differs from the estimate it replaces by
# more than this share needs a reason.
SENGEN_REASON_THRESHOLD = os.environ.get("SENGEN_REASON_THRESHOLD", "0.1")

# Content-Security-Policy: everything from this server, no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Production hardening: on whenever debug is off, so `sengen check --deploy` is clean there.
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = _flag("SENGEN_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SENGEN_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
