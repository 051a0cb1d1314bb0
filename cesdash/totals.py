"""A city's totals at each CES, as the home, city and edition pages show them.

The database does the work (`ReportedFigure.objects.city_totals()`: which scope wins, the
sums); this module finds the earlier total each one is shown against, wraps each row so a page
can show it in its language, and puts the itemised records counted for the same city and year
beside it.
"""

from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cesdash.formatting import format_count, format_money
from delegations.models import (
    HEADLINE_METRICS,
    METRIC_UNITS,
    MONEY_METRICS,
    Metric,
    Pavilion,
    Source,
)

# The marks beside a figure, as Korean statistical tables mark preliminary (p) and estimated (e)
# figures; every page explains them in its legend. Approximate figures say 약 / about in words.
MARKS = {
    "preview": ("p", gettext_lazy("from an article written before the trip: a plan, not a result")),
    "implied": ("e", gettext_lazy("implied by what an article says, not stated as such")),
    "mixed_kinds": ("*", gettext_lazy("counts companies and institutions together")),
}


def figure_marks(**flags):
    """[(mark, meaning)] for the flags that are set, in the legend's order."""
    return [MARKS[flag] for flag in MARKS if flags.get(flag)]


# The columns of a `city_totals()` row for each kind of pavilion: (kind, count, value).
KIND_COLUMNS = tuple((kind, f"{kind}_pavilions", f"{kind}_value") for kind in Pavilion.Kind)


def scope_parts(row, counts_only=False):
    """(kind, pavilions, value) of each kind of pavilion a `city_totals()` row adds up; with
    `counts_only`, (kind, pavilions): the scope a change is computed within."""
    if counts_only:
        return tuple((kind, row[count]) for kind, count, _value in KIND_COLUMNS if row[count])
    return tuple(
        (kind, row[count], row[value]) for kind, count, value in KIND_COLUMNS if row[count]
    )


# The columns of a `city_totals()` row that `Results.build` reads, in this order: the fields of
# a `Total` (as `Total.from_row` reads them), then each kind of pavilion's count and value.
TOTAL_COLUMNS = (
    "region",
    "metric",
    "year",
    "value",
    "currency",
    "usd",
    "approximate",
    "preview",
    "mixed_kinds",
    "converted_value",
    "conversion_currency",
    "source_key",
    "first_figure",
    "figures",
    *(column for _kind, count, value in KIND_COLUMNS for column in (count, value)),
)
# The columns of a row of `cesdash.models.CityTotal` as `Results.build` reads it: those of its
# total (`figures` 0 where none is reported), then how many itemised records of the figure are
# on record (NULL where none is, or the figure has no itemised kind).
RESULT_COLUMNS = (*TOTAL_COLUMNS, "recorded")
SOURCE_KEY = TOTAL_COLUMNS.index("source_key")
FIGURES = TOTAL_COLUMNS.index("figures")
RECORDED = RESULT_COLUMNS.index("recorded")
# (kind, index of its count, index of its value) in a row of `TOTAL_COLUMNS`.
KIND_INDEXES = tuple(
    (kind, TOTAL_COLUMNS.index(count), TOTAL_COLUMNS.index(value))
    for kind, count, value in KIND_COLUMNS
)


