"""What each dashboard page shows, and the same data as its JSON twin.

A page object is what a read in `cesdash.models` returns; the page's template shows it, and its
`as_json()` gives the same figures to `<page>.json`. JSON keys are stable names, the same in
Korean and English; labels and `display` texts (the figure as the page shows it) follow the
language of the request.
"""

from dataclasses import dataclass
from functools import cached_property

from django.urls import reverse
from django.utils.http import urlencode

from cesdash.formatting import format_count, format_money
from cesdash.totals import figure_marks
from delegations.bilingual import localized
from delegations.models import HEADLINE_METRICS, METRIC_UNITS, MONEY_METRICS, Metric

# ------------------------------------------------------------------------------- pieces


def url(obj):
    return obj.get_absolute_url() if obj is not None else None


def bilingual(obj, field="name"):
    """A bilingual field as the page reads it, with both languages beside it."""
    return {
        field: localized(obj, field) or None,
        f"{field}_ko": getattr(obj, f"{field}_ko") or None,
        f"{field}_en": getattr(obj, f"{field}_en") or None,
    }


def city_json(region):
    if region is None:
        return None
    return {"slug": region.slug, **bilingual(region), "url": url(region)}


def company_ref(company):
    if company is None:
        return None
    return {"slug": company.slug, **bilingual(company), "url": url(company)}


def pavilion_ref(pavilion):
    if pavilion is None:
        return None
    return {"slug": pavilion.slug, **bilingual(pavilion), "url": url(pavilion)}


def source_ref(source):
    if source is None:
        return None
    return {
        "key": source.key,
        "title": source.title,
        "publisher": source.publisher or None,
        "url": url(source),
    }


def figure_url(source, figure_id):
    """The row of the source page that states a figure: named in the query too, so the page
    lists it however many figures the article states."""
    return f"{url(source)}?figure={figure_id}#figure-{figure_id}"


def metric_label(metric):
    return str(Metric(metric).label)


def conversion_json(value, currency):
    """The source's own conversion of an amount, as the source gives it (always approximate)."""
    if value is None:
        return None
    return {"value": value, "currency": currency, "approximate": True}


def scope_json(total):
    """What a total covers: the whole delegation, or which pavilions added up to what."""
    return {
        "kind": total.scope,
        "pavilions": [
            {"kind": kind, "count": count, "value": value} for kind, count, value in total.parts
        ],
        "display": str(total.scope_display),
    }


def earlier_json(total):
    if total is None:
        return None
    return {
        "year": total.year,
        "value": total.value,
        "currency": total.currency or None,
        "usd_value": total.usd if total.is_money else None,
        "approximate": total.approximate,
        "scope": scope_json(total),
        "display": total.display,
    }


def total_json(total):
    """A city's total at one CES: value, unit, currency, flags, scope and source, and the
    earlier totals it is shown against (`like`: the same scope, the only one a `change` is
    computed against; `previous`: the last earlier total, of whatever scope)."""
    if total is None:
        return None
    return {
        "year": total.year,
        "value": total.value,
        "unit": total.unit,
        "currency": total.currency or None,
        "usd_value": total.usd if total.is_money else None,
        "approximate": total.approximate,
        "preview": total.preview,
        "mixed_kinds": total.mixed_kinds,
        "source_conversion": conversion_json(total.converted_value, total.converted_currency),
        "scope": scope_json(total),
        "source": source_ref(total.source),
        # The row of the source page that states the figure, where one figure is behind it.
        "figure_url": figure_url(total.source, total.figure_id) if total.figure_id else None,
        "display": total.display,
        "previous": earlier_json(total.previous),
        "like": earlier_json(total.like),
        "change": total.delta,
        "change_display": total.delta_display or None,
    }


def point_json(total):
    """A point of a trend chart: the figure only (its scope, source and changes are in the
    headline and comparison, where the page shows them)."""
    if total is None:
        return None
    return {
        "year": total.year,
        "value": total.value,
        "currency": total.currency or None,
        "usd_value": total.usd if total.is_money else None,
        "approximate": total.approximate,
        "preview": total.preview,
        "display": total.display,
    }


