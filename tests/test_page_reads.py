"""Reads that the home, city and edition pages do their own, faster way must give what the
general reads give: the companies exhibiting and the cities' totals (`city_totals()`), the
years a city is on record at (`Region.objects.years_at_ces()`) and the companies a page may
name (`Company.objects.public()`)."""

from django.db.models import F
from django.utils import translation

from cesdash.models import (
    CityTotal,
    CityYear,
    DataVersion,
    PavilionResults,
    biggest_pavilions,
    city_total_rows,
    companies_exhibiting,
    pavilions_table,
    public_companies_of,
)
from cesdash.pages import cell_json
from cesdash.totals import FIGURES, TOTAL_COLUMNS, Results
from companies.models import Agreement, Company, Contract, Exhibit, InnovationAward
from delegations.models import Delegation, Pavilion, Region, ReportedFigure


def test_companies_exhibiting_are_the_city_totals_values(
    daegu, make_region, make_pavilion, make_figure
):
    jeonbuk = make_region("jeonbuk", "전북", "Jeonbuk")
    busan = make_region("busan", "부산", "Busan")
    # Daegu: its city-wide figure wins over its pavilions'; Jeonbuk: two pavilions added up;
    # Busan: only another figure, and another year.
    main = make_pavilion(2024, daegu, "대구관", "Daegu Pavilion")
    sports = make_pavilion(2024, daegu, "스포츠관", "Sports", slug="daegu-sports",
                           kind=Pavilion.Kind.SPORTS)  # fmt: skip
    make_figure(main, "companies", 25)
    make_figure(sports, "companies", 14)
    ReportedFigure.objects.create(
        edition=main.edition, region=daegu, metric="companies", value=45, source=main.source
    )
    for slug in ("jeonbuk-a", "jeonbuk-b"):
        make_figure(make_pavilion(2024, jeonbuk, slug, slug, slug=slug), "companies", 10)
    make_figure(make_pavilion(2024, busan, "부산관", "Busan"), "consultations", 300)
    make_figure(make_pavilion(2019, busan, "부산관", "Busan"), "companies", 9)

    figures = ReportedFigure.objects.filter(edition__year=2024, metric="companies")
    DataVersion.summaries_current()  # `CityTotal`, as a request brings it up to date
    assert companies_exhibiting(2024) == {
        row["region"]: row["value"] for row in figures.city_totals()
    }
    assert companies_exhibiting(2024) == {daegu.pk: 45, jeonbuk.pk: 20}


def test_a_citys_public_companies_are_those_public_names(daegu, make_region, make_pavilion,
                                                          make_company):  # fmt: skip
    pavilion = make_pavilion(2024, daegu, "대구관", "Daegu Pavilion")
    at = {"edition": pavilion.edition, "pavilion": pavilion, "source": pavilion.source}
    shown = make_company("shown", "보임", "Shown", region=daegu)
    Exhibit.objects.create(company=shown, **at)
    unrecorded = make_company("unrecorded", "기록없음", "Unrecorded", region=daegu)
    drafts = make_company("drafts", "초안", "Drafts only", region=daegu)
    Exhibit.objects.create(company=drafts, published=False, **at)
    Contract.objects.create(key="draft", company=drafts, amount=1, currency="USD",
                            published=False, **at)  # fmt: skip
    mixed = make_company("mixed", "혼합", "Mixed", region=daegu)
    Exhibit.objects.create(company=mixed, published=False, **at)
    InnovationAward.objects.create(company=mixed, edition=pavilion.edition, source=pavilion.source)
    elsewhere = make_company("elsewhere", "다른곳", "Elsewhere", region=make_region("b", "부", "B"))
    Exhibit.objects.create(company=elsewhere, **at)

    DataVersion.summaries_current()  # `CompanySummary`, as a request brings it up to date
    assert set(public_companies_of(daegu)) == set(Company.objects.public().filter(region=daegu))
    assert set(public_companies_of(daegu)) == {shown, unrecorded, mixed}


