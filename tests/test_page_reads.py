"""Reads that the home and city pages do their own, faster way must give what the general
reads give: the companies exhibiting (`city_totals()`), the years a city is on record at
(`Region.objects.years_at_ces()`) and the companies a page may name
(`Company.objects.public()`)."""

from django.db.models import F

from cesdash.models import (
    DataVersion,
    PavilionResults,
    biggest_pavilions,
    city_total_rows,
    companies_exhibiting,
    pavilions_table,
    public_companies_of,
    years_on_record,
)
from cesdash.totals import TOTAL_COLUMNS
from companies.models import Company, Contract, Exhibit, InnovationAward
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
    DataVersion.summaries_current()  # `CityYear`, as the home page brings it up to date

    assert sorted(years_on_record()) == sorted(Region.objects.years_at_ces())
    assert sorted(years_on_record()) == [
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
    """`city_total_rows()` and `pavilions_table()` are built once; each read of a copy sees
    the data as it is then, and the querysets themselves keep no rows."""
    pavilion = make_pavilion(2024, daegu, "대구관", "Daegu Pavilion")
    make_figure(pavilion, "companies", 25)
    value = TOTAL_COLUMNS.index("value")
    assert [row[value] for row in city_total_rows().filter(region=daegu)] == [25]
    assert [p.companies for p in pavilions_table().filter(region=daegu)] == [25]
    make_figure(pavilion, "consultations", 300)
    ReportedFigure.objects.filter(metric="companies").update(value=30)
    assert [row[value] for row in city_total_rows().filter(region=daegu)] == [30, 300]
    assert [p.consultations for p in pavilions_table(coverage=False).filter(region=daegu)] == [300]
    assert city_total_rows()._result_cache is None and pavilions_table()._result_cache is None
