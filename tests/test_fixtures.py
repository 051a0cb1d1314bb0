"""The real figures: every figure the CES articles state, as read from the articles themselves."""

import datetime

import pytest
from django.apps import apps
from django.core.management import call_command

from cesdash.models import PavilionResults
from companies.models import Agreement, Company, Contract, Exhibit, InnovationAward
from delegations.models import (
    Delegation,
    Edition,
    Pavilion,
    RegionalCompanyCount,
    ReportedFigure,
    Source,
)

FIXTURE = "fixtures/ces_articles.json"
HERALD, DAEGU_2019, MAEIL, NEWS1 = (
    "koreaherald-2018-daegu-ces",
    "daegu-ces2019-results",
    "maeil-2024-daegu-ces",
    "news1-2024-ces-mayors",
)


@pytest.fixture
def loaded(db):
    call_command("loaddata", FIXTURE, verbosity=0)


def figures():
    """Every reported figure as (year, region, pavilion slug, metric) -> row."""
    return {
        (f.edition.year, f.region.slug, f.pavilion.slug if f.pavilion else None, f.metric): f
        for f in ReportedFigure.objects.select_related("edition", "region", "pavilion", "source")
    }


def test_every_reported_figure_matches_its_article(loaded):
    expected = {
        (2013, "daegu", None, "companies"): (9, "", False, MAEIL),
        (2018, "daegu", "daegu", "companies"): (40, "", False, HERALD),
        (2018, "daegu", None, "youth_team"): (30, "", False, HERALD),
        (2019, "daegu", "daegu", "companies"): (25, "", False, DAEGU_2019),
        (2019, "daegu", "daegu", "consultations"): (750, "", True, DAEGU_2019),
        (2019, "daegu", "daegu", "contract_value"): (7_280_000, "USD", False, DAEGU_2019),
        (2019, "daegu", "daegu-sports", "companies"): (14, "", False, DAEGU_2019),
        (2023, "daegu", None, "award_winners"): (5, "", False, MAEIL),
        (2024, "daegu", "daegu", "companies"): (16, "", False, MAEIL),
        (2024, "daegu", "daegu", "consultation_value"): (140_000_000, "USD", False, MAEIL),
        (2024, "daegu", None, "award_winners"): (8, "", False, MAEIL),
        (2024, "jeonbuk", "jeonbuk", "companies"): (20, "", False, NEWS1),
    }
    actual = {
        key: (f.value, f.currency, f.approximate, f.source.key) for key, f in figures().items()
    }
    assert actual == expected


def test_money_keeps_the_sources_own_conversion(loaded):
    value = figures()[(2024, "daegu", "daegu", "consultation_value")]
    assert (value.converted_value, value.converted_currency) == (188_180_000_000, "KRW")
    assert value.converted_approximate is True
    assert value.note_ko.startswith("기사 제목·첫 문장은 '1천880억원 이상'")
    assert value.note_en == "The headline rounds it to 'more than KRW 188 billion'."
    value.refresh_from_db()
    assert value.usd_value == 140_000_000
    contract = figures()[(2019, "daegu", "daegu", "contract_value")]
    assert contract.converted_value is None
    assert contract.usd_value == 7_280_000


def test_figures_the_articles_do_not_give_are_absent(loaded):
    """Changwon's 10 startups are the ones its mayor meets, not its exhibitors: no figure."""
    assert not ReportedFigure.objects.filter(region__slug="changwon").exists()
    assert not ReportedFigure.objects.filter(metric="mous").exists()


def test_consultation_value_and_contract_value_stay_separate(loaded):
    by_key = figures()
    assert (2024, "daegu", "daegu", "contract_value") not in by_key
    assert (2019, "daegu", "daegu", "consultation_value") not in by_key


def test_regional_company_counts_add_up_to_the_pavilion_totals(loaded):
    counts = {
        (c.pavilion.edition.year, c.pavilion.slug, c.region.slug): c.companies
        for c in RegionalCompanyCount.objects.select_related("pavilion__edition", "region")
    }
    assert counts == {
        (2019, "daegu", "daegu"): 21,
        (2019, "daegu", "gyeongbuk"): 3,
        (2019, "daegu", "gyeonggi"): 1,
        (2019, "daegu-sports", "daegu"): 11,
        (2019, "daegu-sports", "gyeongbuk"): 3,
        (2024, "jeonbuk", "jeonbuk"): 8,
    }


