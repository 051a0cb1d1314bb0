"""Pages of delegations, editions and pavilions."""

from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from cesdash.exports import table_page
from companies.models import InnovationAward

from .charts import PALETTE, city_colours, comparison_chart, trend_chart
from .filters import AgreementFilter, PavilionFilter
from .models import (
    Agreement,
    Delegation,
    Edition,
    Metric,
    Pavilion,
    Region,
    ReportedFigure,
    Source,
)
from .results import HEADLINE_METRICS, CityResults
from .tables import AgreementTable, PavilionTable


def home(request):
    """The overview: how did the latest CES go, for one city, against its earlier years and
    against the other cities."""
    regions = list(Region.objects.with_delegations())
    results = CityResults()
    on_record = _years_on_record(results)
    city = _chosen_city(request, regions, on_record)
    colours = city_colours(regions)
    latest = results.latest_year()
    city_latest = max(on_record.get(city.pk, []), default=None) if city else None
    years = _chart_years(on_record)
    recorded = _recorded_counts()
    context = {
        "regions": regions,
        "city": city,
        "latest": latest,
        "city_latest": city_latest,
        "headline": _headline(results, city, city_latest, recorded) if city_latest else [],
        "trends": [
            chart
            for metric in HEADLINE_METRICS
            if not (
                chart := trend_chart(f"trend-{metric}", results, regions, metric, years, colours)
            ).empty
        ],  # fmt: skip
        "comparison": _comparison_rows(results, regions, latest, recorded),
        "comparison_chart": comparison_chart(
            "compare-companies", results, regions, Metric.COMPANIES, latest, colours
        ),
        "metrics": HEADLINE_METRICS,
        "metric_labels": _metric_labels(),
    }
    return render(request, "delegations/home.html", context)


def city_detail(request, slug):
    """A city's page: its delegations and pavilions year by year, trends, companies, MOUs."""
    city = get_object_or_404(Region, slug=slug)
    results = CityResults(ReportedFigure.objects.filter(region=city))
    recorded = _recorded_counts(region=city)
    on_record = _years_on_record(results, region=city)
    # Every CES the city is on record at: figures, a delegation, a pavilion, an agreement or an
    # award, so a year with records but no reported totals still has its row.
    years = sorted(on_record.get(city.pk, set()) | {year for year, _region in recorded})
    chart_years = _chart_years(on_record)
    colours = city_colours(Region.objects.with_delegations())
    colours.setdefault(city.pk, PALETTE[0])
    context = {
        "city": city,
        "delegations": city.delegations.select_related("edition", "source").order_by(
            "-edition__year"
        ),
        "year_rows": [
            {
                "year": year,
                "cells": [results.get(city.pk, year, m) for m in HEADLINE_METRICS],
                "recorded": recorded.get((year, city.pk), {}),
            }
            for year in reversed(years)
        ],
        "metric_labels": _metric_labels(),
        "trends": [
            chart
            for metric in HEADLINE_METRICS
            if not (
                chart := trend_chart(
                    f"trend-{metric}", results, [city], metric, chart_years, colours
                )
            ).empty
        ],  # fmt: skip
        "pavilions": Pavilion.objects.for_results_table().filter(region=city),
        "companies": city.companies.order_by("name_ko"),
        "agreements": Agreement.objects.filter(region=city).select_related(
            "edition", "region", "company", "source"
        ),
        "awards": InnovationAward.objects.filter(company__region=city).select_related(
            "company__region", "edition", "source"
        ),
    }
    return render(request, "delegations/city_detail.html", context)


def edition_detail(request, year):
    """One CES: every pavilion and every city's delegation side by side."""
    edition = get_object_or_404(Edition.objects.select_related("source"), year=year)
    regions = list(
        Region.objects.with_delegations().filter(
            Q(delegations__edition=edition)
            | Q(pavilions__edition=edition)
            | Q(figures__edition=edition)
        )
    )
    results = CityResults(ReportedFigure.objects.filter(edition=edition))
    recorded = _recorded_counts(edition=edition)
    context = {
        "edition": edition,
        "previous": Edition.objects.filter(year__lt=year).order_by("-year").first(),
        "next": Edition.objects.filter(year__gt=year).order_by("year").first(),
        "comparison": _comparison_rows(results, regions, year, recorded),
        "metric_labels": _metric_labels(),
        "pavilions": Pavilion.objects.for_results_table().filter(edition=edition),
        "delegations": edition.delegations.select_related("region", "source"),
        "agreements": edition.agreements.select_related("region", "company", "source"),
        "awards": edition.awards.select_related("company__region", "source"),
        "exhibits": edition.exhibits.select_related("company", "pavilion", "source"),
    }
    return render(request, "delegations/edition_detail.html", context)


