"""Plotly figures (plain dicts in plotly.js's schema) built from query results. Templates
get each figure's JSON through `json_script`, and static/js/charts.js draws it: no inline
script, so pages can run under a strict Content-Security-Policy.

Every chart comes with the same data as a table, a one-sentence summary for screen readers, a
title, an axis title saying what is counted, and a source line. One number format per chart:
the axis, the bar labels and the hover all use the page's language (만/억 in Korean). Unknown
years are gaps, approximate figures are hatched, previews pale, and a city keeps its colour on
every chart. charts.js draws a fixed-size copy of each chart for print, and the same copy, with
the source line drawn in, for the PNG and SVG downloads.
"""

import math
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cesdash.formatting import format_count, group, short_amount, short_money
from delegations.models import HEADLINE_METRICS, MONEY_METRICS, Metric

# Okabe–Ito: distinguishable with every common colour-vision deficiency.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]
# Figures are plain dicts in plotly.js's own schema: building them with plotly.graph_objects
# took most of a page's time. This is the "none" template as plotly.py resolves it.
NO_TEMPLATE = {"data": {"scatter": [{"type": "scatter"}]}}
FONT = "Noto Sans KR, Noto Sans CJK KR, Apple SD Gothic Neo, Malgun Gothic, sans-serif"


def home_charts(page):
    """The home page's charts: the chosen city's trend of every figure (the cities it is
    compared with can be added from the legend), and those cities at its latest CES side by
    side."""
    colours = distinct_colours(page.compared, city_colours(page.cities))
    return {
        "trends": trend_charts(
            page.results, page.compared, page.chart_years, colours, focus=page.city
        )
        if page.city
        else [],
        "comparison": comparison_chart(
            "compare-companies",
            page.results,
            page.compared,
            Metric.COMPANIES,
            page.city_latest,
            colours,
        ),
    }


def city_charts(page):
    """The city page's charts: every figure's trend, in the city's own colour."""
    colours = {page.city.pk: PALETTE[page.colour_rank % len(PALETTE)]}
    return {
        "trends": trend_charts(
            page.results, [page.city], page.chart_years, colours, focus=page.city
        )
    }


def trend_charts(results, cities, years, colours, focus):
    """One trend chart for each headline figure `focus` reported at two CESs or more: a figure
    reported once is a single number (the tables show it), not a trend."""
    charts = (
        trend_chart(f"trend-{metric}", results, cities, metric, years, colours, focus)
        for metric in HEADLINE_METRICS
        if sum(1 for total in results.series(focus.pk, metric, years) if total) >= 2
    )
    return [chart for chart in charts if not chart.empty]


def city_colours(regions):
    """A fixed colour per city, by the order cities were entered (`colour_rank` on the city
    page), so it never changes between charts or pages."""
    return {r.pk: PALETTE[i % len(PALETTE)] for i, r in enumerate(sorted(regions, key=_pk))}


def distinct_colours(regions, colours):
    """Each of `regions` in its fixed colour where no region before it has taken that colour,
    else in the first colour still free: a handful of cities compared never share one."""
    taken, result = set(), {}
    for region in regions:
        colour = colours[region.pk]
        if colour in taken:
            colour = next((c for c in PALETTE if c not in taken), colour)
        taken.add(colour)
        result[region.pk] = colour
    return result


def _pk(region):
    return region.pk


def metric_title(metric):
    titles = {
        Metric.COMPANIES: _("Companies exhibiting (number)"),
        Metric.CONSULTATIONS: _("Business consultations (number)"),
        Metric.CONSULTATION_VALUE: _("Consultation value (USD)"),
        Metric.CONTRACT_VALUE: _("Contract value (USD)"),
        Metric.MOUS: _("MOUs and agreements (number)"),
        Metric.AWARD_WINNERS: _("Innovation Award winners (companies)"),
    }
    return titles[metric]


def axis_title(metric):
    """What the value axis counts, with its unit."""
    titles = {
        Metric.COMPANIES: _("Number of companies"),
        Metric.CONSULTATIONS: _("Number of consultations"),
        Metric.CONSULTATION_VALUE: _("Consultation value (US dollars)"),
        Metric.CONTRACT_VALUE: _("Contract value (US dollars)"),
        Metric.MOUS: _("Number of MOUs and agreements"),
        Metric.AWARD_WINNERS: _("Number of award-winning companies"),
    }
    return titles[metric]


