"""The dashboard's pages and the analysts' tables.

Every page view fetches one documented read (`cesdash.models`, or `Company.objects` for the
company page) and renders it: as HTML, or as JSON at the page's `.json` twin. Every table view
hands its read to `table_page`, which filters, sorts, pages and exports it.
"""

import logging
import sys
from functools import partial

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import DatabaseError, connection
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import defaults
from django.views.decorators.cache import never_cache

from companies.models import Agreement, Company, Contract, Exhibit, InnovationAward
from delegations.models import ReportedFigure

from . import charts, pages
from .caching import cached_page
from .exports import sorted_by, table_page
from .filters import (
    AgreementFilter,
    AwardFilter,
    CompanyFilter,
    ContractFilter,
    ExhibitFilter,
    ParticipationFilter,
    PavilionFilter,
    ResultsFilter,
)
from .formatting import format_money, group
from .middleware import is_database_unavailable, unavailable
from .models import (
    COVERAGE,
    Ces,
    City,
    CompanyRows,
    PavilionResults,
    SourceRecords,
    add_coverage,
    pavilions_table,
)
from .tables import (
    AgreementTable,
    AwardTable,
    CompanyTable,
    ContractTable,
    ExhibitTable,
    ParticipationTable,
    PavilionTable,
    ResultsTable,
    pavilion_summary,
)

logger = logging.getLogger(__name__)

# ------------------------------------------------------------------------------ helpers


def found(read, *args):
    """The read's result, or a 404 when what it names is not on record."""
    try:
        return read(*args)
    except ObjectDoesNotExist:
        raise Http404(_("Not on record.")) from None


def respond(request, template, context, data, as_json):
    """The page, or with `as_json` its JSON twin: `data()` gives what the page shows."""
    if as_json:
        return JsonResponse(data(), json_dumps_params={"ensure_ascii": False})
    match = request.resolver_match
    json_url = reverse(f"{match.url_name}-json", kwargs=match.kwargs)
    if request.GET:
        json_url += "?" + request.GET.urlencode()
    return render(request, template, {**context, "json_url": json_url})


# -------------------------------------------------------------------------------- pages


@cached_page
def home(request, as_json=False):
    """How did the latest CES go, for one city, against its earlier years and the others."""
    page = found(City.objects.for_home, request.GET.get("city"), request.GET.getlist("compare"))
    context = {"page": page, "charts": None if as_json else charts.home_charts(page)}
    return respond(request, "pages/home.html", context, page.as_json, as_json)


@cached_page
def city(request, slug, as_json=False):
    """A city's results year by year, trends, delegations, pavilions, companies, MOUs."""
    page = found(City.objects.for_city_page, slug)
    context = {
        "page": page,
        "charts": None if as_json else charts.city_charts(page),
        "pavilion_table": pavilion_summary(page.pavilions),
    }
    return respond(request, "pages/city.html", context, page.as_json, as_json)


@cached_page
def edition(request, year, as_json=False):
    """One CES: every city's results and every pavilion side by side."""
    page = found(Ces.objects.for_edition_page, year)
    context = {"page": page, "pavilion_table": pavilion_summary(page.pavilions)}
    return respond(request, "pages/edition.html", context, page.as_json, as_json)


@cached_page
def pavilion(request, year, slug, as_json=False):
    """A pavilion: its reported figures with sources, and the itemised records beside them."""
    page = found(PavilionResults.objects.for_pavilion_page, year, slug)
    return respond(request, "pages/pavilion.html", {"page": page}, page.as_json, as_json)


@cached_page
def company(request, slug, as_json=False):
    """Every CES a company exhibited at, its awards with streaks, contracts and MOUs."""
    company = found(Company.objects.for_company_page, slug)
    data = partial(pages.company_json, company)
    return respond(request, "pages/company.html", {"company": company}, data, as_json)


@cached_page
def source_list(request, as_json=False):
    """Every article, with how many figures and records come from it."""
    sources = SourceRecords.objects.for_sources_page()
    data = partial(pages.source_list_json, sources)
    return respond(request, "pages/source_list.html", {"sources": sources}, data, as_json)


@cached_page
def source(request, key, as_json=False):
    """One article and the figures and records taken from it (`?figure=<id>`: one of them)."""
    figure = request.GET.get("figure", "")
    figure = int(figure) if figure.isascii() and figure.isdigit() and len(figure) < 19 else None
    page = found(SourceRecords.objects.for_source_page, key, figure)
    context = {"page": page, "source": page.source}
    return respond(request, "pages/source.html", context, page.as_json, as_json)


def switch_language(request, code):
    """`/language/<code>/?next=<path>`: read the site in another language, then go back to the
    page. A link rather than a form, so that pages carry no CSRF token and can be cached."""
    if code not in dict(settings.LANGUAGES):
        raise Http404(_("Not on record."))
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("home")
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@never_cache
def healthz(request):
    """200 while the process is up: for load balancers and `make run`'s users."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readyz(request):
    """200 when the database answers, else 503: whether this server can serve pages now.
    Never cached, and reads no session."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Not ready: the database does not answer: %s", error)
        return HttpResponse("database unavailable", content_type="text/plain", status=503)
    return HttpResponse("ok", content_type="text/plain")