def test_editions_dates_and_anniversaries(loaded):
    editions = {e.year: e for e in Edition.objects.all()}
    assert sorted(editions) == list(range(2013, 2025))
    assert (editions[2018].starts_on, editions[2018].ends_on) == (
        datetime.date(2018, 1, 9),
        datetime.date(2018, 1, 12),
    )
    assert editions[2018].anniversary == 51
    assert (editions[2019].starts_on, editions[2019].ends_on) == (
        datetime.date(2019, 1, 8),
        datetime.date(2019, 1, 11),
    )
    assert editions[2019].anniversary == 52
    assert (editions[2024].starts_on, editions[2024].ends_on) == (
        datetime.date(2024, 1, 9),
        datetime.date(2024, 1, 12),
    )
    assert editions[2024].theme_en == "All Together, All On"
    assert (editions[2024].korean_exhibitors, editions[2024].korean_exhibitors_approximate) == (
        600,
        True,
    )
    assert editions[2013].starts_on is None


def test_pavilions_two_in_one_year_for_daegu_2019(loaded):
    pavilions = {
        (p.edition.year, p.region.slug, p.slug): (p.name_ko, p.name_en, p.kind)
        for p in Pavilion.objects.select_related("edition", "region")
    }
    assert pavilions == {
        (2017, "daegu", "daegu"): ("대구공동관", "Daegu Pavilion", "main"),
        (2018, "daegu", "daegu"): ("대구공동관", "Daegu Pavilion", "main"),
        (2019, "daegu", "daegu"): ("대구공동관", "Daegu Pavilion", "main"),
        (2019, "daegu", "daegu-sports"): ("대구 스포츠공동관", "Daegu Sports Pavilion", "sports"),
        (2024, "daegu", "daegu"): ("대구공동관", "Daegu Pavilion", "main"),
        (2024, "jeonbuk", "jeonbuk"): ("전북관", "Jeonbuk Pavilion", "main"),
        (2024, "seongnam", "seongnam"): ("성남관", "Seongnam Pavilion", "main"),
    }


def test_delegations_leaders_and_trip_dates(loaded):
    trips = {
        (d.edition.year, d.region.slug): (d.leader_en, d.departs_on, d.returns_on)
        for d in Delegation.objects.select_related("edition", "region")
    }
    assert trips[(2019, "daegu")] == ("Mayor Kwon Young-jin", None, None)
    assert trips[(2024, "jeonbuk")] == (
        "Governor Kim Kwan-young",
        datetime.date(2024, 1, 8),
        datetime.date(2024, 1, 14),
    )
    assert trips[(2024, "seongnam")] == (
        "Mayor Shin Sang-jin",
        datetime.date(2024, 1, 7),
        datetime.date(2024, 1, 18),
    )
    assert trips[(2024, "changwon")] == (
        "Mayor Hong Nam-pyo",
        datetime.date(2024, 1, 9),
        datetime.date(2024, 1, 15),
    )
    assert set(trips) == {
        (2013, "daegu"),
        (2014, "daegu"),
        (2015, "daegu"),
        (2016, "daegu"),
        (2017, "daegu"),
        (2018, "daegu"),
        (2019, "daegu"),
        (2023, "daegu"),
        (2024, "daegu"),
        (2024, "jeonbuk"),
        (2024, "seongnam"),
        (2024, "changwon"),
    }


def test_contracts_named_in_2024(loaded):
    contracts = {
        c.company.slug: (c.amount, c.currency, c.pavilion, c.source.key)
        for c in Contract.objects.select_related("company", "pavilion", "source")
    }
    # 지역기업: the article does not say they were in the Daegu pavilion, so no pavilion.
    assert contracts == {
        "enercamp": (1_000_000, "USD", None, MAEIL),
        "adplus": (150_000, "USD", None, MAEIL),
    }


