"""Which sorts of the pavilion table need its aggregates: those that name one of their columns.

Sorted otherwise, the page reads its pavilions plainly and their figures for the rows shown
only (`PavilionRows`); sorted by a figure or a coverage count without the aggregates, the sort
would be silently ignored."""

import json

import pytest
from pagetext import body_rows, text

from cesdash.models import PavilionResults
from cesdash.tables import PavilionTable

EN = {"accept-language": "en"}
ANNOTATED = set(PavilionResults.objects.for_pavilions_table().query.annotations)
SORTED_BY_AGGREGATES = sorted(
    name
    for name, column in PavilionTable.base_columns.items()
    if name in ANNOTATED or column.accessor in ANNOTATED
)


def test_every_column_of_the_aggregates_sorts_with_them_and_only_those():
    assert len(ANNOTATED) == 34 + 5  # the figures with their flags, and the coverage counts
    assert set(SORTED_BY_AGGREGATES) == ANNOTATED & set(PavilionTable.base_columns)
    assert not set(SORTED_BY_AGGREGATES) & PavilionTable.plain_sorts()
    # The pavilion, its CES, its city and its source: fields of the rows themselves.
    assert PavilionTable.plain_sorts() == {
        "year",
        "city",
        "city_ko",
        "city_en",
        "pavilion",
        "pavilion_ko",
        "pavilion_en",
        "source",
    }


@pytest.mark.parametrize("name", SORTED_BY_AGGREGATES)
def test_the_page_sorted_by_a_column_of_the_aggregates_is_in_the_exports_order(
    client, world, make_figure, name
):
    make_figure(world["j24"], "mous", 2, preview=True)
    make_figure(world["p19"], "mous", 1)

    page = client.get(f"/pavilions/?sort=-{name}", headers=EN)
    export = client.get(f"/pavilions/?sort=-{name}&_export=json", headers=EN)

    rows = json.loads(b"".join(export.streaming_content))
    assert [(row[0], row[1]) for row in body_rows(page.content.decode())] == [
        (str(row["year"]), row["city"]) for row in rows
    ]


def test_the_page_sorted_by_companies_and_by_companies_named(client, world):
    def order(sort):
        rows = body_rows(client.get(f"/pavilions/?sort={sort}", headers=EN).content.decode())
        return [(row[0], row[1]) for row in rows]

    assert order("-companies") == [("2019", "Daegu"), ("2024", "Jeonbuk"), ("2024", "Daegu")]
    # Ties in the order of their key, the way the sort runs: Jeonbuk's pavilion was added last.
    assert order("-companies_named") == [
        ("2024", "Daegu"),
        ("2024", "Jeonbuk"),
        ("2019", "Daegu"),
    ]


@pytest.mark.parametrize("sort", ["-companies", "pavilion", "-year"])
def test_the_table_sorted_any_way_counts_its_published_pavilions(
    client, world, make_pavilion, make_region, sort
):
    busan = make_region("busan", "부산", "Busan")
    make_pavilion(2024, busan, "부산관", "Busan Pavilion", published=False)

    page = text(client.get(f"/pavilions/?sort={sort}", headers=EN).content.decode())

    assert "3 rows" in page
    assert "Busan" not in page
