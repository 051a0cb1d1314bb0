"""Filters of the pavilion and agreement tables (django-filter), and the pieces all tables share.

Filters name things the way a link would: `?year=2024`, `?city=daegu` (a region's slug). A value
that does not fit (`?year=abc`, a city that does not exist) is an error shown above the table, never
a silently unfiltered or silently empty list.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Agreement, Edition, Pavilion, Region

SEARCH_MAX_LENGTH = 100


def year_filter(field_name="edition", **kwargs):
    """`?year=2024`: one CES edition, by its year."""
    kwargs.setdefault("label", _("Year"))
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        to_field_name="year",
        queryset=Edition.objects.order_by("-year"),
        empty_label=_("All years"),
        **kwargs,
    )


def region_filter(field_name="region", label=None, **kwargs):
    """`?city=daegu`: a city or region, by its slug."""
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        to_field_name="slug",
        queryset=Region.objects.all(),
        label=label or _("City"),
        empty_label=_("All"),
        **kwargs,
    )


class TableFilterSet(django_filters.FilterSet):
    """Base of the tables' filters: a text search over names in both languages.

    Subclasses list the fields `?q=` looks in as `search_fields`; the search matches any of them.
    """

    search_fields = ()

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=SEARCH_MAX_LENGTH,
        help_text=_("Names in Korean or English."),
    )

    def search(self, queryset, name, value):
        words = value.split()
        for word in words:
            match = Q()
            for field in self.search_fields:
                match |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(match)
        return queryset

    def described(self):
        """The filters in use as (label, raw value, shown value): for file names and exports."""
        if not self.is_bound or not self.is_valid():
            return []
        used = []
        for name, field in self.form.fields.items():
            cleaned = self.form.cleaned_data.get(name)
            if cleaned in (None, "", [], ()) or cleaned is False:
                continue
            raw = self.form.data.get(name, "")
            shown = str(cleaned) if not isinstance(cleaned, bool) else str(field.label)
            used.append((name, field.label, raw, shown))
        return used


class PavilionFilter(TableFilterSet):
    year = year_filter()
    city = region_filter()

    search_fields = ("name_ko", "name_en", "region__name_ko", "region__name_en")

    class Meta:
        model = Pavilion
        fields = []


class AgreementFilter(TableFilterSet):
    year = year_filter()
    city = region_filter()
    kind = django_filters.ChoiceFilter(
        label=_("Kind of agreement"), choices=Agreement.Kind.choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Agreement.Status.choices, empty_label=_("All")
    )

    search_fields = (
        "partner_ko",
        "partner_en",
        "company__name_ko",
        "company__name_en",
        "region__name_ko",
        "region__name_en",
        "subject_ko",
        "subject_en",
    )

    class Meta:
        model = Agreement
        fields = []