def test_the_years_cities_are_on_record_at_are_their_years_at_ces(
    daegu, make_region, make_edition, make_source, make_pavilion, make_figure
):
    jeonbuk = make_region("jeonbuk", "전북", "Jeonbuk")
    busan = make_region("busan", "부산", "Busan")
    make_region("seoul", "서울", "Seoul")  # never at CES
    source = make_source()
    # Daegu by a delegation (2019), a pavilion (2020) and a figure of a pavilion (2024);
    # Jeonbuk by a city-wide figure only; Busan by drafts only, which do not count.
    Delegation.objects.create(edition=make_edition(2019), region=daegu, source=source)
    make_pavilion(2020, daegu, "대구관", "Daegu Pavilion")
    make_figure(make_pavilion(2024, daegu, "대구관", "Daegu", slug="d24"), "companies", 25)
    ReportedFigure.objects.create(edition=make_edition(2022), region=jeonbuk,
                                  metric="companies", value=9, source=source)  # fmt: skip
    make_pavilion(2023, busan, "부산관", "Busan Pavilion", published=False)
    Delegation.objects.create(edition=make_edition(2021), region=busan, source=source,
                              published=False)  # fmt: skip
    DataVersion.summaries_current()  # `CityYear`, as a request brings it up to date
    on_record = CityYear.objects.values_list("region", "year")

    assert sorted(on_record) == sorted(Region.objects.years_at_ces())
    assert sorted(on_record) == [
        (daegu.pk, 2019), (daegu.pk, 2020), (daegu.pk, 2024), (jeonbuk.pk, 2022)
    ]  # fmt: skip


def test_the_biggest_pavilions_are_the_first_of_the_pavilions_sorted(
    make_region, make_pavilion, make_figure
):
    """The edition page's first pavilions, by companies exhibiting (unknown last, ties by
    key): those of the full read sorted so, with drafts and draft figures left out."""
    cities = [make_region(f"city-{n}", f"도시{n}", f"City {n}") for n in range(14)]
    pavilions = [make_pavilion(2024, city, city.name_ko, city.name_en) for city in cities]
    sizes = [5, 40, 5, None, 12, 40, 3, None, 8, 1, 2, 7, None, None]
    for pavilion, companies in zip(pavilions, sizes, strict=True):
        if companies is not None:
            make_figure(pavilion, "companies", companies)
        make_figure(pavilion, "consultations", 1000)  # another figure: not what they sort by
    make_figure(pavilions[12], "companies", 99, published=False)  # a draft figure
    draft = make_pavilion(2024, cities[13], "초안관", "Draft", slug="draft", published=False)
    make_figure(draft, "companies", 500)
    edition = pavilions[0].edition

    every = PavilionResults.objects.for_pavilions_table(coverage=False).filter(edition=edition)
    by_size = every.order_by(F("companies").desc(nulls_last=True), "pk")
    first = [p.pk for p in by_size[:10]]
    assert list(biggest_pavilions(edition).values_list("pk", flat=True)) == first
    assert first[:4] == [pavilions[1].pk, pavilions[5].pk, pavilions[4].pk, pavilions[8].pk]
    assert draft.pk not in first and pavilions[12].pk not in first[:9]


def test_the_reads_built_once_a_process_read_the_data_of_each_request(
    daegu, make_pavilion, make_figure
):
    """`pavilions_table()` is built once; each read of a copy sees the data as it is then,
    and the queryset itself keeps no rows; so do the cities' totals (`city_total_rows()`),
    kept with the summaries."""
    pavilion = make_pavilion(2024, daegu, "대구관", "Daegu Pavilion")
    make_figure(pavilion, "companies", 25)
    value = TOTAL_COLUMNS.index("value")
    DataVersion.summaries_current()  # `CityTotal`, as a request brings it up to date
    assert [row[value] for row in city_total_rows().filter(region=daegu)] == [25]
    assert [p.companies for p in pavilions_table().filter(region=daegu)] == [25]
    make_figure(pavilion, "consultations", 300)
    ReportedFigure.objects.filter(metric="companies").update(value=30)
    DataVersion.bump()  # as a bulk write does
    DataVersion.summaries_current()
    assert [row[value] for row in city_total_rows().filter(region=daegu)] == [30, 300]
    assert [p.consultations for p in pavilions_table(coverage=False).filter(region=daegu)] == [300]
    assert pavilions_table()._result_cache is None


