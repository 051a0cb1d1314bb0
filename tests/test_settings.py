"""Production is the default: with DEBUG off, a secret and the host names, Django's deploy check
finds nothing, HTTPS is enforced, and nothing starts without a secret. `make run` serves plain
HTTP on 127.0.0.1 with no variables at all."""

import gzip
import os
import re
import socket
import subprocess
import time

import brotli
import pytest
from servers import GUNICORN, ROOT, free_port, get, gunicorn, manage, production_env, running

SECRET_FILE = ROOT / ".secret_key"
NO_SECRET = "DJANGO_SECRET_KEY is not set. Production (DJANGO_DEBUG off, the default) needs"


@pytest.fixture
def database_url(tmp_path):
    """The suite's PostgreSQL server where there is one, else a scratch SQLite file."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path / 'site.sqlite3'}"


@pytest.fixture
def secret_file():
    """A development .secret_key in the checkout, as `make` leaves it (made for the test if
    `make` has not run here)."""
    made = not SECRET_FILE.exists()
    if made:
        SECRET_FILE.write_text("development-only-key-that-production-must-not-use\n")
    yield SECRET_FILE
    if made:
        SECRET_FILE.unlink()


def test_the_deploy_check_finds_nothing_in_production(database_url):
    checked = manage(
        "check", "--deploy", "--fail-level", "WARNING", "--database", "default",
        env=production_env(DATABASE_URL=database_url),
    )  # fmt: skip

    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip() == "System check identified no issues (0 silenced)."


def test_production_without_a_secret_stops_even_with_a_secret_file(secret_file, database_url):
    for debug in ("0", None):  # DEBUG off, said or by default
        env = production_env(DJANGO_DEBUG=debug, DJANGO_SECRET_KEY=None, DATABASE_URL=database_url)
        checked = manage("check", env=env)

        assert checked.returncode == 1
        assert NO_SECRET in checked.stderr.splitlines()[-1]


def test_gunicorn_does_not_start_without_a_secret(secret_file, tmp_path):
    env = production_env(DJANGO_SECRET_KEY=None, PORT=str(free_port()))
    started = subprocess.run(
        [GUNICORN, "-c", "cesdash/gunicorn.conf.py", "cesdash.wsgi"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert started.returncode != 0
    assert NO_SECRET in started.stdout + started.stderr


def test_with_debug_on_the_secret_file_is_the_development_secret(secret_file, database_url):
    env = production_env(DJANGO_DEBUG="1", DJANGO_SECRET_KEY=None, DATABASE_URL=database_url)
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    shown = manage("shell", "--no-imports", "-c", code, env=env)

    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == secret_file.read_text().strip()


def test_a_typo_in_a_yes_no_variable_stops_the_start(database_url):
    checked = manage("check", env=production_env(DJANGO_HTTPS="of", DATABASE_URL=database_url))

    assert checked.returncode == 1
    assert "DJANGO_HTTPS must be 1 or 0 (true/false, yes/no, on/off), not 'of'." in checked.stderr


def test_a_database_server_that_does_not_answer_fails_the_connection_in_seconds():
    """A PostgreSQL address where something accepts the connection and never answers (a hung
    server, a dead peer behind a firewall): the connection gives up after
    DJANGO_DB_CONNECT_TIMEOUT seconds instead of holding the request."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel completes the handshake; nothing is ever sent
        url = f"postgres://cesdash@127.0.0.1:{silent.getsockname()[1]}/cesdash"
        env = production_env(DATABASE_URL=url, DJANGO_DB_CONNECT_TIMEOUT="2")
        code = "from django.db import connection; connection.ensure_connection()"
        began = time.monotonic()
        tried = manage("shell", "--no-imports", "-c", code, env=env)
        took = time.monotonic() - began

    assert tried.returncode == 1
    assert "OperationalError" in tried.stderr and "timeout" in tried.stderr
    assert took < 30


@pytest.mark.skipif("postgres" not in os.environ.get("DATABASE_URL", ""), reason="PostgreSQL")
def test_postgresql_compiles_no_query_unless_the_database_url_asks(database_url):
    """PostgreSQL's JIT took 30-40 ms a query of the pages, which run in a few: off, unless
    DATABASE_URL's own `options` say otherwise."""
    code = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('SHOW jit'); print(c.fetchone()[0])"
    )
    shown = manage(
        "shell", "--no-imports", "-c", code, env=production_env(DATABASE_URL=database_url)
    )
    assert shown.stdout.strip() == "off", shown.stderr
    sep = "&" if "?" in database_url else "?"
    asked = production_env(DATABASE_URL=f"{database_url}{sep}options=-c%20jit%3Don")
    assert manage("shell", "--no-imports", "-c", code, env=asked).stdout.strip() == "on"


