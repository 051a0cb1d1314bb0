"""The analysts' tables (django-tables2) and the pieces they share.

Every table shows names in the page's language and carries both the Korean and the English name
in hidden columns that only exports include; `value_<column>` methods and columns' `value()` give
the raw values that exports write, while the page shows them formatted. The rows come from one
documented read each (`CompanyRows.objects.for_companies_table()`, ...), passed in by the view.
"""

import copy
from collections import OrderedDict
from functools import cache

import django_tables2 as tables
from django.db import connections
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.expressions import OrderBy
from django.db.models.functions import NullIf
from django.db.models.query import ModelIterable, QuerySet
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext, pgettext_lazy
from django_tables2.data import TableQuerysetData
from django_tables2.utils import Accessor, OrderByTuple

from cesdash.formatting import format_count, format_money
from cesdash.models import (
    COVERAGE,
    RECORD_KINDS,
    CompanyRows,
    CompanySummary,
    CompanyYear,
    PavilionResults,
    RecordCount,
)
from companies.models import (
    Agreement,
    Company,
    Contract,
    Exhibit,
    InnovationAward,
)
from delegations.bilingual import localized, localized_fields
from delegations.models import (
    Edition,
    Metric,
    Pavilion,
    ReportedFigure,
    Source,
    add_reported_figures,
    page_url,
    reported_columns,
)

from .totals import Total, figure_marks

NUMBER = {"td": {"class": "num"}, "th": {"class": "num"}}
# Running text (a subject, a sector): wraps, but is never squeezed into a column of syllables.
LONG = {"td": {"class": "long"}}
NONE_ON_RECORD = _("none on record")
# The pager's words in django-tables2's template, which ships no Korean: translated in ours.
PAGER_WORDS = (gettext_noop("previous"), gettext_noop("next"))
# What a participation year column sorts by, in turn (`CompanyYear.rank` is this order).
YEAR_KINDS = ("awards", "contracts", "agreements", "exhibits")


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
        return OrderByTuple(localized_fields(self.prefix))

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
        return localized(record, name)

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


def export_only_columns(*headers):
    """Hidden columns, one a header, that only exports include (their accessor is the name
    they are given in the table)."""
    return tuple(tables.Column(verbose_name=header, visible=False) for header in headers)


def marks_html(marks):
    """The marks of a figure as the pages set them (see partials/marks.html)."""
    return format_html_join("", '<sup class="mark" title="{1}">{0}</sup>', marks)


class CountColumn(tables.Column):
    """A reported count; the page says 'not reported' where the export leaves the cell empty.

    `figure` names the row's flags of the figure the column shows (`<figure>_approximate`,
    `_preview`, `_mixed_kinds`): 약 before the number, and its marks after it, on the page.
    `zero` is what the page shows for 0 where the count is of itemised records ('none on
    record': a source naming none is not a source saying there were none); exports keep 0.
    """

    def __init__(self, *args, figure=None, zero=None, **kwargs):
        self.figure = figure
        self.zero = zero
        kwargs.setdefault("default", _("not reported"))
        kwargs.setdefault("attrs", NUMBER)
        super().__init__(*args, **kwargs)

    def flag(self, record, flag):
        return bool(getattr(record, f"{self.figure}_{flag}", False)) if self.figure else False

    def is_approximate(self, record):
        return self.flag(record, "approximate")

    def with_marks(self, shown, record):
        marks = figure_marks(**{f: self.flag(record, f) for f in ("preview", "mixed_kinds")})
        return format_html("{}{}", shown, marks_html(marks)) if marks else shown

    def render(self, value, record):
        if value == 0 and self.zero is not None:
            return self.zero
        return self.with_marks(format_count(value, self.is_approximate(record)), record)

    def value(self, value):
        return value


class FlagColumn(tables.BooleanColumn):
    """A yes/no flag: ✔ or ✘ on the page, a real boolean in exports (TRUE/FALSE in CSV)."""

    def value(self, value):
        return None if value is None else bool(value)


class UsdColumn(CountColumn):
    """An amount in US dollars: formatted on the page, the raw number in an export."""

    def render(self, value, record):
        return self.with_marks(format_money(value, "USD", self.is_approximate(record)), record)


