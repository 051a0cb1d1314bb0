"""A city's results at each CES, shaped from `ReportedFigure.objects.delegation_totals()`.

The database adds the figures up; this module only arranges the rows by city and year and finds,
for each figure, the previous CES that reported it, so a change is never computed against an
unreported year (which would be a fake change from 0).
"""

from dataclasses import dataclass

from cesdash.formatting import format_count, format_money

from .models import Metric, ReportedFigure, Source

# The figures every results view shows, in order. Consultation value and contract value are
# different stages of a deal: separate metrics, separate charts, never added.
HEADLINE_METRICS = [
    Metric.COMPANIES,
    Metric.CONSULTATIONS,
    Metric.CONSULTATION_VALUE,
    Metric.CONTRACT_VALUE,
    Metric.MOUS,
    Metric.AWARD_WINNERS,
]
MONEY = {Metric.CONSULTATION_VALUE, Metric.CONTRACT_VALUE}


@dataclass(frozen=True)
class Total:
    """A city's figure at one CES, with where it comes from."""

    metric: str
    year: int
    value: int
    currency: str
    usd: int | None
    approximate: bool
    converted_value: int | None
    converted_currency: str
    source: Source | None
    figure_id: int | None = None  # the one figure behind the total, for a link to its row

    @property
    def is_money(self):
        return self.metric in MONEY

    @property
    def display(self):
        if self.is_money:
            if self.value is None:  # pavilions reported in different currencies: USD only
                return format_money(self.usd, "USD", self.approximate)
            return format_money(self.value, self.currency, self.approximate)
        return format_count(self.value, self.approximate)

    @property
    def converted_display(self):
        if self.converted_value is None:
            return ""
        return format_money(self.converted_value, self.converted_currency, approximate=True)

    @property
    def chart_value(self):
        """What a chart plots: counts as they are, money in USD (the source's own conversion)."""
        return self.usd if self.is_money else self.value


@dataclass(frozen=True)
class Change:
    total: Total | None
    previous: Total | None

    @property
    def delta(self):
        if not (self.total and self.previous):
            return None
        return self.total.chart_value - self.previous.chart_value if self.comparable else None

    @property
    def comparable(self):
        return (
            self.total is not None
            and self.previous is not None
            and self.total.chart_value is not None
            and self.previous.chart_value is not None
        )

    @property
    def approximate(self):
        return bool(
            (self.total and self.total.approximate) or (self.previous and self.previous.approximate)
        )

    @property
    def delta_display(self):
        delta = self.delta
        if delta is None:
            return ""
        sign = "+" if delta > 0 else "−" if delta < 0 else "±"
        magnitude = abs(delta)
        text = (
            format_money(magnitude, "USD", self.approximate)
            if self.total.is_money
            else format_count(magnitude, self.approximate)
        )
        return f"{sign}{text}"

    @property
    def direction(self):
        delta = self.delta
        if delta is None:
            return "none"
        return "up" if delta > 0 else "down" if delta < 0 else "same"


class CityResults:
    """Every reported total, by city and year: `results[region_id][year][metric] -> Total`."""

    def __init__(self, figures=None):
        figures = ReportedFigure.objects.all() if figures is None else figures
        rows = list(figures.delegation_totals())
        sources = Source.objects.in_bulk({row["first_source"] for row in rows})
        self.by_city = {}
        for row in rows:
            years = self.by_city.setdefault(row["region"], {})
            metrics = years.setdefault(row["edition__year"], {})
            if row["metric"] in metrics:
                continue  # the city-wide row came first and wins over the pavilions' sum
            one_currency = row["currencies"] <= 1
            metrics[row["metric"]] = Total(
                metric=row["metric"],
                year=row["edition__year"],
                value=row["total"] if one_currency else None,
                currency=row["money_currency"],
                usd=row["usd"] if row["usd_rows"] == row["rows"] else None,
                approximate=row["approximate_rows"] > 0,
                converted_value=(
                    row["converted_total"]
                    if one_currency and row["converted_rows"] == row["rows"]
                    else None
                ),
                converted_currency=row["conversion_currency"],
                source=sources.get(row["first_source"]),
                figure_id=row["first_figure"] if row["rows"] == 1 else None,
            )

    def get(self, region_id, year, metric):
        return self.by_city.get(region_id, {}).get(year, {}).get(metric)

    def years(self, region_id=None):
        cities = [region_id] if region_id else self.by_city
        return sorted({year for city in cities for year in self.by_city.get(city, {})})

    def latest_year(self, region_id=None):
        years = self.years(region_id)
        return years[-1] if years else None

    def change(self, region_id, year, metric):
        """The figure at `year` against the last earlier CES that reported the same figure."""
        total = self.get(region_id, year, metric)
        earlier = [
            y
            for y in self.years(region_id)
            if y < year and self.get(region_id, y, metric) is not None
        ]
        previous = self.get(region_id, earlier[-1], metric) if earlier else None
        return Change(total=total, previous=previous)

    def series(self, region_id, metric, years):
        """Values to plot for every year in `years`: None (a gap) where not reported."""
        return [self.get(region_id, year, metric) for year in years]
