"""What the pages' reads ask of the database: the edition page finds a CES's first companies
by name without sorting all its exhibits or awards. (PostgreSQL's JIT is off:
tests/test_settings.py.)"""

import pytest

from cesdash.models import first_by_company


@pytest.mark.parametrize("kind", ["Exhibit", "InnovationAward"])
def test_a_ces_first_exhibits_and_awards_are_those_of_its_first_companies_by_name(
    world, make_company, kind
):
    from companies import models

    record = getattr(models, kind)  # one a company and CES
    p19, p24 = world["p19"], world["p24"]
    for n, name in enumerate(["다", "가", "나"]):
        company = make_company(f"co-{n}", name, f"Co {n}")
        record.objects.create(company=company, edition=p24.edition, source=p24.source)
    elsewhere = make_company("elsewhere", "가가", "Elsewhere")
    record.objects.create(company=elsewhere, edition=p19.edition, source=p19.source)

    at_ces = record.objects.filter(edition=p24.edition)
    first = record.objects.filter(pk__in=first_by_company(at_ces, size=2))

    assert sorted(r.company.name_ko for r in first) == ["가", "나"]
