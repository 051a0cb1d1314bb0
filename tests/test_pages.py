"""The dashboard pages: the figures they show for a small dataset, in Korean and in English."""

import json
import re

import pytest
from django.core.management import call_command
from django.utils import translation
from pagetext import main, text

from cesdash.formatting import format_money, korean_amount
from cesdash.models import DataVersion
from delegations.models import ReportedFigure


def text_of(response):
    """The visible text of the page's own content (not the header or the footer)."""
    return text(main(response))


@pytest.fixture
def city_wide_2023(world, make_source):
    p24 = world["p24"]
    ReportedFigure.objects.create(
        edition=world["p19"].edition.__class__.objects.create(year=2023),
        region=world["daegu"],
        metric="award_winners",
        value=5,
        source=p24.source,
    )


def test_home_headline_in_korean(client, world, city_wide_2023):
    page = text_of(client.get("/", headers={"accept-language": "ko"}))

    assert "CES 2024 대구 성과" in page
    assert "CES 2019(25) 대비 −9" in page
    assert "1억 4,000만 달러 (약 1,881억 8,000만 원)" in page
    assert "첫 보도 연도" in page
    assert "CES 2019: 728만 달러" in page
    # 2024's 8 is the pavilion's, 2023's 5 the whole delegation's: shown side by side, no change.
    assert "CES 2023: 5 (참가단 전체) · 비교하지 않음: 집계 범위가 다릅니다 (올해: 공동관)" in page
    assert "+3" not in page
    assert "CES 2019: 약 750" in page


def test_home_headline_in_english(client, world, city_wide_2023):
    response = client.get("/", headers={"accept-language": "en"})
    page = text_of(response)

    assert '<html lang="en">' in response.content.decode()
    assert "Daegu at CES 2024" in page
    assert "−9 against CES 2019 (25)" in page
    assert "$140 million (about ₩188.18 billion)" in page
    assert "CES 2019: $7.28 million" in page
    assert (
        "CES 2023: 5 (whole delegation) · not compared: it covers something else "
        "(this year: main pavilion)" in page
    )
    assert "+3" not in page
    assert "not reported" in page


def test_home_compares_the_cities_at_the_latest_ces(client, world):
    page = text_of(client.get("/?city=jeonbuk", headers={"accept-language": "en"}))

    assert "Jeonbuk at CES 2024" in page
    assert "The cities at CES 2024" in page
    assert "first year reported" in page


def test_unknown_is_never_drawn_as_zero(client, world):
    response = client.get("/", headers={"accept-language": "en"})
    html = response.content.decode()
    figure = re.search(r'id="trend-companies-data"[^>]*>(.*?)</script>', html, re.S).group(1)
    compact = figure.replace(" ", "")
    assert '"x":[2019,2020,2021,2022,2023,2024]' in compact
    assert '"y":[25,null,null,null,null,16]' in compact


def test_a_figure_reported_once_is_not_charted_as_a_trend(client, world):
    """Consultations are reported for 2019 only: one bar over six years says nothing of a
    trend, so the page shows the figure in its table and draws no chart of it."""
    response = client.get("/cities/daegu/", headers={"accept-language": "en"})
    html = response.content.decode()

    assert 'id="trend-companies"' in html
    assert 'id="trend-consultations"' not in html
    assert "about 750" in text(main(response))


def test_every_figure_links_to_its_source(client, world):
    html = client.get("/", headers={"accept-language": "en"}).content.decode()
    figure = world["p24"].figures.get(metric="companies")
    assert f'href="/sources/{figure.source.key}/?figure={figure.pk}#figure-{figure.pk}"' in html
    source_page = client.get(f"/sources/{figure.source.key}/").content.decode()
    assert f'id="figure-{figure.pk}"' in source_page


def test_city_page(client, world):
    page = text_of(client.get("/cities/daegu/", headers={"accept-language": "en"}))

    assert "Results year by year" in page
    assert "Enercamp" in page
    assert "Hailo" in page
    assert "about 750" in page


def test_edition_page_shows_every_pavilion(client, world):
    page = text_of(client.get("/editions/2024/", headers={"accept-language": "ko"}))

    assert "대구공동관" in page and "전북관" in page
    assert "에너캠프" in page


