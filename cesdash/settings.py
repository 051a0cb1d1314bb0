"""Settings for cesdash: one module, the environment decides.

Production is the default (DJANGO_DEBUG off, HTTPS on) and sets DJANGO_SECRET_KEY,
DJANGO_ALLOWED_HOSTS and DATABASE_URL; a missing secret stops the start instead of falling back to
anything. In a checkout, `make` gives its own commands a development secret from an untracked
`.secret_key` file and serves plain HTTP with DJANGO_HTTPS=0; the test suite sets the same two in
pyproject.toml.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
import plotly
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    """A yes/no variable; anything but 1/0, true/false, yes/no, on/off is refused, so that a typo
    cannot turn a security setting off."""
    value = os.environ.get(name)
    if value is None:
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(
        f"{name} must be 1 or 0 (true/false, yes/no, on/off), not {value!r}."
    )


def env_int(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def read_secret_key(debug):
    """DJANGO_SECRET_KEY; with DJANGO_DEBUG on, the `.secret_key` file `make` creates will do.

    Production (DEBUG off, the default) never reads the file: a machine where `make` once ran
    must not start a production process on a key nobody configured."""
    if key := os.environ.get("DJANGO_SECRET_KEY"):
        return key
    key_file = BASE_DIR / ".secret_key"
    if debug and key_file.exists():
        return key_file.read_text().strip()
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. Production (DJANGO_DEBUG off, the default) needs a long "
        "random secret in the environment, for example from "
        "`python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`. In a development "
        "checkout, `make run` and `make test` use the .secret_key file `make` creates, as does "
        "any command run with DJANGO_DEBUG=1."
    )


# ---------------------------------------------------------------------------- core
DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = read_secret_key(DEBUG)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "cesdash.apps.AdminConfig",  # django.contrib.admin with our site: cesdash/admin.py
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
    # High up, so that what the middleware below answers by itself (a 400 for a foreign Host,
    # the redirect to a trailing slash, the 503 while the database is down) carries the policy.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A 304 for a page whose ETag the browser already has (cached pages carry one).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cesdash.middleware.DatabaseUnavailableMiddleware",  # a 503, not a 500, while the db is down
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cesdash.urls"
# Django's form renderer, its <select> written in Python (the filters list every city).
FORM_RENDERER = "cesdash.forms.FormRenderer"
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
#
# Persistent connections with a health check, rather than psycopg's pool: each gunicorn thread
# keeps one connection for up to DJANGO_CONN_MAX_AGE seconds, and Django tests it before the first
# query of each request, reconnecting if it died. So a PostgreSQL restart costs no request once the
# server accepts connections again (measured: no error, where CONN_MAX_AGE without the check gave
# a 500), needs no extra package, and the count of connections is plain to size:
# workers x threads per app server, which must stay under PostgreSQL's max_connections. A pool
# (OPTIONS "pool", psycopg[pool], CONN_MAX_AGE=0) would share fewer connections between the
# threads of a process, at the cost of a wait for a free one that must stay shorter than
# gunicorn's worker timeout.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable server fails the request in seconds instead of holding a thread for the
    # operating system's TCP connect timeout, which is minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DJANGO_DB_CONNECT_TIMEOUT", 5)
    )
    # No JIT compilation: the pages' queries each take milliseconds, and PostgreSQL compiled
    # those it estimated large for longer than running them took (the edition page's list of
    # cities: 150 ms before a 10 ms run; the city page's pavilions: 80 ms; a count over 20,000
    # figures, a sort of 50,000 companies: 30-40 ms). `?options=` in DATABASE_URL overrides it.
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
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
# HTTPS is on unless DJANGO_HTTPS=0 says the site is served over plain HTTP (`make run`, the test
# suite, the benchmark): then nothing redirects to https:// and cookies also travel unencrypted.
https = env_bool("DJANGO_HTTPS", default=True)
SECURE_SSL_REDIRECT = https
# Load balancers and probes may ask for these over plain HTTP; they answer no data.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = https
# Browsers remember HSTS for its whole max-age: a first deployment may start with a short one
# (DJANGO_HSTS_SECONDS=3600). Preload only asks to be listed; hstspreload.org does the listing.
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000) if https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)
# Behind a proxy that ends TLS, the header it sets to "https" (e.g. X-Forwarded-Proto), only if
# the proxy overwrites what a client sends: whoever can set it decides what counts as secure.
if proxy_header := os.environ.get("DJANGO_PROXY_SSL_HEADER"):
    if not re.fullmatch(r"[A-Za-z0-9-]+", proxy_header):
        raise ImproperlyConfigured(
            f"DJANGO_PROXY_SSL_HEADER must be a header name such as X-Forwarded-Proto, "
            f"not {proxy_header!r}."
        )
    SECURE_PROXY_SSL_HEADER = (f"HTTP_{proxy_header.upper().replace('-', '_')}", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

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
# django-tables2's own table, its rows written in Python (cesdash/templatetags/table_rows.py).
DJANGO_TABLES2_TEMPLATE = "tables/table.html"

# ---------------------------------------------------------------------------- logging
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