class RowsByKey(TableQuerysetData):
    """A table's rows where a page of them is found by key first, then read in full.

    A page sorted on joined columns sorts every matching row: with the full rows (every
    related object the cells show) that is most of the time of a page of 200,000 exhibits.
    Finding the page's keys joins only what the filters and the sort need; the 50 rows are
    then read by key, in that order. (Rows that are groups with no key of their own, such as
    the results table's totals, are read as they are.)

    Sorted by year first (every table's default), the rows are counted a CES at a time instead
    of all at once: the counts give the total, and say which CES a page's rows are in, so only
    those are sorted (a page of the latest CES sorts its 10,000 exhibits, not 200,000). Where
    the counts are kept (`stored`), they give the total in any order.
    """

    YEAR = "edition__year"

    def __init__(self, data, year_alias=YEAR, groups=None, fields=()):
        super().__init__(data)
        self.year_alias = year_alias  # the year's name in the rows, where it is not YEAR
        # Where each row is a group: (CES id, groups) rows that add up to each CES's count,
        # read without grouping the rows themselves (`DataTable.groups_per_ces`).
        self.groups = groups
        # Where the rows are every published record of a kind: its counts kept a CES at a
        # time (`RecordCount`), read rather than counted (`DataTable.no_filter_in_use`).
        self.stored = None
        # Where the rows are every row of the read and one a row of another table: those rows,
        # counted instead (`CompanyTable.no_filter_in_use`).
        self.counted_by = None
        self.fields = fields  # what a page's rows are read with (`DataTable.page_fields`)

    @property
    def by_key(self):
        return self.data._iterable_class is ModelIterable

    def year_order(self):
        """Whether the rows are sorted by CES year first: False, or "asc" / "desc"."""
        order = self.data.query.order_by
        first = order[0] if order else None
        if not isinstance(first, OrderBy) or not isinstance(first.expression, F):
            return False
        if first.expression.name not in (self.YEAR, self.year_alias):
            return False
        return "desc" if first.descending else "asc"

    @cached_property
    def year_counts(self):
        """[(year, rows)] in the table's order of years."""
        rows = self.data.order_by()
        if rows.query.is_empty():  # filters that could not be understood
            return []
        if self.stored is not None:
            counts = RecordCount.objects.per_year(self.stored)
        elif rows.query.group_by is None:
            # A count for each CES, each read from the index on (CES, published) alone
            # (COUNT(*): counting ids makes PostgreSQL read the rows too). Grouping the rows
            # by year, joined to their CES, read all 200,000 exhibits.
            per_ces = rows.filter(edition=OuterRef("pk")).values("edition").annotate(n=Count("*"))
            counts = [
                (year, n)
                for year, n in Edition.objects.order_by()
                .annotate(n=Subquery(per_ces.values("n")))
                .values_list("year", "n")
                if n
            ]
        elif self.groups is not None:
            # Added up by CES, then joined to the CES for its year: grouped by the CES id, the
            # groups are counted down an index without sorting the rows.
            sql, params = self.groups.query.sql_with_params()
            editions = connections[rows.db].ops.quote_name(Edition._meta.db_table)
            with connections[rows.db].cursor() as cursor:
                cursor.execute(
                    f"SELECT ces.year, SUM(grouped.n) FROM ({sql}) grouped"
                    f" INNER JOIN {editions} ces ON ces.id = grouped.edition GROUP BY ces.year",
                    params,
                )
                counts = [(year, int(n)) for year, n in cursor.fetchall() if n]
        else:  # a row a group (a total, a pavilion's figures): the groups of each year
            sql, params = rows.values_list(self.year_alias).query.sql_with_params()
            with connections[rows.db].cursor() as cursor:
                cursor.execute(
                    f"SELECT grouped.*, COUNT(*) FROM ({sql}) grouped GROUP BY 1", params
                )
                counts = cursor.fetchall()
        return sorted(counts, reverse=self.year_order() == "desc")

    def __len__(self):
        # Every published record of a kind, in any order: its counts kept a CES at a time.
        if self.year_order() or self.stored is not None:
            return sum(n for _year, n in self.year_counts)
        if self.counted_by is not None and getattr(self, "_length", None) is None:
            self._length = self.counted_by.count()
        return super().__len__()

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step is not None:
            return super().__getitem__(key)
        rows = self.data
        start, stop = key.start or 0, key.stop
        if self.year_order() and stop is not None:
            years, before, skipped = [], 0, 0
            for year, n in self.year_counts:
                if before >= stop:
                    break
                if before + n > start:
                    years.append(year)
                else:
                    skipped += n
                before += n
            rows = rows.filter(**{f"{self.YEAR}__in": years})
            start, stop = start - skipped, stop - skipped
        if not self.by_key:
            return list(rows[start:stop])
        return self.read_by_key(list(rows.values_list("pk", flat=True)[start:stop]))

    def read_by_key(self, keys):
        """The rows with these keys, read in full, in the order of the keys."""
        rows = self.data.order_by().filter(pk__in=keys)
        if self.fields:
            related = {field.rpartition("__")[0] for field in self.fields} - {""}
            rows = rows.select_related(None).select_related(*related).only(*self.fields)
        by_key = {row.pk: row for row in rows}
        return [by_key[pk] for pk in keys]


