"""The reads of the dashboard pages: one documented method a page.

The pages show what cities report (`delegations`) beside the records the sources name
(`companies`), so their reads sit here, above both apps. Each is a method of a proxy model's
QuerySet (a proxy adds behaviour to another app's model without a table of its own), its
docstring names the page it serves, and its result feeds both the page and the page's JSON twin.
The company page reads only `companies` and has its read there (`Company.objects.for_company_page`).
"""

import threading
from functools import cache
from time import perf_counter

from django.db import connection, models, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from companies.models import (
    Agreement,
    Company,
    CompanyQuerySet,
    Contract,
    Exhibit,
    InnovationAward,
    winners_named,
)
from delegations.bilingual import localized_fields
from delegations.models import (
    FIGURE_FLAGS,
    Delegation,
    Edition,
    Metric,
    Pavilion,
    PavilionQuerySet,
    Region,
    RegionalCompanyCount,
    RegionQuerySet,
    ReportedFigure,
    Source,
    add_reported_figures,
)
from delegations.subqueries import count_all, count_of, sum_of

from .pages import CityPage, EditionPage, HomePage, PavilionPage, Preview, SourcePage
from .totals import KIND_COLUMNS, RESULT_COLUMNS, TOTAL_COLUMNS, Results


def recorded_parts(agreements, awards, contracts):
    """The grouped counts of the itemised records beside the reported totals, as (city id, year,
    metric, count) rows: the agreements signed (MOUs), the companies from the city that won an
    award (award winners) and the contracts its companies signed (contract value)."""
    return [
        query.annotate(metric=Value(str(metric))).values_list(*fields)
        for query, metric, fields in (
            (agreements.signed_by_city(), Metric.MOUS, ("region", "year", "metric", "signed")),
            (
                awards.winners_by_city(),
                Metric.AWARD_WINNERS,
                ("company__region", "year", "metric", "winners"),
            ),
            (
                contracts.signed_by_city(),
                Metric.CONTRACT_VALUE,
                ("company__region", "year", "metric", "signed"),
            ),
        )
    ]


def union_all(parts):
    """The rows of grouped counts of one shape, in one query; counts as ints (PostgreSQL gives
    numerics where a sum joins them)."""
    rows = parts[0].union(*parts[1:], all=True).order_by()
    return [(*row[:-1], None if row[-1] is None else int(row[-1])) for row in rows]


# How many other cities the home page compares the chosen one with: as many as a chart can show
# in colours a reader tells apart (charts.PALETTE has eight).
COMPARED = 5


def companies_exhibiting(year):
    """{city id: its companies exhibiting at CES `year`} of the cities that report the figure:
    the value of their total (`city_totals()`), as `CityTotal` keeps it."""
    rows = CityTotal.objects.reported().filter(year=year, metric=Metric.COMPANIES)
    return dict(rows.values_list("region", "value"))


def nearest_in_size(city, cities, sizes):
    """The `COMPARED` cities of `cities` whose companies exhibiting (`sizes`) are nearest in
    number to `city`'s; cities that reported no such count come last, in the order they were
    entered."""
    own = sizes.get(city.pk) or 0
    others = [c for c in cities if c != city]
    others.sort(key=lambda c: (sizes.get(c.pk) is None, abs((sizes.get(c.pk) or 0) - own), c.pk))
    return others[:COMPARED]


# How many cities the edition page shows side by side: the biggest, when there are more.
CITIES_SHOWN = 12


def companies_at(edition):
    """A city's companies exhibiting at `edition`, for ranking cities by size: its total
    (`CityTotal`: its city-wide figure, else its pavilions' added up), NULL where none is
    reported."""
    total = CityTotal.objects.reported().filter(
        region=OuterRef("pk"), metric=Metric.COMPANIES, year=edition.year
    )
    return Subquery(total.values("value")[:1])


def first_by_company(rows, size=None):
    """The ids of the first `Preview.SIZE` of `rows` (a CES's exhibits or awards, one a company)
    in their order by company name: the companies are read down the index of names, each
    looked up in the rows' company key, which stops after a few dozen where sorting the CES's
    10,000 exhibits took 50 ms (and joining its 500 awards to all 50,000 companies, 7 ms on
    PostgreSQL)."""
    companies = Company.objects.filter(Exists(rows.filter(company=OuterRef("pk"))))
    first = companies.order_by("name_ko", "pk").values("pk")[: size or Preview.SIZE]
    return rows.filter(company__in=first).values("pk")


def pavilion_companies():
    """A pavilion's companies exhibiting, as its figure states it (NULL where none does):
    a look-up of its one companies figure (a constraint)."""
    figure = ReportedFigure.objects.filter(pavilion=OuterRef("pk"), metric=Metric.COMPANIES)
    # Unordered: the figures' default order joined every look-up to the CES and the cities
    # (8 of the edition page's 13 ms on PostgreSQL, for the one row there is).
    return Subquery(figure.order_by().values("value")[:1])


def biggest_pavilions(edition, size=None):
    """The ids of the first `Preview.SIZE` published pavilions at `edition` by companies
    exhibiting, the most first (unknown last), as the edition page lists them: found by a look-up
    of each pavilion's one companies figure (a constraint), where sorting the full rows made
    every pavilion's 35 reported-figure columns, 250 of them at the synthetic scale, to show
    ten."""
    return (
        Pavilion.objects.filter(edition=edition, published=True)
        .annotate(companies=pavilion_companies())
        .order_by(F("companies").desc(nulls_last=True), "pk")
        .values("pk")[: size or Preview.SIZE]
    )


def public_companies_of(city):
    """`Company.objects.public()` of one city's companies, as the company summaries keep it
    (`CompanySummary.public`): one indexed row a company, where checking each company's
    records (eight EXISTS, drafts and published) took most of the city page's read."""
    return Company.objects.filter(region=city, summary__public=TRUE)


# How many of an article's figures its page lists (the real articles state a few dozen).
FIGURES_SHOWN = 100


