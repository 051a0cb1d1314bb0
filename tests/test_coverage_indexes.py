"""Pages of the tables read down their indexes: the pavilion table's coverage is counted from
the records' coverage indexes alone (companies/migrations/0012), a page of contracts by amount
is found down one without sorting (0013)."""

import pytest
from django.db import connection

from cesdash.models import coverage_parts


def plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The test's few rows would be read whole: ask what an index gives. (Not
            # enable_indexscan, which weighs down index-only scans too.)
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("SET enable_bitmapscan = off")
            try:
                cursor.execute("EXPLAIN " + sql, params)
                return "\n".join(str(row[-1]) for row in cursor.fetchall())
            finally:
                cursor.execute("RESET enable_seqscan")
                cursor.execute("RESET enable_bitmapscan")
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL: the test below")
def test_a_page_of_pavilions_coverage_reads_only_the_coverage_indexes(world):
    pavilions = [world["p24"], world["j24"], world["p19"]]

    parts = coverage_parts(pavilions)
    shown = plan(parts[0].union(*parts[1:], all=True).order_by())

    for index in ("exhibit_pavilion_coverage", "contract_pavilion_coverage"):
        assert f"USING COVERING INDEX {index}" in shown
    assert "agreement_pavilion_coverage" in shown


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite: the test above")
def test_on_postgresql_a_page_of_pavilions_coverage_reads_only_the_coverage_indexes(
    transactional_db, world
):
    # Rows committed and vacuumed, as autovacuum leaves a live table. PostgreSQL reads an
    # index alone only as far as the table's visibility map says its rows are visible to
    # all; a test inside a transaction has none, so the planner weighed the coverage index
    # against the pavilion key plus the rows, by whatever sizes earlier tests left the
    # tables at. (The flush after the test truncates them, which resets their statistics.)
    from companies.models import Agreement, Company, Contract, Exhibit

    p24 = world["p24"]
    # Records enough that reading the few of three pavilions by an index is worth it, none of
    # them in a pavilion (as companies often are not).
    others = Company.objects.bulk_create(
        Company(slug=f"other-{n}", name_ko=f"기업 {n}", name_en=f"Company {n}", source=p24.source)
        for n in range(3000)
    )
    at = {"edition": p24.edition, "source": p24.source}
    Exhibit.objects.bulk_create(Exhibit(company=c, **at) for c in others)
    Contract.objects.bulk_create(
        Contract(key=c.slug, company=c, amount=1000, currency="USD", **at) for c in others
    )
    Agreement.objects.bulk_create(
        Agreement(key=c.slug, company=c, region=world["daegu"], kind=Agreement.Kind.MOU, **at)
        for c in others
    )
    with connection.cursor() as cursor:
        for table in ("company", "exhibit", "contract", "agreement", "innovationaward"):
            cursor.execute(f"VACUUM (ANALYZE) companies_{table}")
    pavilions = [p24, world["j24"], world["p19"]]

    parts = coverage_parts(pavilions)
    shown = plan(parts[0].union(*parts[1:], all=True).order_by())

    for index in ("exhibit_pavilion_coverage", "contract_pavilion_coverage"):
        assert f"Index Only Scan using {index}" in shown, shown
    assert "Index Only Scan using agreement_pavilion_coverage" in shown


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL has its own (0011)")
def test_a_page_of_contracts_by_amount_is_read_down_the_index_without_sorting(world):
    from cesdash.exports import nulls_last
    from companies.models import Contract

    rows = nulls_last(Contract.objects.for_contracts_table().order_by("-amount"))
    shown = plan(rows.values_list("pk", flat=True)[:50])

    assert "USING COVERING INDEX contract_by_amount_key" in shown
    assert "TEMP B-TREE" not in shown