class PavilionRows(RowsByKey):
    """The pavilion table's rows: a page's pavilions found by key as `RowsByKey` finds them,
    then read plainly with their figures beside them (`add_reported_figures`, a second query),
    rather than through the 34 aggregates that sort and filter the table: building and
    compiling those took longer than the read. Where the coverage is read with the rows (the
    table sorted by a coverage column), the rows are read as they are."""

    def read_by_key(self, keys):
        if any(name in self.data.query.annotations for name in COVERAGE):
            return super().read_by_key(keys)
        rows = PavilionResults.objects.select_related("edition", "region", "source")
        by_key = rows.in_bulk(keys)
        return add_reported_figures([by_key[pk] for pk in keys])


class ParticipationRows(RowsByKey):
    """The participation table's rows: sorted by a year (`YearColumn`), the companies that
    took part that year in the order of their rank (`CompanyYear.rank`, or `rank_reversed`
    the other way; an index), and the others by name (an index), each part read a page at a
    time, so no request sorts 50,000 companies. The same order as the sorted read an export
    makes. Any other order, a second column sorted by included, is `RowsByKey`'s.
    """

    def year_sort(self):
        """(year, whether those that took part come first) where the order is exactly a
        year column's, else None."""
        order = self.data.query.order_by
        if len(order) == 6 and order[5] in (F("pk").asc(), F("pk").desc()):
            order = order[:5]  # the key, for ties (`nulls_last`): the ranks' last key too
        if len(order) != 5 or not all(isinstance(o, OrderBy) for o in order):
            return None
        names = [o.expression.name if isinstance(o.expression, F) else None for o in order[:4]]
        year = names[0].removeprefix("awards_") if names[0] else ""
        if not year.isdigit() or names != [f"{kind}_{year}" for kind in YEAR_KINDS]:
            return None
        name = order[4].expression
        if not isinstance(name, NullIf) or name.source_expressions[0] != F("name_ko"):
            return None
        if len({o.descending for o in order}) != 2 or order[4].descending == order[0].descending:
            return None
        return int(year), order[0].descending

    @cached_property
    def parts(self):
        """The two parts in the table's order, each with its count."""
        year, took_part_first = self.year_sort()
        rank = "ces_years__rank" if took_part_first else "ces_years__rank_reversed"
        took_part = self.data.filter(ces_years__year=year).order_by(rank)
        at_year = CompanyYear.objects.filter(company=OuterRef("pk"), year=year)
        others = self.data.filter(~Exists(at_year)).order_by(*self.data.query.order_by[4:])
        if self.counted_by is not None:
            # Every company the dashboard may name (no filter in use): those that took part
            # are that year's company summaries, every one of them named (its published
            # records made it, `fill_company_summaries`), counted down the year's index rather
            # than joined to the companies and their summaries (20 ms on PostgreSQL).
            took = CompanyYear.objects.filter(year=year).count()
        else:
            took = took_part.count()
        total = RowsByKey.__len__(self)
        if took_part_first:
            return [(took_part, took), (others, total - took)]
        return [(others, total - took), (took_part, took)]

    def __len__(self):
        if self.year_sort() is None:
            return super().__len__()
        return sum(n for _rows, n in self.parts)

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step is not None or self.year_sort() is None:
            return super().__getitem__(key)
        start, stop = key.start or 0, key.stop if key.stop is not None else len(self)
        keys, before = [], 0
        for rows, n in self.parts:
            if start < before + n and stop > before:
                part = rows.values_list("pk", flat=True)
                keys += part[max(start - before, 0) : stop - before]
            before += n
        return self.read_by_key(keys)


class Columns(OrderedDict):
    """A table class's columns, which django-tables2 deep-copies for every table it makes
    (a thousand objects for a table of 25 columns: a few milliseconds of every table page).
    A table changes its columns' attributes (`order_by`, `accessor`) but not the objects they
    hold, so a copy of each column with its own `attrs` is enough."""

    def __deepcopy__(self, memo):
        return OrderedDict((name, copied(column, memo)) for name, column in self.items())


def copied(column, memo):
    column = copy.copy(column)
    column.attrs = copy.deepcopy(column.attrs, memo)
    return column


