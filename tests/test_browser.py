"""Every page in a real browser (Debian's Chromium through Playwright), in Korean and English:
it loads, logs no console error, draws every chart, and asks nothing of any other server.

Served the way production serves it: static files by whitenoise from the collected, hashed files.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connections
from django.test.testcases import LiveServerThread

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PAGES = [
    "/",
    "/?city=jeonbuk",
    "/cities/daegu/",
    "/cities/changwon/",
    "/editions/2024/",
    "/editions/2019/",
    "/editions/2019/daegu-sports/",
    "/editions/2024/daegu/",
    "/companies/linkface/",
    "/sources/",
    "/sources/daegu-ces2019-results/",
    "/results/",
    "/pavilions/",
    "/pavilions/?year=2024&city=daegu",
    "/companies/",
    "/exhibits/",
    "/contracts/?city=daegu&year=2024",
    "/agreements/",
    "/awards/",
    "/participation/",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not shutil.which(CHROMIUM) and not os.environ.get("CI"),
        reason="Debian's chromium is not installed (CI installs it)",
    ),
]

# Playwright's sync API runs an event loop in this thread; the ORM calls here are plain setup.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def site(transactional_db):
    """The real fixtures, served on 127.0.0.1 with whitenoise serving /static/ as in production."""
    call_command("loaddata", "fixtures/ces_articles.json", verbosity=0)
    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    for connection in shared.values():
        connection.inc_thread_sharing()
    thread = LiveServerThread(
        "127.0.0.1", static_handler=lambda app: app, connections_override=shared, port=0
    )
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()
    for connection in shared.values():
        connection.dec_thread_sharing()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield chromium
        chromium.close()


def open_page(browser, base, language, width=1280, height=900):
    context = browser.new_context(
        locale="ko-KR" if language == "ko" else "en-US",
        extra_http_headers={"Accept-Language": language},
        viewport={"width": width, "height": height},
    )
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    own = urlsplit(base).netloc

    def only_our_server(route):
        if urlsplit(route.request.url).netloc == own or route.request.url.startswith("data:"):
            route.continue_()
        else:
            page.problems.append(f"request left the server: {route.request.url}")
            route.abort()

    page.route("**/*", only_our_server)
    return page


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_page_loads_and_draws_its_charts(site, browser, language):
    page = open_page(browser, site, language)
    for path in PAGES:
        response = page.goto(site + path)
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == language, path
        charts = page.locator(".chart")
        for i in range(charts.count()):
            charts.nth(i).locator("svg.main-svg").first.wait_for(timeout=10_000)
        assert page.problems == [], (path, page.problems)
    page.context.close()


def test_home_page_screenshots(site, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    for language in ("ko", "en"):
        for name, width in (("desktop", 1280), ("phone", 390)):
            page = open_page(browser, site, language, width=width, height=844)
            page.goto(site + "/")
            page.locator(".chart.drawn").first.wait_for(timeout=10_000)
            page.wait_for_function(
                "document.querySelectorAll('.chart').length"
                " === document.querySelectorAll('.chart.drawn').length"
            )
            path = ARTIFACTS / f"home-{language}-{name}.png"
            page.screenshot(path=str(path), full_page=True)
            assert path.stat().st_size > 10_000
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{language} {name}: page wider than the screen"
            page.context.close()


def test_language_switch_keeps_the_page(site, browser):
    page = open_page(browser, site, "ko")
    page.goto(site + "/cities/daegu/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.url == site + "/cities/daegu/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Results year by year" in page.content()
    page.context.close()