def cell_json(cell):
    return {
        "metric": cell.metric,
        "label": metric_label(cell.metric),
        "total": total_json(cell.total),
        "recorded": cell.recorded,
        # Where the figure is not reported: the last earlier total the page shows instead.
        "earlier": earlier_json(cell.earlier),
    }


def figure_json(figure):
    """One reported figure as a source states it (the pavilion and source pages)."""
    money = figure.metric in MONEY_METRICS
    return {
        "id": figure.pk,
        "metric": figure.metric,
        "label": metric_label(figure.metric),
        "year": figure.edition.year,
        "city": figure.region.slug,
        "pavilion": figure.pavilion.slug if figure.pavilion_id else None,
        "scope": "pavilion" if figure.pavilion_id else "delegation",
        "value": figure.value,
        "unit": figure.currency if money else METRIC_UNITS[figure.metric],
        "currency": figure.currency or None,
        "usd_value": figure.usd_value,
        "approximate": figure.approximate,
        "preview": figure.preview,
        "mixed_kinds": figure.mixed_kinds,
        "source_conversion": conversion_json(figure.converted_value, figure.converted_currency),
        "quote": figure.quote or None,
        "note": localized(figure, "note") or None,
        "source": source_ref(figure.source),
        "display": (
            format_money(figure.value, figure.currency, figure.approximate)
            if money
            else format_count(figure.value, figure.approximate)
        ),
    }


def pavilion_row_json(p):
    """A row of the pavilion table: reported figures (null: not reported) and coverage."""
    return {
        "year": p.edition.year,
        "city": p.region.slug,
        **pavilion_ref(p),
        "kind": p.kind,
        "reported": {
            "companies": p.companies,
            "companies_approximate": bool(p.companies_approximate),
            "consultations": p.consultations,
            "consultations_approximate": bool(p.consultations_approximate),
            "consultation_value_usd": p.consultation_value_usd,
            "consultation_value_approximate": bool(p.consultation_value_approximate),
            "contract_value_usd": p.contract_value_usd,
            "contract_value_approximate": bool(p.contract_value_approximate),
            "mous": p.mous,
            "award_winners": p.award_winners,
        },
        "recorded": {
            "companies_named": p.companies_named,
            "contracts": p.contracts_recorded,
            "contract_value_usd": p.contract_value_recorded_usd,
            "mous": p.mous_recorded,
            "award_winners_named": p.award_winners_named,
        },
    }


def delegation_json(d):
    return {
        "year": d.edition.year,
        "city": city_json(d.region),
        **bilingual(d, "leader"),
        "leader_source": source_ref(d.leader_source) if d.leader_source else None,
        "departs_on": d.departs_on,
        "returns_on": d.returns_on,
        **bilingual(d, "summary"),
        "implied": d.implied,
        "source": source_ref(d.source),
    }


def agreement_json(a):
    return {
        "key": a.key,
        "year": a.edition.year,
        "city": city_json(a.region),
        "signed_by_company": company_ref(a.company),
        **bilingual(a, "signers"),
        "signer_count": a.signer_count,
        "kind": a.kind,
        "status": a.status,
        **bilingual(a, "partner"),
        "partner_count": a.partner_count,
        "signed_on": a.signed_on,
        **bilingual(a, "subject"),
        "source": source_ref(a.source),
    }


def contract_json(c):
    return {
        "key": c.key,
        "year": c.edition.year,
        "company": company_ref(c.company),
        **bilingual(c, "counterparty"),
        "amount": c.amount,
        "currency": c.currency or None,
        "approximate": c.approximate,
        **bilingual(c, "subject"),
        "source": source_ref(c.source),
    }


def award_json(a, streak=None):
    data = {
        "year": a.edition.year,
        "company": company_ref(a.company),
        "category_count": a.category_count,
        **bilingual(a, "categories"),
        "streak_reported": a.streak_reported,
        "implied": a.implied,
        "source": source_ref(a.source),
    }
    if streak is not None:
        data["streak"] = streak
    return data