def test_the_edition_page_lists_its_few_cities_in_the_order_of_every_chart(
    client, make_region, make_pavilion, make_figure
):
    """Where a CES has no more cities than the page shows, they come in the order they were
    entered, as in every chart's legend, not by name; a city only at another CES is not
    there."""
    for slug, name in (("ulsan", "울산"), ("gangwon", "강원"), ("busan", "부산")):
        make_figure(make_pavilion(2024, make_region(slug, name, slug), name, slug), "companies", 5)
    make_pavilion(2019, make_region("seoul", "서울", "Seoul"), "서울관", "Seoul")
    page = client.get("/editions/2024/", headers={"accept-language": "ko"}).content.decode()
    results = page[page.index("results-table") :]
    rows = [results.index(f'href="/cities/{slug}/"') for slug in ("ulsan", "gangwon", "busan")]

    assert rows == sorted(rows)
    assert 'href="/cities/seoul/"' not in results


def test_the_edition_page_shows_the_biggest_of_many_cities(
    client, make_region, make_pavilion, make_figure, make_source
):
    """Where a CES has more cities than the page shows side by side, the biggest by companies
    exhibiting come first (a city-wide figure wins over its pavilions'; unknown last, ties
    in the order of every chart), and the page says how many there are in all."""
    sizes = [5, 40, None, 12, 40, 3, None, 8, 1, 2, 7, 30, 9, None]
    cities = [make_region(f"city-{n:02d}", f"도시{n}", f"City {n}") for n in range(len(sizes))]
    for city, size in zip(cities, sizes, strict=True):
        pavilion = make_pavilion(2024, city, city.name_ko, city.name_en)
        make_figure(pavilion, "consultations", 100)
        if size is not None:
            make_figure(pavilion, "companies", size)
    ReportedFigure.objects.create(  # city 13's own total: the biggest
        edition=pavilion.edition, region=cities[13], metric="companies", value=99,
        source=make_source(),
    )  # fmt: skip
    page = client.get("/editions/2024.json").json()
    shown = [row["city"]["slug"] for row in page["cities"]]
    order = [13, 1, 4, 11, 3, 12, 7, 10, 0, 5, 9, 8]

    assert shown == [f"city-{n:02d}" for n in order]
    assert page["on_record"]["cities"]["count"] == 14


def test_pavilion_page_shows_coverage_and_sources(client, world):
    page = text_of(client.get("/editions/2024/daegu/", headers={"accept-language": "en"}))

    assert "1 of 16 companies named" in page
    assert "1 contract recorded: $1 million" in page
    assert "1 of 8 award winners named among its exhibitors" in page
    assert "Maeil Shinmun" in page


def test_company_page_shows_award_streak(client, world, make_edition):
    from companies.models import Company, InnovationAward

    enercamp = Company.objects.get(slug="enercamp")
    InnovationAward.objects.create(
        company=enercamp, edition=make_edition(2023), source=enercamp.source
    )
    page = text_of(client.get("/companies/enercamp/", headers={"accept-language": "ko"}))

    assert "2년 연속" in page
    assert "100만 달러" in page


def test_source_pages_list_their_figures(client, world):
    source = world["p24"].source
    listing = text_of(client.get("/sources/", headers={"accept-language": "en"}))
    detail = text_of(client.get(f"/sources/{source.key}/", headers={"accept-language": "en"}))

    assert source.title in listing
    assert "$140 million" in detail
    assert "Innovation Award" in detail


def test_missing_pages_are_404(client, db):
    assert client.get("/cities/nowhere/").status_code == 404
    assert client.get("/editions/2024/nowhere/").status_code == 404
    assert client.get("/sources/nothing/").status_code == 404
    assert client.get("/companies/nobody/").status_code == 404


PAGES = [
    "/",
    "/cities/daegu/",
    "/editions/2024/",
    "/editions/2024/daegu/",
    "/companies/enercamp/",
    "/sources/",
    "/sources/{source}/",
]
# Each page's JSON twin reads the same data: its query count must not grow either.
PAGES += ["/index.json"] + [url.rstrip("/") + ".json" for url in PAGES[1:]]


