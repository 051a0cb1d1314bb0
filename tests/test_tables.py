"""The analysts' tables: what each page shows, its filters, sorting, pages and query counts."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pagetext import body_rows

from cesdash.models import CompanyRows, CompanySummary, DataVersion
from cesdash.tables import (
    AgreementTable,
    AwardTable,
    CompanyTable,
    ContractTable,
    ExhibitTable,
    ParticipationTable,
    PavilionTable,
    ResultsTable,
)
from companies.models import Agreement, Company, Contract, Exhibit, InnovationAward
from delegations.models import ReportedFigure

EN = {"accept-language": "en"}
KO = {"accept-language": "ko"}

# Reading the data version, locking it, emptying (one TRUNCATE on PostgreSQL, five DELETEs on
# SQLite) and filling the five derived tables (`cesdash.models.SUMMARIES`), naming the companies
# with no record, marking the version: in a transaction (a savepoint in a test).
REBUILD_QUERIES = 16

TABLES = {
    "/results/": ResultsTable,
    "/pavilions/": PavilionTable,
    "/companies/": CompanyTable,
    "/exhibits/": ExhibitTable,
    "/contracts/": ContractTable,
    "/awards/": AwardTable,
    "/participation/": ParticipationTable,
    "/agreements/": AgreementTable,
}


@pytest.fixture
def came_back(world, make_company):
    """Linkface: an award in 2019 and in 2024, and exhibited at Daegu's pavilion in 2024."""
    p19, p24 = world["p19"], world["p24"]
    linkface = make_company(
        "linkface", "링크페이스", "Linkface", region=world["daegu"], sector_en="AI security"
    )
    InnovationAward.objects.create(
        company=linkface, edition=p19.edition, category_count=1, source=p19.source
    )
    InnovationAward.objects.create(
        company=linkface, edition=p24.edition, category_count=2, source=p24.source
    )
    Exhibit.objects.create(company=linkface, edition=p24.edition, pavilion=p24, source=p24.source)
    return world


@pytest.mark.parametrize("url", TABLES)
def test_every_table_page_opens_in_both_languages_with_its_downloads(client, came_back, url):
    for headers in (EN, KO):
        response = client.get(url, headers=headers)

        html = response.content.decode()
        assert response.status_code == 200
        assert body_rows(html)
        for fmt in ("csv", "xlsx", "json"):
            assert f"_export={fmt}" in html


def test_pavilions_filter_by_year_and_city(client, world):
    rows = body_rows(client.get("/pavilions/?year=2024", headers=EN).content.decode())
    assert [row[:3] for row in rows] == [
        ["2024", "Daegu", "Daegu Pavilion"],
        ["2024", "Jeonbuk", "Jeonbuk Pavilion"],
    ]

    rows = body_rows(client.get("/pavilions/?city=daegu", headers=EN).content.decode())
    assert [row[:3] for row in rows] == [
        ["2024", "Daegu", "Daegu Pavilion"],
        ["2019", "Daegu", "Daegu Pavilion"],
    ]

    rows = body_rows(client.get("/pavilions/?year=2019&city=jeonbuk", headers=EN).content.decode())
    assert rows == [["No pavilions match."]]


@pytest.mark.parametrize(("query", "expected"), [("전북", ["Jeonbuk"]), ("daegu", ["Daegu"] * 2)])
def test_text_search_finds_names_in_both_languages(client, world, query, expected):
    response = client.get("/pavilions/", {"q": query}, headers=EN)

    assert [row[1] for row in body_rows(response.content.decode())] == expected


def test_export_links_keep_the_filters_and_the_sort(client, world):
    html = client.get("/pavilions/?year=2024&city=daegu&sort=companies&page=1", headers=EN)

    assert "?year=2024&amp;city=daegu&amp;sort=companies&amp;_export=csv" in html.content.decode()


def test_an_invalid_filter_is_shown_not_silently_ignored(client, world):
    response = client.get("/pavilions/?year=abc&city=atlantis", headers=EN)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Some filters could not be understood" in html
    assert html.count("Select a valid choice.") == 2
    assert body_rows(html) == [["No pavilions match."]]


def test_contracts_for_daegu_2024_with_their_total(client, world, make_company):
    adplus = make_company("adplus", "에드플러스", "Adplus", region=world["daegu"])
    p24 = world["p24"]
    Contract.objects.create(
        key="adplus-2024",
        company=adplus,
        pavilion=p24,
        edition=p24.edition,
        amount=150_000,
        currency="USD",
        source=p24.source,
    )

    response = client.get("/contracts/?city=daegu&year=2024", headers=EN)

    html = response.content.decode()
    assert [row[3:7] for row in body_rows(html)] == [
        ["Enercamp", "", "$1 million", "USD"],
        ["Adplus", "", "$150,000", "USD"],
    ]
    assert "Total in USD (2 contracts)" in html
    assert "$1.15 million (1,150,000)" in html