def exhibit_json(e):
    return {
        "year": e.edition.year,
        "company": company_ref(e.company),
        "pavilion": pavilion_ref(e.pavilion),
        **bilingual(e, "showed"),
        "source": source_ref(e.source),
    }


# -------------------------------------------------------------------------------- pages


@dataclass(frozen=True)
class Row:
    """A row of a results table: a city (`city`) or a CES (`year`), and its figures."""

    cells: list
    city: object = None
    year: int | None = None
    implied: bool = False  # the city's presence at this CES is inferred, not reported

    @property
    def marks(self):
        return figure_marks(implied=self.implied)

    def as_json(self):
        head = {"city": city_json(self.city)} if self.city else {"year": self.year}
        return {
            **head,
            "implied": self.implied,
            "figures": [cell_json(cell) for cell in self.cells],
        }


@dataclass
class Preview:
    """The first rows of a list that may be long, and how many it has in all: what a page
    shows of it before linking to the table with every row."""

    SIZE = 10

    rows: list
    on_record: int

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __bool__(self):
        return bool(self.rows)

    @property
    def more(self):
        """How many are not shown."""
        return self.on_record - len(self.rows)


@dataclass
class HomePage:
    cities: list  # every city on record at a CES: the city choice
    city: object
    compared: list  # the city and the few it is compared with
    picked: list  # ... those of them the reader chose (empty: the nearest in size)
    cities_at_latest: int  # how many cities are on record at the city's latest CES
    cities_sized: int  # how many of them report their companies exhibiting there
    latest: int | None
    city_latest: int | None
    results: object
    chart_years: list
    pavilions: object  # the chosen city's pavilions at its latest CES
    agreements: object  # ... and its agreements there, signed or planned

    @property
    def headline(self):
        """The chosen city's figures at its latest CES, each with its change."""
        if not self.city_latest:
            return []
        return self.results.cells(self.city.pk, self.city_latest)

    @property
    def comparison(self):
        """The compared cities at the chosen city's latest CES."""
        return [Row(self.results.cells(c.pk, self.city_latest), city=c) for c in self.compared]

    @property
    def picks(self):
        """Each city the reader picked, with the address of the page without it."""
        return [
            (
                region,
                "?"
                + urlencode(
                    [("city", self.city.slug)]
                    + [("compare", other.slug) for other in self.picked if other != region]
                ),
            )
            for region in self.picked
        ]

    @property
    def all_cities_url(self):
        """Every city that reports its companies exhibiting at that CES, a row each, in the
        paged results table (`cities_sized` of them)."""
        query = {"year": self.city_latest, "figure": "companies", "sort": "-value"}
        return f"{reverse('results')}?{urlencode(query)}"

    def as_json(self):
        return {
            "city": city_json(self.city),
            "year": self.city_latest,
            "headline": [cell_json(cell) for cell in self.headline],
            "pavilions": [pavilion_ref(p) for p in self.pavilions],
            "agreements": [agreement_json(a) for a in self.agreements],
            "compared_by": "choice" if self.picked else "nearest_in_size",
            "cities": [city_json(c) for c in self.compared],
            "cities_at_ces": self.cities_at_latest,
            "cities_reporting_companies": self.cities_sized,
            "all_cities_url": self.all_cities_url if self.city_latest else None,
            "trends": {
                "years": self.chart_years,
                "series": [
                    {
                        "city": c.slug,
                        "metric": metric,
                        "totals": [
                            point_json(t)
                            for t in self.results.series(c.pk, metric, self.chart_years)
                        ],
                    }
                    for metric in HEADLINE_METRICS
                    for c in self.compared
                    if any(self.results.series(c.pk, metric, self.chart_years))
                ],
            },
            "latest_year": self.latest,
            "comparison": [row.as_json() for row in self.comparison],
        }


