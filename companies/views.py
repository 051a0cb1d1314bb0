"""The analysts' tables of companies: companies, exhibits, contracts, awards, participation."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cesdash.exports import table_page
from cesdash.formatting import format_money, group

from .filters import AwardFilter, CompanyFilter, ContractFilter, ExhibitFilter, ParticipationFilter
from .tables import (
    AwardTable,
    CompanyTable,
    ContractTable,
    ExhibitTable,
    ParticipationTable,
    participation_years,
)


def company_list(request):
    return table_page(
        request,
        table_class=CompanyTable,
        filterset_class=CompanyFilter,
        name="companies",
        title=_("Companies"),
        lede=_(
            "Every company the sources name, with the records of what it did at CES. "
            "The sources usually name only a few of the companies they count."
        ),
    )


def exhibit_list(request):
    return table_page(
        request,
        table_class=ExhibitTable,
        filterset_class=ExhibitFilter,
        name="exhibits",
        title=_("Exhibits"),
        lede=_(
            "Which company exhibited at which CES, in which city's pavilion, and what it showed."
        ),
    )


def contract_totals(queryset):
    """The filtered contracts' sums, one a currency: the figures to check a download against."""
    return [
        (
            ngettext(
                "Total in %(currency)s (%(count)d contract)",
                "Total in %(currency)s (%(count)d contracts)",
                row["contracts"],
            )
            % {"currency": row["currency"], "count": row["contracts"]},
            f"{format_money(row['total'], row['currency'])} ({group(row['total'])})",
        )
        for row in ContractTable.totals(queryset)
    ]


def contract_list(request):
    return table_page(
        request,
        table_class=ContractTable,
        filterset_class=ContractFilter,
        name="contracts",
        title=_("Contracts"),
        lede=_(
            "Contracts companies signed at CES, each in the currency the source gives. "
            "Amounts in different currencies are never added up."
        ),
        summary=contract_totals,
    )


def award_list(request):
    return table_page(
        request,
        table_class=AwardTable,
        filterset_class=AwardFilter,
        name="awards",
        title=_("Innovation Awards"),
        lede=_("CES Innovation Awards won by the companies on record, year by year."),
    )


def participation(request):
    years = participation_years()
    return table_page(
        request,
        table_class=ParticipationTable,
        queryset=ParticipationTable.rows(years),
        filterset_class=ParticipationFilter,
        name="participation",
        title=_("Participation by year"),
        lede=_("Who came back, and with what result: one row per company, one column per CES."),
        table_kwargs={"years": years},
    )
