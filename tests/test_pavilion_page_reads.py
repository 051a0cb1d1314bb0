"""The pavilion page counts its coverage and reads its figures from the records it lists, as
the pavilion table counts and reads them for the same pavilion."""

from cesdash.models import COVERAGE, PavilionResults, pavilions_table
from companies.models import Agreement, Contract, Exhibit, InnovationAward
from delegations.models import reported_columns

EN = {"accept-language": "en"}


def mixed_records(world, make_company):
    """Beside the world's records of Daegu 2024: a contract in won (no amount in US dollars),
    a planned agreement, a draft exhibit, and a winner whose award is of another CES."""
    p24, p19 = world["p24"], world["p19"]
    later = make_company("later", "레이터", "Later")
    draft = make_company("draft", "드래프트", "Draft")
    Exhibit.objects.create(company=later, edition=p24.edition, pavilion=p24, source=p24.source)
    Exhibit.objects.create(
        company=draft, edition=p24.edition, pavilion=p24, source=p24.source, published=False
    )
    InnovationAward.objects.create(company=later, edition=p19.edition, source=p19.source)
    InnovationAward.objects.create(company=draft, edition=p24.edition, source=p24.source)
    Contract.objects.create(
        key="later-krw",
        company=later,
        edition=p24.edition,
        pavilion=p24,
        amount=5_000_000,
        currency="KRW",
        source=p24.source,
    )
    Agreement.objects.create(
        key="later-planned",
        edition=p24.edition,
        region=p24.region,
        pavilion=p24,
        company=later,
        kind=Agreement.Kind.MOU,
        status=Agreement.Status.PLANNED,
        partner_ko="파트너",
        partner_en="Partner",
        source=p24.source,
    )
    return p24


def test_the_pavilion_page_counts_and_reads_what_the_pavilion_table_does(
    client, world, make_company
):
    p24 = mixed_records(world, make_company)
    table = pavilions_table().get(pk=p24.pk)

    page = PavilionResults.objects.for_pavilion_page(2024, "daegu").pavilion

    columns = [*COVERAGE, *(name for name, _metric, _field in reported_columns())]
    assert {name: getattr(page, name) for name in columns} == {
        name: getattr(table, name) for name in columns
    }
    # What those are: the draft exhibit is not counted, the contract in won adds no dollars,
    # the planned agreement is not signed, and the award of another CES makes no winner.
    assert [getattr(page, name) for name in COVERAGE] == [2, 2, 1_000_000, 1, 1]
    data = client.get("/editions/2024/daegu.json", headers=EN).json()
    assert data["recorded"] == {
        "companies_named": 2,
        "contracts": 2,
        "contract_value_usd": 1_000_000,
        "mous": 1,
        "award_winners_named": 1,
    }


def test_a_pavilion_with_no_records_has_no_recorded_value(client, world):
    data = client.get("/editions/2024/jeonbuk.json", headers=EN).json()

    assert data["recorded"] == {
        "companies_named": 0,
        "contracts": 0,
        "contract_value_usd": None,
        "mous": 0,
        "award_winners_named": 0,
    }
    assert data["reported"]["companies"] == 20
