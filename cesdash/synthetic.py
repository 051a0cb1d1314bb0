"""A synthetic dataset the size of every Korean local government's CES history, for measuring
speed (`manage.py generate_synthetic`, `bench/`). Never shown as real: every record hangs off one
source, `synthetic-data`, whose title says so, and its cities and companies have slugs starting
`syn-`; `clear()` removes exactly these.

Deterministic: the same seed and scale give the same rows. At scale 1: 250 cities, 20 CES
editions, about 4,500 pavilions and 23,000 reported figures, 50,000 companies, 200,000 exhibits,
50,000 contracts, 20,000 agreements and 10,000 awards.
"""

import random
from dataclasses import dataclass

from django.db import transaction

from companies.models import Agreement, Company, Contract, Exhibit, InnovationAward
from delegations.models import (
    Delegation,
    Edition,
    Metric,
    Pavilion,
    Region,
    ReportedFigure,
    Source,
)

from .models import DataVersion

KEY = "synthetic-data"
PREFIX = "syn-"
FIRST_YEAR, YEARS = 2005, 20
BATCH = 5_000


@dataclass(frozen=True)
class Size:
    cities: int
    companies: int
    exhibits: int
    contracts: int
    agreements: int
    awards: int

    @classmethod
    def at(cls, scale):
        def n(full):
            return max(1, round(full * scale))

        return cls(n(250), n(50_000), n(200_000), n(50_000), n(20_000), n(10_000))


def source():
    return Source.objects.get_or_create(
        key=KEY,
        defaults={
            "title": "Synthetic data for benchmarks (not real)",
            "publisher_ko": "합성 데이터",
            "publisher_en": "Synthetic data",
            "language": "ko",
            "summary_ko": "속도 측정용으로 만든 가상의 데이터입니다. 실제 기사가 아닙니다.",
            "summary_en": "Made-up data for measuring speed. Not an article.",
        },
    )[0]


def _delete(queryset):
    # A plain DELETE: a per-row delete would write 350,000 history records for data that was
    # never real (the rows are made with bulk_create, which writes none either).
    queryset._raw_delete(queryset.db)


def clear():
    """Remove every synthetic record, leaving the real data as it was."""
    synthetic = Source.objects.filter(key=KEY).values("pk")
    with transaction.atomic():
        for model in (
            InnovationAward,
            Agreement,
            Contract,
            Exhibit,
            ReportedFigure,
            Delegation,
            Pavilion,
        ):
            _delete(model.all_objects.filter(source__in=synthetic))
        _delete(Company.objects.filter(slug__startswith=PREFIX))
        _delete(Region.objects.filter(slug__startswith=PREFIX))
        _delete(Edition.objects.filter(source__in=synthetic))
        _delete(Source.objects.filter(key=KEY))
        DataVersion.bump()  # plain DELETEs send no signal: cached pages must go


@transaction.atomic
def generate(scale=1.0, seed=7):
    """Add the synthetic dataset (after removing an earlier one). Returns the sizes made."""
    clear()
    rng = random.Random(seed)
    size = Size.at(scale)
    src = source()
    editions = []
    for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
        edition = Edition.objects.filter(year=year).first()
        editions.append(edition or Edition.objects.create(year=year, source=src))
    cities = Region.objects.bulk_create(
        Region(
            slug=f"{PREFIX}city-{i:03d}",
            name_ko=f"가상시{i:03d}",
            name_en=f"Synthetic City {i:03d}",
            kind=Region.Kind.CITY,
        )
        for i in range(size.cities)
    )
    # Each city goes to CES in a run of years; a pavilion or two each time.
    pavilions, delegations = [], []
    for i, city in enumerate(cities):
        # Most cities have gone every year since their first, as the real ones do.
        for edition in editions[rng.randrange(5) :]:
            delegations.append(Delegation(edition=edition, region=city, source=src))
            for kind in ("main", "sports")[: 1 + (rng.random() < 0.05)]:
                pavilions.append(
                    Pavilion(
                        edition=edition,
                        region=city,
                        kind=kind,
                        slug=f"{PREFIX}{i:03d}-{kind}",
                        name_ko=f"가상시{i:03d} {'공동관' if kind == 'main' else '스포츠관'}",
                        name_en=f"Synthetic City {i:03d} {kind} pavilion",
                        source=src,
                    )
                )
    Delegation.objects.bulk_create(delegations, batch_size=BATCH)
    pavilions = Pavilion.objects.bulk_create(pavilions, batch_size=BATCH)
    figures = []
    for pavilion in pavilions:
        for metric in rng.sample(list(Metric), 5):
            money = metric in (Metric.CONSULTATION_VALUE, Metric.CONTRACT_VALUE)
            figures.append(
                ReportedFigure(
                    edition=pavilion.edition,
                    region=pavilion.region,
                    pavilion=pavilion,
                    metric=metric,
                    value=rng.randint(1, 500) * (100_000 if money else 1),
                    currency="USD" if money else "",
                    approximate=rng.random() < 0.2,
                    source=src,
                )
            )
    ReportedFigure.objects.bulk_create(figures, batch_size=BATCH)
    companies = Company.objects.bulk_create(
        (
            Company(
                slug=f"{PREFIX}company-{i:05d}",
                name_ko=f"가상기업{i:05d}",
                name_en=f"Synthetic Company {i:05d}",
                region=cities[i % len(cities)],
                source=src,
            )
            for i in range(size.companies)
        ),
        batch_size=BATCH,
    )
    by_city = {}
    for pavilion in pavilions:
        by_city.setdefault(pavilion.region_id, []).append(pavilion)

    def company_at_ces(count, unique):
        """(company, its city's pavilion) pairs, each company at most once a CES if `unique`."""
        seen, pairs = set(), []
        while len(pairs) < count:
            company = companies[rng.randrange(len(companies))]
            pavilion = rng.choice(by_city[company.region_id])
            if unique and (company.pk, pavilion.edition_id) in seen:
                continue
            seen.add((company.pk, pavilion.edition_id))
            pairs.append((company, pavilion))
        return pairs

    Exhibit.objects.bulk_create(
        (
            Exhibit(company=c, edition=p.edition, pavilion=p, source=src)
            for c, p in company_at_ces(size.exhibits, unique=True)
        ),
        batch_size=BATCH,
    )
    Contract.objects.bulk_create(
        (
            Contract(
                key=f"{PREFIX}contract-{i:05d}",
                company=c,
                edition=p.edition,
                pavilion=p,
                amount=rng.randint(1, 200) * 10_000,
                currency="USD",
                source=src,
            )
            for i, (c, p) in enumerate(company_at_ces(size.contracts, unique=False))
        ),
        batch_size=BATCH,
    )
    Agreement.objects.bulk_create(
        (
            Agreement(
                key=f"{PREFIX}agreement-{i:05d}",
                company=c,
                edition=p.edition,
                region=p.region,
                pavilion=p,
                partner_ko=f"가상 협력사 {i}",
                partner_en=f"Synthetic partner {i}",
                kind=Agreement.Kind.MOU,
                status=Agreement.Status.SIGNED,
                source=src,
            )
            for i, (c, p) in enumerate(company_at_ces(size.agreements, unique=False))
        ),
        batch_size=BATCH,
    )
    InnovationAward.objects.bulk_create(
        (
            InnovationAward(company=c, edition=p.edition, source=src)
            for c, p in company_at_ces(size.awards, unique=True)
        ),
        batch_size=BATCH,
    )
    DataVersion.bump()  # bulk_create sends no signal
    return size