@pytest.mark.parametrize("url", PAGES)
def test_query_count_does_not_grow_with_data(
    client, world, url, make_region, make_pavilion, make_figure, django_assert_max_num_queries
):
    url = url.format(source=world["p24"].source.key)
    # 10 at most, and one more on the first page after a change: it reads the articles its
    # totals cite, kept until the next change (`cesdash.caching.sources_by_key`). The summaries
    # some pages read are rebuilt once a change, in a set number of queries of their own
    # (tests/test_tables.py), before the page is read.
    DataVersion.summaries_current()
    with django_assert_max_num_queries(11) as before:
        client.get(url)
    from companies.models import Agreement, Company, Contract, Exhibit, InnovationAward

    p24, enercamp = world["p24"], Company.objects.get(slug="enercamp")
    for n in range(8):
        region = make_region(f"more-{n}", f"도시{n}", f"Town {n}")
        pavilion = make_pavilion(2024, region, f"관{n}", f"Hall {n}")
        make_figure(pavilion, "companies", n + 1)
        make_figure(pavilion, "consultations", 10 * n)
        company = Company.objects.create(
            slug=f"co-{n}", name_ko=f"회사{n}", name_en=f"Co {n}", region=world["daegu"],
            source=p24.source,
        )  # fmt: skip
        Exhibit.objects.create(
            company=company, edition=p24.edition, pavilion=p24, source=p24.source
        )
        InnovationAward.objects.create(company=company, edition=p24.edition, source=p24.source)
        Contract.objects.create(
            key=f"c-{n}", company=enercamp, edition=p24.edition, pavilion=p24, amount=n,
            currency="USD", source=p24.source,
        )  # fmt: skip
        Agreement.objects.create(
            key=f"a-{n}", edition=p24.edition, region=world["daegu"], pavilion=p24,
            company=enercamp, kind="mou", partner_ko="가", partner_en="A", subject_ko="가",
            subject_en="A", source=p24.source,
        )  # fmt: skip
    DataVersion.summaries_current()
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url)


def test_korean_money_units():
    assert korean_amount(188_180_000_000) == "1,881억 8,000만"
    assert korean_amount(7_280_000) == "728만"
    with translation.override("ko"):
        assert format_money(140_000_000, "USD") == "1억 4,000만 달러"
    with translation.override("en"):
        assert format_money(188_180_000_000, "KRW", approximate=True) == "about ₩188.18 billion"


@pytest.mark.parametrize(
    ("language", "text"),
    [("ko", "페이지를 찾을 수 없습니다"), ("en", "Page not found")],
)
def test_not_found_page_is_the_sites_own_in_the_users_language(client, db, language, text):
    response = client.get("/cities/nowhere/", headers={"accept-language": language})

    assert response.status_code == 404
    assert text in response.content.decode()
    assert 'href="/sources/"' in response.content.decode()


def test_home_for_an_unknown_city_is_404(client, world):
    assert client.get("/?city=atlantis").status_code == 404


def test_home_for_a_city_with_no_figures_names_its_latest_ces(client, world, make_pavilion):
    from delegations.models import Region

    seongnam = Region.objects.create(
        slug="seongnam", name_ko="성남", name_en="Seongnam", kind=Region.Kind.CITY
    )
    make_pavilion(2024, seongnam, "성남관", "Seongnam Pavilion")
    page = text_of(client.get("/?city=seongnam", headers={"accept-language": "en"}))

    assert "Seongnam at CES 2024" in page
    assert "None" not in page
    # No figure reported, but the pavilion is on record: the page says so.
    assert "Also on record for Seongnam at CES 2024 Pavilions: Seongnam Pavilion" in page


def test_pages_are_served_under_a_strict_script_policy(client, world):
    policy = client.get("/")["Content-Security-Policy"]

    assert "script-src 'self'" in policy
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-eval" not in policy