@dataclass
class Chart:
    """What a template needs to show one chart: the figure, a table of the same data (a row per
    `rows` label, a column per `columns` label), a summary sentence and the sources."""

    dom_id: str
    title: str
    figure: dict
    row_header: str
    columns: list
    rows: list
    summary: str = ""
    sources: list = field(default_factory=list)
    empty: bool = False
    csv_url: str = ""  # the rows the chart plots, from the results table
    filename: str = ""  # of the PNG and SVG downloads, without the extension

    @property
    def source_line(self):
        """The line drawn under the chart in print and in downloads."""
        names = ", ".join(s.publisher or s.title for s in self.sources)
        return _("Source: %(sources)s") % {"sources": names} if names else ""


def results_csv(metric, cities=None, year=None):
    """The results table's CSV of one figure, for one city or year where given: what a chart
    of that figure plots, as raw numbers with their scope and source."""
    query = {"figure": metric}
    if cities is not None and len(cities) == 1:
        query["city"] = cities[0].slug
    if year is not None:
        query["year"] = year
    return f"{reverse('results')}?{urlencode({**query, '_export': 'csv'})}"


def value_ticks(top, money):
    """Tick values from 0 past `top` in steps of 1, 2 or 5 × 10ⁿ (four or five of them), and
    their labels in the same format as the bars: 만/억 on a Korean page."""
    top = top or 1
    rough = top / 4
    magnitude = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    values = [i * step for i in range(math.ceil(top / step) + 1)]
    labels = [short_amount(v) if money else group(v) for v in values]
    return values, labels


def _layout(fig, title, metric, top, height=340):
    values, labels = value_ticks(top, metric in MONEY_METRICS)
    fig["layout"].update(
        template=NO_TEMPLATE,
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        font={"family": FONT, "size": 12, "color": "#1d2733"},
        height=height,
        margin={"l": 64, "r": 16, "t": 72, "b": 40},
        barmode="group",
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        showlegend=True,
        # The legend under the title, clear of the year labels however far they turn.
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
        hoverlabel={"font": {"family": FONT}},
        # Room above the tallest bar for its label.
        yaxis={
            "title": {"text": axis_title(metric)},
            "gridcolor": "#e6e9ed",
            "tickmode": "array",
            "tickvals": values,
            "ticktext": labels,
            "range": [0, max(values[-1], top * 1.18)],
            "fixedrange": True,
            "automargin": True,
        },
        xaxis={"type": "category", "fixedrange": True, "automargin": True},
    )
    return fig


def _top(totals):
    return max((t.chart_value for t in totals if t and t.chart_value is not None), default=0)


def trend_chart(dom_id, results, regions, metric, years, colours, focus):
    """A city-by-year bar chart of one figure; a year no source reports is left empty. Only
    `focus` is shown at first; the other cities are in the legend, to be added for comparison."""
    fig = {"data": [], "layout": {}}
    sources = {}
    columns = []
    series = []
    top = 0
    for region in regions:
        totals = results.series(region.pk, metric, years)
        if not any(totals):
            continue
        shown = region.pk == focus.pk
        fig["data"].append(
            _bars(
                totals,
                list(years),
                colours[region.pk],
                name=region.name,
                hovertemplate="CES %{x}: %{customdata}<extra>%{fullData.name}</extra>",
                visible=True if shown else "legendonly",
            )
        )
        if shown:
            top = max(top, _top(totals))
        for t in totals:
            if t and t.source and shown:
                sources[t.source.pk] = t.source
        columns.append(region.name)
        series.append(totals)
    title = metric_title(metric)
    _layout(fig, title, metric, top)
    fig["layout"]["xaxis"].update(
        type="linear", tickmode="linear", dtick=1, tickformat="d",
        range=[min(years, default=0) - 0.6, max(years, default=0) + 0.6],
    )  # fmt: skip
    return Chart(
        dom_id=dom_id,
        title=title,
        figure=fig,
        row_header="CES",
        columns=columns,
        rows=[
            {"label": year, "cells": [totals[i] for totals in series]}
            for i, year in enumerate(years)
        ],
        summary=trend_summary(focus, results.series(focus.pk, metric, years), title),
        sources=list(sources.values()),
        empty=not series,
        csv_url=results_csv(metric, regions if len(regions) == 1 else [focus]),
        filename=f"cesdash-{focus.slug}-{metric}",
    )