# ------------------------------------------------------------------- HTTPS, seen by a browser
# gunicorn itself trusts X-Forwarded-Proto from 127.0.0.1; FORWARDED_ALLOW_IPS naming another
# address leaves the header to Django, so that these tests see what DJANGO_PROXY_SSL_HEADER does.
UNTRUSTED = {"FORWARDED_ALLOW_IPS": "192.0.2.1"}
HTTPS = {"X-Forwarded-Proto": "https"}


@pytest.fixture
def server(tmp_path):
    def serve(**variables):
        port = free_port()
        env = production_env(PORT=str(port), **UNTRUSTED, **variables)
        return port, gunicorn(env, port, tmp_path / "gunicorn.log")

    return serve


def test_production_redirects_plain_http_to_https_except_the_health_check(server):
    port, started = server()
    with started:
        page = get(port, "/editions/2024/?year=2024")
        health = get(port, "/healthz")
        forwarded = get(port, "/healthz", HTTPS)  # no proxy named: the header is not believed

    assert page[0] == 301
    assert page[1]["Location"] == "https://127.0.0.1/editions/2024/?year=2024"
    assert health[0] == 200 and health[2] == "ok"
    assert "Strict-Transport-Security" not in health[1]
    assert "Strict-Transport-Security" not in forwarded[1]


def test_behind_a_proxy_https_pages_carry_hsts_and_secure_cookies(server):
    port, started = server(DJANGO_PROXY_SSL_HEADER="X-Forwarded-Proto")
    with started:
        health = get(port, "/healthz", HTTPS)
        switched = get(port, "/language/en/?next=/sources/", HTTPS)
        plain = get(port, "/sources/")

    assert health[0] == 200
    hsts = "max-age=31536000; includeSubDomains; preload"
    assert health[1]["Strict-Transport-Security"] == hsts
    assert switched[0] == 302 and switched[1]["Location"] == "/sources/"
    assert "; Secure" in switched[1]["Set-Cookie"]
    assert plain[0] == 301 and plain[1]["Location"] == "https://127.0.0.1/sources/"


def test_hsts_is_configurable(server):
    port, started = server(
        DJANGO_PROXY_SSL_HEADER="X-Forwarded-Proto",
        DJANGO_HSTS_SECONDS="3600",
        DJANGO_HSTS_INCLUDE_SUBDOMAINS="0",
        DJANGO_HSTS_PRELOAD="0",
    )
    with started:
        health = get(port, "/healthz", HTTPS)

    assert health[1]["Strict-Transport-Security"] == "max-age=3600"


def test_https_off_serves_plain_http_with_plain_cookies(server):
    port, started = server(DJANGO_HTTPS="0")
    with started:
        switched = get(port, "/language/en/?next=/sources/")

    assert switched[0] == 302 and switched[1]["Location"] == "/sources/"
    assert "Secure" not in switched[1]["Set-Cookie"]
    assert "Strict-Transport-Security" not in switched[1]


# ------------------------------------------------------------------------------- make run
def test_make_run_serves_plain_http_with_no_variables_set(tmp_path):
    """`make run` from a shell that sets nothing: the development secret and DJANGO_HTTPS=0
    come from the Makefile, and the home page answers over plain HTTP."""
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "LANG": "C.UTF-8",
        "PORT": str(port),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",  # not the checkout's own
    }
    log = tmp_path / "make-run.log"
    with running(["make", "-s", "run"], env, port, log, seconds=300):
        home = get(port, "/", {"Accept-Language": "en"})

    assert home[0] == 200, log.with_suffix(".stderr").read_text()[-2000:]
    assert "CES" in home[2]
    assert "Strict-Transport-Security" not in home[1]


# --------------------------------------------------------------------------- static files
def test_pages_link_hashed_static_files_served_compressed_and_cached_for_good(client, db):
    """whitenoise serves what `collectstatic` made: a page names the hashed file, which comes
    compressed and may be cached for a year and more without asking again; the unhashed name,
    which changes content with each release, is cached for a minute only."""
    html = client.get("/sources/", headers={"accept-language": "en"}).content.decode()
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html).group(1)
    collected = (ROOT / "staticfiles" / stylesheet.removeprefix("/static/")).read_bytes()

    brotli_css = client.get(stylesheet, headers={"accept-encoding": "gzip, br"})
    gzip_css = client.get(stylesheet, headers={"accept-encoding": "gzip"})
    plain_name = client.get("/static/css/site.css")

    assert brotli_css.status_code == 200
    assert brotli_css["Content-Encoding"] == "br"
    assert brotli.decompress(b"".join(brotli_css.streaming_content)) == collected
    assert gzip.decompress(b"".join(gzip_css.streaming_content)) == collected
    max_age, *rest = brotli_css["Cache-Control"].split(", ")
    assert int(max_age.removeprefix("max-age=")) >= 31_536_000
    assert rest == ["public", "immutable"]
    assert "Accept-Encoding" in brotli_css["Vary"]
    assert plain_name["Cache-Control"] == "max-age=60, public"
