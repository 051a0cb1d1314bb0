"""Integrity lives in the database: each constraint rejects bad rows, with its own message."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import translation

from companies.models import Agreement, Contract, InnovationAward
from delegations.models import (
    Delegation,
    Edition,
    Pavilion,
    RegionalCompanyCount,
    ReportedFigure,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def assert_rejected(instance, message):
    """The admin's validation shows `message`, and the database refuses the row regardless."""
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    assert message in str(caught.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()


def test_edition_cannot_end_before_it_starts(db):
    edition = Edition(
        year=2025, starts_on=datetime.date(2025, 1, 10), ends_on=datetime.date(2025, 1, 7)
    )
    assert_rejected(edition, "The show cannot end before it starts.")


def test_messages_are_in_korean_for_korean_staff(db):
    edition = Edition(
        year=2025, starts_on=datetime.date(2025, 1, 10), ends_on=datetime.date(2025, 1, 7)
    )
    with translation.override("ko"):
        assert_rejected(edition, "폐막일이 개막일보다 빠를 수 없습니다.")


def test_edition_year_must_be_plausible(db):
    assert_rejected(Edition(year=1900), "CES has been held since 1967: check the year.")


def test_delegation_cannot_return_before_departing(daegu, make_edition, make_source):
    delegation = Delegation(
        edition=make_edition(2024),
        region=daegu,
        departs_on=datetime.date(2024, 1, 14),
        returns_on=datetime.date(2024, 1, 8),
        source=make_source(),
    )
    assert_rejected(delegation, "A delegation cannot return before it departs.")


def test_one_delegation_per_city_per_edition(daegu, make_edition, make_source):
    Delegation.objects.create(edition=make_edition(2024), region=daegu, source=make_source())
    duplicate = Delegation(edition=make_edition(2024), region=daegu, source=make_source())
    assert_rejected(duplicate, "This city already has a delegation at this CES.")


def test_one_pavilion_of_a_name_per_edition(daegu, make_pavilion, make_region):
    make_pavilion(2024, daegu, "대구공동관", "Daegu Pavilion")
    gyeongbuk = make_region("gyeongbuk", "경북", "Gyeongbuk")
    clash = Pavilion(
        edition=Edition.objects.get(year=2024),
        region=gyeongbuk,
        slug="other",
        name_ko="대구공동관",
        name_en="Another name",
        source=Pavilion.objects.get().source,
    )
    assert_rejected(clash, "A pavilion of this name already exists at this CES.")


def test_same_pavilion_name_in_another_year_is_fine(daegu, make_pavilion):
    make_pavilion(2019, daegu, "대구공동관", "Daegu Pavilion")
    make_pavilion(2024, daegu, "대구공동관", "Daegu Pavilion")
    assert Pavilion.objects.count() == 2


def figure(pavilion, **fields):
    fields.setdefault("metric", "companies")
    fields.setdefault("value", 1)
    return ReportedFigure(pavilion=pavilion, edition=pavilion.edition, region=pavilion.region,
                          source=pavilion.source, **fields)  # fmt: skip


@pytest.fixture
def pavilion(daegu, make_pavilion):
    return make_pavilion(2024, daegu, "대구공동관", "Daegu Pavilion")


def test_figures_cannot_be_negative(pavilion):
    assert_rejected(figure(pavilion, value=-1), "A reported figure cannot be negative.")


def test_a_pavilion_has_one_figure_per_metric(pavilion):
    figure(pavilion, value=16).save()
    assert_rejected(figure(pavilion, value=17), "This pavilion already has this figure.")


def test_one_city_wide_figure_per_metric(pavilion):
    city_wide = dict(edition=pavilion.edition, region=pavilion.region, source=pavilion.source)
    ReportedFigure.objects.create(metric="award_winners", value=8, **city_wide)
    duplicate = ReportedFigure(metric="award_winners", value=9, **city_wide)
    assert_rejected(duplicate, "This delegation already has this figure for the whole city.")


def test_money_needs_a_currency(pavilion):
    assert_rejected(
        figure(pavilion, metric="contract_value", value=100),
        "Amounts of money need a currency; counts must not have one.",
    )


def test_counts_take_no_currency(pavilion):
    assert_rejected(
        figure(pavilion, metric="consultations", value=750, currency="USD"),
        "Amounts of money need a currency; counts must not have one.",
    )


def test_conversion_needs_its_currency(pavilion):
    money = dict(metric="consultation_value", value=140_000_000, currency="USD")
    assert_rejected(
        figure(pavilion, converted_value=188_180_000_000, **money),
        "A conversion needs both an amount and a currency other than the figure's own.",
    )
    assert_rejected(
        figure(pavilion, converted_value=1, converted_currency="USD", **money),
        "A conversion needs both an amount and a currency other than the figure's own.",
    )


def test_conversion_cannot_be_negative(pavilion):
    assert_rejected(
        figure(
            pavilion,
            metric="consultation_value",
            value=1,
            currency="USD",
            converted_value=-5,
            converted_currency="KRW",
        ),
        "A converted amount cannot be negative.",
    )


def test_figure_pavilion_must_match_its_city(pavilion, make_region):
    other = make_region("jeonbuk", "전북", "Jeonbuk")
    wrong = ReportedFigure(
        pavilion=pavilion, edition=pavilion.edition, region=other, metric="companies", value=1,
        source=pavilion.source,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="The pavilion belongs to another edition or city."):
        wrong.full_clean()


def test_regional_counts_unique_and_not_negative(pavilion, daegu):
    RegionalCompanyCount.objects.create(
        pavilion=pavilion, region=daegu, companies=21, source=pavilion.source
    )
    duplicate = RegionalCompanyCount(
        pavilion=pavilion, region=daegu, companies=3, source=pavilion.source
    )
    assert_rejected(duplicate, "This pavilion already has a count for this region.")
    negative = RegionalCompanyCount(
        pavilion=pavilion, region=daegu, companies=-3, source=pavilion.source
    )
    with pytest.raises(ValidationError):
        negative.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        RegionalCompanyCount.objects.update(companies=-3)


def test_contract_amount_rules(pavilion, make_company):
    company = make_company("enercamp", "에너캠프", "Enercamp")
    base = dict(company=company, edition=pavilion.edition, source=pavilion.source)
    assert_rejected(
        Contract(key="a", amount=-1, currency="USD", **base),
        "A contract amount cannot be negative.",
    )
    assert_rejected(
        Contract(key="b", amount=1_000_000, **base),
        "An amount needs its currency, and a currency an amount.",
    )


def test_award_is_unique_per_company_and_year(pavilion, make_company):
    company = make_company("yellosis", "옐로시스", "Yellosis")
    InnovationAward.objects.create(
        company=company, edition=pavilion.edition, source=pavilion.source
    )
    duplicate = InnovationAward(company=company, edition=pavilion.edition, source=pavilion.source)
    assert_rejected(
        duplicate,
        "This company already has an award record for this CES: add categories to it.",
    )
    zero = InnovationAward(
        company=make_company("x", "엑스", "X"), edition=pavilion.edition, category_count=0,
        source=pavilion.source,
    )  # fmt: skip
    assert_rejected(zero, "An award is won in at least one category.")


def test_agreement_has_a_partner(pavilion):
    agreement = Agreement(
        key="k", edition=pavilion.edition, region=pavilion.region, kind="mou", partner_ko="가",
        partner_en="A", subject_ko="가", subject_en="A", partner_count=0, source=pavilion.source,
    )  # fmt: skip
    assert_rejected(agreement, "An agreement has at least one partner.")


def test_deleting_a_source_in_use_is_refused(pavilion):
    figure(pavilion).save()
    with pytest.raises(ProtectedError):
        pavilion.source.delete()
    with pytest.raises(ProtectedError):
        pavilion.delete()
    with pytest.raises(ProtectedError):
        pavilion.edition.delete()