def test_the_cities_totals_kept_are_those_the_figures_add_up_to(
    daegu, make_region, make_pavilion, make_figure, make_company
):
    """`CityTotal`, which the home, city and edition pages read, holds each city's totals as
    `city_totals()` forms them (a city-wide figure wins, pavilions are added up, across
    currencies only in USD, each total with its marks, source and scope) and the itemised
    records counted beside them, also where no total is reported; drafts count for nothing;
    and a change shows after the rebuild a request starts."""
    jeonbuk = make_region("jeonbuk", "전북", "Jeonbuk")
    main = make_pavilion(2024, daegu, "대구관", "Daegu Pavilion")
    sports = make_pavilion(2024, daegu, "스포츠관", "Sports", slug="daegu-sports",
                           kind=Pavilion.Kind.SPORTS)  # fmt: skip
    make_figure(main, "companies", 25, approximate=True)
    make_figure(sports, "companies", 14, mixed_kinds=True)
    make_figure(main, "consultation_value", 1_000_000, currency="USD", usd_value=1_000_000)
    make_figure(sports, "consultation_value", 2_600_000_000, currency="KRW", usd_value=2_000_000,
                converted_value=2_000_000, converted_currency="USD")  # fmt: skip
    ReportedFigure.objects.create(edition=main.edition, region=daegu, metric="consultations",
                                  value=300, source=main.source, preview=True)  # fmt: skip
    make_figure(main, "consultations", 120)  # the city-wide 300 wins
    jeonbuk_2019 = make_pavilion(2019, jeonbuk, "전북관", "Jeonbuk Pavilion")
    make_figure(jeonbuk_2019, "companies", 9)
    make_figure(make_pavilion(2019, jeonbuk, "초안", "Draft", slug="draft", published=False),
                "companies", 500, published=False)  # fmt: skip
    make_figure(jeonbuk_2019, "mous", 3, published=False)
    # Records beside them: an MOU Daegu signed and one planned; a contract and an award of
    # a Daegu company (where no total of either is reported); a draft contract of Jeonbuk's.
    at = {"edition": main.edition, "source": main.source}
    agreement = {"partner_ko": "상대", "partner_en": "Partner", "subject_ko": "내용",
                 "subject_en": "Subject", "kind": "mou", **at}  # fmt: skip
    Agreement.objects.create(key="signed", region=daegu, **agreement)
    Agreement.objects.create(key="planned", region=daegu, status="planned", **agreement)
    company = make_company("co", "회사", "Company", region=daegu)
    Contract.objects.create(key="c1", company=company, amount=5, currency="USD", **at)
    InnovationAward.objects.create(company=company, **at)
    jeonbuk_company = make_company("jb", "전북회사", "Jeonbuk Co", region=jeonbuk)
    Contract.objects.create(key="c2", company=jeonbuk_company, amount=5, currency="USD",
                            edition=jeonbuk_2019.edition, source=main.source,
                            published=False)  # fmt: skip

    def kept():
        DataVersion.summaries_current()
        return [row[:-1] for row in city_total_rows() if row[FIGURES]]

    formed = ReportedFigure.objects.city_totals().values_list(*TOTAL_COLUMNS)
    assert kept() == list(formed.order_by("region", "metric", "year"))
    totals = {(t.region_id, t.metric, t.year): t for t in CityTotal.objects.all()}
    assert sorted(totals) == sorted([
        (daegu.pk, "companies", 2024), (daegu.pk, "consultation_value", 2024),
        (daegu.pk, "consultations", 2024), (daegu.pk, "mous", 2024),
        (daegu.pk, "award_winners", 2024), (daegu.pk, "contract_value", 2024),
        (jeonbuk.pk, "companies", 2019),
    ])  # fmt: skip
    recorded = {key: (t.figures, t.recorded) for key, t in totals.items() if t.recorded}
    assert recorded == {
        (daegu.pk, "mous", 2024): (0, 1),
        (daegu.pk, "award_winners", 2024): (0, 1),
        (daegu.pk, "contract_value", 2024): (0, 1),
    }
    mous = totals[daegu.pk, "mous", 2024]
    assert (mous.value, mous.currency, mous.source_key, mous.approximate) == (None, "", "", False)
    companies = totals[daegu.pk, "companies", 2024]
    assert (companies.value, companies.main_pavilions, companies.sports_pavilions) == (39, 1, 1)
    assert (companies.approximate, companies.mixed_kinds, companies.preview) == (True, True, False)
    assert (companies.main_value, companies.sports_value, companies.figures) == (25, 14, 2)
    money = totals[daegu.pk, "consultation_value", 2024]
    assert (money.value, money.currency, money.usd, money.converted_value) == (
        None, "USD", 3_000_000, None
    )  # fmt: skip
    consultations = totals[daegu.pk, "consultations", 2024]
    assert (consultations.value, consultations.preview, consultations.main_pavilions) == (
        300, True, 0
    )  # fmt: skip
    assert consultations.source_key == main.source.key
    assert totals[jeonbuk.pk, "companies", 2019].value == 9

    make_figure(jeonbuk_2019, "consultations", 40)
    ReportedFigure.objects.filter(metric="companies", pavilion=sports).delete()
    assert kept() == list(formed.order_by("region", "metric", "year"))
    assert CityTotal.objects.get(region=daegu, metric="companies", year=2024).value == 25
    assert CityTotal.objects.get(region=jeonbuk, metric="consultations", year=2019).value == 40
    Agreement.objects.get(key="signed").delete()  # the planned one is not counted
    kept()
    assert not CityTotal.objects.filter(region=daegu, metric="mous").exists()


