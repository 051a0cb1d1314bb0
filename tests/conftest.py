"""Small, focused factories: each test builds the few rows it needs."""

import itertools

import pytest
from django.core.cache import cache

from companies.models import Agreement, Company, Contract, Exhibit, InnovationAward
from delegations.models import Edition, Pavilion, Region, ReportedFigure, Source


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with no cached page: a test's data is rolled back, and with it the data
    version, so a page cached in one test would be served under the same version in the next."""
    cache.clear()


_serial = itertools.count(1)


@pytest.fixture
def make_source(db):
    def make(**fields):
        n = next(_serial)
        fields.setdefault("key", f"source-{n}")
        fields.setdefault("title", f"Article {n}")
        fields.setdefault("language", "ko")
        fields.setdefault("publisher_ko", "매일신문")
        fields.setdefault("publisher_en", "Maeil Shinmun")
        return Source.objects.create(**fields)

    return make


@pytest.fixture
def make_region(db):
    def make(slug, name_ko, name_en, kind=Region.Kind.METROPOLITAN_CITY, **fields):
        return Region.objects.create(
            slug=slug, name_ko=name_ko, name_en=name_en, kind=kind, **fields
        )

    return make


@pytest.fixture
def make_edition(db):
    def make(year, **fields):
        return Edition.objects.get_or_create(year=year, defaults=fields)[0]

    return make


@pytest.fixture
def make_pavilion(db, make_edition, make_source):
    def make(year, region, name_ko, name_en, slug=None, **fields):
        fields.setdefault("source", make_source())
        return Pavilion.objects.create(
            edition=make_edition(year),
            region=region,
            name_ko=name_ko,
            name_en=name_en,
            slug=slug or region.slug,
            **fields,
        )

    return make


@pytest.fixture
def make_figure(db, make_source):
    def make(pavilion, metric, value, **fields):
        fields.setdefault("source", pavilion.source)
        return ReportedFigure.objects.create(
            pavilion=pavilion, metric=metric, value=value, **fields
        )

    return make


@pytest.fixture
def make_company(db, make_source):
    def make(slug, name_ko, name_en, **fields):
        fields.setdefault("source", make_source())
        return Company.objects.create(slug=slug, name_ko=name_ko, name_en=name_en, **fields)

    return make


@pytest.fixture
def daegu(make_region):
    return make_region("daegu", "대구", "Daegu")


@pytest.fixture
def world(daegu, make_region, make_pavilion, make_figure, make_company):
    """Two CES years of one city and one year of another: enough for tables and exports."""
    jeonbuk = make_region("jeonbuk", "전북", "Jeonbuk", Region.Kind.SPECIAL_PROVINCE)
    p19 = make_pavilion(2019, daegu, "대구공동관", "Daegu Pavilion")
    p24 = make_pavilion(2024, daegu, "대구공동관", "Daegu Pavilion")
    j24 = make_pavilion(2024, jeonbuk, "전북관", "Jeonbuk Pavilion")
    make_figure(p19, "companies", 25)
    make_figure(p19, "consultations", 750, approximate=True)
    make_figure(p19, "contract_value", 7_280_000, currency="USD")
    make_figure(p24, "companies", 16)
    make_figure(
        p24,
        "consultation_value",
        140_000_000,
        currency="USD",
        converted_value=188_180_000_000,
        converted_currency="KRW",
    )
    make_figure(p24, "award_winners", 8)
    make_figure(j24, "companies", 20)
    enercamp = make_company("enercamp", "에너캠프", "Enercamp", region=daegu)
    Exhibit.objects.create(company=enercamp, edition=p24.edition, pavilion=p24, source=p24.source)
    Contract.objects.create(
        key="enercamp-2024",
        company=enercamp,
        edition=p24.edition,
        pavilion=p24,
        amount=1_000_000,
        currency="USD",
        source=p24.source,
    )
    InnovationAward.objects.create(company=enercamp, edition=p24.edition, source=p24.source)
    Agreement.objects.create(
        key="enercamp-mou",
        edition=p24.edition,
        region=daegu,
        pavilion=p24,
        company=enercamp,
        kind=Agreement.Kind.MOU,
        partner_ko="헤일로",
        partner_en="Hailo",
        subject_ko="기술교류",
        subject_en="Technology exchange",
        source=p24.source,
    )
    return {"p19": p19, "p24": p24, "j24": j24, "daegu": daegu, "jeonbuk": jeonbuk}
