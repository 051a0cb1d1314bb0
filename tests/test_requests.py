"""Requests no page should serve: a foreign Host header, too many fields, a huge body.

Django refuses them with a 400 (DisallowedHost, TooManyFieldsSent, RequestDataTooBig, all
SuspiciousOperation) when DEBUG is off, as it is by default: these tests keep it that way for the
pages, the tables, their exports, the admin and the POST endpoints (`/i18n/setlang/`, the admin
sign-in), and check that a cached page is never handed to a foreign host.
"""

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client

EN = {"accept-language": "en"}
FOREIGN = {**EN, "host": "evil.example"}
LIMIT = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
URLS = [
    "/",
    "/index.json",
    "/cities/daegu/",
    "/editions/2024/daegu/",
    "/contracts/",
    "/contracts/?_export=csv",
    "/pavilions/?_export=xlsx",
    "/admin/",
    "/admin/login/",
    "/admin/delegations/pavilion/",
    "/healthz",
]


def refused(response):
    """A 400 that says so (Django's page, or ours)."""
    return response.status_code == 400 and "bad request" in response.content.decode().lower()


def test_the_limits_are_django_s_own():
    assert LIMIT == 1000
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2_621_440
    assert not settings.DEBUG  # with DEBUG on, DisallowedHost would show a debug page


@pytest.mark.parametrize("url", URLS)
def test_a_foreign_host_is_refused(client, world, url):
    assert client.get(url, headers=EN).status_code in (200, 302)  # served to our own host
    response = client.get(url, headers=FOREIGN)

    assert refused(response), (url, response.status_code)


def test_a_cached_page_is_not_served_to_a_foreign_host(client, world):
    first = client.get("/editions/2024/", headers=EN)
    again = client.get("/editions/2024/", headers=EN)
    assert first.status_code == again.status_code == 200
    assert again.has_header("ETag")  # served from the cache

    assert refused(client.get("/editions/2024/", headers=FOREIGN))


def test_a_foreign_host_cannot_sign_in_to_the_admin(admin_user):
    response = Client().post(
        "/admin/login/", {"username": "admin", "password": "password"}, headers=FOREIGN
    )

    assert refused(response)
    assert "_auth_user_id" not in response.wsgi_request.session


def fields(count, **named):
    return urlencode({**named, **{f"f{n}": "1" for n in range(count - len(named))}})


FORM = "application/x-www-form-urlencoded"


def test_a_language_switch_with_up_to_a_thousand_fields_is_served(client, db):
    body = fields(LIMIT, language="en", next="/contracts/")
    response = client.post("/i18n/setlang/", body, content_type=FORM, headers=EN)

    assert response.status_code == 302
    assert response["Location"] == "/contracts/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def browser():
    """A client that passes the CSRF check as a browser does (the cookie of a page with a
    form, and its token sent back), so that the form is read as in production."""
    client = Client(enforce_csrf_checks=True)
    client.get("/admin/login/", headers=EN)
    return client, {"csrfmiddlewaretoken": client.cookies[settings.CSRF_COOKIE_NAME].value}


def test_the_browser_client_gets_through_the_csrf_check(admin_user):
    client, token = browser()
    body = urlencode({**token, "username": "admin", "password": "password"})
    response = client.post("/admin/login/", body, content_type=FORM, headers=EN)

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_a_post_with_over_a_thousand_fields_is_refused(db, encoding):
    client, token = browser()
    named = {**token, "language": "en", "next": "/"}
    if encoding == "urlencoded":
        body = fields(LIMIT + 1, **named)
        response = client.post("/i18n/setlang/", body, content_type=FORM, headers=EN)
    else:
        data = {**named, **{f"f{n}": "1" for n in range(LIMIT + 1 - len(named))}}
        response = client.post("/i18n/setlang/", data, headers=EN)

    assert refused(response), response.status_code
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_an_admin_sign_in_with_over_a_thousand_fields_is_refused(admin_user):
    client, token = browser()
    body = fields(LIMIT + 1, **token, username="admin", password="password")
    response = client.post("/admin/login/", body, content_type=FORM, headers=EN)

    assert refused(response), response.status_code
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url", ["/", "/contracts/", "/contracts/?_export=json", "/admin/login/"])
def test_a_query_string_with_over_a_thousand_fields_is_refused(client, world, url):
    separator = "&" if "?" in url else "?"
    assert client.get(f"{url}{separator}{fields(LIMIT - 1)}", headers=EN).status_code == 200

    response = client.get(f"{url}{separator}{fields(LIMIT + 1)}", headers=EN)

    assert refused(response), response.status_code


def test_a_huge_form_is_refused(db):
    body = urlencode({"language": "en", "next": "/", "pad": "x" * (3 * 1024 * 1024)})
    response = Client().post("/i18n/setlang/", body, content_type=FORM, headers=EN)

    assert refused(response), response.status_code
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