def test_the_contracts_total_counts_them_grouped_in_thousands(client, world, make_company):
    company = make_company("many", "다계약", "Many Contracts", region=world["daegu"])
    p24 = world["p24"]
    Contract.objects.bulk_create(
        Contract(key=f"many-{n}", company=company, pavilion=p24, edition=p24.edition,
                 amount=1000, currency="USD", source=p24.source)
        for n in range(1200)
    )  # fmt: skip
    DataVersion.bump()  # a bulk write sends no signal

    english = client.get("/contracts/?city=daegu", headers=EN).content.decode()
    korean = client.get("/contracts/?city=daegu", headers=KO).content.decode()

    # With the contract the world already has: 1,201.
    assert "<dt>Total in USD (1,201 contracts)</dt>" in english
    assert "<dt>USD 합계(계약 1,201건)</dt>" in korean


def test_agreements_filter_by_kind(client, world):
    Agreement.objects.create(
        key="daegu-friendship",
        edition=world["p24"].edition,
        region=world["daegu"],
        kind=Agreement.Kind.FRIENDSHIP,
        partner_ko="라스베이거스시",
        partner_en="City of Las Vegas",
        subject_ko="우호 협력",
        subject_en="Friendship",
        source=world["p24"].source,
    )

    rows = body_rows(client.get("/agreements/?kind=friendship", headers=EN).content.decode())

    assert [row[:6] for row in rows] == [
        ["2024", "Daegu", "the city", "friendship and cooperation agreement", "signed",
         "City of Las Vegas"],
    ]  # fmt: skip


def test_participation_shows_who_came_back_and_with_what(client, came_back):
    response = client.get("/participation/?returning=true", headers=EN)

    html = response.content.decode()
    assert body_rows(html) == [
        ["Linkface", "Daegu", "2", "Innovation Award", "exhibited, Innovation Award"]
    ]
    headers = re.findall(r"<th[ >][^>]*>?\s*(?:<a[^>]*>)?([^<]+)", html)
    assert [h.strip() for h in headers] == [
        "Company",
        "Home region",
        "Years at CES",
        "2019",
        "2024",
    ]

    rows = body_rows(client.get("/participation/?year=2024", headers=EN).content.decode())
    assert [row[0] for row in rows] == ["Enercamp", "Linkface"]  # by name, unless sorted
    rows = body_rows(
        client.get("/participation/?year=2024&sort=-years", headers=EN).content.decode()
    )
    assert [row[0] for row in rows] == ["Linkface", "Enercamp"]
    assert rows[1][3:] == ["—", "exhibited, Innovation Award, 1 contract, 1 agreement"]


def test_companies_filter_by_home_region_sector_and_year(client, came_back, make_company):
    make_company("vinatech", "비나텍", "Vinatech", region=came_back["jeonbuk"])

    def names(query):
        html = client.get(f"/companies/?{query}", headers=EN).content.decode()
        return [row[0] for row in body_rows(html)]

    assert names("") == ["Enercamp", "Linkface", "Vinatech"]
    assert names("region=jeonbuk") == ["Vinatech"]
    assert names("sector=security") == ["Linkface"]
    assert names("year=2019") == ["Linkface"]
    assert names("city=daegu") == ["Enercamp", "Linkface"]


