"""Every page in a real browser (Debian's Chromium through Playwright), in Korean and English:
it loads, logs no console error, draws every chart, and asks nothing of any other server.

Served the way production serves it: static files by whitenoise from the collected, hashed files.
"""

import os
import shutil
import subprocess
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
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.url == site + "/cities/daegu/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Results year by year" in page.content()
    page.context.close()


# ------------------------------------------------------------------ phone, print and downloads

PHONE = {"width": 390, "height": 844}
PAPER_WIDTH = 688  # A4 (210 mm) less 2 × 14 mm of margin, at 96 px to the inch


@pytest.mark.parametrize("language", ["ko", "en"])
def test_no_page_is_wider_than_a_phone_with_its_data_tables_open(site, browser, language):
    """At 390 px nothing makes the page scroll sideways: wide tables scroll inside their own box,
    and no table is squeezed so far that its rows grow into columns of broken words."""
    page = open_page(browser, site, language, **PHONE)
    ARTIFACTS.mkdir(exist_ok=True)
    for path in PAGES:
        page.goto(site + path)
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        page.wait_for_timeout(50)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width} px wide"
        tallest = page.evaluate(
            "Math.max(0, ...[...document.querySelectorAll('main table tbody tr')]"
            ".map(r => r.getBoundingClientRect().height))"
        )
        assert tallest < 260, f"{path}: a table row {tallest} px tall"
        slanted = page.evaluate(
            "[...document.querySelectorAll('.not-reported')]"
            ".filter(e => getComputedStyle(e).fontStyle !== 'normal').length"
        )
        assert slanted == 0, f"{path}: 'not reported' in a faux italic Korean has not"
        name = path.strip("/").replace("/", "-").replace("?", "-").replace("&", "-") or "home"
        page.screenshot(path=str(ARTIFACTS / f"phone-{language}-{name}.png"), full_page=True)
        assert page.problems == [], (path, page.problems)
    page.context.close()