def preview(queryset, whole=None, size=None, prepare=None, first=None, count=None):
    """The first `Preview.SIZE` rows of `queryset`, with how many there are in all (of `whole`,
    a plain queryset of the same rows, where `queryset` aggregates; or `count`, an expression
    that reads it where it is kept), in one query; `prepare` adds to the rows what is read for
    them only; `first`, a filter that keeps the first rows (and a few more at most), where the
    database finds them faster than by sorting them all.

    The count is an uncorrelated subquery, which the database runs once; a window count would
    make it join and sort every row before the LIMIT."""
    whole = queryset if whole is None else whole
    if count is None:
        count = Subquery(whole.order_by().values(rows=count_all()))
    size = size or Preview.SIZE
    if first is not None:
        queryset = queryset.filter(first)
    elif whole is queryset:
        # The first rows found by key, joining only what the order needs, then read in full:
        # sorting the full rows (every related object they show) of a CES's 10,000 exhibits
        # took most of the edition page's time. Still one query.
        queryset = queryset.filter(pk__in=queryset.values("pk")[:size])
    rows = list(queryset.annotate(on_record=count)[:size])
    if prepare:
        prepare(rows)
    return Preview(rows, rows[0].on_record if rows else 0)


def city_total_rows():
    """The cities' totals and the itemised records counted beside them, as `CityTotal` keeps
    them and `Results.build` reads them: tuples of `RESULT_COLUMNS`, in the order it finds
    the earlier totals in, which is the table's key."""
    return CityTotal.objects.values_list(*RESULT_COLUMNS).order_by("region", "metric", "year")


# The queryset of the read with the most columns, built once a process: a page filters a copy
# (`filter()` clones a queryset, 0.2 ms) where building it took 12 ms a page. Never read as it
# is, so no rows are kept between requests.


@cache
def pavilions_table(coverage=True, figures=True):
    """`PavilionResults.objects.for_pavilions_table(coverage, figures)`: the pavilions of the
    city and edition pages, and of the pavilion table."""
    return PavilionResults.objects.for_pavilions_table(coverage=coverage, figures=figures)


def on_record():
    """Whether a city is on record at any CES (`Region.objects.at_ces()`), as `CityYear`
    keeps it: one look-up, where PostgreSQL ran three EXISTS over every delegation, pavilion
    and figure (7 ms)."""
    return Exists(CityYear.objects.filter(region=OuterRef("pk")))


def year_span(years):
    """Every year from the first to the last, so a year with nothing on record is a gap."""
    return list(range(min(years), max(years) + 1)) if years else []


class CityQuerySet(RegionQuerySet):
    def for_home(self, slug=None, compare=()):
        """The home page (/, ?city=<slug>&compare=<slug>...): the chosen city's latest CES
        against the last earlier CES that reported each figure, and against a handful of other
        cities there: those named in `compare`, else the nearest in size (companies exhibiting).
        Only these cities' totals are read, whatever the number of cities on record; every city
        at that CES is in the results table the page links to.

        Without `slug`, the city with the most CES years on record. An unknown `slug` raises
        `DoesNotExist`; unknown `compare` slugs are left out.
        """
        cities = list(self.filter(on_record()).order_by("pk"))  # `at_ces()`
        # How many CES each city is on record at, its first and its last, from `CityYear`
        # (kept with the summaries) rather than found again among every delegation, pavilion
        # and figure (30,000 at the synthetic scale), which took a quarter of the page's time.
        spans = {
            region: (years, first, last)
            for region, years, first, last in CityYear.objects.order_by()
            .values("region")
            .annotate(years=Count("*"), first=Min("year"), last=Max("year"))
            .values_list("region", "years", "first", "last")
        }
        if slug:
            city = next((c for c in cities if c.slug == slug), None)
            if city is None:
                raise self.model.DoesNotExist(slug)
        else:
            city = max(cities, key=lambda c: (spans.get(c.pk, (0,))[0], -c.pk), default=None)
        city_latest = spans[city.pk][2] if city and city.pk in spans else None
        there = CityYear.objects.filter(year=city_latest).values_list("region", flat=True)
        there = set(there) if city_latest else set()
        at_latest = [c for c in cities if c.pk in there]
        by_slug = {c.slug: c for c in at_latest if c != city}
        picked = [by_slug[s] for s in dict.fromkeys(compare) if s in by_slug][:COMPARED]
        sizes = companies_exhibiting(city_latest) if city_latest else {}
        others = picked or nearest_in_size(city, at_latest, sizes)
        compared = [city, *others] if city else []
        ids = [c.pk for c in compared]
        results = Results.build(city_total_rows().filter(region__in=ids))
        return HomePage(
            cities=cities,
            city=city,
            compared=compared,
            picked=picked,
            cities_at_latest=len(at_latest),
            cities_sized=sum(1 for c in at_latest if c.pk in sizes),
            latest=max((last for _years, _first, last in spans.values()), default=None),
            city_latest=city_latest,
            results=results,
            # From the first CES of the cities compared to the last.
            chart_years=year_span({y for pk in ids if pk in spans for y in spans[pk][1:]}),
            # What else is on record for the city's latest CES, so a city that reported no
            # figures still shows its pavilions and agreements.
            pavilions=Pavilion.objects.filter(
                region=city, edition__year=city_latest
            ).select_related("edition", "region"),
            agreements=Agreement.objects.filter(
                region=city, edition__year=city_latest
            ).select_related("edition", "region", "company", "source"),
        )

    def for_city_page(self, slug):
        """The city page (/cities/<slug>/): its totals year by year with the itemised counts
        beside them, trends, delegations and pavilions (one a CES at most), and the first of
        its companies, awards and agreements with how many there are in all."""
        city = (
            self.select_related("parent")
            .annotate(
                colour_rank=Subquery(
                    Region.objects.at_ces()
                    .filter(pk__lt=OuterRef("pk"))
                    .order_by()
                    .values(n=count_all())
                )
            )
            .get(slug=slug)
        )
        results = Results.build(city_total_rows().filter(region=city))
        # `Region.objects.years_at_ces()` of the city, as `CityYear` keeps it.
        on_record = set(CityYear.objects.filter(region=city).values_list("year", flat=True))
        return CityPage(
            city=city,
            results=results,
            # Every CES the city is on record at, by a figure, a delegation, a pavilion, an
            # agreement or an award, so a year with records but no totals still has its row.
            years=sorted(on_record | set(results.years(city.pk)), reverse=True),
            chart_years=year_span(on_record),
            colour_rank=city.colour_rank,
            delegations=Delegation.objects.filter(region=city)
            .select_related("edition", "region", "source", "leader_source")
            .order_by("-edition__year"),
            # A pavilion a CES at most: coverage annotated for these few, their figures read
            # for them (`add_reported_figures`) rather than aggregated.
            pavilions=add_reported_figures(
                list(pavilions_table(figures=False).filter(region=city))
            ),
            companies=preview(public_companies_of(city).order_by(*localized_fields("name"))),
            # The latest first, as the delegations and pavilions.
            agreements=preview(
                Agreement.objects.filter(region=city)
                .select_related("edition", "region", "company", "source")
                .order_by("-edition__year", F("signed_on").asc(nulls_last=True), "key")
            ),
            awards=preview(
                InnovationAward.objects.filter(company__region=city)
                .select_related("company__region", "edition", "source")
                .order_by("-edition__year", *localized_fields("company__name"))
            ),
        )


