"""Tables of pavilions and their results (django-tables2)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from cesdash.formatting import format_count, format_money

from .models import Pavilion


class CountColumn(tables.Column):
    """A reported count; the page says 'not reported' where the export leaves the cell empty."""

    def __init__(self, *args, approximate=None, **kwargs):
        self.approximate = approximate
        kwargs.setdefault("default", None)
        kwargs.setdefault("attrs", {"td": {"class": "num"}, "th": {"class": "num"}})
        super().__init__(*args, **kwargs)

    def render(self, value, record):
        flag = getattr(record, self.approximate, False) if self.approximate else False
        return format_count(value, flag)

    def value(self, value):
        return value


class UsdColumn(CountColumn):
    def render(self, value, record):
        flag = getattr(record, self.approximate, False) if self.approximate else False
        return format_money(value, "USD", flag)


class PavilionTable(tables.Table):
    year = tables.Column(
        accessor="edition__year",
        verbose_name=_("Year"),
    )
    city = tables.Column(
        accessor="region__name",
        verbose_name=_("City"),
        order_by=("region__name_ko",),
    )
    pavilion = tables.Column(accessor="name", verbose_name=_("Pavilion"), order_by=("name_ko",))
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

    class Meta:
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
        ]
        order_by = ("-year", "city")
        attrs = {"class": "data-table"}
        empty_text = _("No pavilions match.")

    def render_contract_value_recorded_usd(self, value, record):
        if not record.contracts_recorded:
            return "—"
        return format_money(value, "USD")

    def value_contract_value_recorded_usd(self, value):
        return value