def pdf_text(path, first=None, last=None):
    pages = [] if first is None else ["-f", str(first), "-l", str(last)]
    return subprocess.run(
        ["pdftotext", "-layout", *pages, str(path), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


def pdf_pages(path):
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(info.stdout.split("Pages:")[1].split()[0])


def plotted_labels(page):
    """Every year (or city) on the x axis and every bar label of every chart, as often as the
    charts show them: what a printed page must carry."""
    return page.evaluate(
        """() => {
          const labels = [];
          document.querySelectorAll('.chart[data-figure]').forEach(el => {
            const figure = JSON.parse(document.getElementById(el.dataset.figure).textContent);
            const x = new Set();
            figure.data.filter(t => t.visible !== 'legendonly').forEach(t => {
              t.x.forEach(v => x.add(String(v)));
              (t.text || []).filter(Boolean).forEach(v => labels.push(v));
            });
            labels.push(...x);
          });
          return labels;
        }"""
    )


@pytest.mark.skipif(
    not shutil.which("pdftotext") and not os.environ.get("CI"),
    reason="poppler-utils is not installed (CI installs it)",
)
@pytest.mark.parametrize(
    "path", ["/", "/?city=jeonbuk", "/cities/daegu/", "/editions/2024/", "/editions/2019/daegu/"]
)
def test_printed_pages_carry_every_year_and_bar_label(site, browser, path, tmp_path):
    """Printed to PDF in Chromium, each chart shows every year and every bar label (the 2024
    bars included), the page ends with content rather than a lone footer, names the URL it was
    printed from, and prints no navigation."""
    page = open_page(browser, site, "ko")
    page.goto(site + path)
    page.wait_for_function(
        "document.querySelectorAll('.chart-print').length"
        " === document.querySelectorAll('.chart-print.drawn').length"
    )
    expected = plotted_labels(page)
    # Laid out as on paper (A4 less the margins is 688 px wide), at once, as a browser prints:
    # no chart text may run past the paper's edge, where print cuts it off.
    page.emulate_media(media="print")
    page.set_viewport_size({"width": PAPER_WIDTH, "height": 1000})
    cut = page.evaluate(
        """width => [...document.querySelectorAll('.chart-block svg.main-svg text')]
            .filter(t => t.getBoundingClientRect().width > 0)
            .filter(t => t.getBoundingClientRect().right > width + 1)
            .map(t => t.textContent)""",
        PAPER_WIDTH,
    )
    assert cut == [], f"cut off at the paper's edge: {cut}"
    pdf = tmp_path / "page.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(pdf, ARTIFACTS / f"print{path.replace('/', '-').replace('?', '-')}.pdf")
    printed = pdf_text(pdf)
    flat = " ".join(printed.split())

    for label in set(expected):
        wanted = expected.count(label)
        assert flat.count(label) >= wanted, f"{label!r} printed {flat.count(label)} of {wanted}"
    assert f"{site}{path}" in flat
    assert "← CES" not in flat and "CES 2024 →" not in flat and "English" not in flat
    main_lines = {
        " ".join(line.split())
        for line in page.locator("main").inner_text().splitlines()
        if len(line.strip()) > 3
    }
    last = {" ".join(line.split()) for line in pdf_text(pdf, *[pdf_pages(pdf)] * 2).splitlines()}
    assert main_lines & last, "the last printed page has only the footer"
    page.context.close()


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_chart_downloads_as_png_and_svg_with_its_title_and_source(
    site, browser, language, tmp_path
):
    page = open_page(browser, site, language)
    page.goto(site + "/cities/daegu/")
    chart = page.locator(".chart-block").first
    chart.locator(".chart.drawn").wait_for()
    title = chart.locator(".chart-title").inner_text()

    with page.expect_download() as download:
        chart.get_by_role("button", name="PNG").click()
    png = tmp_path / download.value.suggested_filename
    download.value.save_as(png)
    with page.expect_download() as download:
        chart.get_by_role("button", name="SVG").click()
    svg = tmp_path / "chart.svg"
    download.value.save_as(svg)

    assert png.name == "cesdash-daegu-companies.png"
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(header[16:20], "big") == 2000  # 1000 px at twice the resolution
    drawing = svg.read_text()
    assert drawing.startswith("<svg") and title in drawing
    source = "출처: 매일신문" if language == "ko" else "Source: Maeil"
    assert source in drawing
    assert ("기업 수 (개사)" if language == "ko" else "Number of companies") in drawing
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(png, ARTIFACTS / f"download-{language}.png")
    assert page.problems == []
    page.context.close()


def test_a_figures_source_link_lands_on_its_row_highlighted_under_its_header(site, browser):
    page = open_page(browser, site, "ko", width=1280, height=600)
    page.goto(site + "/?city=daegu")
    link = page.locator("main .card a.figure-link[href*='#figure-']").first
    link.click()
    page.wait_for_load_state()
    page.wait_for_timeout(300)
    target = page.locator(":target")

    assert target.evaluate("e => e.tagName") == "TR"
    background = target.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == "rgb(255, 243, 196)"
    header = target.evaluate(
        "e => e.closest('table').querySelector('thead').getBoundingClientRect()"
    )
    row = target.evaluate("e => e.getBoundingClientRect()")
    assert header["top"] >= 0 and row["bottom"] <= 600
    page.context.close()


# ------------------------------------------------------------------------- staff entry


def saved(page):
    """The admin took the form: no error note, and it left the form page."""
    errors = page.locator(".errornote, .errorlist").all_inner_texts()
    assert errors == [], errors
    assert not page.url.endswith(("/add/", "/change/")), page.locator("#content").inner_text()


def choose(page, field_id, typed):
    """Pick the first match of `typed` in an admin autocomplete box (select2)."""
    page.click(f"#{field_id} + .select2 .select2-selection")
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    # select2 asks the server after a pause in typing; the list is the answer once all is quiet.
    page.wait_for_timeout(400)
    page.wait_for_load_state("networkidle")
    option = page.locator(".select2-results__option:not(.loading-results)").first
    option.wait_for()
    option.click()


def test_an_editor_enters_a_new_ces_and_sees_it_on_the_dashboard(site, browser):
    """An editor logs in, adds a company, enters CES 2025 with Daegu's pavilion from the edition
    page, then the pavilion's figure and a contract, publishes Daegu's CES 2025, and finds them
    on the city page and in the CSV exports (and not before publishing)."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.models import Group, User

    # The live server's database is flushed between tests: make the group as the migration does.
    import_module("cesdash.migrations.0002_editors_group").create_editors(apps)
    editor = User.objects.create_user("minji", password="a long enough passphrase", is_staff=True)
    editor.groups.set(Group.objects.filter(name="editors"))
    page = open_page(browser, site, "ko")
    page.goto(site + "/admin/login/")
    page.fill("#id_username", "minji")
    page.fill("#id_password", "a long enough passphrase")
    page.click("input[type=submit]")

    page.goto(site + "/admin/companies/company/add/")
    page.fill("#id_name_ko", "로보테크")
    page.fill("#id_name_en", "Robotech")
    choose(page, "id_region", "대구")
    choose(page, "id_source", "매일")
    page.click("input[name=_save]")
    saved(page)

    page.goto(site + "/admin/delegations/edition/add/")
    page.fill("#id_year", "2025")
    page.fill("#id_starts_on", "2025-01-07")
    page.fill("#id_ends_on", "2025-01-10")
    choose(page, "id_source", "매일")
    page.click("#pavilions-group .add-row a")
    choose(page, "id_pavilions-0-region", "대구")
    page.fill("#id_pavilions-0-name_ko", "대구공동관")
    page.fill("#id_pavilions-0-name_en", "Daegu Pavilion")
    page.fill("#id_pavilions-0-slug", "daegu")
    choose(page, "id_pavilions-0-source", "매일")
    page.click("input[name=_save]")
    saved(page)

    page.goto(site + "/admin/delegations/edition/")
    page.get_by_role("link", name="2025", exact=True).click()
    page.locator("#pavilions-group a.inlinechangelink").first.click()
    page.click("#figures-group .add-row a")
    page.select_option("#id_figures-0-metric", "companies")
    page.fill("#id_figures-0-value", "18")
    choose(page, "id_figures-0-source", "매일")
    page.fill("#id_figures-0-quote", "18개 기업과 함께")
    page.click("#contracts-group .add-row a")
    page.fill("#id_contracts-0-key", "2025-robotech")
    choose(page, "id_contracts-0-company", "로보테크")
    page.fill("#id_contracts-0-counterparty_ko", "미국 물류사")
    page.fill("#id_contracts-0-amount", "500000")
    page.select_option("#id_contracts-0-currency", "USD")
    choose(page, "id_contracts-0-source", "매일")
    page.click("input[name=_save]")
    saved(page)
    assert page.problems == [], page.problems

    city = open_page(browser, site, "ko")
    city.goto(site + "/cities/daegu/")
    assert city.locator("table.results-table tr", has_text="CES 2025").count() == 0  # a draft

    page.goto(site + "/admin/delegations/edition/")
    page.get_by_role("link", name="2025", exact=True).click()
    page.get_by_role("link", name="게시").click()
    page.get_by_role("button", name="CES 2025 대구 게시").click()
    assert page.locator(".messagelist").inner_text().startswith("CES 2025 대구 게시 완료")

    city.goto(site + "/cities/daegu/")
    row = city.locator("table.results-table tr", has_text="CES 2025")
    assert row.locator("td").first.inner_text().startswith("18")
    results = city.request.get(site + "/results/?city=daegu&year=2025&_export=csv").text()
    assert ",18," in results
    contracts = city.request.get(site + "/contracts/?year=2025&_export=csv").text()
    assert "로보테크" in contracts and "500000" in contracts
    page.context.close()
    city.context.close()


# ----------------------------------------------------------------- Content-Security-Policy

# Every report of a blocked script, style, image or connection, from every document the page
# opens (the report names what was blocked and where it came from).
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", (e) => window.cspViolated(
  [location.pathname, e.effectiveDirective, e.blockedURI || "inline",
   e.sourceFile + ":" + e.lineNumber, e.sample].join(" ")
), true);
"""


def watch_csp(page):
    """The Content-Security-Policy violations `page` meets from now on: the browser's events
    and its console lines about the policy."""
    seen = []
    page.context.expose_function("cspViolated", lambda report: seen.append(report))
    page.context.add_init_script(CSP_WATCH)
    page.on("console", lambda m: "Content Security Policy" in m.text and seen.append(m.text))
    return seen


def all_charts_drawn(page):
    page.wait_for_function(
        "[...document.querySelectorAll('.chart, .chart-print')]"
        ".every(c => c.classList.contains('drawn'))",
        timeout=15_000,
    )


def hover_a_bar(page):
    """Point at the first bar of the first chart and wait for its hover label."""
    box = page.evaluate(
        """() => {
          const bars = () => [...document.querySelectorAll('.chart.drawn .point path')]
            .map(p => p.getBoundingClientRect()).filter(r => r.width > 2 && r.height > 4);
          if (!bars().length) { return null; }
          window.scrollBy(0, bars()[0].top - 200);
          return bars()[0].toJSON();
        }"""
    )
    assert box, "no bar to hover"
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] - 2)
    page.locator(".chart .hoverlayer .hovertext").first.wait_for(timeout=5_000)
    return page.locator(".chart .hoverlayer .hovertext").first