@pytest.mark.parametrize(
    ("language", "change", "other"),
    [
        ("en", "−24 against CES 2018 (40)",
         "CES 2019: 39 (main pavilion 25 + sports pavilion 14) · not compared"),
        ("ko", "CES 2018(40) 대비 −24",
         "CES 2019: 39 (공동관 25 + 스포츠 공동관 14) · 비교하지 않음"),
    ],
)  # fmt: skip
def test_a_change_is_computed_only_against_the_same_scope(client, db, language, change, other):
    """Daegu's 16 companies of 2024 were one pavilion; 2019's 39 two pavilions added up. The
    card compares 16 with 2018's single pavilion and shows 2019 beside it, never 16 − 39."""
    call_command("loaddata", "fixtures/ces_articles.json", verbosity=0)
    response = client.get("/?city=daegu", headers={"accept-language": language})
    page = text_of(response)
    card = page.split("CES 2024", 2)[1]

    assert change in card and other in card
    assert "−23" not in page
    companies = client.get("/index.json?city=daegu").json()["headline"][0]["total"]
    assert (companies["value"], companies["like"]["year"], companies["change"]) == (16, 2018, -24)
    assert companies["previous"]["scope"]["pavilions"] == [
        {"kind": "main", "count": 1, "value": 25},
        {"kind": "sports", "count": 1, "value": 14},
    ]


def test_a_total_that_is_a_sum_says_so_in_its_cell_and_chart(client, db):
    call_command("loaddata", "fixtures/ces_articles.json", verbosity=0)
    response = client.get("/cities/daegu/", headers={"accept-language": "ko"})
    row = re.search(r"CES 2019</a></th>(.*?)</tr>", main(response), re.S).group(1)

    assert text(row).startswith("39 = 공동관 25 + 스포츠 공동관 14")
    trend = re.search(r'id="trend-companies-data"[^>]*>(.*?)</script>', response.content.decode())
    hover = json.loads(trend.group(1))["data"][0]["customdata"]
    assert "39 = 공동관 25 + 스포츠 공동관 14" in hover


def test_the_contract_card_counts_the_contracts_on_record(client, db):
    """Daegu reported no contract value for 2024, but two of its companies' contracts are on
    record: the card says both, so 'not reported' does not read as 'nothing signed'."""
    call_command("loaddata", "fixtures/ces_articles.json", verbosity=0)
    page = main(client.get("/?city=daegu", headers={"accept-language": "ko"}))
    card = re.search(r'data-metric="contract_value">(.*?)</div>\s*</div>', page, re.S).group(1)

    assert text(card).startswith("미보고")
    assert "개별 기록 2건" in text(page.split('data-metric="contract_value"', 1)[1][:900])
    headline = client.get("/index.json?city=daegu").json()["headline"]
    assert (headline[3]["metric"], headline[3]["total"], headline[3]["recorded"]) == (
        "contract_value",
        None,
        2,
    )


def test_each_chart_links_a_csv_of_what_it_plots(client, world):
    html = client.get("/cities/daegu/", headers={"accept-language": "en"}).content.decode()
    link = re.search(r'id="trend-companies".*?href="([^"]+_export=csv)"', html, re.S).group(1)

    rows = b"".join(client.get(link.replace("&amp;", "&")).streaming_content).decode()
    plotted = json.loads(
        re.search(r'id="trend-companies-data"[^>]*>(.*?)</script>', html, re.S).group(1)
    )["data"][0]
    points = [(x, y) for x, y in zip(plotted["x"], plotted["y"], strict=True) if y is not None]
    exported = [line.split(",") for line in rows.splitlines()[1:]]
    assert sorted((int(row[0]), int(row[3])) for row in exported) == points == [
        (2019, 25), (2024, 16)
    ]  # fmt: skip