class City(Region):
    """A city or region as the dashboard shows it."""

    objects = CityQuerySet.as_manager()

    class Meta:
        proxy = True


class CesQuerySet(models.QuerySet):
    def for_edition_page(self, year):
        """The edition page (/editions/<year>/): a summary of one CES, bounded whatever the
        number of cities: the biggest cities side by side (all of them where they are few), and
        the first of its pavilions, delegations, named companies, awards and agreements, each
        with how many are on record in all, which the page links to in the tables; and the CES
        before and after it."""
        neighbour = Edition.objects.order_by()
        edition = (
            self.select_related("source")
            .annotate(
                previous_year=Subquery(
                    neighbour.filter(year__lt=OuterRef("year")).order_by("-year").values("year")[:1]
                ),
                next_year=Subquery(
                    neighbour.filter(year__gt=OuterRef("year")).order_by("year").values("year")[:1]
                ),
            )
            .get(year=year)
        )
        # A city is at this CES by a delegation, a pavilion or a figure (as `CityYear` keeps
        # them), an agreement or an award won by one of its companies.
        city = OuterRef("pk")
        at_edition = Region.objects.filter(on_record()).filter(  # `at_ces()`
            Exists(CityYear.objects.filter(region=city, year=edition.year))
            | Exists(Agreement.objects.filter(region=city, edition=edition))
            | Exists(InnovationAward.objects.filter(company__region=city, edition=edition))
        )
        # The biggest first (companies exhibiting; unknown last, then in the order of every
        # chart), counted in the same query: only the cities shown are read.
        cities = preview(
            at_edition.annotate(
                companies_exhibiting=companies_at(edition),
                # Its presence inferred, not reported (the e mark beside its name).
                implied_here=Exists(
                    Delegation.objects.filter(region=city, edition=edition, implied=True)
                ),
            ).order_by(F("companies_exhibiting").desc(nulls_last=True), "pk"),
            at_edition,
            size=CITIES_SHOWN,
        )
        # All of them, where they are few: then in the order of every chart.
        shown = cities if cities.on_record > CITIES_SHOWN else sorted(cities, key=lambda c: c.pk)
        ids = [c.pk for c in shown]
        # The pavilions with their coverage, their figures read for the ten shown
        # (`add_reported_figures`): building and compiling the 34 aggregates of every figure
        # took longer than the query.
        pavilions = preview(
            pavilions_table(figures=False)
            .filter(edition=edition)
            .annotate(companies=pavilion_companies())
            .order_by(F("companies").desc(nulls_last=True), "pk"),
            Pavilion.objects.filter(edition=edition),
            prepare=add_reported_figures,
            first=Q(pk__in=biggest_pavilions(edition)),
        )
        # Their first by company name (`first_by_company`).
        awards = InnovationAward.objects.filter(edition=edition)
        exhibits = Exhibit.objects.filter(edition=edition)
        return EditionPage(
            edition=edition,
            cities=list(shown),
            cities_on_record=cities.on_record,
            # The totals of this CES, and of these cities' earlier years the ones it is shown
            # against (a window over one year's rows would see none).
            results=Results.build(
                city_total_rows().filter(region__in=ids, year__lte=edition.year),
                years={edition.year},
            ),
            pavilions=pavilions,
            delegations=preview(
                Delegation.objects.filter(edition=edition)
                .select_related("edition", "region", "source", "leader_source")
                .order_by("region")
            ),
            agreements=preview(
                Agreement.objects.filter(edition=edition).select_related(
                    "edition", "region", "company", "source"
                )
            ),
            awards=preview(
                awards.select_related("edition", "company__region", "source"),
                first=Q(pk__in=first_by_company(awards)),
            ),
            exhibits=preview(
                exhibits.select_related("edition", "company", "pavilion__edition", "source"),
                first=Q(pk__in=first_by_company(exhibits)),
            ),
        )


class Ces(Edition):
    """A CES edition as the dashboard shows it."""

    objects = CesQuerySet.as_manager()

    class Meta:
        proxy = True


class PavilionResultsQuerySet(PavilionQuerySet):
    def for_pavilions_table(self, coverage=True, figures=True):
        """The pavilion table (/pavilions/, and the pavilions on the city and edition pages):
        each pavilion's reported figures, and beside them how many of the itemised records are
        named (coverage: `COVERAGE`). Without `coverage`, those are left to `add_coverage()`
        for the rows shown: counting them for every pavilion took a second at 4,500. Without
        `figures`, the figures too are left to the rows shown (`add_reported_figures`)."""
        pavilions = self.filter(published=True)
        if figures:
            pavilions = pavilions.with_reported_figures()
        else:
            pavilions = pavilions.select_related("edition", "region", "source")
        if not coverage:
            return pavilions
        pavilion = OuterRef("pk")
        return pavilions.annotate(
            companies_named=count_of(Exhibit, pavilion=pavilion),
            contracts_recorded=count_of(Contract, pavilion=pavilion),
            contract_value_recorded_usd=sum_of(Contract, "usd_amount", pavilion=pavilion),
            mous_recorded=count_of(Agreement, pavilion=pavilion, status=Agreement.Status.SIGNED),
            award_winners_named=winners_named(pavilion),
        )

    def for_pavilion_page(self, year, slug):
        """The pavilion page (/editions/<year>/<slug>/): its reported figures with the
        article's words, its coverage, per-region counts, companies, contracts, agreements and
        the award winners among its exhibitors."""
        # Read plainly, its figures and coverage then added to it (`add_reported_figures`
        # from the figures the page lists, `add_coverage`): building and compiling the
        # table's 34 aggregates and 5 subqueries for one pavilion took most of the page's time.
        pavilion = (
            self.filter(published=True)
            .select_related("edition", "region", "source")
            .prefetch_related(
                Prefetch(
                    "figures",
                    ReportedFigure.objects.select_related("edition", "region", "source").order_by(
                        "metric"
                    ),
                ),
                Prefetch(
                    "regional_counts",
                    RegionalCompanyCount.objects.select_related("region", "source"),
                ),
                Prefetch(
                    "exhibits", Exhibit.objects.select_related("company", "edition", "source")
                ),
                Prefetch(
                    "contracts", Contract.objects.select_related("company", "edition", "source")
                ),
                Prefetch(
                    "agreements",
                    Agreement.objects.select_related("company", "edition", "region", "source"),
                ),
            )
            .get(edition__year=year, slug=slug)
        )
        awards = InnovationAward.objects.filter(
            edition=pavilion.edition,
            company__exhibits__pavilion=pavilion,
            company__exhibits__published=True,
        ).select_related("company__region", "edition", "source")
        awards = list(awards)
        add_reported_figures([pavilion], figures=pavilion.figures.all())
        add_page_coverage(pavilion, awards)
        return PavilionPage(pavilion=pavilion, awards=awards)