def trend_summary(city, totals, title):
    """'Daegu, companies exhibiting: 16 at CES 2024; −24 against CES 2018 (40).'"""
    latest = next((t for t in reversed(totals) if t), None)
    if latest is None:
        return ""
    said = _("%(city)s, %(figure)s: %(value)s at CES %(year)s.") % {
        "city": city.name,
        "figure": title,
        "value": latest.display,
        "year": latest.year,
    }
    if latest.comparable:
        said += " " + _("%(change)s against CES %(year)s (%(value)s).") % {
            "change": latest.delta_display,
            "year": latest.like.year,
            "value": latest.like.display,
        }
    reported = sum(1 for t in totals if t)
    return f"{said} " + _("Reported for %(count)s CESs.") % {"count": reported}


def comparison_chart(dom_id, results, regions, metric, year, colours):
    """Cities side by side at one CES; a city that reported nothing shows 'not reported'."""
    totals = [results.get(region.pk, year, metric) for region in regions]
    names = [region.name for region in regions]
    title = _("%(figure)s at CES %(year)s") % {"figure": metric_title(metric), "year": year}
    bars = _bars(
        totals,
        names,
        [colours[r.pk] for r in regions],
        hovertemplate="%{x}: %{customdata}<extra></extra>",
        showlegend=False,
    )
    fig = {"data": [bars], "layout": {}}
    _layout(fig, title, metric, _top(totals))
    missing = [
        {
            "x": name,
            "y": 0,
            "text": _("not reported"),
            "showarrow": False,
            "yshift": 10,
            "font": {"size": 11, "color": "#5b6673"},
        }  # fmt: skip
        for name, total in zip(names, totals, strict=True)
        if total is None
    ]
    if missing:
        fig["layout"]["annotations"] = missing
    sources = {t.source.pk: t.source for t in totals if t and t.source}
    reported = [(n, t) for n, t in zip(names, totals, strict=True) if t]
    summary = "; ".join(f"{n} {t.display}" for n, t in reported)
    return Chart(
        dom_id=dom_id,
        title=title,
        figure=fig,
        row_header=_("City"),
        columns=[str(year)],
        rows=[{"label": n, "cells": [t]} for n, t in zip(names, totals, strict=True)],
        summary=f"{title}: {summary}." if summary else "",
        sources=list(sources.values()),
        empty=not any(totals),
        csv_url=results_csv(metric, year=year),
        filename=f"cesdash-ces{year}-{metric}",
    )


# Up to this many bars a series, each is labelled with its figure; more would overlap.
LABELLED_BARS = 12


def _bars(totals, x, colour, **options):
    """A bar per total, labelled with its figure and its marks; approximate figures hatched,
    previews (plans, not results) paler, and a gap with 'not reported' in the hover where there
    is no total."""
    # More bars than that and the labels would overlap: the hover and the tables have them.
    shorts = [_short(t) for t in totals]
    labels = {"text": shorts} if len(x) <= LABELLED_BARS else {}
    not_reported = _("not reported")
    return dict(
        type="bar",
        x=x,
        y=[t.chart_value if t else None for t in totals],
        marker={
            "color": colour,
            "pattern": {"shape": ["/" if t and t.approximate else "" for t in totals]},
            "opacity": [0.45 if t and t.preview else 1 for t in totals],
        },
        textposition="outside",
        textfont={"size": 11},
        constraintext="none",
        cliponaxis=False,
        customdata=[
            _hover(t, short) if t else not_reported for t, short in zip(totals, shorts, strict=True)
        ],
        **labels,
        **options,
    )


def _hover(total, short):
    """The bar's figure in the bar label's format (`short`, its `_short()`), with its parts
    where pavilions were added up and the meaning of its marks."""
    text = short or total.display
    if total.is_sum:
        text = f"{text} = {total.scope_display}"
    return "<br>".join([text, *(f"{mark}: {meaning}" for mark, meaning in total.marks)])


def _short(total):
    """The label printed on a bar: short enough to fit above it."""
    if total is None:
        return ""
    if total.is_money:  # the chart is in USD: no bar, and no label, without a USD amount
        if total.usd is None:
            return ""
        shown = short_money(total.usd)
        if total.approximate:
            shown = _("about %(figure)s") % {"figure": shown}
    else:
        shown = format_count(total.value, total.approximate)
    # The marks of the legend below the page (p preview, e implied, * mixed kinds) follow the
    # label as they follow the figure in a table; the hover spells them out.
    marks = "".join(mark for mark, _meaning in total.marks)
    return f"{shown} {marks}" if marks else shown
