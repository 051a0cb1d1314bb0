"""Filters of the analysts' tables (django-filter), and the pieces they share.

Filters name things the way a link would: `?year=2024`, `?city=daegu` (a region's slug). A value
that does not fit (`?year=abc`, a city that does not exist) is an error shown above the table, never
a silently unfiltered or silently empty list.

In the company tables `city` is the city whose pavilion a company exhibited in and `region` is the
company's home region. They often agree, but a pavilion can host companies from other regions.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.forms.models import ModelChoiceIteratorValue
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField, ModelChoiceIterator

from cesdash.models import CompanyYear
from companies.models import (
    Agreement,
    Company,
    Contract,
    Exhibit,
    InnovationAward,
)
from delegations.bilingual import language_order
from delegations.models import (
    HEADLINE_METRICS,
    Currency,
    Edition,
    Pavilion,
    Region,
    ReportedFigure,
    Source,
)

SEARCH_MAX_LENGTH = 100


class ListedChoices(ModelChoiceIterator):
    """The options of a `ListedChoiceField`, from the rows it has read."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        key, rows = self.field.key_name(), self.field.listed()
        for row, label in zip(rows, self.field.labels(rows), strict=True):
            yield (ModelChoiceIteratorValue(getattr(row, key), row), label)

    def __len__(self):
        extra = (self.field.empty_label is not None) + (self.field.null_label is not None)
        return len(self.field.listed()) + extra

    def __bool__(self):
        return len(self) > 0


class ListedChoiceField(ModelChoiceField):
    """A choice of CES, city or source read once a request: the same rows check the value
    given and list the options (Django's field reads the database for each), one query less
    a filter in use on every table page.

    The rows are read as tuples of the model's fields, not as model instances (a city filter
    lists 250 cities on every table page), labelled by `labels(rows)`, which gives what the
    model's `__str__` gives for each; the value chosen is made a model instance, as the
    queryset would read it, for the filter and the description of an export."""

    iterator = ListedChoices

    def __init__(self, *args, labels, **kwargs):
        self.labels = labels
        super().__init__(*args, **kwargs)

    def field_names(self):
        return [field.attname for field in self.queryset.model._meta.concrete_fields]

    def key_name(self):
        """The row's attribute an option's value is (`to_field_name`, else the key)."""
        if self.to_field_name:
            return self.queryset.model._meta.get_field(self.to_field_name).attname
        return self.queryset.model._meta.pk.attname

    def listed(self):
        if getattr(self, "_listed_from", None) is not self.queryset:
            rows = self.queryset.values_list(*self.field_names(), named=True)
            self._listed_from, self._listed = self.queryset, list(rows)
        return self._listed

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if self.null_label is not None and value == self.null_value:
            return value
        key = self.key_name()
        for row in self.listed():
            if str(getattr(row, key)) == str(value):
                return self.queryset.model.from_db(
                    self.queryset.db,
                    self.field_names(),
                    tuple(row),
                    fetch_mode=self.queryset._fetch_mode,
                )
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class ListedChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ListedChoiceField


def region_names(regions):
    """Region.__str__ of each: its name in the page's language, else in the other."""
    first, second = (f"name_{code}" for code in language_order())
    return [getattr(region, first) or getattr(region, second) for region in regions]


def years(editions):
    return [f"CES {edition.year}" for edition in editions]  # Edition.__str__


def titles(sources):
    return [source.title for source in sources]  # Source.__str__


def year_filter(field_name="edition", **kwargs):
    """`?year=2024`: one CES edition, by its year."""
    kwargs.setdefault("label", _("Year"))
    return ListedChoiceFilter(
        field_name=field_name,
        to_field_name="year",
        queryset=Edition.objects.order_by("-year"),
        labels=years,
        empty_label=_("All years"),
        **kwargs,
    )


def city_filter(field_name="region", **kwargs):
    """`?city=daegu`: a city that went to CES (ran a delegation or a pavilion), by its slug."""
    kwargs.setdefault("help_text", _("The city whose delegation or pavilion it belongs to."))
    return ListedChoiceFilter(
        field_name=field_name,
        to_field_name="slug",
        queryset=Region.objects.at_ces(),
        labels=region_names,
        label=_("City"),
        empty_label=_("All"),
        **kwargs,
    )