# The pavilion table's coverage columns: how many itemised records of each kind are named.
COVERAGE = (
    "companies_named",
    "contracts_recorded",
    "contract_value_recorded_usd",
    "mous_recorded",
    "award_winners_named",
)


def coverage_parts(pavilions):
    """The grouped counts of the pavilion table's coverage columns (`COVERAGE`) for these
    pavilions, as (pavilion id, 0, column, count) rows: the shape of `recorded_parts`, so both
    can go in one query. Counted with COUNT(*) down the records' coverage indexes, which hold
    every column read (COUNT(id) made PostgreSQL read each record's row too)."""
    ids = [p.pk for p in pavilions]
    exhibits = Exhibit.objects.filter(pavilion__in=ids)
    contracts = Contract.objects.filter(pavilion__in=ids)
    winners = exhibits.filter(
        Exists(
            InnovationAward.objects.filter(company=OuterRef("company"), edition=OuterRef("edition"))
        )
    )
    return [
        rows.order_by()
        .values("pavilion")
        .annotate(n=aggregate, year=Value(0), column=Value(column))
        .values_list("pavilion", "year", "column", "n")
        for column, rows, aggregate in (
            ("companies_named", exhibits, Count("*")),
            ("contracts_recorded", contracts, Count("*")),
            ("contract_value_recorded_usd", contracts, Sum("usd_amount")),
            (
                "mous_recorded",
                Agreement.objects.filter(pavilion__in=ids, status=Agreement.Status.SIGNED),
                Count("*"),
            ),
            ("award_winners_named", winners, Count("*")),
        )
    ]


def add_coverage(pavilions, rows=None):
    """Give each of `pavilions` (rows of `for_pavilions_table(coverage=False)`) its coverage
    columns, as `for_pavilions_table()` annotates them: from `rows` of `coverage_parts` already
    read, else in one query."""
    if rows is None:
        rows = union_all(coverage_parts(pavilions)) if pavilions else []
    found = {(pavilion, column): n for pavilion, _year, column, n in rows}
    for p in pavilions:
        for column in COVERAGE:
            # No contract: no recorded value (unknown is not zero); no record: a count of 0.
            empty = None if column == "contract_value_recorded_usd" else 0
            setattr(p, column, found.get((p.pk, column), empty))
    return pavilions


def add_page_coverage(pavilion, awards):
    """Give the pavilion of the pavilion page its coverage columns, as `add_coverage` counts
    them, from the records the page lists: its published exhibits, contracts and agreements,
    and `awards`, the awards at its CES of the companies exhibiting in it."""
    exhibits, contracts = pavilion.exhibits.all(), pavilion.contracts.all()
    winners = {(award.company_id, award.edition_id) for award in awards}
    amounts = [c.usd_amount for c in contracts if c.usd_amount is not None]
    pavilion.companies_named = len(exhibits)
    pavilion.contracts_recorded = len(contracts)
    # No contract with an amount: no recorded value (unknown is not zero), as SUM gives it.
    pavilion.contract_value_recorded_usd = sum(amounts) if amounts else None
    signed = Agreement.Status.SIGNED
    pavilion.mous_recorded = sum(1 for a in pavilion.agreements.all() if a.status == signed)
    pavilion.award_winners_named = sum(
        1 for e in exhibits if (e.company_id, e.edition_id) in winners
    )


class PavilionResults(Pavilion):
    """A pavilion with its reported figures and the coverage of its itemised records."""

    objects = PavilionResultsQuerySet.as_manager()

    class Meta:
        proxy = True


# The kinds of record a source page counts as `RecordCount` keeps them.
SOURCE_PAGE_COUNTS = ("figures", "pavilions", "agreements", "contracts", "awards", "exhibits")


@cache
def sources_counted():
    """`SourceRecords` each with how many published records of each kind it gives
    (`<kind>_on_record`, as `RecordCount` keeps them: the view brings it up to date first), and
    `figures_from`, the year of its `FIGURES_SHOWN`-th figure, the latest CES first (0 where it
    has fewer): the year its page's figures go back to, found among its counts a CES (the
    first, from the latest, by which they add up to that many) rather than by sorting every
    figure of the article by year. Built once a process, as `city_total_rows`."""
    source = OuterRef("pk")
    counts = {
        f"{kind}_on_record": RecordCount.objects.of_source(kind, source)
        for kind in SOURCE_PAGE_COUNTS
    }
    figures = RecordCount.objects.filter(kind="figures")
    from_then_on = (
        figures.filter(source=OuterRef("source"), year__gte=OuterRef("year"))
        .order_by()
        .values("source")
        .annotate(n=Sum("records"))
        .values("n")
    )
    years = (
        figures.filter(source=source)
        .annotate(from_then_on=Subquery(from_then_on))
        .filter(from_then_on__gte=FIGURES_SHOWN)
        .order_by("-year")
        .values("year")[:1]
    )
    return SourceRecords.objects.annotate(**counts, figures_from=Coalesce(Subquery(years), 0))


