"""Django settings. Everything that varies between machines comes from the environment:

- ``DATABASE_URL``: ``sqlite:///path`` or ``postgres://user:pass@host:port/name``
  (default: ``data/jamsostek.sqlite3`` in the project's data directory);
- ``JAMSOSTEK_DATA_DIR``: where the SQLite file, the secret key and reports go (default: ``data/``
  beside ``src/``);
- ``JAMSOSTEK_SECRET_KEY``, ``JAMSOSTEK_DEBUG``, ``JAMSOSTEK_ALLOWED_HOSTS``;
- ``JAMSOSTEK_HTTPS``, ``JAMSOSTEK_HSTS_SECONDS``, ``JAMSOSTEK_SECURE_COOKIES``,
  ``JAMSOSTEK_SESSION_HOURS``, ``JAMSOSTEK_LOGIN_*``, ``JAMSOSTEK_MAX_UPLOAD_MB`` (security below).
"""

from __future__ import annotations

from pathlib import Path

import django_stubs_ext
from django.utils.translation import gettext_lazy as _

from jamsostek.web.env import database_from_url, env_bool, env_int, env_list, env_str, secret_key

django_stubs_ext.monkeypatch()  # lets admin classes be written ModelAdmin[Model] for the type checker

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = Path(env_str("JAMSOSTEK_DATA_DIR", str(PROJECT_DIR / "data"))).resolve()

DEBUG = env_bool("JAMSOSTEK_DEBUG", False)
SECRET_KEY = secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("JAMSOSTEK_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "jamsostek.web.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves the API documentation's JavaScript locally (no CDN)
    "jamsostek.core",
    "jamsostek.accounts",
    "jamsostek.registry",
    "jamsostek.contributions",
    "jamsostek.claims",
    "jamsostek.coverage",
    "jamsostek.drives",
    "jamsostek.web.apps.WebConfig",  # its management commands: demo, serve
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jamsostek.web.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jamsostek.web.middleware.IndonesianFirstMiddleware",
    "jamsostek.web.middleware.ApiErrorsMiddleware",  # in the user's language, so after the locale
    "jamsostek.web.middleware.RequestSizeLimitMiddleware",  # its 413 in the API's shape, so after that
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jamsostek.web.middleware.LoginRequiredMiddleware",
    "jamsostek.core.idempotency.IdempotencyMiddleware",  # after authentication: keys belong to their sender
]

ROOT_URLCONF = "jamsostek.web.urls"
WSGI_APPLICATION = "jamsostek.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'jamsostek.sqlite3'}"))}
if env_str("JAMSOSTEK_TEST_DATABASE_NAME", ""):
    DATABASES["default"]["TEST"] = {"NAME": env_str("JAMSOSTEK_TEST_DATABASE_NAME", "")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- security (README, "Security" and "Configuration") ---------------------------------------------
# Every password check is throttled (accounts.throttle): this many failures of one username from one
# address, or of any usernames from one address, within the lockout time lock them for that time.
AUTHENTICATION_BACKENDS = ["jamsostek.accounts.throttle.ThrottledModelBackend"]
SESSION_ENGINE = "jamsostek.accounts.sessions"  # Django's database sessions, read with one fixed statement
LOGIN_ATTEMPTS = env_int("JAMSOSTEK_LOGIN_ATTEMPTS", 5, minimum=1)
LOGIN_ADDRESS_ATTEMPTS = env_int("JAMSOSTEK_LOGIN_ADDRESS_ATTEMPTS", 20, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("JAMSOSTEK_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)

# Served over HTTPS (TLS ends at the reverse proxy, which must set X-Forwarded-Proto and overwrite one
# a client sends): plain-HTTP requests are redirected, browsers are told to use HTTPS only (HSTS),
# and every cookie is sent over HTTPS only.
HTTPS = env_bool("JAMSOSTEK_HTTPS", False)
TRUSTED_PROXY = env_str("JAMSOSTEK_TRUSTED_PROXY", "")  # `jamsostek serve` takes client addresses from it
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("JAMSOSTEK_HSTS_SECONDS", 31_536_000) if HTTPS else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The Content-Security-Policy: jamsostek.web.middleware.ContentSecurityPolicyMiddleware.

# A session lasts a working day at most and ends when the browser closes: offices share computers.
SESSION_COOKIE_AGE = env_int("JAMSOSTEK_SESSION_HOURS", 8, minimum=1) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = env_bool("JAMSOSTEK_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = LANGUAGE_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Pontianak"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it, even when serving from the package
STATICFILES_DIRS: list[Path] = []  # the web app's static/ is found as an installed app's
# Static files (CSS, the vendored chart and map scripts) are served by the app itself through
# WhiteNoise, straight from the package: nothing is fetched from a CDN, no collectstatic is needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads: a request larger than the largest import file (and its form) is refused before it is read
# (jamsostek.web.middleware.RequestSizeLimitMiddleware; `jamsostek serve` tells waitress the same
# limit). Form fields and JSON bodies, held in memory, are limited to 10 MB; an uploaded file over
# 2.5 MB goes to a temporary file rather than memory.
MAX_UPLOAD_SIZE = env_int("JAMSOSTEK_MAX_UPLOAD_MB", 60, minimum=1) * 1024 * 1024
MAX_REQUEST_SIZE = MAX_UPLOAD_SIZE + 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("JAMSOSTEK_LOG_LEVEL", "WARNING")},
    # Waitress warns "Task queue depth is N" for every request that waits for a free thread: under
    # load that is nearly every request (1,923 lines in 30 s of the API benchmark, 3.6 % of the
    # server's CPU). Requests waiting their turn are normal; its errors still reach the log.
    "loggers": {"waitress.queue": {"level": "ERROR"}},
}
