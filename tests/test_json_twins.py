"""Every page has a JSON twin with exactly the data it shows, under the same keys in Korean and
English: each test reads a figure from the JSON and finds it in its own cell of the page."""

import re

import pytest
from pagetext import main, text

from companies.models import Company, InnovationAward
from delegations.models import Edition, ReportedFigure

KO = {"accept-language": "ko"}
EN = {"accept-language": "en"}
NOT_REPORTED = {"ko": "미보고", "en": "not reported"}

PAGES = [
    "/",
    "/?city=jeonbuk",
    "/cities/daegu/",
    "/editions/2024/",
    "/editions/2019/",
    "/editions/2024/daegu/",
    "/companies/enercamp/",
    "/sources/",
    "/sources/{source}/",
]


def twin(client, response, headers):
    """The JSON twin the page links to in its <head>."""
    html = response.content.decode()
    head = html.split("</head>", 1)[0]
    href = re.search(r'<link rel="alternate" type="application/json" href="([^"]+)">', head)
    assert href, "the page links no JSON twin"
    data = client.get(href.group(1).replace("&amp;", "&"), headers=headers)
    assert data.status_code == 200
    assert data["Content-Type"] == "application/json"
    return data.json()


def cells(fragment, tag="td"):
    """metric -> the text of each element of the fragment marked with data-metric."""
    pattern = rf'<{tag}[^>]*data-metric="(\w+)"[^>]*>(.*?)</{tag}>'
    return {metric: text(html) for metric, html in re.findall(pattern, fragment, re.S)}


def shown(figure, language):
    """What a cell shows for a figure of the JSON: its display text, or 'not reported'."""
    return figure["total"]["display"] if figure["total"] else NOT_REPORTED[language]


@pytest.fixture
def pages(world):
    ReportedFigure.objects.create(
        edition=Edition.objects.create(year=2023),
        region=world["daegu"],
        metric="award_winners",
        value=5,
        source=world["p24"].source,
    )
    return world


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("headers", [KO, EN], ids=["ko", "en"])
def test_every_page_links_its_json_twin(client, pages, url, headers):
    response = client.get(url.format(source=pages["p24"].source.key), headers=headers)

    assert response.status_code == 200
    assert twin(client, response, headers)


@pytest.mark.parametrize("url", PAGES)
def test_json_keys_are_the_same_in_korean_and_english(client, pages, url):
    url = url.format(source=pages["p24"].source.key)

    def keys(value, path=""):
        if isinstance(value, dict):
            return {path} | {k for key, v in value.items() for k in keys(v, f"{path}.{key}")}
        if isinstance(value, list):
            return set().union(*(keys(v, f"{path}[]") for v in value)) if value else {path}
        return {path}

    korean = twin(client, client.get(url, headers=KO), KO)
    english = twin(client, client.get(url, headers=EN), EN)
    assert keys(korean) == keys(english)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_home_cards_show_what_the_json_says(client, pages, language):
    headers = {"accept-language": language}
    response = client.get("/", headers=headers)
    data = twin(client, response, headers)
    html = main(response)
    cards = cells(html, tag="div")
    changes = dict(re.findall(r'data-change="(\w+)">(.*?)</div>', html, re.S))

    assert data["city"]["slug"] == "daegu" and data["year"] == 2024
    assert [figure["metric"] for figure in data["headline"]] == list(cards)
    for figure in data["headline"]:
        card = cards[figure["metric"]]
        assert card.startswith(shown(figure, language)), (card, figure)
        if figure["total"] and figure["total"].get("change_display"):
            assert figure["total"]["change_display"] in text(changes[figure["metric"]])
    companies = data["headline"][0]["total"]
    assert (companies["value"], companies["previous"]["value"], companies["change"]) == (16, 25, -9)
    assert data["headline"][1]["total"] is None  # consultations: not reported in 2024
    assert cards["consultations"].startswith(NOT_REPORTED[language])


def test_home_comparison_rows_are_the_json_comparison(client, pages):
    response = client.get("/", headers=EN)
    data = twin(client, response, EN)
    table = main(response).split("results-table", 1)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S)

    assert [row["city"]["slug"] for row in data["comparison"]] == ["daegu", "jeonbuk"]
    for row, html in zip(data["comparison"], rows, strict=True):
        shown_cells = cells(html)
        for figure in row["figures"]:
            assert shown_cells[figure["metric"]].startswith(shown(figure, "en"))


def test_city_results_table_is_the_json_results(client, pages):
    response = client.get("/cities/daegu/", headers=KO)
    data = twin(client, response, KO)
    table = main(response).split("results-table", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S)

    assert [row["year"] for row in data["results"]] == [2024, 2023, 2019]
    for row, html in zip(data["results"], rows, strict=True):
        assert f"CES {row['year']}" in text(html)
        shown_cells = cells(html)
        for figure in row["figures"]:
            cell = shown_cells[figure["metric"]]
            assert cell.startswith(shown(figure, "ko")), (row["year"], cell)
            if figure["recorded"]:
                assert f"{figure['recorded']}" in cell
    assert data["results"][0]["figures"][5]["recorded"] == 1  # Enercamp's award in 2024