class DataTable(tables.Table):
    """Base of the analysts' tables: what an export says about itself besides its rows."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.base_columns = Columns(cls.base_columns)

    #: What the numbers are counted or measured in, for the export's description.
    export_units = ""
    #: Whether a page's rows are found by key before they are read (`RowsByKey`), and the
    #: name the rows give their CES year.
    rows_by_key = False
    year_alias = RowsByKey.YEAR

    rows_class = RowsByKey
    #: The fields a page's rows are read with, where not every field of every related row
    #: (`QuerySet.only()`, the related rows they name): what the visible columns show and
    #: link to. A field left out would be read again for each row, so tests/test_rendering.py
    #: checks that a page reads the same queries and shows the same with and without them.
    page_fields = ()

    def __init__(self, data=None, *args, **kwargs):
        if self.rows_by_key and TableQuerysetData.validate(data):
            data = self.rows_class(
                data, self.year_alias, groups=self.groups_per_ces(), fields=self.page_fields
            )
        super().__init__(data, *args, **kwargs)

    #: The kind of record a row is (`cesdash.models.COUNTED_RECORDS`), where each is one.
    counted = None

    def no_filter_in_use(self):
        """Told by the page that the rows are every published record of the table's kind:
        they are then counted a CES at a time from `RecordCount`, kept with the summaries,
        rather than counted (200,000 exhibits, on every visit to the table as it opens)."""
        if self.counted and isinstance(self.data, RowsByKey):
            self.data.stored = self.counted

    def groups_per_ces(self):
        """For a table whose rows are groups, a queryset of (`edition` id, `n` groups) rows
        that add up to how many rows each CES has, counted without forming the groups; None
        where the rows are counted."""
        return None

    class Meta:
        attrs = {"class": "data-table"}
        # An empty text cell stays empty: a dash reads as 'none' in a Korean table.
        default = ""

    def export_sources(self):
        """The articles the exported rows come from."""
        return Source.objects.filter(pk__in=self.data.data.order_by().values("source"))

    #: records -> None: adds to a page's (or an export batch's) records what is read for them
    #: only, rather than for every row the table sorts.
    prepare_records = None

    def paginate(self, *args, **kwargs):
        super().paginate(*args, **kwargs)
        if self.prepare_records:
            self.page.object_list = list(self.page.object_list)  # bound rows, read once
            self.prepare_records([row.record for row in self.page.object_list])


def bilingual_fields(*prefixes):
    """The Korean and English fields of bilingual names: ("region__name_ko", ...)."""
    return tuple(f"{prefix}_{code}" for prefix in prefixes for code in ("ko", "en"))


#: What a row's company column shows and links to, and its pavilion's city and pavilion.
COMPANY_FIELDS = ("company__slug", *bilingual_fields("company__name"))
PAVILION_FIELDS = (
    "pavilion__slug",
    "pavilion__edition__year",
    "pavilion__region__slug",
    *bilingual_fields("pavilion__name", "pavilion__region__name"),
)


#: The pavilion table's columns that its read computes with aggregates: each reported figure
#: and its flags (`reported_columns`), and the coverage of the itemised records (`COVERAGE`).
AGGREGATED = frozenset((*(name for name, _metric, _field in reported_columns()), *COVERAGE))


def sort_fields(name, column):
    """The fields (their first part, no direction) a table's column `name` sorts by."""
    keys = column.order_by or (column.accessor or name,)
    return {
        str(key).lstrip("-").replace(Accessor.LEGACY_SEPARATOR, "__").split("__")[0] for key in keys
    }