def source_filter(**kwargs):
    """`?source=<key>`: the records taken from one article (the source page links here)."""
    return ListedChoiceFilter(
        field_name="source",
        to_field_name="key",
        queryset=Source.objects.order_by("key"),
        labels=titles,
        label=_("Source"),
        empty_label=_("All"),
        **kwargs,
    )


def home_region_filter(field_name="company__region", **kwargs):
    """`?region=gyeongbuk`: a company's home region, by its slug, whether or not it went to
    CES itself (a pavilion can host companies from other regions)."""
    return ListedChoiceFilter(
        field_name=field_name,
        to_field_name="slug",
        queryset=Region.objects.all(),
        labels=region_names,
        label=_("Home region"),
        empty_label=_("All"),
        help_text=_("Where the company is based."),
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
    source = source_filter()
    city = city_filter()

    search_fields = ("name_ko", "name_en", "region__name_ko", "region__name_en")

    class Meta:
        model = Pavilion
        fields = []


class AgreementFilter(TableFilterSet):
    year = year_filter()
    source = source_filter()
    city = city_filter()
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
    city = city_filter(
        method="exhibited_with", help_text=_("The city whose pavilion the company exhibited in.")
    )
    region = home_region_filter(field_name="region")
    sector = sector_filter()

    search_fields = COMPANY_NAMES

    class Meta:
        model = Company
        fields = []

    def took_part_in(self, queryset, name, edition):
        """Companies that took part in that CES (`companies.models.took_part`, as the company
        summaries record it: the view brings them up to date)."""
        return queryset.filter(
            pk__in=CompanyYear.objects.filter(year=edition.year).values("company")
        )

    def exhibited_with(self, queryset, name, region):
        """Companies that exhibited in a pavilion of that city at least once: IN a list the
        database makes once (EXISTS checked every one of 50,000 companies against it)."""
        return queryset.filter(
            pk__in=Exhibit.objects.filter(pavilion__region=region).values("company")
        )


class ParticipationFilter(CompanyFilter):
    returning = django_filters.BooleanFilter(
        label=_("Came back (two CES or more)"),
        method="came_back",
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )

    def came_back(self, queryset, name, value):
        if value:
            return queryset.filter(summary__ces_count__gte=2)
        return queryset.filter(summary__ces_count__lt=2)


class ExhibitFilter(TableFilterSet):
    year = year_filter()
    source = source_filter()
    city = city_filter(
        field_name="pavilion__region", help_text=_("The city whose pavilion it was.")
    )
    region = home_region_filter()
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
    source = source_filter()
    city = city_filter(
        field_name="pavilion__region", help_text=_("The city whose pavilion it was.")
    )
    region = home_region_filter()
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
    source = source_filter()
    city = city_filter(
        method="exhibited_with",
        help_text=_("The city whose pavilion the company exhibited in that year."),
    )
    region = home_region_filter()
    sector = sector_filter("company__sector")

    search_fields = (*RELATED_COMPANY_NAMES, "categories_ko", "categories_en")

    class Meta:
        model = InnovationAward
        fields = []

    def exhibited_with(self, queryset, name, region):
        """Awards of companies that exhibited in a pavilion of that city at that CES."""
        exhibits = Exhibit.objects.filter(
            company=OuterRef("company"), edition=OuterRef("edition"), pavilion__region=region
        )
        return queryset.filter(Exists(exhibits))


class ResultsFilter(TableFilterSet):
    year = year_filter()
    city = city_filter()
    figure = django_filters.ChoiceFilter(
        field_name="metric",
        label=_("Figure"),
        choices=[(metric.value, metric.label) for metric in HEADLINE_METRICS],
        empty_label=_("All"),
    )

    search_fields = ("region__name_ko", "region__name_en")

    class Meta:
        model = ReportedFigure
        fields = []