def test_the_totals_of_one_year_are_those_of_every_year_read(
    daegu, make_pavilion, make_figure, make_company
):
    """The edition page builds the totals of its CES only (`Results.build(years=)`): each is
    the one built with every year, shown against the same earlier totals; a figure not
    reported that year shows its last earlier total, and the records beside it are counted."""
    for year, companies, mous in ((2019, 10, 2), (2022, 20, None), (2024, 30, None)):
        pavilion = make_pavilion(year, daegu, f"대구관{year}", f"Daegu {year}", slug=f"d{year}")
        make_figure(pavilion, "companies", companies)
        if mous:
            make_figure(pavilion, "mous", mous)
    company = make_company("co", "회사", "Company", region=daegu)
    InnovationAward.objects.create(
        company=company, edition=pavilion.edition, source=pavilion.source
    )
    DataVersion.summaries_current()

    every = Results.build(city_total_rows().filter(region=daegu))
    one = Results.build(city_total_rows().filter(region=daegu, year__lte=2024), years={2024})

    assert sorted(one.totals) == [(daegu.pk, 2024, "companies")]
    # The same on the page, in both languages: each total with what it is shown against.
    for language in ("ko", "en"):
        with translation.override(language):
            assert [cell_json(c) for c in one.cells(daegu.pk, 2024)] == [
                cell_json(c) for c in every.cells(daegu.pk, 2024)
            ]
    assert one.get(daegu.pk, 2024, "companies").like.value == 20
    cells = {cell.metric: cell for cell in one.cells(daegu.pk, 2024)}
    assert (cells["mous"].total, cells["mous"].earlier.year, cells["mous"].earlier.display) == (
        None, 2019, "2"
    )  # fmt: skip
    assert cells["award_winners"].recorded == 1