class SourceRecordsQuerySet(models.QuerySet):
    def for_sources_page(self):
        """The sources page (/sources/): every article, with how many figures and itemised
        records come from it, newest first (an undated article where its content places it,
        one that nothing dates last)."""
        source = OuterRef("pk")
        # As `RecordCount` keeps them (the view brings it up to date first).
        records = [
            RecordCount.objects.of_source(kind, source)
            for kind in ("agreements", "contracts", "awards")
        ]
        return self.annotate(
            figure_count=RecordCount.objects.of_source("figures", source),
            record_count=sum(records, start=RecordCount.objects.of_source("exhibits", source)),
            dated=Coalesce("published_on", "placed_on"),
        ).order_by(F("dated").desc(nulls_last=True), "key")

    def for_source_page(self, key, figure=None):
        """The source page (/sources/<key>/): one article and what is taken from it, bounded
        whatever the article holds: its first `FIGURES_SHOWN` figures, each row with the anchor
        the other pages link to (the figure a link names, `figure`, always among them), and the
        first of each kind of record in the order they were entered (as the article lists them;
        an index order, where sorting 200,000 exhibits took most of a second), with how many
        there are in all and the table that lists them."""
        source = sources_counted().get(key=key)
        figures = ReportedFigure.objects.filter(source=source)

        def kept(kind):
            # How many there are, as `RecordCount` keeps it (counting an article's 200,000
            # exhibits, even from an index, was most of the page's reading), read with the
            # article (`sources_counted`) rather than by a subquery of each list.
            return Value(getattr(source, f"{kind}_on_record"))

        first = [Case(When(pk=figure, then=0), default=1)] if figure else []
        # The figures shown are among those of the latest CES down to the year of the last one
        # shown (`figures_from`; and the one a link names), read down the (source, published,
        # CES) index: sorting only those, rather than every figure of an article that has
        # thousands, by city and pavilion names.
        years = Edition.objects.filter(year__gte=source.figures_from)
        shown = Q(edition__in=years.values("pk"))
        if figure:
            shown |= Q(pk=figure)

        def of_source(rows):
            # Every row's source is this article: given it, rather than joined in again.
            for row in rows:
                row.source = source

        def at_pavilions_ces(rows):
            # A pavilion's figure or exhibit is at the pavilion's CES (their `save()` sets it):
            # the row's edition is the pavilion's, given rather than joined in again.
            for row in rows:
                row.source = source
                if row.pavilion_id is not None:
                    row.pavilion.edition = row.edition

        return SourcePage(
            source=source,
            # Ordered by "pavilion" after the CES and the city, but by its kind and name only:
            # the pavilion's own CES and city, first in its order, are the figure's (as above),
            # so they tie within the rows' CES and city, and joining them again made the query
            # take as long to plan on PostgreSQL as to run.
            figures=preview(
                figures.select_related("edition", "region", "pavilion").order_by(
                    *first,
                    "-edition__year",
                    "region",
                    "pavilion__kind",
                    "pavilion__name_ko",
                    "metric",
                ),
                size=FIGURES_SHOWN,
                prepare=at_pavilions_ces,
                first=shown,
                count=kept("figures"),
            ),
            regional_counts=preview(
                RegionalCompanyCount.objects.filter(source=source).select_related(
                    "pavilion__edition", "region"
                )
            ),
            pavilions=preview(
                Pavilion.objects.filter(source=source).select_related("edition", "region"),
                count=kept("pavilions"),
            ),
            # The delegations it reports and those whose leader it names, in one list.
            delegations=preview(
                Delegation.objects.filter(Q(source=source) | Q(leader_source=source))
                .select_related("edition", "region", "leader_source", "source")
                .order_by("-edition__year", "region")
            ),
            agreements=preview(
                Agreement.objects.filter(source=source)
                .select_related("edition", "region", "company")
                .order_by("pk"),
                prepare=of_source,
                count=kept("agreements"),
            ),
            contracts=preview(
                Contract.objects.filter(source=source)
                .select_related("edition", "company")
                .order_by("pk"),
                prepare=of_source,
                count=kept("contracts"),
            ),
            awards=preview(
                InnovationAward.objects.filter(source=source)
                .select_related("edition", "company")
                .order_by("pk"),
                prepare=of_source,
                count=kept("awards"),
            ),
            exhibits=preview(
                Exhibit.objects.filter(source=source)
                .select_related("edition", "company", "pavilion")
                .order_by("pk"),
                prepare=at_pavilions_ces,
                count=kept("exhibits"),
            ),
        )


class SourceRecords(Source):
    """An article with everything taken from it."""

    objects = SourceRecordsQuerySet.as_manager()

    class Meta:
        proxy = True


class TrueValue(Value):
    """True written into the SQL rather than passed as a parameter, as SQLite's 1. Given
    `public = ?` (or `= TRUE`), SQLite's planner read all 50,000 company summaries before
    sorting them, instead of walking down the index of names that gives the page's order."""

    def __init__(self):
        super().__init__(True, output_field=models.BooleanField())

    def as_sql(self, compiler, connection):
        return ("1" if connection.vendor == "sqlite" else "TRUE"), []


TRUE = TrueValue()


class CompanyRowsQuerySet(CompanyQuerySet):
    """The companies and participation tables read their counts from the company summaries
    (`CompanySummary`, `CompanyYear`): the view brings them up to date first
    (`DataVersion.summaries_current`)."""

    def for_companies_table(self):
        """The companies table (/companies/): the companies the dashboard may name, each with
        its records counted (`SUMMARY_COUNTS`, from its `CompanySummary`)."""
        counts = {name: F(f"summary__{name}") for name in SUMMARY_COUNTS}
        return (
            self.filter(summary__public=TRUE).select_related("region", "source").annotate(**counts)
        )

    def for_participation_table(self, sorted_by_year=None):
        """The participation table (/participation/): the companies table's rows; a year's
        columns (`<kind>_<year>`, 0 where the company was not there) are read here when the
        table is sorted by that year, else for the rows shown (`participation_cells`)."""
        companies = self.for_companies_table()
        if sorted_by_year is None:
            return companies
        # Subqueries rather than a join: a count of the rows leaves them out, and the table
        # reads a page of them by rank (`cesdash.tables.ParticipationRows`).
        at_year = CompanyYear.objects.filter(company=OuterRef("pk"), year=sorted_by_year)
        return companies.annotate(
            **{
                f"{kind}_{sorted_by_year}": Coalesce(Subquery(at_year.values(kind)[:1]), 0)
                for kind in RECORD_KINDS
            }
        )

    def participation_cells(self, ids):
        """{(company id, year): CompanyYear} of the companies with these ids: the
        participation table's cells for one page or one batch of an export, in one query.
        Ids, not a subquery: to join a subquery of 50 companies, PostgreSQL hashed all
        250,000 CompanyYear rows (40 ms) rather than look the 50 up in the key."""
        rows = CompanyYear.objects.filter(company__in=list(ids))
        return {(row.company_id, row.year): row for row in rows}

    def participation_years(self):
        """The CES years any company took part in: the participation table's year columns."""
        # A look-up for each CES, rather than every CompanyYear row read for its year.
        took_part = CompanyYear.objects.filter(year=OuterRef("year"))
        years = Edition.objects.filter(Exists(took_part)).order_by("year")
        return list(years.values_list("year", flat=True))


