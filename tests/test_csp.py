"""The Content-Security-Policy: every response carries it, strict (scripts and styles from our
own files only, nothing inline), and nothing in our templates or scripts needs more.

tests/test_browser.py checks in Chromium that no page, public or admin, meets a violation."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent

PUBLIC = [
    "/",
    "/index.json",
    "/cities/daegu/",
    "/cities/daegu.json",
    "/editions/2024/",
    "/editions/2024/daegu/",
    "/companies/linkface/",
    "/sources/",
    "/results/",
    "/pavilions/?year=2024",
    "/pavilions/?_export=csv",
    "/contracts/",
    "/participation/",
    "/healthz",
    "/no-such-page/",
    "/editions/1999/",
]
ADMIN = [
    "/admin/",
    "/admin/delegations/pavilion/",
    "/admin/delegations/pavilion/?q=대구",
    "/admin/delegations/pavilion/add/",
    "/admin/companies/company/add/",
    "/admin/companies/exhibit/import/",
    "/admin/jsi18n/",
    "/admin/autocomplete/?app_label=companies&model_name=company&field_name=region&term=대",
]
UNSAFE = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'strict-dynamic'", "*", "data:"}


@pytest.fixture
def loaded(db):
    call_command("loaddata", "fixtures/ces_articles.json", verbosity=0)


def policy(response):
    """The enforced policy of a response, as {directive: [sources]}."""
    header = response.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split(";") if d.strip()}


def assert_strict(response, url):
    directives = policy(response)
    assert directives["script-src"] == ["'self'"], url
    style = directives["style-src"]
    assert style[0] == "'self'" and not UNSAFE & set(style), url
    assert all(s == "'self'" or s.startswith("'nonce-") for s in style), url
    assert directives["default-src"] == ["'self'"], url
    assert directives["object-src"] == ["'none'"], url
    assert directives["base-uri"] == ["'self'"], url
    assert directives["frame-ancestors"] == ["'none'"], url
    assert "Content-Security-Policy-Report-Only" not in response.headers, url


def test_every_public_response_carries_the_strict_policy(client, loaded):
    for url in PUBLIC:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert_strict(response, url)


def test_what_middleware_answers_by_itself_carries_the_strict_policy(client, db):
    """A foreign Host is refused and a missing slash redirected before any view runs."""
    refused = client.get("/", headers={"host": "evil.example"})
    redirected = client.get("/cities/daegu")

    assert refused.status_code == 400
    assert redirected.status_code == 301
    assert_strict(refused, "foreign host")
    assert_strict(redirected, "slash")


def test_every_admin_response_carries_the_strict_policy(admin_client, loaded):
    for url in ADMIN:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert_strict(response, url)


def test_the_login_page_and_the_lockout_carry_the_strict_policy(client, db):
    User.objects.create_user("minji", password="a long enough passphrase", is_staff=True)

    assert_strict(client.get("/admin/login/"), "login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        locked = client.post("/admin/login/", {"username": "minji", "password": "wrong"})

    assert locked.status_code == 429
    assert "로그인이 잠시 잠겼습니다" in locked.content.decode()
    assert_strict(locked, "lockout")


def test_a_public_page_names_no_nonce_served_fresh_or_from_the_cache(client, loaded):
    """Public pages are cached: a nonce in one would not match the next response's header."""
    fresh = client.get("/cities/daegu/")
    cached = client.get("/cities/daegu/")

    assert fresh.content == cached.content
    for response in (fresh, cached):
        assert "nonce" not in response.headers["Content-Security-Policy"]
        assert "nonce=" not in response.content.decode()


def test_the_admins_nonce_is_the_one_its_header_names_and_new_each_time(admin_client, loaded):
    pages = [admin_client.get("/admin/delegations/pavilion/add/") for _ in range(2)]

    nonces = []
    for page in pages:
        (source,) = [s for s in policy(page)["style-src"] if s.startswith("'nonce-")]
        nonce = source.removeprefix("'nonce-").removesuffix("'")
        used = set(re.findall(r'nonce="([^"]+)"', page.content.decode()))
        assert used == {nonce}
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


# What a strict policy blocks, as it would be written in a template or in our scripts.
INLINE = {
    "a style attribute": re.compile(r"""\sstyle\s*=\s*["']""", re.I),
    "a <style> element": re.compile(r"<style[\s>]", re.I),
    "an inline <script>": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I),
    "an event handler attribute": re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.I),
}
SCRIPTED = {
    "a style attribute set as text": re.compile(
        r"""setAttribute\(\s*["']style|\.attr\(\s*["']style|style\s*=\s*\\?["']|cssText""", re.I
    ),
    "<style> made by script": re.compile(r"""createElement\(\s*["']style""", re.I),
    "eval": re.compile(r"\beval\(|new Function\(|set(Timeout|Interval)\(\s*[\"']"),
}


@pytest.mark.parametrize(
    "path", sorted(p.relative_to(ROOT) for p in (ROOT / "templates").rglob("*.html")), ids=str
)
def test_no_template_writes_what_the_policy_blocks(path):
    comments = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.S)
    text = comments.sub("", (ROOT / path).read_text())

    found = [what for what, pattern in INLINE.items() if pattern.search(text)]
    assert found == [], f"{path}: {', '.join(found)}"


@pytest.mark.parametrize(
    "path", sorted(p.relative_to(ROOT) for p in (ROOT / "static/js").glob("*.js")), ids=str
)
def test_no_script_of_ours_writes_what_the_policy_blocks(path):
    text = (ROOT / path).read_text()

    found = [what for what, pattern in SCRIPTED.items() if pattern.search(text)]
    assert found == [], f"{path}: {', '.join(found)}"