# ------------------------------------------------------------------------------- errors


def bad_request(request, exception):
    """400: the site's page, rendered without the request, whose Host header may be the very
    thing that is wrong (the page's links then need nothing from it). In the reader's language
    even when the request was refused before the language was chosen (an HTTPS redirect reads
    the Host first)."""
    with translation.override(translation.get_language_from_request(request)):
        return HttpResponseBadRequest(loader.render_to_string("400.html"))


def server_error(request):
    """500, or the 503 page when what failed is the database (an error met outside a view,
    which `DatabaseUnavailableMiddleware` does not see). `500.html` needs no context."""
    if is_database_unavailable(sys.exc_info()[1]):
        return unavailable(request)
    return defaults.server_error(request)


# ------------------------------------------------------------------------------- tables


@cached_page
def results_list(request):
    """Each city's totals per CES, as the pages and charts show them, with scope and source."""
    return table_page(
        request,
        table_class=ResultsTable,
        queryset=ReportedFigure.objects.all(),
        filterset_class=ResultsFilter,
        name="results",
        title=_("Results by city and CES"),
        lede=_(
            "One row per city, CES and figure: the totals the overview, the city pages and the "
            "charts show, with what each covers and its source."
        ),
    )


@cached_page
def pavilion_list(request):
    """The pavilion results table: `?year=2024&city=daegu`, sorted, paged, and exported."""
    # Coverage is read for the rows shown, unless the table is sorted by it; the figures too,
    # unless it is sorted by one or exported whole (`PavilionRows`).
    sorted_by_coverage = any(name in COVERAGE for name in sorted_by(request))
    plain = PavilionTable.plain_sorts()
    figures = "_export" in request.GET or any(name not in plain for name in sorted_by(request))
    return table_page(
        request,
        table_class=PavilionTable,
        queryset=pavilions_table(coverage=sorted_by_coverage, figures=figures),
        table_kwargs={"add_coverage": None if sorted_by_coverage else add_coverage},
        filterset_class=PavilionFilter,
        name="pavilions",
        title=_("Pavilion results"),
        lede=_(
            "One row per pavilion: the totals the sources report, then how many of the "
            "itemised records are named."
        ),
    )


@cached_page
def company_list(request):
    return table_page(
        request,
        table_class=CompanyTable,
        queryset=CompanyRows.objects.for_companies_table(),
        filterset_class=CompanyFilter,
        name="companies",
        title=_("Companies"),
        lede=_(
            "Every company the sources name, with the records of what it did at CES. "
            "The sources usually name only a few of the companies they count."
        ),
    )


@cached_page
def exhibit_list(request):
    return table_page(
        request,
        table_class=ExhibitTable,
        queryset=Exhibit.objects.for_exhibits_table(),
        filterset_class=ExhibitFilter,
        name="exhibits",
        title=_("Exhibits"),
        lede=_(
            "Which company exhibited at which CES, in which city's pavilion, and what it showed."
        ),
    )


def contract_totals(contracts):
    """The filtered contracts' sums, one a currency: the figures to check a download against."""
    return [
        (
            ngettext(
                "Total in %(currency)s (%(count)s contract)",
                "Total in %(currency)s (%(count)s contracts)",
                row["contracts"],
            )
            % {"currency": row["currency"], "count": group(row["contracts"])},
            f"{format_money(row['total'], row['currency'])} ({group(row['total'])})",
        )
        for row in contracts.totals_by_currency()
    ]


@cached_page
def contract_list(request):
    return table_page(
        request,
        table_class=ContractTable,
        queryset=Contract.objects.for_contracts_table(),
        filterset_class=ContractFilter,
        name="contracts",
        title=_("Contracts"),
        lede=_(
            "Contracts companies signed at CES, each in the currency the source gives. "
            "Amounts in different currencies are never added up."
        ),
        summary=contract_totals,
    )


@cached_page
def agreement_list(request):
    """MOUs and agreements signed on the CES trips, by cities and by their companies."""
    return table_page(
        request,
        table_class=AgreementTable,
        queryset=Agreement.objects.for_agreements_table(),
        filterset_class=AgreementFilter,
        name="agreements",
        title=_("MOUs and agreements"),
        lede=_("Who signed what with whom, on which CES trip."),
    )


@cached_page
def award_list(request):
    return table_page(
        request,
        table_class=AwardTable,
        queryset=InnovationAward.objects.for_awards_table(),
        filterset_class=AwardFilter,
        name="awards",
        title=_("Innovation Awards"),
        lede=_("CES Innovation Awards won by the companies on record, year by year."),
    )


@cached_page
def participation(request):
    years = CompanyRows.objects.participation_years()
    # Sorted by a year column: that year's columns are read in the query, to sort by.
    year_of = {f"y{year}": year for year in years}
    year = next((year_of[name] for name in sorted_by(request) if name in year_of), None)
    return table_page(
        request,
        table_class=ParticipationTable,
        queryset=CompanyRows.objects.for_participation_table(year),
        filterset_class=ParticipationFilter,
        name="participation",
        title=_("Participation by year"),
        lede=_("Who came back, and with what result: one row per company, one column per CES."),
        table_kwargs={"years": years},
    )