@pytest.fixture
def varied(came_back, make_company):
    """Rows whose every sortable column holds at least two different values."""
    p19, p24, daegu = came_back["p19"], came_back["p24"], came_back["daegu"]
    adplus = make_company(
        "adplus", "애드플러스", "Adplus", region=came_back["jeonbuk"], sector_ko="광고",
        sector_en="Media", programme_ko="스타벤처", programme_en="Star Venture",
    )  # fmt: skip
    Exhibit.objects.create(
        company=adplus, edition=p19.edition, pavilion=p19, showed_en="A thermometer",
        showed_ko="체온계", source=p19.source,
    )  # fmt: skip
    Contract.objects.create(
        key="adplus-2019", company=adplus, edition=p19.edition, pavilion=p19, amount=150_000,
        currency="KRW", approximate=True, counterparty_en="Buyer", counterparty_ko="바이어",
        subject_en="Supply", subject_ko="공급", source=p19.source,
    )  # fmt: skip
    InnovationAward.objects.create(
        company=adplus, edition=p19.edition, category_count=3, categories_en="Health",
        categories_ko="헬스", streak_reported=2, source=p19.source,
    )  # fmt: skip
    Agreement.objects.create(
        key="daegu-2019", edition=p19.edition, region=daegu, kind=Agreement.Kind.FRIENDSHIP,
        status=Agreement.Status.PLANNED, partner_ko="라스베이거스", partner_en="Las Vegas",
        partner_country="USA", partner_count=3, signed_on="2019-01-09", subject_ko="우호",
        subject_en="Friendship", place_en="Las Vegas", source=p19.source,
    )  # fmt: skip
    j24, vinatech = came_back["j24"], make_company("vinatech", "비나텍", "Vinatech")
    Exhibit.objects.create(
        company=vinatech, edition=j24.edition, pavilion=j24, showed_en="Batteries",
        showed_ko="배터리", source=j24.source,
    )  # fmt: skip
    Contract.objects.create(
        key="vinatech-2024", company=vinatech, edition=j24.edition, pavilion=j24, amount=70,
        currency="USD", counterparty_en="Acme", counterparty_ko="애크미", subject_en="Cells",
        subject_ko="셀", source=j24.source,
    )  # fmt: skip
    Contract.objects.create(
        key="enercamp-2024-b", company=Company.objects.get(slug="enercamp"), edition=p24.edition,
        pavilion=p24, source=p24.source,
    )  # fmt: skip
    Company.objects.filter(slug="linkface").update(programme_en="C-Lab", programme_ko="C랩")
    InnovationAward.objects.filter(company__slug="linkface", edition=p24.edition).update(
        categories_en="AI", categories_ko="인공지능", streak_reported=5
    )
    Exhibit.objects.create(company=adplus, edition=p24.edition, source=p24.source)
    Agreement.objects.create(
        key="jeonbuk-2024", edition=j24.edition, region=came_back["jeonbuk"], pavilion=j24,
        company=vinatech, partner_country="Korea", signed_on="2024-01-10",
        kind=Agreement.Kind.MOU, partner_ko="가", partner_en="Alpha", subject_ko="가",
        subject_en="Alpha", source=j24.source,
    )  # fmt: skip
    make_figure = ReportedFigure.objects.create
    make_figure(pavilion=p19, metric="mous", value=4, source=p19.source)
    make_figure(pavilion=p24, metric="mous", value=2, source=p24.source)
    make_figure(pavilion=p19, metric="award_winners", value=3, source=p19.source)
    make_figure(pavilion=came_back["j24"], metric="consultations", value=90, source=p24.source)
    make_figure(
        pavilion=p19, metric="consultation_value", value=9_000_000, currency="USD",
        source=p19.source,
    )  # fmt: skip
    make_figure(
        pavilion=came_back["j24"], metric="contract_value", value=500_000, currency="USD",
        source=p24.source,
    )  # fmt: skip
    make_figure(
        pavilion=came_back["j24"], metric="consultation_value", value=2_000_000_000,
        currency="KRW", source=p24.source,
    )  # fmt: skip
    return came_back


def export_rows(client, url, sort):
    """The table's rows as its JSON export gives them (raw values, keyed by column name)."""
    response = client.get(url, {"sort": sort, "_export": "json"}, headers=EN)
    return json.loads(b"".join(response.streaming_content))


def sort_key(value):
    return (value is None, value)


def sortable_columns(table_class, years=()):
    """The names of the columns a reader can sort by."""
    table = table_class([], years=years) if years else table_class([])
    return [column.name for column in table.columns if column.orderable and column.visible]


@pytest.mark.parametrize("url", TABLES)
def test_every_column_sorts_both_ways(client, varied, url):
    """Asked to sort by a column, the rows come in that column's order, empty cells last, in
    either direction; every column has two different values here, so an unsorted table fails."""
    DataVersion.summaries_current()
    years = CompanyRows.objects.participation_years() if url == "/participation/" else ()
    for name in sortable_columns(TABLES[url], years):
        if name.startswith("y") and name[1:].isdigit():
            continue  # a year of the participation matrix: tested on its own below
        ascending = [row[name] for row in export_rows(client, url, name)]
        descending = [row[name] for row in export_rows(client, url, f"-{name}")]
        known = [value for value in ascending if value is not None]
        assert len(set(known)) >= 2, f"{url} {name}: the data cannot tell the orders apart"
        assert known == sorted(known, key=sort_key), (url, name, ascending)
        assert [v for v in descending if v is not None] == sorted(
            known, key=sort_key, reverse=True
        ), (url, name, descending)
        assert (
            ascending[len(known) :]
            == descending[len(known) :]
            == [None] * (len(ascending) - len(known))
        ), (url, name, "empty cells last")