def test_agreements_by_city_and_by_company(loaded):
    agreements = {
        a.key: (
            a.edition.year,
            a.region.slug,
            a.company.slug if a.company else None,
            a.partner_en,
            a.kind,
            a.status,
            a.signed_on,
            a.partner_count,
        )
        for a in Agreement.objects.select_related("edition", "region", "company")
    }
    assert agreements == {
        "daegu-gyeongbuk-ces2019": (
            2019, "daegu", None, "Gyeongbuk Province", "agreement", "signed",
            datetime.date(2019, 1, 8), 1,
        ),
        "daegu-mobileye-ces2019": (
            2019, "daegu", None, "Mobileye (CEO Amnon Shashua)", "mou", "signed",
            datetime.date(2019, 1, 10), 1,
        ),
        "mj-vision-tech-hailo-ces2024": (
            2024, "daegu", "mj-vision-tech", "Hailo", "technology", "signed",
            datetime.date(2024, 1, 10), 1,
        ),
        "lul-korea-ces2024": (
            2024, "daegu", "lul-korea", "A local company", "business", "signed", None, 1,
        ),
        "powerplayer-ces2024": (
            2024, "daegu", "powerplayer", "A local company", "business", "signed", None, 1,
        ),
        "seongnam-linkone-ces2024": (
            2024, "seongnam", None, "LinkOne and two other US companies", "mou", "planned",
            datetime.date(2024, 1, 8), 3,
        ),
        "changwon-investment-ces2024": (
            2024, "changwon", None,
            "A local investor",
            "investment", "planned", None, 1,
        ),
        "changwon-fullerton-ces2024": (
            2024, "changwon", None, "City of Fullerton", "friendship", "planned",
            datetime.date(2024, 1, 12), 1,
        ),
    }  # fmt: skip


def test_innovation_awards_with_streaks_and_categories(loaded):
    awards = {
        (a.company.slug, a.edition.year): (a.category_count, a.streak_reported)
        for a in InnovationAward.objects.select_related("company", "edition")
    }
    assert awards == {
        ("linkface", 2020): (None, None),
        ("linkface", 2021): (None, None),
        ("linkface", 2022): (None, None),
        ("linkface", 2023): (None, None),
        ("linkface", 2024): (None, 5),
        ("yellosis", 2024): (3, None),
    }


def test_named_companies_and_where_they_exhibited(loaded):
    exhibits = {
        e.company.slug: e.pavilion.name_en if e.pavilion else None
        for e in Exhibit.objects.select_related("company", "pavilion")
    }
    # The 2024 Daegu companies are called 지역기업 (local companies); no sentence puts them in
    # the Daegu pavilion. Vinatech is one of the Jeonbuk pavilion's companies.
    assert exhibits == {
        "dr-tail": None,
        "yellosis": None,
        "mj-vision-tech": None,
        "enercamp": None,
        "adplus": None,
        "lul-korea": None,
        "powerplayer": None,
        "sikpharma": None,
        "vinatech": "Jeonbuk Pavilion",
    }
    # What an exhibit showed only where the article says the company showed it.
    showed = dict(Exhibit.objects.exclude(showed_en="").values_list("company__slug", "showed_en"))
    assert set(showed) == {"dr-tail", "yellosis", "adplus"}
    assert Agreement.objects.filter(company__isnull=False, pavilion__isnull=False).count() == 0
    assert Company.objects.get(slug="vinatech").region.slug == "jeonbuk"
    assert set(Company.objects.values_list("name_ko", flat=True)) >= {"닥터테일", "링크페이스"}


def test_every_source_is_an_archived_article(loaded):
    sources = {s.key: (s.language, s.seed_file, s.published_on) for s in Source.objects.all()}
    assert sources[HERALD] == ("en", "000_30ab689bc2bf0663.txt", datetime.date(2018, 1, 11))
    assert sources[DAEGU_2019][:2] == ("ko", "001_1d68157fb565c683.txt")
    assert sources[MAEIL][:2] == ("ko", "002_35cd4c8edc1ab860.txt")
    assert sources[NEWS1][:2] == ("ko", "003_38ba88593334ddc3.txt")
    assert len(sources) == 5


def test_pavilion_results_table_reads_the_articles(loaded):
    rows = {
        (p.edition.year, p.slug): (
            p.companies,
            p.consultations,
            p.consultation_value_usd,
            p.contract_value_usd,
            p.award_winners,
            p.companies_named,
        )
        for p in PavilionResults.objects.for_pavilions_table()
    }
    assert rows[(2019, "daegu")] == (25, 750, None, 7_280_000, None, 0)
    assert rows[(2024, "daegu")] == (16, None, 140_000_000, None, None, 0)
    assert rows[(2017, "daegu")] == (None, None, None, None, None, 0)


def test_loading_twice_adds_and_changes_nothing(loaded):
    models = [
        m for app in ("delegations", "companies") for m in apps.get_app_config(app).get_models()
    ]
    before = {m: list(m.objects.order_by("pk").values()) for m in models}
    call_command("loaddata", FIXTURE, verbosity=0)
    after = {m: list(m.objects.order_by("pk").values()) for m in models}
    assert after == before