def test_no_public_page_meets_a_content_security_policy_violation(site, browser):
    """Every public page in Korean, its charts drawn, a bar hovered, a city shown from the
    legend, and a chart downloaded as PNG and SVG: the browser blocks nothing."""
    page = open_page(browser, site, "ko")
    violations = watch_csp(page)
    for path in PAGES:
        page.goto(site + path)
        all_charts_drawn(page)
        if page.locator(".chart").count():
            label = hover_a_bar(page)
            assert label.text_content().strip(), path
            legend = page.locator(".chart.drawn .legend .traces .legendtoggle")
            if legend.count() > 1:
                legend.nth(1).click()
                all_charts_drawn(page)
        assert violations == [], (path, violations)
        assert page.problems == [], (path, page.problems)

    page.goto(site + "/cities/daegu/")
    all_charts_drawn(page)
    chart = page.locator(".chart-block").first
    for button in ("PNG", "SVG"):
        with page.expect_download() as download:
            chart.get_by_role("button", name=button).click()
        assert download.value.suggested_filename.endswith(button.lower())
    response = page.goto(site + "/no-such-page/")
    assert response.status == 404
    assert violations == [], violations
    page.context.close()


def test_the_plotly_stylesheet_is_what_plotly_would_insert(site, browser):
    """plotly.js inserts its stylesheet as a <style> element, which a strict policy blocks,
    unless the page has one marked as its own: ours (static/css/plotly.css) must carry the very
    rules, in the same order, that this version of plotly.js would insert."""
    page = open_page(browser, site, "ko")
    page.goto(site + "/cities/daegu/")
    all_charts_drawn(page)
    plotly_src = page.locator("script[src*='plotly.min']").get_attribute("src")
    ours = page.evaluate(
        """() => {
          const marker = document.getElementById('plotly.js-style-global');
          return [marker.tagName, marker.className, document.querySelectorAll('style').length,
                  [...marker.sheet.cssRules].map(r => r.cssText)];
        }"""
    )
    # A page of the test's own, without a policy: there plotly.js inserts its stylesheet.
    bare = site + "/a-page-without-a-policy/"
    page.route(bare, lambda route: route.fulfill(content_type="text/html", body='<div id="c">'))
    page.goto(bare)
    page.add_script_tag(url=site + plotly_src)
    theirs = page.evaluate(
        """() => Plotly.newPlot('c', [{type: 'bar', y: [1, 2]}]).then(() =>
             [...document.getElementById('plotly.js-style-global').sheet.cssRules]
               .map(r => r.cssText))"""
    )
    assert ours[:3] == ["LINK", "no-inline-styles", 0]
    assert len(theirs) > 50
    assert ours[3] == theirs
    page.context.close()


