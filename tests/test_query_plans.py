"""What the pages' reads ask of the database: the edition page finds a CES's first companies
by name without sorting all its exhibits or awards. (PostgreSQL's JIT is off:
tests/test_settings.py.)"""

from cesdash.models import first_by_company


def test_a_ces_first_exhibits_are_those_of_its_first_companies_by_name(world, make_company):
    from companies.models import Exhibit

    p19, p24 = world["p19"], world["p24"]
    names = ["다", "가", "나"]
    for n, name in enumerate(names):
        company = make_company(f"co-{n}", name, f"Co {n}")
        Exhibit.objects.create(company=company, edition=p24.edition, source=p24.source)
    elsewhere = make_company("elsewhere", "가가", "Elsewhere")
    Exhibit.objects.create(company=elsewhere, edition=p19.edition, source=p19.source)

    at_ces = Exhibit.objects.filter(edition=p24.edition)
    first = Exhibit.objects.filter(pk__in=first_by_company(at_ces, size=2))

    assert sorted(e.company.name_ko for e in first) == ["가", "나"]


def test_a_ces_first_awards_are_those_of_its_first_companies_by_name(world, make_company):
    from companies.models import InnovationAward

    p19, p24 = world["p19"], world["p24"]
    for n, name in enumerate(["다", "나", "가"]):
        company = make_company(f"co-{n}", name, f"Co {n}")
        InnovationAward.objects.create(company=company, edition=p24.edition, source=p24.source)
    elsewhere = make_company("elsewhere", "가가", "Elsewhere")
    InnovationAward.objects.create(company=elsewhere, edition=p19.edition, source=p19.source)

    at_ces = InnovationAward.objects.filter(edition=p24.edition)
    first = InnovationAward.objects.filter(pk__in=first_by_company(at_ces, size=2))

    assert sorted(a.company.name_ko for a in first) == ["가", "나"]