@dataclass(frozen=True)
class Total:
    """A city's figure at one CES, with where it comes from and what it covers.

    What does not depend on the page's language is worked out once (`cached_property`: a page
    asks for it in a card, a chart and a table); the texts (`display` ...) are not, since one
    total may be shown in both languages."""

    metric: str
    year: int
    value: int | None
    currency: str
    usd: int | None
    approximate: bool
    preview: bool = False  # from an article written before the trip: a plan, not a result
    mixed_kinds: bool = False  # a count of companies and institutions together
    converted_value: int | None = None
    converted_currency: str = ""
    source: Source | None = None
    figure_id: int | None = None  # the one figure behind the total, for a link to its row
    # (kind, pavilions, value) for each kind of pavilion added up; empty for a city-wide figure.
    parts: tuple = ()
    previous: "Total | None" = None  # the same figure at the last earlier CES that reported it
    like: "Total | None" = None  # ... at the last earlier CES whose total has the same scope
    # Its markup by language, made once by the `total` template tag (`total_html`).
    rendered: dict = field(default_factory=dict, compare=False, repr=False)
    # The link to its source by language, made once for every total of a page (`Results.build`
    # gives its totals one dict): a page's hundreds of totals cite a handful of sources.
    source_links: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_row(cls, row, sources, previous=None, like=None):
        """A row of `city_totals()`, its source looked up in `sources` (by key), with the
        earlier totals it is shown against."""
        return cls(
            metric=row["metric"],
            year=row["year"],
            value=row["value"],
            currency=row["currency"] or "",
            usd=row["usd"],
            approximate=bool(row["approximate"]),
            preview=bool(row["preview"]),
            mixed_kinds=bool(row["mixed_kinds"]),
            converted_value=row["converted_value"],
            converted_currency=row["conversion_currency"] or "",
            source=sources.get(row["source_key"]),
            figure_id=row["first_figure"] if row["figures"] == 1 else None,
            parts=scope_parts(row),
            previous=previous,
            like=like,
        )

    @cached_property
    def is_money(self):
        return self.metric in MONEY_METRICS

    @cached_property
    def marks(self):
        """The marks a Korean statistical table puts beside the figure (see MARKS)."""
        return figure_marks(preview=self.preview, mixed_kinds=self.mixed_kinds)

    @property
    def unit(self):
        return self.currency if self.is_money else METRIC_UNITS[self.metric]

    @cached_property
    def pavilions(self):
        return sum(count for _kind, count, _value in self.parts)

    @property
    def scope(self):
        """'delegation' for the source's own city-wide total, else 'pavilions' (added up)."""
        return "pavilions" if self.parts else "delegation"

    @cached_property
    def is_sum(self):
        return self.pavilions > 1

    @property
    def scope_display(self):
        """What the total covers: 'whole delegation', 'main pavilion', or its parts added up
        ('main pavilion 25 + sports pavilion 14')."""
        if not self.parts:
            return _("whole delegation")
        if not self.is_sum:
            return Pavilion.Kind(self.parts[0][0]).label
        return " + ".join(
            f"{Pavilion.Kind(kind).label}{f' ×{count}' if count > 1 else ''}"
            + (f" {self.format(value)}" if value is not None else "")  # not across currencies
            for kind, count, value in self.parts
        )

    def format(self, value, approximate=False):
        if self.is_money:
            return format_money(value, self.currency, approximate)
        return format_count(value, approximate)

    @property
    def display(self):
        if self.is_money and self.value is None:  # pavilions in different currencies: USD only
            return format_money(self.usd, "USD", self.approximate)
        return self.format(self.value, self.approximate)

    @property
    def converted_display(self):
        if self.converted_value is None:
            return ""
        return format_money(self.converted_value, self.converted_currency, approximate=True)

    @cached_property
    def chart_value(self):
        """What a chart plots: counts as they are, money in USD (the source's own conversion)."""
        return self.usd if self.is_money else self.value

    # The change against `like`, the last earlier total of the same scope: shown only where
    # both are known. `previous` of another scope is shown beside it, never subtracted.

    @property
    def comparable(self):
        return (
            self.like is not None
            and self.chart_value is not None
            and self.like.chart_value is not None
        )

    @property
    def previous_in_another_scope(self):
        """The last earlier total, where it covers something else than this one."""
        if self.previous is None or (self.like and self.like.year == self.previous.year):
            return None
        return self.previous

    @property
    def delta(self):
        return self.chart_value - self.like.chart_value if self.comparable else None

    @property
    def delta_display(self):
        delta = self.delta
        if delta is None:
            return ""
        sign = "+" if delta > 0 else "−" if delta < 0 else "±"
        approximate = self.approximate or self.like.approximate
        if self.is_money:
            return sign + format_money(abs(delta), "USD", approximate)
        return sign + format_count(abs(delta), approximate)

    @property
    def direction(self):
        delta = self.delta
        if delta is None:
            return "none"
        return "up" if delta > 0 else "down" if delta < 0 else "same"


@dataclass(frozen=True)
class Cell:
    """One figure of a results row: the reported total (None: not reported) and how many
    itemised records of it are on record (None where the figure has no itemised kind)."""

    metric: str
    total: Total | None
    recorded: int | None = None
    earlier: Total | None = None  # where `total` is not reported: the last earlier CES's total

    @property
    def label(self):
        return Metric(self.metric).label


