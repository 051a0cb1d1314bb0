"""Faults: health and readiness checks, the error pages, and a database that goes away."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.template import loader
from django.test import Client
from django.urls import path
from django.utils import translation
from fault_servers import assert_unavailable, get, gunicorn, prepare_database

from cesdash.urls import handler400, handler500  # noqa: F401  (this module is a urlconf too)
from cesdash.urls import urlpatterns as site_urlpatterns

NOT_SHOWN = ("Traceback", "File &quot;", 'File "', "site-packages", "a detail only the logs hold")


def a_view_that_fails(request):
    raise RuntimeError("a detail only the logs hold")


# The site's pages and one view that fails: `@pytest.mark.urls(__name__)` serves this module.
urlpatterns = [path("fails/", a_view_that_fails), *site_urlpatterns]


def shows_no_internals(html):
    return not any(text in html for text in NOT_SHOWN)


# --------------------------------------------------------------------------- health checks


def test_healthz_answers_without_the_database_or_a_session(client):
    # No `db` fixture: any query would fail the test.
    response = client.get("/healthz")

    assert (response.status_code, response.content) == (200, b"ok")
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies


def test_readyz_asks_the_database_each_time_and_keeps_no_session(
    client, db, django_assert_num_queries
):
    for _ in range(2):  # never served from a cache: each answer is a query of its own
        with django_assert_num_queries(1):
            response = client.get("/readyz")
        assert (response.status_code, response.content) == (200, b"ok")
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies


# ----------------------------------------------------------------------------- error pages


@pytest.mark.parametrize(
    ("language", "heading", "message"),
    [
        ("ko", "잘못된 요청입니다", "서버가 이 요청을 처리할 수 없습니다"),
        ("en", "Bad request", "The server could not make sense of this request."),
    ],
)
@pytest.mark.parametrize("https_redirect", [False, True])
def test_a_foreign_host_gets_the_sites_400_page(
    client, db, settings, language, heading, message, https_redirect
):
    # With the HTTPS redirect on, the Host is read (and refused) before the language is chosen.
    settings.SECURE_SSL_REDIRECT = https_redirect

    response = client.get("/", headers={"host": "evil.example", "accept-language": language})

    html = response.content.decode()
    assert response.status_code == 400
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html and message in html
    assert "evil.example" not in html  # nothing of the request is echoed
    assert shows_no_internals(html)


@pytest.mark.parametrize(
    ("language", "heading", "message"),
    [
        ("ko", "접근 권한이 없습니다", "이 계정으로는 이 페이지를 열 수 없습니다."),
        ("en", "Access denied", "Your account may not open this page."),
    ],
)
def test_staff_without_permission_get_the_sites_403_page(client, db, language, heading, message):
    client.force_login(User.objects.create_user("visitor", is_staff=True))

    response = client.get("/admin/delegations/source/add/", headers={"accept-language": language})

    html = response.content.decode()
    assert response.status_code == 403
    assert f"<h1>{heading}</h1>" in html and message in html
    assert 'href="/admin/"' in html
    assert shows_no_internals(html)


@pytest.mark.parametrize(
    ("language", "heading", "message"),
    [
        ("ko", "양식을 제출하지 못했습니다", "페이지를 새로 고친 뒤 다시 제출해 주세요."),
        ("en", "The form could not be sent", "Reload the page and send the form again"),
    ],
)
def test_a_form_without_its_csrf_token_gets_the_sites_403_page(db, language, heading, message):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(
        "/admin/login/",
        {"username": "editor", "password": "a long enough passphrase"},
        headers={"accept-language": language},
    )

    html = response.content.decode()
    assert response.status_code == 403
    assert f"<h1>{heading}</h1>" in html and message in html
    assert "CSRF" not in html  # Django's own page explains the mechanism; ours says what to do
    assert shows_no_internals(html)


@pytest.mark.parametrize(
    ("language", "heading"), [("ko", "페이지를 찾을 수 없습니다"), ("en", "Page not found")]
)
def test_a_missing_page_gets_the_sites_404_page(client, db, language, heading):
    response = client.get("/editions/1999/", headers={"accept-language": language})

    html = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{language}">' in html and f"<h1>{heading}</h1>" in html
    assert shows_no_internals(html)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("language", "heading", "message"),
    [
        ("ko", "일시적인 오류가 발생했습니다", "잠시 후 다시 시도해 주세요."),
        ("en", "Something went wrong", "Please try again in a moment."),
    ],
)
def test_a_failing_view_gets_the_sites_500_page_without_a_traceback(
    client, language, heading, message
):
    client.raise_request_exception = False

    response = client.get("/fails/", headers={"accept-language": language})

    html = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html and message in html
    assert shows_no_internals(html)


@pytest.mark.parametrize("template", ["500.html", "503.html"])
def test_the_500_and_503_pages_render_with_no_context_and_no_database(template):
    # No `db` fixture: a query, a session or a missing context would fail the render.
    with translation.override("en"):
        html = loader.render_to_string(template)

    assert '<html lang="en">' in html
    assert 'href="/static/css/site.css"' in html


# ------------------------------------------------------------------ the database goes away

needs_sqlite_pass = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="runs once, in the SQLite pass (the PostgreSQL pass restarts a real server instead: "
    "test_db_restart.py)",
)

PAGES = ["/", "/index.json", "/cities/daegu/", "/exhibits/?page=2", "/sources/"]


@pytest.fixture(scope="module")
def sqlite_site():
    """gunicorn on a SQLite file of its own, in a folder the test can take away."""
    folder = Path(tempfile.mkdtemp(prefix="cesdash-faults."))
    data = folder / "data"
    data.mkdir()
    url = f"sqlite:///{data / 'db.sqlite3'}"
    try:
        prepare_database(url)
        # A new connection for each request, so the one after the file goes away meets it.
        with gunicorn(url, extra_env={"DJANGO_CONN_MAX_AGE": "0"}) as base:
            yield base, data
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@needs_sqlite_pass
def test_while_the_database_file_is_gone_pages_answer_503_then_recover(sqlite_site):
    base, data = sqlite_site
    for page in PAGES:
        assert get(base + page).status == 200, page

    away = data.with_name("away")
    data.rename(away)  # as when the disk holding it is unmounted
    try:
        assert_unavailable(base, PAGES)
    finally:
        away.rename(data)

    # Back at once, with no restart: every page on every worker.
    for _ in range(3):
        assert get(base + "/readyz").status == 200
        for page in PAGES:
            assert get(base + page).status == 200, page