def test_a_preview_bar_is_labelled_with_its_marks_and_drawn_pale(client, db):
    """Jeonbuk's 20 is a plan (p) counting companies and institutions (*): its bar's label
    carries both marks, its hover spells them out, and it is paler than a reported result."""
    call_command("loaddata", "fixtures/ces_articles.json", verbosity=0)
    html = client.get("/?city=jeonbuk", headers={"accept-language": "ko"}).content.decode()
    traces = json.loads(
        re.search(r'id="compare-companies-data"[^>]*>(.*?)</script>', html, re.S).group(1)
    )["data"]
    bars = {
        (x, 2024): (label, opacity, hover)
        for trace in traces
        for x, label, opacity, hover in zip(
            trace["x"], trace["text"], trace["marker"]["opacity"], trace["customdata"], strict=True
        )
    }

    label, opacity, hover = bars[("전북", 2024)]
    assert (label, opacity) == ("20 p*", 0.45)
    assert "p: 출장 전에 쓴 기사의 수치" in hover and "*: 기업과 기관을 함께 센 수" in hover
    assert bars[("대구", 2024)][:2] == ("16", 1)


def page_and_table_urls(city, pavilion, company, source):
    """Every public page, its JSON twin and every table, for one city, pavilion, company and
    source: the same kinds of page `bench/pages.py` measures."""
    year = pavilion.edition.year
    pages = [
        "/",
        f"/?city={city.slug}",
        f"/cities/{city.slug}/",
        f"/editions/{year}/",
        f"/editions/{year}/{pavilion.slug}/",
        f"/companies/{company.slug}/",
        "/sources/",
        f"/sources/{source.key}/",
    ]
    twins = ["/index.json", f"/index.json?city={city.slug}"]
    twins += [url.rstrip("/") + ".json" for url in pages[2:]]
    tables = [
        "/results/", f"/results/?year={year}&sort=-value", "/pavilions/",
        "/pavilions/?sort=-companies", "/companies/", "/companies/?sort=-ces", "/exhibits/",
        f"/exhibits/?year={year}&sort=company", "/contracts/", "/contracts/?sort=-amount",
        "/agreements/", "/awards/", "/participation/", f"/participation/?city={city.slug}",
        "/participation/?sort=-years",
    ]  # fmt: skip
    return pages + twins + tables


def uncached_query_counts(client, urls):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for url in urls:
        assert client.get(url).status_code == 200, url  # warm: the articles cited are kept
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries))
    return counts


def test_every_page_reads_at_most_ten_queries_the_same_with_many_cities(client, world):
    """1× (the test's two cities) against the synthetic data of many cities: the same number
    of queries on every page, twin and table, and never more than 10."""
    from cesdash import synthetic
    from companies.models import Company
    from delegations.models import Pavilion, Region

    real = page_and_table_urls(
        world["daegu"], world["p24"], Company.objects.get(slug="enercamp"), world["p24"].source
    )
    at_1x = uncached_query_counts(client, real)

    synthetic.generate(scale=0.02)
    city = Region.objects.get(slug="syn-city-000")
    pavilion = Pavilion.objects.filter(region=city).order_by("-edition__year").first()
    company = Company.objects.filter(exhibits__pavilion=pavilion).first()
    scaled = page_and_table_urls(city, pavilion, company, synthetic.source())
    at_scale = uncached_query_counts(client, scaled)

    assert Company.objects.count() > 1000
    assert dict(zip(scaled, at_scale, strict=True)) == dict(zip(scaled, at_1x, strict=True))
    assert max(at_scale) <= 10, dict(zip(scaled, at_scale, strict=True))


@pytest.fixture
def many_cities(world, make_region, make_pavilion, make_figure):
    """Daegu (16 companies at CES 2024) and Jeonbuk (20) among ten more cities at CES 2024:
    nine report their companies exhibiting (10, 11, ... 18 and so on), one does not."""
    for n in range(10):
        city = make_region(f"city-{n}", f"도시{n}", f"City {n}")
        pavilion = make_pavilion(2024, city, f"관{n}", f"Hall {n}")
        if n < 9:
            make_figure(pavilion, "companies", 10 + 3 * n)  # 10, 13, 16 ... 34
        else:
            make_figure(pavilion, "consultations", 5)
    return world


def compared_cities(client, query):
    data = client.get(f"/index.json?{query}").json()
    return data, [city["slug"] for city in data["cities"]]


