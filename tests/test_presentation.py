"""How pages and charts read: one number format per chart, charts that follow the chosen city,
sections that say why they are empty, one way of writing dates, and scripts only where needed.
(What needs a real browser, print and phone widths, is in test_browser.py.)"""

import json
import re

import pytest
from django.core.management import call_command
from django.utils import translation
from pagetext import main, text

from cesdash.charts import value_ticks

PAGES = [
    "/",
    "/?city=jeonbuk",
    "/cities/daegu/",
    "/editions/2024/",
    "/editions/2019/",
    "/editions/2020/",
    "/editions/2024/daegu/",
    "/companies/linkface/",
    "/sources/",
    "/sources/daegu-ces2019-results/",
    "/sources/maeil-2024-daegu-ces/",
]


@pytest.fixture
def loaded(db):
    call_command("loaddata", "fixtures/ces_articles.json", verbosity=0)


def figure(html, dom_id):
    found = re.search(rf'id="{dom_id}-data"[^>]*>(.*?)</script>', html, re.S)
    return json.loads(found.group(1)) if found else None


@pytest.mark.parametrize(
    ("language", "top", "money", "labels"),
    [
        ("ko", 140_000_000, True, ["0", "5,000만", "1억", "1.5억"]),
        ("en", 140_000_000, True, ["$0", "$50M", "$100M", "$150M"]),
        ("ko", 7_280_000, True, ["0", "200만", "400만", "600만", "800만"]),
        ("ko", 40, False, ["0", "10", "20", "30", "40"]),
        ("ko", 8, False, ["0", "2", "4", "6", "8"]),
    ],
)
def test_the_value_axis_reads_in_the_same_units_as_the_bars(language, top, money, labels):
    with translation.override(language):
        assert value_ticks(top, money)[1] == labels


def test_the_home_page_charts_the_chosen_city_with_the_others_in_the_legend(client, loaded):
    html = client.get("/?city=daegu", headers={"accept-language": "ko"}).content.decode()
    companies = figure(html, "trend-companies")

    shown = {trace["name"]: trace.get("visible", True) for trace in companies["data"]}
    assert shown == {"대구": True, "전북": "legendonly"}
    axis = companies["layout"]["yaxis"]
    assert axis["title"]["text"] == "기업 수 (개사)"
    assert axis["ticktext"] == ["0", "10", "20", "30", "40"]
    assert companies["layout"]["xaxis"]["dtick"] == 1  # every year labelled
    summary = re.search(r'id="trend-companies-summary">(.*?)</p>', html).group(1)
    assert summary == (
        "대구, 참가기업 (개사): CES 2024 16. CES 2018(40) 대비 −24. 보도된 CES는 4회입니다."
    )


def test_a_city_with_one_ces_on_record_gets_no_one_bar_trend(client, loaded):
    response = client.get("/?city=jeonbuk", headers={"accept-language": "ko"})
    html = response.content.decode()

    assert figure(html, "trend-companies") is None
    assert "전북의 수치는 두 번 이상의 CES에서 보도된 것이 없어 추이 차트가 없습니다" in text(
        main(response)
    )
    assert figure(html, "compare-companies") is not None


def test_the_sources_list_is_newest_first_and_says_so(client, loaded):
    response = client.get("/sources/", headers={"accept-language": "ko"})
    titles = re.findall(r"<strong>(.*?)</strong>", main(response))

    assert "최신 기사부터 나열합니다" in text(main(response))
    starts = [
        "[CES 2024] 대구시가",
        "김관영·신상진·홍남표",
        "‘대구공동관’ 운영으로",
        "Daegu participates",
        "Daegu TechnoPark",
    ]
    assert len(titles) == len(starts)
    assert all(t.startswith(s) for t, s in zip(titles, starts, strict=True)), titles


@pytest.mark.parametrize(
    ("language", "none"),
    [("ko", "공동관과 참가단 기록은 없습니다"), ("en", "No pavilion and no delegation")],
)
def test_an_edition_with_little_on_record_says_so_instead_of_empty_tables(
    client, loaded, language, none
):
    """CES 2020 has only Linkface's (implied) award: Daegu is in the comparison for it, and the
    pavilion and delegation sections are left out with a sentence saying why."""
    response = client.get("/editions/2020/", headers={"accept-language": language})
    page = text(main(response))

    assert none in page
    assert "조건에 맞는 공동관이 없습니다" not in page and "No pavilions match" not in page
    assert ("대구" if language == "ko" else "Daegu") in page.split("CES 2020 e")[0]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_dates_are_written_one_way_and_the_tab_title_names_the_site(client, loaded, language):
    for path in PAGES:
        response = client.get(path, headers={"accept-language": language})
        html = response.content.decode()
        assert not re.search(r"\d{4}-\d\d-\d\d", text(main(response))), path
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert "cesdash" not in title, path
        assert title.endswith("CES 성과 대시보드" if language == "ko" else "CES results dashboard")


def test_plotly_loads_deferred_and_only_where_there_are_charts(client, loaded):
    home = client.get("/").content.decode()
    edition = client.get("/editions/2024/").content.decode()

    scripts = re.findall(r"<script src=\"[^\"]*\"[^>]*>", home)
    assert any("plotly.min" in s for s in scripts)
    assert all(" defer" in s for s in scripts)
    assert "plotly.min" not in edition
