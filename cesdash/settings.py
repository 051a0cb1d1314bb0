"""Settings for cesdash: one module, the environment decides.

Development needs no variables at all (SQLite, a secret key kept in an untracked `.secret_key`
file that `make` creates). Production sets DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and
DATABASE_URL; a missing secret fails loudly instead of falling back to a known value.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import plotly
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def read_secret_key():
    if key := os.environ.get("DJANGO_SECRET_KEY"):
        return key
    key_file = BASE_DIR / ".secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY, or run `make run` once to create a local .secret_key file."
    )


# ---------------------------------------------------------------------------- core
DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = read_secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    "axes",
    "import_export",
    # The apps, from the bottom up: what cities report, the itemised records that build on it,
    # and the site that shows both (pages, tables, exports and the reads behind them).
    "delegations",
    "companies",
    "cesdash.apps.CesdashConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A 304 for a page whose ETag the browser already has (cached pages carry one).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cesdash.urls"
WSGI_APPLICATION = "cesdash.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",  # {% csp_nonce_attr %} in the admin
            ],
        },
    },
]

# ---------------------------------------------------------------------------- database
# DATABASE_URL set means PostgreSQL (or whatever it names); unset means a local SQLite file.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------- auth
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a login while it is locked out
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one account from one address lock that login for 15 minutes, with a
# page saying so (429). A right password before that clears the count.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False  # no banner on every manage.py command; lockouts are still logged
# Behind a reverse proxy the client's address is in a header the proxy sets: name it (for
# example HTTP_X_FORWARDED_FOR) and how many proxies stand in front, so that one client cannot
# lock everyone out, nor dodge the lock by sending a header of its own.
AXES_IPWARE_META_PRECEDENCE_ORDER = tuple(env_list("AXES_CLIENT_IP_HEADERS", []) + ["REMOTE_ADDR"])
AXES_IPWARE_PROXY_COUNT = (
    int(os.environ["AXES_PROXY_COUNT"]) if os.environ.get("AXES_PROXY_COUNT") else None
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Bulk entry (django-import-export): the whole file in one transaction, nothing on an error.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# ---------------------------------------------------------------------------- languages
# Korean first: officials mostly browse in Korean; English follows Accept-Language.
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------------------- static files
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# plotly.js is served from the installed plotly package, never from a CDN or a committed copy.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("plotly", Path(plotly.__file__).parent / "package_data"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# ---------------------------------------------------------------------------- security
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Scripts and styles only from our own static files, nothing inline, on every page and the admin.
# The charts come as JSON data drawn by a static script (plotly.js needs no 'unsafe-eval' for
# SVG charts), and plotly.js's stylesheet is a static file, static/css/plotly.css, which stops
# it inserting a <style> element. Chart text may use <br> but not plotly's other tags (<b>, <i>,
# <sup>, <span style=...>): plotly.js writes those as style attributes, which this blocks.
# The nonce is for the admin, whose templates mark their inline <style> with {% csp_nonce_attr %};
# the header carries one only for a page that used it. Public pages must use none: they are
# cached (cesdash.caching), and a cached page's nonce would not match a later response's header.
# tests/test_csp.py and tests/test_browser.py check that no page meets a violation.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.NONCE],
    # data: and blob: for the PNG download: plotly draws the chart as an image, then on a canvas.
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# ---------------------------------------------------------------------------- cache
# Rendered pages, keyed on the data version (cesdash.caching): each process keeps its own, which
# stays right with several app servers because the version lives in the shared database.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CESDASH_CACHED_PAGES", "500"))},
    }
}

# ---------------------------------------------------------------------------- tables
DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

# ---------------------------------------------------------------------------- logging
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