class CompanyRows(Company):
    objects = CompanyRowsQuerySet.as_manager()

    class Meta:
        proxy = True


_rebuilding = threading.Lock()


class DataVersion(models.Model):
    """One number that every change to the CES data bumps (`cesdash.caching`): the key under
    which rendered pages are cached, in the database so that every app server sharing it sees
    a change at once."""

    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True)
    # The version the derived tables were last built for (`summaries_current`).
    summarised = models.BigIntegerField(null=True)

    class Meta:
        verbose_name = _("data version")

    def __str__(self):
        return str(self.version)

    @classmethod
    def current(cls):
        """The version now (0 before the first change is recorded)."""
        return cls.state()[0]

    @classmethod
    def state(cls):
        """(the version now, whether the derived tables are built for it), in one query:
        what every request for a page reads first (`cesdash.caching.cached_page`)."""
        row = cls._row()
        version, summarised = row or (0, None)
        return version, version == summarised

    @classmethod
    def _row(cls):
        """(version, summarised) of the one row, or None before the first change: by SQL
        written once, as building and compiling the queryset took half the time of serving
        a cached page."""
        with connection.cursor() as cursor:
            cursor.execute(*_state_sql(connection.vendor))
            return cursor.fetchone()

    @classmethod
    def bump(cls):
        """Record a change: in the changing transaction, so the two commit together."""
        if not cls.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now()):
            cls.objects.get_or_create(pk=1, defaults={"version": 1, "changed_at": now()})

    @classmethod
    def summaries_current(cls):
        """Bring the derived tables (`SUMMARIES`) up to the current data version: nothing to
        do, one query, while they are; else they are rebuilt whole, once, by the first request
        after the change (`cesdash.caching.cached_page` calls this before any page reads
        them; concurrent requests wait for the rebuild)."""
        # The threads of this process wait for the first one's rebuild, then find the tables
        # current; other processes wait on the row's lock (PostgreSQL), or on the database's
        # (SQLite, which locks the whole file for a write). The version is read under the
        # lock too: read while another thread was committing its rebuild, SQLite's shared
        # cache (the tests' in-memory database) refused it ("database table is locked").
        with _rebuilding:
            row = cls._row()
            if row is not None and row[0] == row[1]:
                return
            if row is None:
                cls.objects.get_or_create(pk=1)
            with transaction.atomic():
                version, summarised = (
                    cls.objects.select_for_update()
                    .filter(pk=1)
                    .values_list("version", "summarised")
                ).get()
                if version != summarised:
                    rebuild_summaries()
                    cls.objects.filter(pk=1).update(summarised=version)


@cache
def _state_sql(vendor):
    """(SQL, params) of `DataVersion.objects.filter(pk=1).values_list("version",
    "summarised")`, compiled once for each database `vendor` (SQLite, PostgreSQL)."""
    rows = DataVersion.objects.filter(pk=1).values_list("version", "summarised")
    return rows.query.sql_with_params()


class CompanyYear(models.Model):
    """What the sources record of one company at one CES, counted from its published records:
    a row wherever the company took part (`companies.models.took_part`: an exhibit, an
    Innovation Award, a contract or an agreement). The cells of the participation table, and
    its year filter. Derived, never edited: rebuilt whole when the data changes
    (`DataVersion.summaries_current`)."""

    # The company and the year are the key: no surrogate id, one index fewer to fill.
    pk = models.CompositePrimaryKey("company", "year")
    company = models.ForeignKey(
        Company,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the key's first column
        related_name="ces_years",
    )
    year = models.PositiveSmallIntegerField()
    exhibits = models.PositiveIntegerField()
    awards = models.PositiveIntegerField()
    contracts = models.PositiveIntegerField()
    # The contracts stated in US dollars, added up; NULL where none is (unknown is not 0).
    contract_value_usd = models.BigIntegerField(null=True)
    agreements = models.PositiveIntegerField()
    # The company's place among that year's companies in the participation table sorted by
    # the year (`YEAR_ORDER`), 1 first, and sorted the other way (`YEAR_ORDER_REVERSED`: not
    # the first order read backwards, as empty names come last both ways): the order read
    # down an index, not worked out for 50,000 companies at each request.
    rank = models.PositiveIntegerField()
    rank_reversed = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["year", "company"], name="company_year_by_year"),
            models.Index(fields=["year", "rank"], name="company_year_by_rank"),
            models.Index(fields=["year", "rank_reversed"], name="company_year_by_rank_rev"),
        ]

    def __str__(self):
        return f"{self.company_id} at CES {self.year}"


class CompanySummary(models.Model):
    """One company's records counted over all years (`CompanyYear` added up), and whether the
    dashboard may name it (`Company.objects.public()`): the companies table's columns, so
    that sorting and filtering 50,000 companies by them reads one indexed row each rather
    than counting every company's records per request. Derived like `CompanyYear`."""

    company = models.OneToOneField(
        Company,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="summary",
    )
    public = models.BooleanField()
    ces_count = models.PositiveIntegerField()
    award_count = models.PositiveIntegerField()
    contract_count = models.PositiveIntegerField()
    contract_value_usd = models.BigIntegerField(null=True)
    agreement_count = models.PositiveIntegerField()

    # PostgreSQL also indexes the public ones (public_company, migrations/0010).

    def __str__(self):
        return f"{self.company_id}: {self.ces_count} CES"


class RecordCountQuerySet(models.QuerySet):
    def per_year(self, kind):
        """[(year, records)] of one kind of record, each CES with any, in the order of years:
        what the kind's table counts unfiltered, a CES at a time."""
        return list(
            self.filter(kind=kind)
            .order_by()
            .values("year")
            .annotate(records=Sum("records"))
            .order_by("year")
            .values_list("year", "records")
        )

    def of_source(self, kind, source):
        """How many published records of `kind` an article (an `OuterRef` allowed) gives, 0
        where it gives none: a subquery."""
        rows = self.filter(kind=kind, source=source).order_by().values("kind")
        total = rows.annotate(n=Sum("records")).values("n")
        return Coalesce(Subquery(total, output_field=models.IntegerField()), 0)