@dataclass
class CityPage:
    city: object
    results: object
    years: list
    chart_years: list
    colour_rank: int  # the city's place among the cities at CES, which picks its chart colour
    delegations: object
    pavilions: object
    companies: Preview
    agreements: Preview
    awards: Preview

    @property
    def tables(self):
        """The tables that list every company, award and agreement of the city."""
        return {
            "companies": f"{reverse('companies')}?{urlencode({'region': self.city.slug})}",
            "awards": f"{reverse('awards')}?{urlencode({'region': self.city.slug})}",
            "agreements": f"{reverse('agreements')}?{urlencode({'city': self.city.slug})}",
        }

    @property
    def year_rows(self):
        implied = {d.edition.year for d in self.delegations if d.implied}
        return [
            Row(self.results.cells(self.city.pk, year), year=year, implied=year in implied)
            for year in self.years
        ]

    def as_json(self):
        return {
            "city": {**city_json(self.city), "kind": self.city.kind},
            "results": [row.as_json() for row in self.year_rows],
            "delegations": [delegation_json(d) for d in self.delegations],
            "pavilions": [pavilion_row_json(p) for p in self.pavilions],
            "on_record": {
                name: {"count": getattr(self, name).on_record, "table": table}
                for name, table in self.tables.items()
            },
            "companies": [{**company_ref(c), **bilingual(c, "sector")} for c in self.companies],
            "awards": [award_json(a) for a in self.awards],
            "agreements": [agreement_json(a) for a in self.agreements],
        }


def edition_table_url(name, year, **query):
    return f"{reverse(name)}?{urlencode({'year': year, **query})}"


@dataclass
class EditionPage:
    edition: object
    cities: list  # the cities shown side by side: all, or the biggest where there are many
    cities_on_record: int
    results: object
    pavilions: Preview
    delegations: Preview
    agreements: Preview
    awards: Preview
    exhibits: Preview

    @property
    def comparison(self):
        year = self.edition.year
        return [
            Row(self.results.cells(c.pk, year), city=c, implied=c.implied_here) for c in self.cities
        ]

    @property
    def tables(self):
        """Where every row of each list is: the tables, filtered to this CES."""
        year = self.edition.year
        return {
            "cities": edition_table_url("results", year, figure="companies", sort="-value"),
            "pavilions": edition_table_url("pavilions", year, sort="-companies"),
            "exhibits": edition_table_url("exhibits", year),
            "awards": edition_table_url("awards", year),
            "agreements": edition_table_url("agreements", year),
            "contracts": edition_table_url("contracts", year),
        }

    def as_json(self):
        e = self.edition
        tables = self.tables
        on_record = {
            "cities": self.cities_on_record,
            "pavilions": self.pavilions.on_record,
            "delegations": self.delegations.on_record,
            "exhibits": self.exhibits.on_record,
            "awards": self.awards.on_record,
            "agreements": self.agreements.on_record,
        }
        return {
            "year": e.year,
            "starts_on": e.starts_on,
            "ends_on": e.ends_on,
            **bilingual(e, "theme"),
            "korean_exhibitors": e.korean_exhibitors,
            "korean_exhibitors_approximate": e.korean_exhibitors_approximate,
            "source": source_ref(e.source),
            "previous_year": e.previous_year,
            "next_year": e.next_year,
            # How many of each are on record, and the table with all of them: the lists below
            # hold the first few only where there are more.
            "on_record": {
                name: {"count": count, "table": tables.get(name)}
                for name, count in on_record.items()
            },
            "cities": [row.as_json() for row in self.comparison],
            "pavilions": [pavilion_row_json(p) for p in self.pavilions],
            "delegations": [delegation_json(d) for d in self.delegations],
            "exhibits": [exhibit_json(x) for x in self.exhibits],
            "awards": [award_json(a) for a in self.awards],
            "agreements": [agreement_json(a) for a in self.agreements],
        }


