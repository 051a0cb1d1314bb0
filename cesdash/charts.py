"""Plotly figures built from query results. Templates get each figure's JSON through
`json_script`, and static/js/charts.js draws it: no inline script, so pages can run under a
strict Content-Security-Policy.

Every chart comes with the same data as a table (charts are not keyboard-reachable), a title with
its unit and a source line. Unknown years are gaps, approximate figures are hatched, and a city
keeps its colour on every chart.
"""

import json
from dataclasses import dataclass, field

import plotly.graph_objects as go
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cesdash.formatting import format_count, short_money
from delegations.models import HEADLINE_METRICS, MONEY_METRICS, Metric

# Okabe–Ito: distinguishable with every common colour-vision deficiency.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]
FONT = "Noto Sans KR, Noto Sans CJK KR, Apple SD Gothic Neo, Malgun Gothic, sans-serif"


def home_charts(page):
    """The home page's charts: every figure's trend for every city, and the cities at the
    latest CES side by side."""
    colours = city_colours(page.cities)
    return {
        "trends": trend_charts(page.results, page.cities, page.chart_years, colours),
        "comparison": comparison_chart(
            "compare-companies", page.results, page.cities, Metric.COMPANIES, page.latest, colours
        ),
    }


def city_charts(page):
    """The city page's charts: every figure's trend, in the city's own colour."""
    colours = {page.city.pk: PALETTE[page.colour_rank % len(PALETTE)]}
    return {"trends": trend_charts(page.results, [page.city], page.chart_years, colours)}


def trend_charts(results, cities, years, colours):
    """One trend chart for each headline figure that any of `cities` reported."""
    charts = (
        trend_chart(f"trend-{metric}", results, cities, metric, years, colours)
        for metric in HEADLINE_METRICS
    )
    return [chart for chart in charts if not chart.empty]


def city_colours(regions):
    """A fixed colour per city, by the order cities were entered (`colour_rank` on the city
    page), so it never changes between charts or pages."""
    return {r.pk: PALETTE[i % len(PALETTE)] for i, r in enumerate(sorted(regions, key=_pk))}


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


@dataclass
class Chart:
    """What a template needs to show one chart: the figure, a table of the same data, sources."""

    dom_id: str
    title: str
    figure: dict
    columns: list
    rows: list
    sources: list = field(default_factory=list)
    empty: bool = False
    csv_url: str = ""  # the rows the chart plots, from the results table


def results_csv(metric, cities=None, year=None):
    """The results table's CSV of one figure, for one city or year where given: what a chart
    of that figure plots, as raw numbers with their scope and source."""
    query = {"figure": metric}
    if cities is not None and len(cities) == 1:
        query["city"] = cities[0].slug
    if year is not None:
        query["year"] = year
    return f"{reverse('results')}?{urlencode({**query, '_export': 'csv'})}"


def _figure_json(fig):
    return json.loads(fig.to_json())


def _source_name(source):
    name = source.publisher or source.title
    return name if len(name) <= 24 else name[:23] + "…"


def _layout(fig, title, sources, y_title, height=340):
    source_names = ", ".join(_source_name(s) for s in sources)
    fig.update_layout(
        template="none",
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        font={"family": FONT, "size": 12, "color": "#1d2733"},
        height=height,
        margin={"l": 60, "r": 16, "t": 48, "b": 100},
        barmode="group",
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        showlegend=True,
        legend={"orientation": "h", "y": -0.16, "yanchor": "top", "x": 0},
        yaxis={"title": {"text": y_title}, "gridcolor": "#e6e9ed", "rangemode": "tozero"},
        xaxis={"type": "category"},
    )
    if sources:
        fig.add_annotation(
            text=_("Source: %(sources)s") % {"sources": source_names},
            xref="paper", yref="paper", x=0, y=-0.42, xanchor="left", showarrow=False,
            font={"size": 10, "color": "#5b6673"},
        )  # fmt: skip
    return fig