def test_participation_year_columns_sort_award_winners_first(client, came_back):
    rows = export_rows(client, "/participation/", "y2019")
    assert [row["company"] for row in rows] == ["Linkface", "Enercamp"]
    rows = export_rows(client, "/participation/", "-y2019")
    assert [row["company"] for row in rows] == ["Enercamp", "Linkface"]


def test_names_sort_in_the_page_language(client, world, make_company):
    make_company("alpha", "하나", "Alpha")
    make_company("zulu", "가나", "Zulu")

    def names(language):
        html = client.get("/companies/?sort=company", headers={"accept-language": language})
        return [row[0] for row in body_rows(html.content.decode())]

    assert names("en") == ["Alpha", "Enercamp", "Zulu"]
    assert names("ko") == ["가나", "에너캠프", "하나"]


def test_page_size_is_capped(client, world, make_source):
    source = make_source()
    Company.objects.bulk_create(
        Company(slug=f"c-{n:03}", name_ko=f"회사{n:03}", name_en=f"Company {n:03}", source=source)
        for n in range(250)
    )

    def row_count(query):
        return len(body_rows(client.get(f"/companies/?{query}", headers=EN).content.decode()))

    assert row_count("") == 50
    assert row_count("per_page=25") == 25
    assert row_count("per_page=100000") == 200
    assert row_count("per_page=200&page=2") == 51
    assert row_count("per_page=-1") == 50
    assert "251 rows" in client.get("/companies/", headers=EN).content.decode()
    pager = client.get("/companies/?page=2", headers=KO).content.decode()
    pager_words = re.findall(r'<li class="(previous|next)">\s*<a [^>]*>\s*(\S+)', pager)
    assert pager_words == [("previous", "이전"), ("next", "다음")]


@pytest.mark.parametrize("url", TABLES)
def test_query_count_per_page_does_not_grow_with_the_data(
    client, came_back, make_company, make_pavilion, make_region, url, django_assert_max_num_queries
):
    query = f"{url}?year=2024&q=a"
    if url in ("/pavilions/", "/agreements/", "/exhibits/", "/contracts/"):
        query += "&city=daegu"
    limit = 10
    # The company summaries are rebuilt once a change, by whichever request comes first: that
    # is measured by its own test below, the pages here.
    DataVersion.summaries_current()
    with django_assert_max_num_queries(limit):
        assert client.get(query).status_code == 200

    p24 = came_back["p24"]
    for n in range(15):
        region = make_region(f"city-{n}", f"도시{n}", f"City {n}")
        pavilion = make_pavilion(2024, region, f"관{n}", f"Hall {n}")
        company = make_company(f"co-{n}", f"회사{n}", f"Company {n}", region=region)
        Exhibit.objects.create(company=company, edition=p24.edition, pavilion=pavilion,
                               source=p24.source)  # fmt: skip
        Contract.objects.create(
            key=f"co-{n}", company=company, edition=p24.edition, pavilion=pavilion, amount=n,
            currency="USD", source=p24.source,
        )  # fmt: skip
        InnovationAward.objects.create(company=company, edition=p24.edition, source=p24.source)
        Agreement.objects.create(
            key=f"co-{n}", edition=p24.edition, region=region, company=company, pavilion=pavilion,
            kind="mou", partner_ko="상대", partner_en="Partner", subject_ko="내용",
            subject_en="Subject", source=p24.source,
        )  # fmt: skip

    DataVersion.summaries_current()
    with django_assert_max_num_queries(limit):
        assert client.get(query).status_code == 200
    with django_assert_max_num_queries(limit):
        assert client.get(url + "?year=2024").status_code == 200


def test_the_summaries_are_rebuilt_in_the_same_queries_whatever_the_data(
    came_back, make_company, django_assert_num_queries
):
    """The summaries are rebuilt in SQL, not a query a company: as many queries for 2
    companies as for 40; once current, checking them costs one."""

    def rebuild():
        DataVersion.bump()
        with CaptureQueriesContext(connection) as queries:
            DataVersion.summaries_current()
        return len(queries)

    few = rebuild()
    for n in range(40):
        make_company(f"co-{n}", f"회사{n}", f"Company {n}")
    many = rebuild()
    with django_assert_num_queries(1):
        DataVersion.summaries_current()

    assert few == many <= REBUILD_QUERIES
    assert CompanySummary.objects.count() == Company.objects.count()