@dataclass
class PavilionPage:
    pavilion: object
    awards: list

    def as_json(self):
        p = self.pavilion
        return {
            **pavilion_row_json(p),
            **bilingual(p, "description"),
            "source": source_ref(p.source),
            "figures": [figure_json(f) for f in p.figures.all()],
            "companies_by_region": [
                {
                    "region": city_json(c.region),
                    "companies": c.companies,
                    "approximate": c.approximate,
                    "source": source_ref(c.source),
                }
                for c in p.regional_counts.all()
            ],
            "exhibits": [exhibit_json(e) for e in p.exhibits.all()],
            "contracts": [contract_json(c) for c in p.contracts.all()],
            "agreements": [agreement_json(a) for a in p.agreements.all()],
            "awards": [award_json(a) for a in self.awards],
        }


def source_list_json(sources):
    return {
        "sources": [
            {
                **source_ref(s),
                "published_on": s.published_on,
                "language": s.language,
                "figures": s.figure_count,
                "records": s.record_count,
            }
            for s in sources
        ]
    }


@dataclass
class SourcePage:
    source: object
    figures: Preview
    regional_counts: Preview
    pavilions: Preview
    delegations: Preview  # those it reports, and those whose leader it names
    agreements: Preview
    contracts: Preview
    awards: Preview
    exhibits: Preview

    @cached_property
    def tables(self):
        """The tables that list every record of a kind taken from the article (the page links
        to five of them)."""
        query = urlencode({"source": self.source.key})
        return {
            name: f"{reverse(name)}?{query}"
            for name in ("pavilions", "exhibits", "contracts", "agreements", "awards")
        }

    @property
    def reported_delegations(self):
        return [d for d in self.delegations if d.source_id == self.source.pk]

    @property
    def led_delegations(self):
        return [d for d in self.delegations if d.leader_source_id == self.source.pk]

    def as_json(self):
        source = self.source
        lists = {
            "figures": self.figures,
            "companies_by_region": self.regional_counts,
            "pavilions": self.pavilions,
            "delegations": self.delegations,
            "exhibits": self.exhibits,
            "contracts": self.contracts,
            "agreements": self.agreements,
            "awards": self.awards,
        }
        tables = self.tables
        return {
            **source_ref(source),
            "published_on": source.published_on,
            **bilingual(source, "date_note"),
            "language": source.language,
            "original_url": source.url or None,
            "archived_copy": source.seed_file or None,
            **bilingual(source, "summary"),
            # How many of each are taken from the article, and the table with all of them: the
            # lists below hold the first ones only where there are more.
            "on_record": {
                name: {"count": rows.on_record, "table": tables.get(name)}
                for name, rows in lists.items()
            },
            "figures": [figure_json(f) for f in self.figures],
            "companies_by_region": [
                {
                    "year": c.pavilion.edition.year,
                    "pavilion": pavilion_ref(c.pavilion),
                    "region": city_json(c.region),
                    "companies": c.companies,
                    "approximate": c.approximate,
                }
                for c in self.regional_counts
            ],
            "pavilions": [pavilion_ref(p) for p in self.pavilions],
            "delegations": [delegation_json(d) for d in self.reported_delegations],
            "delegation_leaders": [delegation_json(d) for d in self.led_delegations],
            "exhibits": [exhibit_json(e) for e in self.exhibits],
            "contracts": [contract_json(c) for c in self.contracts],
            "agreements": [agreement_json(a) for a in self.agreements],
            "awards": [award_json(a) for a in self.awards],
        }


def company_json(company):
    return {
        **company_ref(company),
        "name_en_from_source": company.name_en_from_source,
        "home_region": city_json(company.region),
        **bilingual(company, "sector"),
        **bilingual(company, "programme"),
        "source": source_ref(company.source),
        "exhibits": [exhibit_json(e) for e in company.exhibits.all()],
        "awards": [award_json(a, streak) for a, streak in company.award_streaks()],
        "contracts": [contract_json(c) for c in company.contracts.all()],
        "agreements": [agreement_json(a) for a in company.agreements.all()],
    }