def test_edition_cities_are_the_json_cities(client, pages):
    response = client.get("/editions/2024/", headers=EN)
    data = twin(client, response, EN)
    page = text(main(response))

    assert [row["city"]["slug"] for row in data["cities"]] == ["daegu", "jeonbuk"]
    assert (data["previous_year"], data["next_year"]) == (2023, None)
    assert "← CES 2023" in page
    for pavilion in data["pavilions"]:
        assert pavilion["name"] in page
    assert [e["company"]["slug"] for e in data["exhibits"]] == ["enercamp"]


@pytest.mark.parametrize("url", ["/editions/2024/daegu/", "/sources/{source}/"])
def test_every_figure_row_shows_the_json_figure(client, pages, url):
    response = client.get(url.format(source=pages["p24"].source.key), headers=KO)
    data = twin(client, response, KO)
    html = main(response)

    assert data["figures"]
    for figure in data["figures"]:
        row = re.search(rf'<tr id="figure-{figure["id"]}">(.*?)</tr>', html, re.S)
        assert row, figure
        assert figure["display"] in text(row.group(1))
    money = next(f for f in data["figures"] if f["metric"] == "consultation_value")
    assert money["source_conversion"] == {
        "value": 188_180_000_000,
        "currency": "KRW",
        "approximate": True,
    }
    assert money["display"] == "1억 4,000만 달러"


def test_pavilion_json_coverage(client, pages):
    data = client.get("/editions/2024/daegu.json", headers=EN).json()

    assert data["reported"]["companies"] == 16
    assert data["reported"]["consultations"] is None
    assert data["recorded"] == {
        "companies_named": 1,
        "contracts": 1,
        "contract_value_usd": 1_000_000,
        "mous": 1,
        "award_winners_named": 1,
    }


def test_company_json_has_the_awards_and_streaks_the_page_shows(client, pages):
    enercamp = Company.objects.get(slug="enercamp")
    InnovationAward.objects.create(
        company=enercamp, edition=Edition.objects.get(year=2023), source=enercamp.source
    )
    response = client.get("/companies/enercamp/", headers=KO)
    data = twin(client, response, KO)

    assert [(a["year"], a["streak"]) for a in data["awards"]] == [(2023, 1), (2024, 2)]
    assert "2년 연속" in text(main(response))
    assert [c["amount"] for c in data["contracts"]] == [1_000_000]


def test_sources_json_counts_what_the_page_counts(client, pages):
    response = client.get("/sources/", headers=EN)
    data = twin(client, response, EN)
    page = text(main(response))

    for source in data["sources"]:
        assert source["title"] in page
    counted = {s["key"]: (s["figures"], s["records"]) for s in data["sources"]}
    # The 2024 article: 4 figures (3 of the pavilion, 1 city-wide), and 4 records (exhibit,
    # contract, award, MOU).
    assert counted[pages["p24"].source.key] == (4, 4)


def test_an_unknown_page_has_no_twin(client, pages):
    assert client.get("/cities/nowhere.json").status_code == 404
    assert client.get("/index.json?city=atlantis").status_code == 404


def test_the_edition_twin_keeps_each_totals_earlier_comparison(client, pages):
    """The edition page reads one CES, but each total keeps the earlier one it is shown
    against, as on the home page."""
    edition = client.get("/editions/2024.json").json()
    home = client.get("/index.json").json()
    daegu = next(row for row in edition["cities"] if row["city"]["slug"] == "daegu")

    companies = daegu["figures"][0]["total"]
    assert (companies["like"]["year"], companies["change"]) == (2019, -9)
    assert companies == home["headline"][0]["total"]


def test_a_figure_not_reported_at_a_ces_shows_the_last_earlier_total(client, pages):
    """Where a city does not report a figure at a CES, its twin gives the total of the last
    earlier CES that reported it: not an older one, nor a later one."""
    for year, value in ((2016, 100), (2026, 900)):
        ReportedFigure.objects.create(
            edition=Edition.objects.create(year=year),
            region=pages["daegu"],
            metric="consultations",
            value=value,
            source=pages["p24"].source,
        )
    edition = client.get("/editions/2024.json", headers=EN).json()
    daegu = next(row for row in edition["cities"] if row["city"]["slug"] == "daegu")
    figures = {figure["metric"]: figure for figure in daegu["figures"]}

    consultations = figures["consultations"]
    assert consultations["total"] is None
    assert (consultations["earlier"]["year"], consultations["earlier"]["display"]) == (
        2019,
        "about 750",
    )
    assert figures["contract_value"]["earlier"]["year"] == 2019
    assert figures["companies"]["earlier"] is None  # reported at this CES
    assert figures["mous"]["total"] is None and figures["mous"]["earlier"] is None
    older = client.get("/editions/2019.json", headers=EN).json()
    daegu = next(row for row in older["cities"] if row["city"]["slug"] == "daegu")
    award_winners = {figure["metric"]: figure for figure in daegu["figures"]}["award_winners"]
    assert award_winners["total"] is None and award_winners["earlier"] is None  # 2023 is later
