"""The synthetic dataset for benchmarks: its size, its determinism, and that it never touches
the real data."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from cesdash.models import CityTotal, CompanyYear, DataVersion
from cesdash.synthetic import KEY, Size
from companies.models import Agreement, Company, Contract, Exhibit, InnovationAward
from delegations.models import Pavilion, Region, ReportedFigure, Source

MODELS = [Region, Pavilion, ReportedFigure, Company, Exhibit, Contract, Agreement, InnovationAward]


@pytest.fixture
def loaded(db):
    call_command("loaddata", "fixtures/ces_articles.json", verbosity=0)


def counts():
    return [model._default_manager.count() for model in MODELS]


def figures():
    return list(
        ReportedFigure.objects.filter(source__key=KEY)
        .order_by("pavilion__slug", "edition__year", "metric")
        .values_list("pavilion__slug", "edition__year", "metric", "value")
    )


def test_synthetic_data_is_sized_deterministic_and_cleared_without_touching_real_data(loaded):
    real = counts()
    real_figure = ReportedFigure.objects.get(
        edition__year=2019, pavilion__slug="daegu", metric="companies"
    )
    out = StringIO()

    call_command("generate_synthetic", "--scale", "0.004", stdout=out)
    size = Size.at(0.004)
    first = figures()
    call_command("generate_synthetic", "--scale", "0.004", stdout=StringIO())

    assert "1 cities, 200 companies, 800 exhibits" in out.getvalue()
    assert figures() == first  # the same seed gives the same rows
    synthetic = Source.objects.get(key=KEY)
    assert "not real" in synthetic.title
    assert Company.objects.filter(source=synthetic).count() == size.companies == 200
    assert Exhibit.objects.filter(source=synthetic).count() == size.exhibits
    assert Contract.objects.filter(source=synthetic).count() == size.contracts
    assert InnovationAward.objects.filter(source=synthetic).count() == size.awards

    call_command("generate_synthetic", "--clear", stdout=StringIO())

    assert counts() == real
    assert not Source.objects.filter(key=KEY).exists()
    assert ReportedFigure.objects.get(pk=real_figure.pk).value == 25


def test_the_pages_answer_with_synthetic_data_beside_the_real(client, loaded):
    call_command("generate_synthetic", "--scale", "0.004", stdout=StringIO())

    for path in ["/", "/cities/syn-city-000/", "/editions/2010/", "/pavilions/", "/companies/"]:
        assert client.get(path).status_code == 200, path


def planned_rows(model):
    """How many rows PostgreSQL's planner takes the model's table to hold (`reltuples`: -1
    until the table is first analyzed)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [model._meta.db_table])
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_the_planner_knows_the_rows_a_rebuild_of_the_summaries_wrote(db):
    """After the derived tables are rebuilt, PostgreSQL's statistics count their new rows,
    rather than the emptied tables' until autovacuum comes."""
    call_command("loaddata", "fixtures/ces_articles.json", verbosity=0)
    DataVersion.bump()
    DataVersion.summaries_current()
    assert planned_rows(CompanyYear) == CompanyYear.objects.count() > 0
    assert planned_rows(CityTotal) == CityTotal.objects.count() > 0
