"""Filters of the company tables: year, city, home region, sector, names in both languages.
`city` is the city whose pavilion a company exhibited in; `region` is the company's home region.
They often agree, but a pavilion can host companies from other regions.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from delegations.filters import SEARCH_MAX_LENGTH, TableFilterSet, region_filter, year_filter
from delegations.models import Currency

from .models import Company, Contract, Exhibit, InnovationAward


def sector_filter(prefix="sector"):
    """`?sector=ai`: a word of the sector, in Korean or English."""

    def method(queryset, name, value):
        return queryset.filter(
            Q(**{f"{prefix}_ko__icontains": value}) | Q(**{f"{prefix}_en__icontains": value})
        )

    return django_filters.CharFilter(label=_("Sector"), method=method, max_length=SEARCH_MAX_LENGTH)


COMPANY_NAMES = ("name_ko", "name_en")
RELATED_COMPANY_NAMES = ("company__name_ko", "company__name_en")


class CompanyFilter(TableFilterSet):
    year = year_filter(method="took_part_in")
    city = region_filter(method="exhibited_with")
    region = region_filter(label=_("Home region"))
    sector = sector_filter()

    search_fields = COMPANY_NAMES

    class Meta:
        model = Company
        fields = []

    def took_part_in(self, queryset, name, edition):
        """Companies that exhibited, won an award or signed a contract at that CES."""
        record = {"company": OuterRef("pk"), "edition": edition}
        return queryset.filter(
            Exists(Exhibit.objects.filter(**record))
            | Exists(InnovationAward.objects.filter(**record))
            | Exists(Contract.objects.filter(**record))
        )

    def exhibited_with(self, queryset, name, region):
        """Companies that exhibited in a pavilion of that city at least once."""
        return queryset.filter(
            Exists(Exhibit.objects.filter(company=OuterRef("pk"), pavilion__region=region))
        )


class ParticipationFilter(CompanyFilter):
    returning = django_filters.BooleanFilter(
        label=_("Came back (two CES or more)"),
        method="came_back",
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )

    def came_back(self, queryset, name, value):
        return queryset.filter(years__gte=2) if value else queryset.filter(years__lt=2)


class ExhibitFilter(TableFilterSet):
    year = year_filter()
    city = region_filter(field_name="pavilion__region")
    region = region_filter(field_name="company__region", label=_("Home region"))
    sector = sector_filter("company__sector")

    search_fields = (
        *RELATED_COMPANY_NAMES,
        "pavilion__name_ko",
        "pavilion__name_en",
        "showed_ko",
        "showed_en",
    )

    class Meta:
        model = Exhibit
        fields = []


class ContractFilter(TableFilterSet):
    year = year_filter()
    city = region_filter(field_name="pavilion__region")
    region = region_filter(field_name="company__region", label=_("Home region"))
    currency = django_filters.ChoiceFilter(
        label=_("Currency"), choices=Currency.choices, empty_label=_("All")
    )

    search_fields = (
        *RELATED_COMPANY_NAMES,
        "counterparty_ko",
        "counterparty_en",
        "subject_ko",
        "subject_en",
    )

    class Meta:
        model = Contract
        fields = []


class AwardFilter(TableFilterSet):
    year = year_filter()
    region = region_filter(field_name="company__region", label=_("Home region"))
    sector = sector_filter("company__sector")

    search_fields = (*RELATED_COMPANY_NAMES, "categories_ko", "categories_en")

    class Meta:
        model = InnovationAward
        fields = []