def test_home_compares_a_city_with_the_five_nearest_in_size(client, many_cities):
    data, cities = compared_cities(client, "city=daegu")
    page = text_of(client.get("/?city=daegu", headers={"accept-language": "en"}))

    # Daegu 16: City 2 (16), City 1 (13), City 3 (19), Jeonbuk (20), then City 0 (10) and
    # City 4 (22) both 6 away: the tie goes to the city entered first.
    assert cities == ["daegu", "city-2", "city-1", "city-3", "jeonbuk", "city-0"]
    assert data["compared_by"] == "nearest_in_size"
    assert data["cities_at_ces"] == 12 and data["cities_reporting_companies"] == 11
    assert "Daegu and the 5 cities nearest to it in companies exhibiting." in page
    assert "All 11 cities reporting their companies exhibiting, in the results table" in page
    results = client.get(data["all_cities_url"], headers={"accept-language": "en"})
    assert "11 rows" in results.content.decode()


def test_home_compares_with_the_cities_a_reader_picks(client, many_cities):
    data, cities = compared_cities(
        client, "city=daegu&compare=city-9&compare=nowhere&compare=city-0"
    )
    page = client.get(
        "/?city=daegu&compare=city-9&compare=city-0", headers={"accept-language": "en"}
    ).content.decode()

    assert cities == ["daegu", "city-9", "city-0"]  # an unknown city is left out
    assert data["compared_by"] == "choice"
    assert "Daegu and the cities you chose." in page
    assert "Back to the nearest in size" in page
    # Each pick can be taken off again, keeping the others.
    assert 'href="?city=daegu&amp;compare=city-0" aria-label="Remove City 9' in page
    assert 'href="?city=daegu&amp;compare=city-9" aria-label="Remove City 0' in page


def test_city_page_lists_its_latest_records_first(client, world, make_company):
    from companies.models import Agreement, InnovationAward

    p19 = world["p19"]
    adplus = make_company("adplus", "애드플러스", "Adplus", region=world["daegu"])
    InnovationAward.objects.create(company=adplus, edition=p19.edition, source=p19.source)
    Agreement.objects.create(
        key="old-mou", edition=p19.edition, region=world["daegu"], kind="mou",
        partner_ko="옛 상대", partner_en="Old partner", subject_ko="내용", subject_en="Subject",
        source=p19.source,
    )  # fmt: skip
    data = client.get("/cities/daegu.json").json()

    assert [award["year"] for award in data["awards"]] == [2024, 2019]
    assert [agreement["year"] for agreement in data["agreements"]] == [2024, 2019]


def test_a_long_source_page_says_under_each_list_how_many_more_there_are(client, world):
    from companies.models import Company, Exhibit

    p24 = world["p24"]
    source = p24.source
    companies = Company.objects.bulk_create(
        Company(slug=f"co-{n:04}", name_ko=f"회사{n:04}", name_en=f"Co {n:04}", source=source)
        for n in range(1_200)
    )
    Exhibit.objects.bulk_create(
        Exhibit(company=c, edition=p24.edition, pavilion=p24, source=source) for c in companies
    )
    DataVersion.bump()
    page = text_of(client.get(f"/sources/{source.key}/", headers={"accept-language": "en"}))
    start = page.index(" Exhibits ")
    exhibits = page[start : page.index(" Contracts ", start)]

    # Enercamp's exhibit and the 1,200 added, ten of them shown, the rest in the table.
    assert "The first 10 of 1,201. All of them, in the table →" in exhibits
    assert exhibits.count("(CES 2024)") == 10
    assert "The first" not in page[page.index(" Contracts ", start) :]  # one contract: no note


def test_bars_are_labelled_only_while_the_labels_have_room(
    client, world, make_pavilion, make_figure
):
    """Daegu's trend over 2019-2024 labels each bar; over twenty years of CES the labels would
    overlap, so the bars carry none (the hover and the tables give the figures)."""

    def trend():
        html = client.get("/cities/daegu/", headers={"accept-language": "en"}).content.decode()
        data = re.search(r'id="trend-companies-data"[^>]*>(.*?)</script>', html, re.S).group(1)
        (trace,) = json.loads(data)["data"][:1]
        return trace

    short = trend()
    make_figure(
        make_pavilion(2005, world["daegu"], "대구관", "Daegu Hall", slug="d05"), "companies", 3
    )
    long = trend()

    assert len(short["x"]) == 6 and short["text"][0] == "25" and short["text"][-1] == "16"
    assert len(long["x"]) == 20 and "text" not in long
    assert long["y"][0] == 3 and long["y"][-1] == 16  # the bars themselves are all there


