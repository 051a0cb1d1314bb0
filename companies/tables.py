"""Tables of companies and what they did at CES: exhibits, contracts, awards, participation.

Each table's `rows()` is the read its page needs, with everything a row shows joined or annotated
in the database, so a page's query count does not grow with the data.
"""

import django_tables2 as tables
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tables2.utils import Accessor

from cesdash.formatting import format_money
from delegations.models import Agreement, Edition
from delegations.tables import (
    NUMBER,
    CountColumn,
    DataTable,
    NameColumn,
    UsdColumn,
    bilingual_columns,
    url_of,
    year_column,
)

from .models import Company, Contract, Exhibit, InnovationAward


def count_of(model, field="company", **filters):
    """A correlated count of `model` rows pointing at the outer row (0 where there are none)."""
    return Coalesce(
        Subquery(
            model.objects.filter(**{field: OuterRef("pk")}, **filters)
            .order_by()
            .values(field)
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def company_column(**kwargs):
    return NameColumn(
        "company__name",
        verbose_name=_("Company"),
        linkify=lambda record: url_of(record.company),
        **kwargs,
    )


def city_column(prefix="pavilion__region", **kwargs):
    kwargs.setdefault("verbose_name", _("City"))
    return NameColumn(
        f"{prefix}__name",
        linkify=lambda record: url_of(Accessor(prefix).resolve(record, quiet=True)),
        **kwargs,
    )


# ---------------------------------------------------------------------------------- companies


class CompanyTable(DataTable):
    """Every company on record, with what it did at CES in all years (/companies/)."""

    company = NameColumn("name", verbose_name=_("Company"), linkify=True)
    region = NameColumn(
        "region__name",
        verbose_name=_("Home region"),
        linkify=lambda record: url_of(record.region),
    )
    sector = NameColumn("sector", verbose_name=_("Sector"))
    programme = NameColumn("programme", verbose_name=_("Support programme"))
    exhibits = CountColumn(accessor="exhibit_count", verbose_name=_("CES editions exhibited"))
    awards = CountColumn(accessor="award_count", verbose_name=_("Innovation Awards"))
    contracts = CountColumn(accessor="contract_count", verbose_name=_("Contracts"))
    contract_value_usd = UsdColumn(verbose_name=_("Contract value (USD)"))
    agreements = CountColumn(accessor="agreement_count", verbose_name=_("MOUs"))
    company_ko, company_en = bilingual_columns("name", _("Company"))
    region_ko, region_en = bilingual_columns("region__name", _("Home region"))
    sector_ko, sector_en = bilingual_columns("sector", _("Sector"))
    programme_ko, programme_en = bilingual_columns("programme", _("Support programme"))

    export_units = _(
        "Counts are of the itemised records the sources name, which are often fewer than the "
        "totals the sources report. Contract value is the sum of the company's recorded "
        "contracts stated in US dollars; an empty cell means none is."
    )

    class Meta(DataTable.Meta):
        model = Company
        fields = []
        sequence = ["company", "region", "sector", "programme", "exhibits", "awards", "..."]
        order_by = ("company",)
        empty_text = _("No companies match.")

    @staticmethod
    def rows():
        """The companies table: one row a company, its itemised records counted."""
        usd = (
            Contract.objects.filter(company=OuterRef("pk"))
            .order_by()
            .values("company")
            .annotate(total=Sum("usd_amount"))
            .values("total")[:1]
        )
        return Company.objects.select_related("region").annotate(
            exhibit_count=count_of(Exhibit),
            award_count=count_of(InnovationAward),
            contract_count=count_of(Contract),
            contract_value_usd=Subquery(usd),
            agreement_count=count_of(Agreement),
        )


# -------------------------------------------------------------------------------------- exhibits


class ExhibitTable(DataTable):
    """Companies at a CES, and at which pavilion when the source says (/exhibits/)."""

    year = year_column()
    city = city_column(default="")
    pavilion = NameColumn(
        "pavilion__name",
        verbose_name=_("Pavilion"),
        linkify=lambda record: url_of(record.pavilion),
        default=_("not reported"),
    )
    company = company_column()
    region = NameColumn(
        "company__region__name",
        verbose_name=_("Home region"),
        linkify=lambda record: url_of(record.company.region),
    )
    sector = NameColumn("company__sector", verbose_name=_("Sector"))
    showed = NameColumn("showed", verbose_name=_("What it showed"))
    city_ko, city_en = bilingual_columns("pavilion__region__name", _("City"))
    pavilion_ko, pavilion_en = bilingual_columns("pavilion__name", _("Pavilion"))
    company_ko, company_en = bilingual_columns("company__name", _("Company"))
    region_ko, region_en = bilingual_columns("company__region__name", _("Home region"))
    sector_ko, sector_en = bilingual_columns("company__sector", _("Sector"))
    showed_ko, showed_en = bilingual_columns("showed", _("What it showed"))

    export_units = _(
        "One row per company and CES. An empty pavilion means the source does not say where "
        "the company exhibited."
    )

    class Meta(DataTable.Meta):
        model = Exhibit
        fields = []
        sequence = ["year", "city", "pavilion", "company", "region", "sector", "showed", "..."]
        order_by = ("-year", "company")
        empty_text = _("No exhibits match.")

    @staticmethod
    def rows():
        """The exhibits table: one row a company at one CES."""
        return Exhibit.objects.select_related(
            "edition", "company", "company__region", "pavilion__edition", "pavilion__region"
        )


# ------------------------------------------------------------------------------------- contracts


class AmountColumn(tables.Column):
    """An amount in its own currency: formatted on the page, the raw number in an export."""

    def __init__(self, **kwargs):
        kwargs.setdefault("attrs", NUMBER)
        super().__init__(**kwargs)

    def render(self, value, record):
        return format_money(value, record.currency, record.approximate)

    def value(self, value):
        return value


class ContractTable(DataTable):
    """Contracts signed at CES: company, counterparty, amount, subject (/contracts/)."""

    year = year_column()
    city = city_column()
    pavilion = NameColumn(
        "pavilion__name",
        verbose_name=_("Pavilion"),
        linkify=lambda record: url_of(record.pavilion),
    )
    company = company_column()
    counterparty = NameColumn("counterparty", verbose_name=_("Counterparty"))
    amount = AmountColumn(verbose_name=_("Amount"))
    currency = tables.Column(verbose_name=_("Currency"))
    approximate = tables.BooleanColumn(verbose_name=_("Approximate"), visible=False)
    usd_amount = UsdColumn(verbose_name=_("Amount (USD)"), visible=False)
    subject = NameColumn("subject", verbose_name=_("Subject"))
    city_ko, city_en = bilingual_columns("pavilion__region__name", _("City"))
    pavilion_ko, pavilion_en = bilingual_columns("pavilion__name", _("Pavilion"))
    company_ko, company_en = bilingual_columns("company__name", _("Company"))
    counterparty_ko, counterparty_en = bilingual_columns("counterparty", _("Counterparty"))
    subject_ko, subject_en = bilingual_columns("subject", _("Subject"))

    export_units = _(
        "Amount is in the currency of the Currency column (USD: US dollars, KRW: Korean won), "
        "as the source states it; Amount (USD) repeats it where that currency is US dollars. "
        "Approximate is TRUE where the source says 'about'. An empty amount means that the "
        "source does not state one."
    )

    class Meta(DataTable.Meta):
        model = Contract
        fields = []
        sequence = [
            "year",
            "city",
            "pavilion",
            "company",
            "counterparty",
            "amount",
            "currency",
            "approximate",
            "usd_amount",
            "subject",
            "...",
        ]
        order_by = ("-year", "-amount")
        empty_text = _("No contracts match.")

    @staticmethod
    def rows():
        """The contracts table: one row a contract."""
        return Contract.objects.select_related(
            "edition", "company", "pavilion__edition", "pavilion__region"
        )

    @staticmethod
    def totals(queryset):
        """The sums shown above the contracts table: one a currency, never added across."""
        return (
            queryset.exclude(currency="")
            .order_by("currency")
            .values("currency")
            .annotate(total=Sum("amount"), contracts=Count("pk"))
        )

    def render_currency(self, record):
        return record.currency

    def value_currency(self, record):
        return record.currency or None

    def value_approximate(self, record):
        return record.approximate if record.amount is not None else None


# ---------------------------------------------------------------------------------------- awards


class AwardTable(DataTable):
    """CES Innovation Awards, one row a company and year (/awards/)."""

    year = year_column()
    company = company_column()
    region = NameColumn(
        "company__region__name",
        verbose_name=_("Home region"),
        linkify=lambda record: url_of(record.company.region),
    )
    sector = NameColumn("company__sector", verbose_name=_("Sector"))
    category_count = CountColumn(verbose_name=_("Categories won"))
    categories = NameColumn("categories", verbose_name=_("Categories"))
    streak_reported = CountColumn(verbose_name=_("Years in a row, as reported"))
    company_ko, company_en = bilingual_columns("company__name", _("Company"))
    region_ko, region_en = bilingual_columns("company__region__name", _("Home region"))
    categories_ko, categories_en = bilingual_columns("categories", _("Categories"))

    export_units = _(
        "One row per company and year. 'Categories won' and 'Years in a row' are as the source "
        "reports them; an empty cell means that the source does not say."
    )

    class Meta(DataTable.Meta):
        model = InnovationAward
        fields = []
        sequence = [
            "year",
            "company",
            "region",
            "sector",
            "category_count",
            "categories",
            "streak_reported",
            "...",
        ]
        order_by = ("-year", "company")
        empty_text = _("No awards match.")

    @staticmethod
    def rows():
        """The awards table: one row a company's awards in one year."""
        return InnovationAward.objects.select_related("edition", "company", "company__region")


# --------------------------------------------------------------------------------- participation


def participation_years():
    """The CES years that have any itemised record: the columns of the participation matrix."""
    took_part = Q(exhibits__isnull=False) | Q(awards__isnull=False) | Q(contracts__isnull=False)
    return list(
        Edition.objects.filter(took_part).distinct().order_by("year").values_list("year", flat=True)
    )


class YearColumn(tables.Column):
    """One CES year of the participation matrix: exhibited, award, contracts, or empty."""

    empty_values = ()

    def __init__(self, year, **kwargs):
        self.year = year
        kwargs.setdefault("verbose_name", str(year))
        kwargs.setdefault(
            "order_by", (f"-award_{year}", f"-contracts_{year}", f"-exhibited_{year}", "name_ko")
        )
        super().__init__(accessor=f"exhibited_{year}", **kwargs)

    def describe(self, record):
        parts = []
        if getattr(record, f"exhibited_{self.year}"):
            parts.append(str(_("exhibited")))
        if getattr(record, f"award_{self.year}"):
            parts.append(str(_("Innovation Award")))
        if contracts := getattr(record, f"contracts_{self.year}"):
            parts.append(
                ngettext("%(count)d contract", "%(count)d contracts", contracts)
                % {"count": contracts}
            )
        return ", ".join(parts)

    def render(self, record):
        return self.describe(record) or "—"

    def value(self, record):
        return self.describe(record) or None


class ParticipationTable(DataTable):
    """Company × CES year: who came back, and with what result (/participation/)."""

    company = NameColumn("name", verbose_name=_("Company"), linkify=True)
    region = NameColumn(
        "region__name",
        verbose_name=_("Home region"),
        linkify=lambda record: url_of(record.region),
    )
    years = CountColumn(verbose_name=_("Years at CES"))
    company_ko, company_en = bilingual_columns("name", _("Company"))

    export_units = _(
        "One row per company, one column per CES year. A cell lists what the sources record "
        "for that year: exhibited, an Innovation Award, the number of contracts signed. An "
        "empty cell means that no source records the company at that CES."
    )

    class Meta(DataTable.Meta):
        model = Company
        fields = []
        sequence = ["company", "region", "years", "...", "company_ko", "company_en"]
        order_by = ("-years", "company")
        empty_text = _("No companies match.")

    def __init__(self, data, years=(), **kwargs):
        columns = [(f"y{year}", YearColumn(year)) for year in years]
        super().__init__(data, extra_columns=columns, **kwargs)

    @staticmethod
    def rows(years):
        """The participation matrix: per company and year whether it exhibited, won an award,
        and how many contracts it signed; `years` counts the years with any of them."""
        annotations = {}
        took_part = []
        for year in years:
            annotations[f"exhibited_{year}"] = Exists(
                Exhibit.objects.filter(company=OuterRef("pk"), edition__year=year)
            )
            annotations[f"award_{year}"] = Exists(
                InnovationAward.objects.filter(company=OuterRef("pk"), edition__year=year)
            )
            annotations[f"contracts_{year}"] = count_of(Contract, edition__year=year)
            took_part.append(
                Case(
                    When(
                        Q(**{f"exhibited_{year}": True})
                        | Q(**{f"award_{year}": True})
                        | Q(**{f"contracts_{year}__gt": 0}),
                        then=Value(1),
                    ),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
        total = sum(took_part[1:], took_part[0]) if took_part else Value(0)
        return (
            Company.objects.select_related("region").annotate(**annotations).annotate(years=total)
        )