def trend_chart(dom_id, results, regions, metric, years, colours):
    """A city-by-year bar chart of one figure; a year no source reports is left empty."""
    fig = go.Figure()
    sources = {}
    rows = []
    labels = list(years)
    for region in regions:
        totals = results.series(region.pk, metric, years)
        if not any(totals):
            continue
        fig.add_trace(
            _bars(
                totals,
                labels,
                colours[region.pk],
                name=region.name,
                hovertemplate="%{x}: %{customdata}<extra>%{fullData.name}</extra>",
            )
        )
        for t in totals:
            if t and t.source:
                sources[t.source.pk] = t.source
        rows.append({"label": region.name, "cells": totals})
    unit = _("USD") if metric in MONEY_METRICS else _("number")
    title = metric_title(metric)
    _layout(fig, title, list(sources.values()), unit)
    fig.update_xaxes(
        type="linear", tickmode="linear", dtick=1 if len(years) <= 7 else 2, tickformat="d",
        tickangle=0, range=[min(years, default=0) - 0.6, max(years, default=0) + 0.6],
    )  # fmt: skip
    chart = Chart(
        dom_id=dom_id,
        title=title,
        figure=_figure_json(fig),
        columns=labels,
        rows=rows,
        sources=list(sources.values()),
        empty=not rows,
        csv_url=results_csv(metric, regions),
    )
    return chart


def comparison_chart(dom_id, results, regions, metric, year, colours):
    """Cities side by side at one CES; a city that reported nothing shows 'not reported'."""
    totals = [results.get(region.pk, year, metric) for region in regions]
    names = [region.name for region in regions]
    fig = go.Figure(
        _bars(
            totals,
            names,
            [colours[r.pk] for r in regions],
            hovertemplate="%{x}: %{customdata}<extra></extra>",
            showlegend=False,
        )
    )
    for name, total in zip(names, totals, strict=True):
        if total is None:
            fig.add_annotation(
                x=name, y=0, text=_("not reported"), showarrow=False, yshift=10,
                font={"size": 11, "color": "#5b6673"},
            )  # fmt: skip
    sources = {t.source.pk: t.source for t in totals if t and t.source}
    unit = _("USD") if metric in MONEY_METRICS else _("number")
    title = _("%(figure)s at CES %(year)s") % {"figure": metric_title(metric), "year": year}
    return Chart(
        dom_id=dom_id,
        title=title,
        figure=_figure_json(_layout(fig, title, list(sources.values()), unit)),
        columns=[str(year)],
        rows=[{"label": n, "cells": [t]} for n, t in zip(names, totals, strict=True)],
        sources=list(sources.values()),
        empty=not any(totals),
        csv_url=results_csv(metric, year=year),
    )


def _bars(totals, x, colour, **options):
    """A bar per total, labelled with its figure and its marks; approximate figures hatched,
    previews (plans, not results) paler, and a gap with 'not reported' in the hover where there
    is no total."""
    return go.Bar(
        x=x,
        y=[t.chart_value if t else None for t in totals],
        marker={
            "color": colour,
            "pattern": {"shape": ["/" if t and t.approximate else "" for t in totals]},
            "opacity": [0.45 if t and t.preview else 1 for t in totals],
        },
        text=[_short(t) for t in totals],
        textposition="outside",
        textfont={"size": 11},
        constraintext="none",
        cliponaxis=False,
        customdata=[_hover(t) for t in totals],
        **options,
    )


def _hover(total):
    """The figure in full, with its parts where pavilions were added up."""
    if total is None:
        return _("not reported")
    text = f"{total.display} = {total.scope_display}" if total.is_sum else total.display
    return " · ".join([text, *(f"{mark}: {meaning}" for mark, meaning in total.marks)])


def _short(total):
    """The label printed on a bar: short enough to fit above it."""
    if total is None:
        return ""
    if total.is_money:  # the chart is in USD: no bar, and no label, without a USD amount
        if total.usd is None:
            return ""
        shown = short_money(total.usd)
    else:
        shown = format_count(total.value, total.approximate)
    # The marks of the legend below the page (p preview, e implied, * mixed kinds) follow the
    # label as they follow the figure in a table; the hover spells them out.
    marks = "".join(mark for mark, _meaning in total.marks)
    return f"{shown} {marks}" if marks else shown
