"""Tables of pavilions and agreements (django-tables2), and the pieces every table shares.

Every table shows names in the page's language and carries both the Korean and the English name
in hidden columns that only exports include; `value_<column>` methods and columns' `value()` give
the raw values that exports write, while the page shows them formatted.
"""

import django_tables2 as tables
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_tables2.utils import OrderByTuple

from cesdash.formatting import format_count, format_money, is_english

from .models import Agreement, Pavilion, Source

NUMBER = {"td": {"class": "num"}, "th": {"class": "num"}}


def url_of(obj):
    """The page of a related object, or no link when there is none."""
    return obj.get_absolute_url() if obj is not None else None


def year_column(**kwargs):
    """The CES year of a row's edition, linked to the edition's page."""
    return tables.Column(
        accessor="edition__year",
        verbose_name=_("Year"),
        linkify=lambda record: url_of(record.edition),
        **kwargs,
    )


class NameColumn(tables.Column):
    """A bilingual name shown, and sorted, in the page's language, falling back to the other.

    `prefix` names the pair of fields without their suffix: "region__name" reads
    `region__name_ko` and `region__name_en`. The export value is the same name as plain text, or
    an empty cell where there is none.
    """

    empty_values = ()

    def __init__(self, prefix, **kwargs):
        self.prefix = prefix
        kwargs.setdefault("accessor", f"{prefix}_ko")
        super().__init__(**kwargs)

    @property
    def order_by(self):
        first, second = ("en", "ko") if is_english() else ("ko", "en")
        return OrderByTuple((f"{self.prefix}_{first}", f"{self.prefix}_{second}"))

    @order_by.setter
    def order_by(self, value):
        # The order follows the language at the time of sorting, not a fixed field.
        pass

    def pick(self, record):
        *path, name = self.prefix.split("__")
        for part in path:
            record = getattr(record, part, None)
            if record is None:
                return None
        ko, en = getattr(record, f"{name}_ko"), getattr(record, f"{name}_en")
        return (en or ko) if is_english() else (ko or en)

    def render(self, record, bound_column):
        return self.pick(record) or bound_column.default

    def value(self, record):
        return self.pick(record) or None


def bilingual_columns(prefix, label):
    """Two export-only columns carrying a name in Korean and in English."""
    return (
        tables.Column(
            accessor=f"{prefix}_ko",
            verbose_name=format_lazy(_("{name} (Korean)"), name=label),
            visible=False,
        ),
        tables.Column(
            accessor=f"{prefix}_en",
            verbose_name=format_lazy(_("{name} (English)"), name=label),
            visible=False,
        ),
    )


class CountColumn(tables.Column):
    """A reported count; the page says 'not reported' where the export leaves the cell empty."""

    def __init__(self, *args, approximate=None, **kwargs):
        self.approximate = approximate
        kwargs.setdefault("default", None)
        kwargs.setdefault("attrs", NUMBER)
        super().__init__(*args, **kwargs)

    def is_approximate(self, record):
        return getattr(record, self.approximate, False) if self.approximate else False

    def render(self, value, record):
        return format_count(value, self.is_approximate(record))

    def value(self, value):
        return value


class UsdColumn(CountColumn):
    """An amount in US dollars: formatted on the page, the raw number in an export."""

    def render(self, value, record):
        return format_money(value, "USD", self.is_approximate(record))


class DataTable(tables.Table):
    """Base of the analysts' tables: what an export says about itself besides its rows."""

    #: What the numbers are counted or measured in, for the export's description.
    export_units = ""

    class Meta:
        attrs = {"class": "data-table"}

    def export_sources(self):
        """The articles the exported rows come from."""
        return Source.objects.filter(pk__in=self.data.data.order_by().values("source"))


