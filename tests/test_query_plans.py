"""What the pages' reads ask of the database: the edition page finds a CES's first companies
by name without sorting all its exhibits. (PostgreSQL's JIT is off: tests/test_settings.py.)"""

from cesdash.models import first_exhibits


def test_a_ces_first_exhibits_are_those_of_its_first_companies_by_name(world, make_company):
    from companies.models import Exhibit

    p19, p24 = world["p19"], world["p24"]
    names = ["다", "가", "나"]
    for n, name in enumerate(names):
        company = make_company(f"co-{n}", name, f"Co {n}")
        Exhibit.objects.create(company=company, edition=p24.edition, source=p24.source)
    elsewhere = make_company("elsewhere", "가가", "Elsewhere")
    Exhibit.objects.create(company=elsewhere, edition=p19.edition, source=p19.source)

    first = Exhibit.objects.filter(pk__in=first_exhibits(p24.edition, size=2))

    assert sorted(e.company.name_ko for e in first) == ["가", "나"]