class PavilionTable(DataTable):
    rows_by_key = True
    rows_class = PavilionRows
    counted = "pavilions"
    year = year_column()
    city = NameColumn(
        "region__name",
        verbose_name=_("City"),
        linkify=lambda record: url_of(record.region),
    )
    pavilion = NameColumn("name", verbose_name=_("Pavilion"), linkify=True)
    companies = CountColumn(verbose_name=_("Companies"), figure="companies")
    consultations = CountColumn(verbose_name=_("Consultations"), figure="consultations")
    consultation_value_usd = UsdColumn(
        verbose_name=_("Consultation value (USD)"), figure="consultation_value"
    )
    contract_value_usd = UsdColumn(verbose_name=_("Contract value (USD)"), figure="contract_value")
    mous = CountColumn(verbose_name=_("MOUs"), figure="mous")
    award_winners = CountColumn(verbose_name=_("Innovation Award winners"), figure="award_winners")
    companies_named = CountColumn(verbose_name=_("Companies named"))
    contracts_recorded = CountColumn(verbose_name=_("Contracts recorded"))
    contract_value_recorded_usd = UsdColumn(verbose_name=_("Recorded contract value (USD)"))
    mous_recorded = CountColumn(verbose_name=_("MOUs recorded"))
    award_winners_named = CountColumn(verbose_name=_("Award winners named"))
    city_ko, city_en = bilingual_columns("region__name", _("City"))
    pavilion_ko, pavilion_en = bilingual_columns("name", _("Pavilion"))
    (
        consultation_value_value,
        consultation_value_currency,
        consultation_value_converted_value,
        consultation_value_converted_currency,
    ) = export_only_columns(
        _("Consultation value (source's currency)"),
        _("Consultation value currency"),
        _("Consultation value as the source converted it"),
        _("Consultation value conversion currency"),
    )
    (
        contract_value_value,
        contract_value_currency,
        contract_value_converted_value,
        contract_value_converted_currency,
    ) = export_only_columns(
        _("Contract value (source's currency)"),
        _("Contract value currency"),
        _("Contract value as the source converted it"),
        _("Contract value conversion currency"),
    )
    preview = FlagColumn(verbose_name=_("Preview"), visible=False)
    mixed_kinds = FlagColumn(verbose_name=_("Mixes kinds"), visible=False)
    source = tables.Column(accessor="source__key", verbose_name=_("Source"), visible=False)

    export_units = _(
        "Counts are numbers of companies, consultations, agreements or award winners. Money "
        "columns are in US dollars, as the source states them or as the source itself converted "
        "them; the columns in the source's currency repeat each amount as the source states it, "
        "with the source's own conversion. Consultation value and contract value are different "
        "stages of a deal: never add them. Preview is TRUE where a figure comes from an article "
        "written before the trip, Mixes kinds where a count covers companies and institutions "
        "together. An empty cell means that no source reports the figure."
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
            "...",
        ]
        order_by = ("-year", "city")
        empty_text = _("No pavilions match.")

    def __init__(self, data, add_coverage=None, **kwargs):
        super().__init__(data, **kwargs)
        self.prepare_records = add_coverage  # where the read leaves coverage to the page

    @classmethod
    def plain_sorts(cls):
        """The columns the table sorts by without its aggregates (`AGGREGATED`), whose rows
        are then read with their figures for a page only (`PavilionRows`)."""
        return plain_sorts(cls)

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
        # Two IN lists: an OR of the two joins made DISTINCT multiply them (20 s at scale).
        figures = ReportedFigure.objects.filter(pavilion__in=pavilions).order_by()
        return Source.objects.filter(
            Q(pk__in=self.data.data.order_by().values("source"))
            | Q(pk__in=figures.values("source"))
        )


@cache
def plain_sorts(table_class):
    columns = table_class.base_columns.items()
    return frozenset(name for name, column in columns if not sort_fields(name, column) & AGGREGATED)


def pavilion_summary(pavilions):
    """The pavilion table as the city and edition pages show it: reported figures and the
    companies named, without sorting links (the full table is at /pavilions/)."""
    recorded = ["contracts_recorded", "contract_value_recorded_usd", "mous_recorded"]
    return PavilionTable(pavilions, orderable=False, exclude=[*recorded, "award_winners_named"])