def test_the_admin_meets_no_content_security_policy_violation(site, browser, tmp_path):
    """An editor's round in the admin, in Korean: login, index, a changelist, a pavilion with
    its inlines (a row added, an autocomplete opened), a company added, its history, a
    pavilion's company import previewed, the publish page; and a login locked out. The browser
    blocks nothing."""
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.contrib.contenttypes.models import ContentType

    from companies.models import Company
    from delegations.models import Pavilion, Source

    # The live server's database is flushed between tests, its content types with it: forget
    # the ones cached, so that the admin's log of changes makes them again.
    ContentType.objects.clear_cache()
    User.objects.create_superuser("minji", password="a long enough passphrase")
    pavilion = Pavilion.all_objects.get(edition__year=2024, slug="daegu")
    source = Source.objects.get(key="maeil-2024-daegu-ces")
    page = open_page(browser, site, "ko")
    violations = watch_csp(page)

    def visit(path):
        response = page.goto(site + path)
        assert response.status == 200, path
        assert violations == [], (path, violations)

    visit("/admin/login/")
    page.fill("#id_username", "minji")
    page.fill("#id_password", "a long enough passphrase")
    page.click("input[type=submit]")
    page.wait_for_load_state()
    assert page.url == site + "/admin/"
    assert violations == [], violations
    visit("/admin/delegations/pavilion/?q=대구")
    visit("/admin/delegations/edition/?year=2024")  # a filter sidebar, sorting, actions
    page.locator("#action-toggle").check()

    visit(f"/admin/delegations/pavilion/{pavilion.pk}/change/")
    page.click("#figures-group .add-row a")
    page.click("#id_figures-0-source + .select2 .select2-selection")
    page.locator(".select2-container--open .select2-results__option").first.wait_for()
    page.keyboard.press("Escape")

    visit("/admin/companies/company/add/")
    page.fill("#id_name_ko", "로보테크")
    page.fill("#id_name_en", "Robotech")  # fills the slug from the English name
    choose(page, "id_region", "대구")
    choose(page, "id_source", "매일")
    page.click("input[name=_save]")
    saved(page)
    company = Company.objects.get(name_ko="로보테크")
    visit(f"/admin/companies/company/{company.pk}/history/")
    assert page.locator("#change-history tbody tr").count() == 1
    pager = page.locator("#change-history + .paginator")
    assert pager.evaluate("e => getComputedStyle(e).borderTopWidth") == "0px"  # as designed

    visit(f"/admin/companies/exhibit/import/?pavilion={pavilion.pk}&source={source.pk}")
    upload = tmp_path / "companies.csv"
    upload.write_text("기업명,영문명,전시 내용\n에너캠프,Enercamp,이동식 전기차 충전기\n")
    page.set_input_files("#id_import_file", str(upload))
    page.select_option("#id_format", label="csv")
    page.click("input[type=submit]")
    page.wait_for_load_state()
    # Enercamp's exhibit moves into the pavilion: the preview marks what changes, in colour.
    change = page.locator("table.import-preview tr.update td ins").first
    assert change.inner_text().strip()
    assert change.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(230, 255, 230)"
    assert violations == [], violations

    visit(f"/admin/delegations/edition/{pavilion.edition_id}/publish/")
    visit("/admin/delegations/edition/add/")
    page.locator("#id_starts_on + .datetimeshortcuts button").click()  # the calendar
    page.locator(".calendarbox .calendar td a:visible").first.click()
    assert violations == [], violations
    visit("/admin/password_change/")
    assert page.problems == [], page.problems

    stranger = open_page(browser, site, "ko")
    locked_out = watch_csp(stranger)
    stranger.goto(site + "/admin/login/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        stranger.fill("#id_username", "minji")
        stranger.fill("#id_password", "a wrong guess")
        stranger.click("input[type=submit]")
        stranger.wait_for_load_state()
    assert stranger.locator("h1").inner_text() == "로그인이 잠시 잠겼습니다"
    assert locked_out == [], locked_out
    page.context.close()
    stranger.context.close()