@dataclass
class Results:
    """Every total of the cities and years read, with the itemised counts beside them."""

    totals: dict = field(default_factory=dict)  # (city id, year, metric) -> Total
    recorded: dict = field(default_factory=dict)  # (city id, year, metric) -> count
    # (city id, year, metric) -> every total read, as a later one is shown against it: the
    # total itself, or where its year is not built (not in `totals`), a Total of its figure
    # and scope only.
    earlier: dict = field(default_factory=dict)

    @classmethod
    def build(cls, rows, years=None):
        """From rows of `RESULT_COLUMNS` in the order of their city, figure and year
        (`cesdash.models.city_total_rows`): each city's totals with the itemised records
        counted beside them; the totals of `years` only, where a page shows only those (the
        earlier years' rows are still read, for the totals they are shown against).

        Each total gets the same figure at the last earlier CES that reported it (`previous`),
        never a year that reported nothing, which would be a fake change from 0; and at the
        last earlier CES whose total has the same scope (`like`: the whole delegation, or the
        same kinds of pavilion), the only one a change may be computed against.

        The rows are tuples, in the order the earlier totals are found in: a page reads
        hundreds of them, and a dict and a sort a row took a good part of its time.
        """
        from cesdash.caching import sources_by_key  # which reads DataVersion, a model

        recorded = {}
        reported = []
        for row in rows:
            if row[RECORDED] is not None:
                recorded[row[0], row[2], row[1]] = row[RECORDED]
            if row[FIGURES]:  # a total reported (`CityTotal.objects.reported()`)
                reported.append(row)
        sources = sources_by_key({row[SOURCE_KEY] for row in reported})
        totals, previous, like, earlier, source_links = {}, {}, {}, {}, {}
        for row in reported:
            region, metric, year = row[0], row[1], row[2]
            parts = tuple(
                (kind, row[count], row[value]) for kind, count, value in KIND_INDEXES if row[count]
            )
            figure = (region, metric)
            scope = (region, metric, tuple((kind, count) for kind, count, _value in parts))
            value, currency, usd, approximate = row[3], row[4] or "", row[5], bool(row[6])
            if years is None or year in years:
                total = totals[region, year, metric] = Total(
                    metric,
                    year,
                    value,
                    currency,
                    usd,
                    approximate,
                    bool(row[7]),
                    bool(row[8]),
                    row[9],
                    row[10] or "",
                    sources.get(row[SOURCE_KEY]),
                    row[12] if row[13] == 1 else None,
                    parts,
                    previous.get(figure),
                    like.get(scope),
                    source_links=source_links,
                )
            else:
                # A year not built: its figure and scope, all that a later total reads of it.
                total = Total(metric, year, value, currency, usd, approximate, parts=parts)
            previous[figure] = like[scope] = earlier[region, year, metric] = total
        return cls(totals, recorded, earlier)

    def get(self, city_id, year, metric):
        return self.totals.get((city_id, year, metric))

    def cells(self, city_id, year):
        """The headline figures of one city at one CES, in the order every table shows them."""
        return [
            Cell(
                metric,
                total := self.get(city_id, year, metric),
                self.recorded.get((city_id, year, metric)),
                None if total else self.last_before(city_id, year, metric),
            )
            for metric in HEADLINE_METRICS
        ]

    def last_before(self, city_id, year, metric):
        """The city's total of `metric` at the last CES before `year` that reported it, as a
        later total is shown against it (at least its figure and scope: `earlier`)."""
        years = self.years_reported.get((city_id, metric), ())
        found = bisect_left(years, year)
        return self.earlier[city_id, years[found - 1], metric] if found else None

    @cached_property
    def years_reported(self):
        """{(city id, metric): the years it is reported, in order}: a page asks for the last
        earlier total of each figure not reported at a CES, a dozen cities' worth."""
        years = {}
        for city, year, metric in sorted(self.earlier):
            years.setdefault((city, metric), []).append(year)
        return years

    def years(self, city_id=None):
        """The years with any total or record (of one city, or of all)."""
        keys = list(self.earlier) + list(self.recorded)
        return sorted({year for city, year, _metric in keys if city_id in (None, city)})

    def series(self, city_id, metric, years):
        """Values to plot for every year in `years`: None (a gap) where not reported."""
        return [self.get(city_id, year, metric) for year in years]