class PavilionTable(DataTable):
    year = year_column()
    city = NameColumn(
        "region__name",
        verbose_name=_("City"),
        linkify=lambda record: url_of(record.region),
    )
    pavilion = NameColumn("name", verbose_name=_("Pavilion"), linkify=True)
    companies = CountColumn(verbose_name=_("Companies"), approximate="companies_approximate")
    consultations = CountColumn(
        verbose_name=_("Consultations"), approximate="consultations_approximate"
    )
    consultation_value_usd = UsdColumn(
        verbose_name=_("Consultation value (USD)"), approximate="consultation_value_approximate"
    )
    contract_value_usd = UsdColumn(
        verbose_name=_("Contract value (USD)"), approximate="contract_value_approximate"
    )
    mous = CountColumn(verbose_name=_("MOUs"))
    award_winners = CountColumn(verbose_name=_("Innovation Award winners"))
    companies_named = CountColumn(verbose_name=_("Companies named"))
    contracts_recorded = CountColumn(verbose_name=_("Contracts recorded"))
    contract_value_recorded_usd = UsdColumn(verbose_name=_("Recorded contract value (USD)"))
    mous_recorded = CountColumn(verbose_name=_("MOUs recorded"))
    award_winners_named = CountColumn(verbose_name=_("Award winners named"))
    city_ko, city_en = bilingual_columns("region__name", _("City"))
    pavilion_ko, pavilion_en = bilingual_columns("name", _("Pavilion"))

    export_units = _(
        "Counts are numbers of companies, consultations, agreements or award winners. Money "
        "columns are in US dollars, as the source states them or as the source itself converted "
        "them. Consultation value and contract value are different stages of a deal: never add "
        "them. An empty cell means that no source reports the figure."
    )

    class Meta(DataTable.Meta):
        model = Pavilion
        fields = []
        sequence = [
            "year",
            "city",
            "pavilion",
            "companies",
            "consultations",
            "consultation_value_usd",
            "contract_value_usd",
            "mous",
            "award_winners",
            "companies_named",
            "contracts_recorded",
            "contract_value_recorded_usd",
            "mous_recorded",
            "award_winners_named",
            "city_ko",
            "city_en",
            "pavilion_ko",
            "pavilion_en",
        ]
        order_by = ("-year", "city")
        empty_text = _("No pavilions match.")

    @staticmethod
    def rows():
        """The pavilion results table: one row a pavilion."""
        return Pavilion.objects.for_results_table()

    def render_contract_value_recorded_usd(self, value, record):
        if not record.contracts_recorded:
            return "—"
        return format_money(value, "USD")

    def value_contract_value_recorded_usd(self, value):
        # Without it, django-tables2 would export what render_ shows.
        return value

    def export_sources(self):
        """The pavilions' own articles and those of their reported figures."""
        pavilions = self.data.data.order_by().values("pk")
        return Source.objects.filter(
            Q(pavilions__in=pavilions) | Q(figures__pavilion__in=pavilions)
        ).distinct()


class AgreementTable(DataTable):
    """MOUs and agreements signed during the CES trips (/agreements/)."""

    year = year_column()
    city = NameColumn(
        "region__name", verbose_name=_("City"), linkify=lambda record: url_of(record.region)
    )
    signed_by = NameColumn(
        "company__name",
        verbose_name=_("Signed by"),
        linkify=lambda record: url_of(record.company),
        default=_("the city"),
    )
    kind = tables.Column(verbose_name=_("Kind"))
    status = tables.Column(verbose_name=_("Status"))
    partner = NameColumn("partner", verbose_name=_("Partner"))
    partner_country = tables.Column(verbose_name=_("Partner's country"))
    partner_count = tables.Column(verbose_name=_("Partners"), attrs=NUMBER)
    signed_on = tables.DateColumn(verbose_name=_("Signed on"), short=False)
    subject = NameColumn("subject", verbose_name=_("Subject"))
    pavilion = NameColumn(
        "pavilion__name",
        verbose_name=_("Pavilion"),
        linkify=lambda record: url_of(record.pavilion),
    )
    city_ko, city_en = bilingual_columns("region__name", _("City"))
    company_ko, company_en = bilingual_columns("company__name", _("Signed by"))
    partner_ko, partner_en = bilingual_columns("partner", _("Partner"))
    subject_ko, subject_en = bilingual_columns("subject", _("Subject"))
    place_ko, place_en = bilingual_columns("place", _("Place"))

    export_units = _(
        "One row per signing. 'Partners' is the number of partners one signing covers. An empty "
        "'Signed by' means the city itself signed."
    )

    class Meta(DataTable.Meta):
        model = Agreement
        fields = []
        sequence = [
            "year",
            "city",
            "signed_by",
            "kind",
            "status",
            "partner",
            "partner_country",
            "partner_count",
            "signed_on",
            "subject",
            "pavilion",
            "...",
        ]
        order_by = ("-year", "signed_on")
        empty_text = _("No agreements match.")

    def value_signed_on(self, value):
        return value

    @staticmethod
    def rows():
        """The agreements table: one row a signing."""
        return Agreement.objects.select_related("edition", "region", "company", "pavilion__edition")