def test_awards_filter_by_the_city_whose_pavilion_the_winner_exhibited_in(client, varied):
    def companies(query):
        rows = json.loads(b"".join(client.get(f"/awards/?{query}&_export=json").streaming_content))
        return sorted({row["company_en"] for row in rows})

    # Linkface exhibited in Daegu's pavilion in 2024, Adplus in 2019; Enercamp in 2024.
    assert companies("city=daegu") == ["Adplus", "Enercamp", "Linkface"]
    assert companies("city=daegu&year=2019") == ["Adplus"]
    assert companies("city=jeonbuk") == []
    assert companies("region=jeonbuk") == ["Adplus"]


def test_city_and_home_region_filters_say_what_they_mean(client, varied, make_region):
    make_region("gyeongbuk", "경북", "Gyeongbuk", kind="province")
    html = client.get("/exhibits/", headers=EN).content.decode()
    city = html.split('name="city"', 1)[1].split("</select>", 1)[0]
    region = html.split('name="region"', 1)[1].split("</select>", 1)[0]

    assert "Gyeongbuk" not in city and "Gyeongbuk" in region  # never went to CES itself
    assert "The city whose pavilion it was." in html
    assert "Where the company is based." in html


def test_participation_is_counted_one_way_everywhere(client, db):
    """Linkface won Innovation Awards at five CES and is named at none as an exhibitor: the
    company page, the companies table and the participation table all count five CES."""
    from django.core.management import call_command

    call_command("loaddata", "fixtures/ces_articles.json", verbosity=0)
    page = client.get("/companies/linkface/", headers=EN).content.decode()
    at_ces = page.split("At CES", 1)[1].split("</ul>", 1)[0]
    companies = export_rows(client, "/companies/", "company")
    participation = export_rows(client, "/participation/", "company")

    assert "No CES on record" not in page
    assert re.findall(r"CES (\d{4})</a>", at_ces) == ["2024", "2023", "2022", "2021", "2020"]
    ces = next(row["ces"] for row in companies if row["company"] == "Linkface")
    years = next(row["years"] for row in participation if row["company"] == "Linkface")
    assert ces == years == 5


def test_a_count_of_records_says_none_on_record_not_zero(client, came_back, make_company):
    make_company("vinatech", "비나텍", "Vinatech", region=came_back["jeonbuk"])
    rows = body_rows(client.get("/companies/?q=vinatech", headers=EN).content.decode())
    exported = export_rows(client, "/companies/", "company")

    # CES on record, Innovation Awards, contracts, contract value, MOUs: nothing is on record.
    assert rows == [["Vinatech", "Jeonbuk", "", "", "none on record", "none on record",
                     "none on record", "not reported", "none on record"]]  # fmt: skip
    vinatech = next(row for row in exported if row["company"] == "Vinatech")
    assert (vinatech["awards"], vinatech["contract_value_usd"]) == (0, None)


def test_row_counts_are_grouped_in_thousands(client, world):
    p24 = world["p24"]
    companies = Company.objects.bulk_create(
        Company(slug=f"c{n}", name_ko=f"회사{n}", name_en=f"Co {n}", source=p24.source)
        for n in range(1200)
    )
    Exhibit.objects.bulk_create(
        Exhibit(company=c, edition=p24.edition, pavilion=p24, source=p24.source, published=True)
        for c in companies
    )
    DataVersion.bump()

    korean = client.get("/exhibits/?page=25").content.decode()
    english = client.get("/exhibits/?page=25", headers=EN).content.decode()

    assert re.search(r"1,201행\s*\(1,201–1,201행 표시\)", korean)
    assert re.search(r"1,201 rows\s*\(showing 1,201–1,201\)", english)


@pytest.mark.parametrize(
    "query, rows",
    [("", 8), ("?year=2024", 5), ("?city=daegu", 7), ("?figure=companies", 3), ("?sort=city", 8)],
)
def test_the_results_table_counts_one_row_per_total(
    client, world, make_pavilion, make_figure, query, rows
):
    """Two pavilions added up are one total, and a city-wide figure wins over a pavilion's: the
    count is of the rows shown, counted a CES at a time or (sorted otherwise) all at once."""
    daegu, p24 = world["daegu"], world["p24"]
    second = make_pavilion(2024, daegu, "대구관2", "Daegu Pavilion 2", slug="daegu-2")
    make_figure(second, "companies", 4)
    make_figure(p24, "consultations", 300)
    ReportedFigure.objects.create(
        edition=p24.edition, region=daegu, metric="consultations", value=500, source=p24.source
    )
    separator = "&" if query else "?"
    html = client.get(f"/results/{query}{separator}per_page=25", headers=EN).content.decode()
    assert re.search(rf'class="table-count">\s*{rows} rows', html), html
    assert len(re.findall(r'<tr class="(?:even|odd)"', html)) == rows