class AgreementTable(DataTable):
    """MOUs and agreements signed during the CES trips (/agreements/)."""

    rows_by_key = True
    counted = "agreements"

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
    signers_ko, signers_en = bilingual_columns("signers", _("Signed by others"))
    signer_count = tables.Column(verbose_name=_("Signers"), visible=False)
    kind = tables.Column(verbose_name=_("Kind"))
    status = tables.Column(verbose_name=_("Status"))
    partner = NameColumn("partner", verbose_name=_("Partner"), attrs=LONG)
    partner_country = tables.Column(verbose_name=_("Partner's country"))
    partner_count = tables.Column(verbose_name=_("Partners"), attrs=NUMBER)
    # A planned agreement's date is the day it is to be signed (see Status).
    signed_on = tables.DateColumn(
        verbose_name=_("Date signed or planned"), short=False, attrs={"td": {"class": "date"}}
    )
    subject = NameColumn("subject", verbose_name=_("Subject"), attrs=LONG)
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

    source = tables.Column(accessor="source__key", verbose_name=_("Source"), visible=False)

    page_fields = (
        "edition__year",
        "region__slug",
        "pavilion__slug",
        "pavilion__edition__year",
        *COMPANY_FIELDS,
        *bilingual_fields("region__name", "signers", "partner", "subject", "pavilion__name"),
        "kind",
        "status",
        "partner_country",
        "partner_count",
        "signed_on",
    )

    export_units = _(
        "One row per signing. 'Partners' is the number of partners one signing covers. 'Signed "
        "by' is the company on record that signed; 'Signed by others' names the signers where "
        "they are not one company on record (with their number, where the source gives it); "
        "where both are empty, the city itself signed."
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

    def render_signed_by(self, record, bound_column):
        others = localized(record, "signers")
        if record.company_id is None and others:
            return others
        return bound_column.column.render(record=record, bound_column=bound_column)

    def value_signed_by(self, record):
        # The company on record only; the other signers have their own columns.
        return localized(record.company, "name") if record.company_id else None


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


class CompanyRowsTable(DataTable):
    """A table whose rows are the companies the dashboard may name (`for_companies_table`)."""

    rows_by_key = True

    def no_filter_in_use(self):
        """Every company the dashboard may name: counted from their summaries alone, one row
        a company, which the view brought up to date, rather than joined to the companies
        (75 ms on PostgreSQL, a hash of 50,000 rows)."""
        if isinstance(self.data, RowsByKey):
            self.data.counted_by = CompanySummary.objects.filter(public=True)


class CompanyTable(CompanyRowsTable):
    """Every company on record, with what it did at CES in all years (/companies/)."""

    company = NameColumn("name", verbose_name=_("Company"), linkify=True)
    region = NameColumn(
        "region__name",
        verbose_name=_("Home region"),
        linkify=lambda record: url_of(record.region),
    )
    sector = NameColumn("sector", verbose_name=_("Sector"), attrs=LONG)
    programme = NameColumn("programme", verbose_name=_("Support programme"), attrs=LONG)
    ces = CountColumn(accessor="ces_count", verbose_name=_("CES on record"), zero=NONE_ON_RECORD)
    awards = CountColumn(
        accessor="award_count", verbose_name=_("Innovation Awards"), zero=NONE_ON_RECORD
    )
    contracts = CountColumn(
        accessor="contract_count", verbose_name=_("Contracts"), zero=NONE_ON_RECORD
    )
    contract_value_usd = UsdColumn(verbose_name=_("Contract value (USD)"))
    agreements = CountColumn(
        accessor="agreement_count", verbose_name=_("MOUs"), zero=NONE_ON_RECORD
    )
    company_ko, company_en = bilingual_columns("name", _("Company"))
    name_en_from_source = FlagColumn(verbose_name=_("English name from a source"), visible=False)
    region_ko, region_en = bilingual_columns("region__name", _("Home region"))
    sector_ko, sector_en = bilingual_columns("sector", _("Sector"))
    programme_ko, programme_en = bilingual_columns("programme", _("Support programme"))

    source = tables.Column(accessor="source__key", verbose_name=_("Source"), visible=False)

    page_fields = ("slug", "region__slug", *bilingual_fields("name", "region__name", "sector"))
    page_fields += bilingual_fields("programme")

    export_units = _(
        "Counts are of the itemised records the sources name, which are often fewer than the "
        "totals the sources report. Contract value is the sum of the company's recorded "
        "contracts stated in US dollars; an empty cell means none is."
    )

    class Meta(DataTable.Meta):
        model = Company
        fields = []
        sequence = ["company", "region", "sector", "programme", "ces", "awards", "..."]
        order_by = ("company",)
        empty_text = _("No companies match.")


# -------------------------------------------------------------------------------------- exhibits


class ExhibitTable(DataTable):
    """Companies at a CES, and at which pavilion when the source says (/exhibits/)."""

    rows_by_key = True
    counted = "exhibits"

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
    showed = NameColumn("showed", verbose_name=_("What it showed"), attrs=LONG)
    city_ko, city_en = bilingual_columns("pavilion__region__name", _("City"))
    pavilion_ko, pavilion_en = bilingual_columns("pavilion__name", _("Pavilion"))
    company_ko, company_en = bilingual_columns("company__name", _("Company"))
    region_ko, region_en = bilingual_columns("company__region__name", _("Home region"))
    sector_ko, sector_en = bilingual_columns("company__sector", _("Sector"))
    showed_ko, showed_en = bilingual_columns("showed", _("What it showed"))

    source = tables.Column(accessor="source__key", verbose_name=_("Source"), visible=False)

    page_fields = (
        "edition__year",
        *PAVILION_FIELDS,
        *COMPANY_FIELDS,
        "company__region__slug",
        *bilingual_fields("company__region__name", "company__sector", "showed"),
    )

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

    rows_by_key = True
    counted = "contracts"

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
    approximate = FlagColumn(verbose_name=_("Approximate"), visible=False)
    usd_amount = UsdColumn(verbose_name=_("Amount (USD)"), visible=False)
    subject = NameColumn("subject", verbose_name=_("Subject"), attrs=LONG)
    city_ko, city_en = bilingual_columns("pavilion__region__name", _("City"))
    pavilion_ko, pavilion_en = bilingual_columns("pavilion__name", _("Pavilion"))
    company_ko, company_en = bilingual_columns("company__name", _("Company"))
    counterparty_ko, counterparty_en = bilingual_columns("counterparty", _("Counterparty"))
    subject_ko, subject_en = bilingual_columns("subject", _("Subject"))

    source = tables.Column(accessor="source__key", verbose_name=_("Source"), visible=False)

    page_fields = (
        "edition__year",
        *PAVILION_FIELDS,
        *COMPANY_FIELDS,
        *bilingual_fields("counterparty", "subject"),
        "amount",
        "currency",
        "approximate",
    )

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

    def render_currency(self, record):
        return record.currency

    def value_currency(self, record):
        return record.currency or None

    def value_approximate(self, record):
        return record.approximate if record.amount is not None else None


# ---------------------------------------------------------------------------------------- awards


class AwardTable(DataTable):
    """CES Innovation Awards, one row a company and year (/awards/)."""

    rows_by_key = True
    counted = "awards"

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
    implied = FlagColumn(verbose_name=_("Implied"), visible=False)
    company_ko, company_en = bilingual_columns("company__name", _("Company"))
    region_ko, region_en = bilingual_columns("company__region__name", _("Home region"))
    categories_ko, categories_en = bilingual_columns("categories", _("Categories"))

    source = tables.Column(accessor="source__key", verbose_name=_("Source"), visible=False)

    page_fields = (
        "edition__year",
        *COMPANY_FIELDS,
        "company__region__slug",
        *bilingual_fields("company__region__name", "company__sector", "categories"),
        "category_count",
        "streak_reported",
    )

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


# --------------------------------------------------------------------------------- participation


class YearColumn(tables.Column):
    """One CES year of the participation matrix: what the sources record of the company there
    (`CompanyYear`), or empty."""

    empty_values = ()

    def __init__(self, year, **kwargs):
        self.year = year
        kwargs.setdefault("verbose_name", str(year))
        kwargs.setdefault(
            "order_by",
            (*(f"-{kind}_{year}" for kind in YEAR_KINDS), "name_ko"),
        )
        super().__init__(accessor=f"exhibits_{year}", **kwargs)
        self.fields = tuple(f"{kind}_{year}" for kind in RECORD_KINDS)

    def describe(self, record):
        exhibits, awards, contracts, agreements = (getattr(record, name) for name in self.fields)
        if not (exhibits or awards or contracts or agreements):
            return ""  # most companies at most CES: no translations to look up
        parts = []
        if exhibits:
            parts.append(str(_("exhibited")))
        if awards:
            parts.append(
                ngettext("Innovation Award", "%(count)d Innovation Awards", awards)
                % {"count": awards}
            )
        if contracts:
            parts.append(
                ngettext("%(count)d contract", "%(count)d contracts", contracts)
                % {"count": contracts}
            )
        if agreements:
            parts.append(
                ngettext("%(count)d agreement", "%(count)d agreements", agreements)
                % {"count": agreements}
            )
        return ", ".join(parts)

    def render(self, record):
        return self.describe(record) or "—"

    def value(self, record):
        return self.describe(record) or None


class ParticipationTable(CompanyRowsTable):
    """Company × CES year: who came back, and with what result (/participation/)."""

    rows_class = ParticipationRows

    company = NameColumn("name", verbose_name=_("Company"), linkify=True)
    region = NameColumn(
        "region__name",
        verbose_name=_("Home region"),
        linkify=lambda record: url_of(record.region),
    )
    years = CountColumn(accessor="ces_count", verbose_name=_("Years at CES"))
    company_ko, company_en = bilingual_columns("name", _("Company"))

    source = tables.Column(accessor="source__key", verbose_name=_("Source"), visible=False)

    page_fields = ("slug", "region__slug", *bilingual_fields("name", "region__name"))

    export_units = _(
        "One row per company, one column per CES year. A cell lists what the sources record "
        "for that year: exhibited, Innovation Awards, the number of contracts and of "
        "agreements signed. An empty cell means that no source records the company at that CES."
    )

    class Meta(DataTable.Meta):
        model = Company
        fields = []
        sequence = ["company", "region", "years", "...", "company_ko", "company_en", "source"]
        order_by = ("company",)
        empty_text = _("No companies match.")

    def __init__(self, data, years=(), **kwargs):
        self.years = years
        columns = [(f"y{year}", YearColumn(year)) for year in years]
        super().__init__(data, extra_columns=columns, **kwargs)

    def prepare_records(self, records):
        """Give each company of a page (or of an export's batch) its year columns, read in
        one query for them all."""
        ids = [record.pk for record in records]
        cells = CompanyRows.objects.participation_cells(ids)
        for record in records:
            for year in self.years:
                cell = cells.get((record.pk, year))
                for kind in RECORD_KINDS:
                    setattr(record, f"{kind}_{year}", getattr(cell, kind) if cell else 0)


# --------------------------------------------------------------------------------------- results


# What a count counts, as the page shows it; exports carry the stable key (METRIC_UNITS).
UNIT_LABELS = {
    "companies": pgettext_lazy("unit", "companies"),
    "consultations": pgettext_lazy("unit", "consultations"),
    "agreements": pgettext_lazy("unit", "agreements"),
    "people": pgettext_lazy("unit", "people"),
}


def total_of(record):
    """A row of `ReportedFigure.objects.city_totals()` as the pages show it."""
    return Total.from_row(record, {})


class ResultsTable(DataTable):
    """Each city's totals per CES, as the home, city and edition pages and every chart show
    them: one row per city, CES and figure (/results/)."""

    rows_by_key = True
    year_alias = "year"

    def __init__(self, figures=None, *args, **kwargs):
        """`figures`: the (filtered) reported figures, which the table shows as totals (or
        the rows themselves, where they are not a queryset)."""
        self.figures = figures
        totals = figures.city_totals() if isinstance(figures, QuerySet) else figures
        super().__init__(totals, *args, **kwargs)
        # The city sorts by its name in the page's language, falling back to the other.
        self.columns["city"].column.order_by = OrderByTuple(localized_fields("city"))

    def groups_per_ces(self):
        # Every city, CES and figure with a figure on record has a total (a city-wide figure,
        # else its pavilions'), and the filters are on those three, so the totals are counted
        # from the figures' keys: counting the grouped totals read every figure with its city,
        # source and pavilion, most of the page's time.
        # (The index on CES, published, figure and city gives the groups in order.)
        return (
            self.figures.order_by()
            .values("edition", "metric")
            .annotate(n=Count("region", distinct=True))
            .values_list("edition", "n")
        )

    year = tables.Column(
        accessor="year",
        verbose_name=_("Year"),
        linkify=lambda record: page_url("edition", record["year"]),
    )
    city = tables.Column(
        accessor="city_ko",
        verbose_name=_("City"),
        linkify=lambda record: page_url("city", record["city_slug"]),
    )
    figure = tables.Column(accessor="metric", verbose_name=_("Figure"), orderable=False)
    value = tables.Column(verbose_name=_("Value"), attrs=NUMBER)
    unit = tables.Column(accessor="metric", verbose_name=_("Unit"), orderable=False)
    currency = tables.Column(verbose_name=_("Currency"))
    usd = UsdColumn(verbose_name=_("Value in USD"), visible=False)
    approximate = FlagColumn(verbose_name=_("Approximate"), visible=False)
    preview = FlagColumn(verbose_name=_("Preview"), visible=False)
    mixed_kinds = FlagColumn(verbose_name=_("Mixes kinds"), visible=False)
    converted_value = tables.Column(
        verbose_name=_("Source's conversion"), orderable=False, visible=False
    )
    conversion_currency = tables.Column(
        verbose_name=_("Conversion currency"), orderable=False, visible=False
    )
    scope = tables.Column(accessor="metric", verbose_name=_("Covers"), orderable=False)
    pavilions = CountColumn(verbose_name=_("Pavilions added up"), visible=False)
    source = tables.Column(
        accessor="source_key",
        verbose_name=_("Source"),
        orderable=False,
        linkify=lambda record: page_url("source", record["source_key"]),
    )
    city_slug = tables.Column(verbose_name=_("City key"), visible=False)
    metric = tables.Column(verbose_name=_("Figure key"), visible=False)
    city_ko, city_en = bilingual_columns("city", _("City"))

    export_units = _(
        "One row per city, CES and figure: the totals the pages and charts show. A city-wide "
        "figure is the source's own total; otherwise the city's pavilions are added up, and "
        "'Covers' says which. Counts are of companies, consultations, agreements or award "
        "winners (see Unit); money is in the Currency column, with the source's own conversion "
        "where it gives one. Approximate is TRUE where the source says 'about', Preview where "
        "the source was written before the trip (a plan, not a result), Mixes kinds where a "
        "count covers companies and institutions together. A figure no source reports has no "
        "row."
    )

    class Meta(DataTable.Meta):
        model = ReportedFigure
        fields = []
        sequence = ["year", "city", "figure", "value", "unit", "currency", "scope", "source", "..."]
        order_by = ("-year", "city", "metric")
        empty_text = _("No results match.")

    def render_city(self, record):
        return next(record[name] for name in localized_fields("city") if record[name])

    def value_city(self, record):
        return self.render_city(record)

    def render_figure(self, value):
        return capfirst(Metric(value).label)

    def render_value(self, record):
        total = total_of(record)
        return format_html("{}{}", total.display, marks_html(total.marks))

    def value_value(self, record):
        return record["value"]

    def render_unit(self, record):
        unit = total_of(record).unit
        return UNIT_LABELS.get(unit, unit)

    def value_unit(self, record):
        return total_of(record).unit

    def render_currency(self, value):
        return value

    def value_currency(self, value):
        return value or None

    def render_scope(self, record):
        return total_of(record).scope_display

    def value_scope(self, record):
        return str(total_of(record).scope_display)

    def value_converted_value(self, value):
        return value

    def value_conversion_currency(self, value):
        return value or None

    def export_sources(self):
        keys = self.data.data.order_by().values("source_key")
        return Source.objects.filter(key__in=[row["source_key"] for row in keys])