def pavilion_detail(request, year, slug):
    """A pavilion: its reported figures with sources, and the itemised records beside them."""
    pavilion = get_object_or_404(
        Pavilion.objects.for_results_table(), edition__year=year, slug=slug
    )
    figures = pavilion.figures.select_related("source").order_by("metric")
    context = {
        "pavilion": pavilion,
        "figures": figures,
        "regional_counts": pavilion.regional_counts.select_related("region", "source"),
        "exhibits": pavilion.exhibits.select_related("company", "source"),
        "contracts": pavilion.contracts.select_related("company", "edition", "source"),
        "agreements": pavilion.agreements.select_related("company", "edition", "region", "source"),
        "awards": InnovationAward.objects.filter(
            edition=pavilion.edition, company__exhibits__pavilion=pavilion
        ).select_related("company__region", "edition", "source"),
    }
    return render(request, "delegations/pavilion_detail.html", context)


def source_list(request):
    """Every article, with how many figures and records come from it."""
    sources = Source.objects.with_counts()
    return render(request, "delegations/source_list.html", {"sources": sources})


def source_detail(request, key):
    """One article and every figure and record taken from it."""
    source = get_object_or_404(Source, key=key)
    context = {
        "source": source,
        "figures": source.figures.select_related("edition", "region", "pavilion__edition"),
        "regional_counts": source.regional_counts.select_related("pavilion__edition", "region"),
        "pavilions": source.pavilions.select_related("edition", "region"),
        "delegations": source.delegations.select_related("edition", "region"),
        "agreements": source.agreements.select_related("edition", "region", "company"),
        "contracts": source.contracts.select_related("edition", "company"),
        "awards": source.awards.select_related("edition", "company"),
        "exhibits": source.exhibits.select_related("edition", "company", "pavilion"),
    }
    return render(request, "delegations/source_detail.html", context)


def _chosen_city(request, regions, on_record):
    """`?city=<slug>` (404 when no such city went to CES), or else the city with the most CES
    years on record."""
    slug = request.GET.get("city")
    if slug:
        for region in regions:
            if region.slug == slug:
                return region
        raise Http404(_("No city %(slug)s on record.") % {"slug": slug[:60]})
    if not regions:
        return None
    return max(regions, key=lambda r: (len(on_record.get(r.pk, ())), -r.pk))


def _years_on_record(results, region=None):
    """For each city, every CES year it is on record at: a delegation, a pavilion or a figure."""
    delegations = Delegation.objects.all()
    pavilions = Pavilion.objects.all()
    if region:
        delegations, pavilions = delegations.filter(region=region), pavilions.filter(region=region)
    years = {}
    for queryset in (delegations, pavilions):
        for region_id, year in queryset.values_list("region", "edition__year").order_by():
            years.setdefault(region_id, set()).add(year)
    for region_id in results.by_city:
        years.setdefault(region_id, set()).update(results.years(region_id))
    return years


def _chart_years(on_record):
    """Every year from the first CES on record to the last, so a year with nothing on record
    shows as a gap."""
    years = set().union(*on_record.values()) if on_record else set()
    return list(range(min(years), max(years) + 1)) if years else []


def _metric_labels():
    return [Metric(metric).label for metric in HEADLINE_METRICS]


def _recorded_counts(edition=None, region=None):
    """Itemised records per (year, city): signed agreements and named award winners."""
    agreements = Agreement.objects.filter(status=Agreement.Status.SIGNED)
    awards = InnovationAward.objects.all()
    if edition:
        agreements, awards = agreements.filter(edition=edition), awards.filter(edition=edition)
    if region:
        agreements, awards = agreements.filter(region=region), awards.filter(company__region=region)
    counts = {}
    for row in agreements.values("edition__year", "region").annotate(n=Count("pk")).order_by():
        counts.setdefault((row["edition__year"], row["region"]), {})["mous"] = row["n"]
    by_city = awards.values("edition__year", "company__region").order_by()
    for row in by_city.annotate(n=Count("company", distinct=True)):
        key = (row["edition__year"], row["company__region"])
        counts.setdefault(key, {})["award_winners"] = row["n"]
    return counts


def _headline(results, city, year, recorded):
    cards = []
    for metric in HEADLINE_METRICS:
        change = results.change(city.pk, year, metric)
        cards.append(
            {
                "metric": metric,
                "label": Metric(metric).label,
                "change": change,
                "recorded": recorded.get((year, city.pk), {}).get(metric),
            }
        )
    return cards


def _comparison_rows(results, regions, year, recorded):
    return [
        {
            "region": region,
            "cells": [results.get(region.pk, year, m) for m in HEADLINE_METRICS],
            "recorded": recorded.get((year, region.pk), {}),
        }
        for region in regions
    ]


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def pavilion_list(request):
    """The pavilion results table: `?year=2024&city=daegu`, sorted, paged, and exported."""
    return table_page(
        request,
        table_class=PavilionTable,
        filterset_class=PavilionFilter,
        name="pavilions",
        title=_("Pavilion results"),
        lede=_(
            "One row per pavilion: the totals the sources report, then how many of the "
            "itemised records are named."
        ),
    )


def agreement_list(request):
    """MOUs and agreements signed on the CES trips, by cities and by their companies."""
    return table_page(
        request,
        table_class=AgreementTable,
        filterset_class=AgreementFilter,
        name="agreements",
        title=_("MOUs and agreements"),
        lede=_("Who signed what with whom, on which CES trip."),
    )