class RecordCount(models.Model):
    """How many published records of one kind (`COUNTED_RECORDS`) one article gives for one
    CES: what the big tables count unfiltered a CES at a time, and the sources list and a source
    page count of each kind, read from a thousand rows rather than counted over 200,000 exhibits
    at every request. Derived like `CompanyYear`, rebuilt with it."""

    pk = models.CompositePrimaryKey("kind", "source", "year")
    kind = models.CharField(max_length=20)
    source = models.ForeignKey(
        Source, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    records = models.PositiveIntegerField()

    objects = RecordCountQuerySet.as_manager()

    def __str__(self):
        return f"{self.records} {self.kind} of {self.source_id} at CES {self.year}"


class CityYear(models.Model):
    """A CES a city is on record at (`Region.objects.years_at_ces()`): which city has the most
    years, and which cities were at the chosen one's latest CES, on the home page. Derived like
    `CompanyYear`, rebuilt with it."""

    pk = models.CompositePrimaryKey("region", "year")
    region = models.ForeignKey(
        Region, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    year = models.PositiveSmallIntegerField()

    def __str__(self):
        return f"{self.region_id} at CES {self.year}"


# The records `RecordCount` counts, each the kind of its table's rows (`DataTable.counted`).
COUNTED_RECORDS = {
    "exhibits": Exhibit,
    "contracts": Contract,
    "agreements": Agreement,
    "awards": InnovationAward,
    "figures": ReportedFigure,
    "pavilions": Pavilion,
}


def _record_counts():
    """(kind, source, CES id, records) of every published record of `COUNTED_RECORDS`:
    grouped by the CES's id, the year joined to the groups rather than to every record."""
    parts = [
        model.objects.order_by()
        .values("source", "edition")
        .annotate(k=Value(kind), n=Count("*"))
        .values_list("k", "source", "edition", "n")
        for kind, model in COUNTED_RECORDS.items()
    ]
    return parts[0].union(*parts[1:], all=True).order_by()


# The companies table's columns of a company's summary.
SUMMARY_COUNTS = (
    "ces_count",
    "award_count",
    "contract_count",
    "contract_value_usd",
    "agreement_count",
)

# The kinds of record a company's year counts (`CompanyYear`).
RECORD_KINDS = ("exhibits", "awards", "contracts", "agreements")


def _year_counts(queryset, counted, value=None):
    """One kind of record as (company, year, exhibits, awards, contracts, agreements, value)
    rows, the record counted in its own column."""
    columns = {name: Value(int(name == counted)) for name in RECORD_KINDS}
    return (
        queryset.order_by()
        .annotate(
            c=F("company"),
            y=F("edition__year"),
            **columns,
            # Typed, or PostgreSQL reads the NULLs of the first rows as text.
            v=F(value) if value else Cast(Value(None), models.BigIntegerField()),
        )
        .values_list("c", "y", *columns, "v")
    )


# The participation table's order when sorted by a year (`cesdash.tables.YearColumn`): more
# Innovation Awards first, then contracts, agreements, exhibits, then the Korean name with
# empty names last, as the table sorts it (`cesdash.exports.nulls_last`), ties by the key.
YEAR_ORDER = (
    "g.awards DESC, g.contracts DESC, g.agreements DESC, g.exhibits DESC, "
    "NULLIF(c.name_ko, '') ASC NULLS LAST, g.c ASC"
)
YEAR_ORDER_REVERSED = (
    "g.awards ASC, g.contracts ASC, g.agreements ASC, g.exhibits ASC, "
    "NULLIF(c.name_ko, '') DESC NULLS LAST, g.c DESC"
)


class CityTotalQuerySet(models.QuerySet):
    def reported(self):
        """The totals reported (of one figure or more), without the rows that only count the
        records of a figure no total is reported of."""
        return self.filter(figures__gt=0)


class CityTotal(models.Model):
    """A city's figure at one CES: its total as `ReportedFigure.objects.city_totals()` forms it
    (which scope wins, the sums, the marks), and how many itemised records of it are on record
    beside it (`recorded_parts`). What the home, city and edition pages and their charts show,
    read for a dozen cities (`city_total_rows`) rather than grouped and added up from their
    figures and records at every request. Its columns are `cesdash.totals.RESULT_COLUMNS`.
    Derived like `CompanyYear`, rebuilt with it."""

    # In the order `Results.build` reads the rows: a city's figure, year by year.
    pk = models.CompositePrimaryKey("region", "metric", "year")
    region = models.ForeignKey(
        Region, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    metric = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    # The figures the total is made of: 0 where none is reported, and only records are
    # (`CityTotal.objects.reported()` leaves those out).
    figures = models.PositiveIntegerField()
    # NULL across currencies, where amounts are not added up.
    value = models.BigIntegerField(null=True)
    currency = models.CharField(max_length=3)
    usd = models.BigIntegerField(null=True)
    approximate = models.BooleanField()
    preview = models.BooleanField()
    mixed_kinds = models.BooleanField()
    converted_value = models.BigIntegerField(null=True)
    conversion_currency = models.CharField(max_length=3)
    source_key = models.CharField(max_length=80)
    first_figure = models.BigIntegerField(null=True)
    # How many pavilions of each kind the total adds up, and what they add up to
    # (`cesdash.totals.KIND_COLUMNS`); 0 pavilions for a city-wide figure.
    main_pavilions = models.PositiveIntegerField()
    main_value = models.BigIntegerField(null=True)
    sports_pavilions = models.PositiveIntegerField()
    sports_value = models.BigIntegerField(null=True)
    other_pavilions = models.PositiveIntegerField()
    other_value = models.BigIntegerField(null=True)
    # The itemised records of the figure on record for the city at that CES (MOUs signed,
    # award winners, contracts); NULL where none is, or the figure has no itemised kind.
    recorded = models.PositiveIntegerField(null=True)

    objects = CityTotalQuerySet.as_manager()

    class Meta:
        # Every city's companies exhibiting at one CES (`companies_exhibiting`).
        indexes = [models.Index(fields=["metric", "year"], name="city_total_by_figure_ces")]

    def __str__(self):
        return f"{self.metric} of {self.region_id} at CES {self.year}"


# ------------------------------------------------------------------ filling the summaries
#
# Each derived table is filled from the published records by INSERT ... SELECT of grouped
# counts, in the database, by its own filler (`SUMMARIES`): a cursor in, the table filled.


def _insert(cursor, model, columns, select, params=()):
    table = model._meta.db_table
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    cursor.execute(f"INSERT INTO {table} ({names}) {select}", params)


def fill_city_years(cursor):
    at_ces, params = Region.objects.years_at_ces().query.sql_with_params()
    _insert(cursor, CityYear, ("region", "year"), at_ces, params)


def fill_record_counts(cursor):
    counted, params = _record_counts().query.sql_with_params()
    _insert(
        cursor,
        RecordCount,
        ("kind", "source", "year", "records"),
        f"SELECT r.k, r.source, e.year, r.n FROM ({counted}) r "
        f"JOIN {Edition._meta.db_table} e ON e.id = r.edition",
        params,
    )


def fill_company_years(cursor):
    parts = [
        _year_counts(Exhibit.objects.all(), "exhibits"),
        _year_counts(InnovationAward.objects.all(), "awards"),
        _year_counts(Contract.objects.all(), "contracts", value="usd_amount"),
        _year_counts(Agreement.objects.filter(company__isnull=False), "agreements"),
    ]
    records, params = parts[0].union(*parts[1:], all=True).order_by().query.sql_with_params()
    _insert(
        cursor,
        CompanyYear,
        ("company", "year", *RECORD_KINDS, "contract_value_usd", "rank", "rank_reversed"),
        "SELECT g.c, g.y, g.exhibits, g.awards, g.contracts, g.agreements, g.v, "
        f"ROW_NUMBER() OVER (PARTITION BY g.y ORDER BY {YEAR_ORDER}), "
        f"ROW_NUMBER() OVER (PARTITION BY g.y ORDER BY {YEAR_ORDER_REVERSED}) "
        "FROM (SELECT r.c, r.y, SUM(r.exhibits) AS exhibits, SUM(r.awards) AS awards, "
        "SUM(r.contracts) AS contracts, SUM(r.agreements) AS agreements, SUM(r.v) AS v "
        f"FROM ({records}) r GROUP BY r.c, r.y) g JOIN {Company._meta.db_table} c ON c.id = g.c",
        params,
    )


def fill_company_summaries(cursor):
    """From `CompanyYear`, which is filled first."""
    _insert(
        cursor,
        CompanySummary,
        ("company", "public", *SUMMARY_COUNTS),
        "SELECT c.id, COUNT(y.year) > 0, COUNT(y.year), COALESCE(SUM(y.awards), 0), "
        "COALESCE(SUM(y.contracts), 0), SUM(y.contract_value_usd), "
        f"COALESCE(SUM(y.agreements), 0) FROM {Company._meta.db_table} c "
        f"LEFT JOIN {CompanyYear._meta.db_table} y ON y.company_id = c.id GROUP BY c.id",
    )
    # A company with no published record is named only if it has no record at all: one whose
    # every record is a draft is news not yet out (`Company.objects.public()`).
    unrecorded = Company.objects.filter(pk=OuterRef("company")).public()
    CompanySummary.objects.filter(public=False).filter(Exists(unrecorded)).update(public=True)


# The columns of a city's figure with records but no total that are empty; its flags
# (`FIGURE_FLAGS`, which `city_totals()` gives as 0 or 1) are false.
TOTAL_EMPTY = {
    "currency": "''",
    "conversion_currency": "''",
    "source_key": "''",
    "figures": "0",
    **{count: "0" for _kind, count, _value in KIND_COLUMNS},
}


def fill_city_totals(cursor):
    """Each city's totals and the itemised records beside them: the two grouped reads side
    by side (UNION ALL), a row per city, figure and year that either has."""
    totals = ReportedFigure.objects.city_totals().values_list(*TOTAL_COLUMNS).order_by()
    parts = recorded_parts(
        Agreement.objects.all(),
        InnovationAward.objects.filter(company__region__isnull=False),
        Contract.objects.filter(company__region__isnull=False),
    )
    records = parts[0].union(*parts[1:], all=True).order_by()  # as (region, year, metric, signed)
    totals_sql, totals_params = totals.query.sql_with_params()
    records_sql, records_params = records.query.sql_with_params()
    q = connection.ops.quote_name
    values = [name for name in TOTAL_COLUMNS if name not in ("region", "metric", "year")]
    # Each group has at most one row of each side: MAX picks the value there is.
    picked = []
    for name in values:
        column = f"MAX(g.{q(name)})"
        if name in FIGURE_FLAGS:
            column = f"COALESCE({column}, 0) = 1"
        elif name in TOTAL_EMPTY:
            column = f"COALESCE({column}, {TOTAL_EMPTY[name]})"
        picked.append(column)
    _insert(
        cursor,
        CityTotal,
        ("region", "metric", "year", *values, "recorded"),
        f"SELECT g.region, g.metric, g.{q('year')}, {', '.join(picked)}, MAX(g.recorded) "
        f"FROM (SELECT t.region, t.metric, t.{q('year')}, "
        f"{', '.join(f't.{q(name)}' for name in values)}, NULL AS recorded "
        f"FROM ({totals_sql}) t UNION ALL SELECT r.region, r.metric, r.{q('year')}, "
        f"{', '.join('NULL' for _name in values)}, r.signed FROM ({records_sql}) r) g "
        f"GROUP BY g.region, g.metric, g.{q('year')}",
        (*totals_params, *records_params),
    )


# The derived tables and their fillers, in the order they are filled.
SUMMARIES = (
    (CityYear, fill_city_years),
    (RecordCount, fill_record_counts),
    (CompanyYear, fill_company_years),
    (CompanySummary, fill_company_summaries),
    (CityTotal, fill_city_totals),
)


def rebuild_summaries():
    """Empty every derived table (`SUMMARIES`) and fill it again from the published records:
    a few seconds at the synthetic scale. {table: seconds it took to fill}, which the
    benchmark prints."""
    tables = [model._meta.db_table for model, _fill in SUMMARIES]
    took = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Emptied without leaving 300,000 dead rows in the indexes that the next fill
            # would wade through; readers wait for the new rows (PostgreSQL's TRUNCATE takes
            # the tables until the transaction ends) rather than see none.
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")
        for (_model, fill), table in zip(SUMMARIES, tables, strict=True):
            started = perf_counter()
            fill(cursor)
            took[table] = perf_counter() - started
        if connection.vendor == "postgresql":
            # The planner's statistics of the new rows: until autovacuum gets to them it
            # plans by those of the emptied tables.
            started = perf_counter()
            cursor.execute(f"ANALYZE {', '.join(tables)}")
            took["ANALYZE"] = perf_counter() - started
    return took