def test_the_edition_page_names_the_first_exhibitors_of_that_ces_by_name(
    client, world, make_company
):
    """The first ten companies by (Korean) name among those exhibiting at that CES: not those
    entered first, not one exhibiting at another CES only, not one whose exhibit is a draft."""
    from companies.models import Exhibit

    p19, p24 = world["p19"], world["p24"]
    for n in range(12, 0, -1):  # entered last to first
        company = make_company(f"co-{n:02}", f"회사{n:02}", f"Co {n:02}")
        Exhibit.objects.create(company=company, edition=p24.edition, source=p24.source)
    earlier = make_company("earlier", "가나", "Earlier Co")  # sorts first, at 2019 only
    Exhibit.objects.create(company=earlier, edition=p19.edition, source=p19.source)
    draft = make_company("draft", "가가", "Draft Co")  # sorts first, a draft at 2024
    Exhibit.objects.create(company=draft, edition=p24.edition, source=p24.source, published=False)
    DataVersion.bump()

    page = text_of(client.get("/editions/2024/", headers={"accept-language": "en"}))
    named = page[page.index(" Companies named ") : page.index(" CES Innovation Awards ")]

    expected = ["Enercamp", *(f"Co {n:02}" for n in range(1, 10))]
    assert re.findall(r"Enercamp|Co \d\d|Earlier Co|Draft Co", named) == expected
    assert "The first 10 of 13." in named
    assert client.get("/editions/2024.json").json()["on_record"]["exhibits"]["count"] == 13


def test_the_sources_page_counts_published_records_only(client, world, make_company):
    from companies.models import Exhibit

    p24 = world["p24"]
    for n in range(3):
        company = make_company(f"draft-{n}", f"초안{n}", f"Draft {n}", source=p24.source)
        Exhibit.objects.create(
            company=company, edition=p24.edition, source=p24.source, published=False
        )
    ReportedFigure.objects.filter(pavilion=p24, metric="companies").update(published=False)
    DataVersion.bump()

    data = client.get("/sources.json").json()
    (counted,) = [s for s in data["sources"] if s["key"] == p24.source.key]
    # The pavilion's figures but its company count (a draft now): consultation value and award
    # winners; the exhibit, contract, award and MOU of Enercamp, not the three draft exhibits.
    assert (counted["figures"], counted["records"]) == (2, 4)


def test_a_source_page_shows_its_first_figures_across_years_and_the_one_a_link_names(
    client, make_source, make_region, make_edition
):
    """An article with more figures than a page shows: the latest CES's, then the year
    before's by city, up to `FIGURES_SHOWN`; a figure a link names comes first, whatever its
    year; and the count is of them all."""
    from cesdash.models import FIGURES_SHOWN

    source = make_source(key="many-figures")
    cities = [make_region(f"city-{n:02}", f"도시{n:02}", f"City {n:02}") for n in range(70)]
    years = {2024: cities, 2019: cities, 2005: cities[:5]}
    for year, where in years.items():
        ReportedFigure.objects.bulk_create(
            ReportedFigure(
                edition=make_edition(year), region=city, metric="companies", value=n, source=source
            )
            for n, city in enumerate(where)
        )
    oldest = ReportedFigure.objects.get(edition__year=2005, region=cities[4])
    DataVersion.bump()

    def shown(query=""):
        figures = client.get(f"/sources/many-figures.json{query}").json()["figures"]
        return [(row["year"], row["city"]) for row in figures]

    page = client.get("/sources/many-figures.json").json()
    expected = [(2024, c.slug) for c in cities] + [(2019, c.slug) for c in cities[:30]]
    assert shown() == expected and len(expected) == FIGURES_SHOWN
    assert page["on_record"]["figures"]["count"] == 145
    assert shown(f"?figure={oldest.pk}") == [(2005, "city-04"), *expected[:-1]]
