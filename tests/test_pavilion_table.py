"""The pavilion results table at /pavilions/ and its CSV export."""

import json

import pytest
from django.utils import timezone
from pagetext import body_rows

BOM = "\ufeff"


def test_csv_export_is_exactly_the_table_in_english(client, world):
    response = client.get("/pavilions/?_export=csv", headers={"accept-language": "en"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="pavilions_{today}.csv"'
    text = b"".join(response.streaming_content).decode("utf-8")
    p24, j24, p19 = (world[key].source.key for key in ("p24", "j24", "p19"))
    assert text == BOM + (
        "Year,City,Pavilion,Companies,Consultations,Consultation value (USD),"
        "Contract value (USD),MOUs,Innovation Award winners,Companies named,Contracts recorded,"
        "Recorded contract value (USD),MOUs recorded,Award winners named,"
        "City (Korean),City (English),Pavilion (Korean),Pavilion (English),"
        "Consultation value (source's currency),Consultation value currency,"
        "Consultation value as the source converted it,Consultation value conversion currency,"
        "Contract value (source's currency),Contract value currency,"
        "Contract value as the source converted it,Contract value conversion currency,"
        "Preview,Mixes kinds,Source\r\n"
        "2024,Daegu,Daegu Pavilion,16,,140000000,,,8,1,1,1000000,1,1,"
        "대구,Daegu,대구공동관,Daegu Pavilion,"
        f"140000000,USD,188180000000,KRW,,,,,FALSE,FALSE,{p24}\r\n"
        "2024,Jeonbuk,Jeonbuk Pavilion,20,,,,,,0,0,,0,0,전북,Jeonbuk,전북관,Jeonbuk Pavilion,"
        f",,,,,,,,FALSE,FALSE,{j24}\r\n"
        "2019,Daegu,Daegu Pavilion,25,750,,7280000,,,0,0,,0,0,"
        "대구,Daegu,대구공동관,Daegu Pavilion,"
        f",,,,7280000,USD,,,FALSE,FALSE,{p19}\r\n"
    )


def test_csv_export_headers_and_names_follow_korean(client, world):
    response = client.get("/pavilions/?_export=csv", headers={"accept-language": "ko"})

    lines = b"".join(response.streaming_content).decode("utf-8").splitlines()
    assert lines[0].startswith(BOM + "연도,도시,공동관,참가기업,상담 건수,상담액(USD),계약액(USD)")
    assert lines[1].startswith("2024,대구,대구공동관,16,,140000000,")


def test_unknown_export_format_is_a_400_with_a_message(client, world):
    response = client.get("/pavilions/?_export=latex", headers={"accept-language": "en"})

    assert response.status_code == 400
    assert b"Unknown export format 'latex'" in response.content


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", [["2024", "Daegu", "16", "not reported", "$140 million"],
                ["2024", "Jeonbuk", "20", "not reported", "not reported"],
                ["2019", "Daegu", "25", "about 750", "not reported"]]),
        ("ko", [["2024", "대구", "16", "미보고", "1억 4,000만 달러"],
                ["2024", "전북", "20", "미보고", "미보고"],
                ["2019", "대구", "25", "약 750", "미보고"]]),
    ],
)  # fmt: skip
def test_page_shows_the_figures_in_the_page_language(client, world, language, expected):
    response = client.get("/pavilions/", headers={"accept-language": language})

    rows = body_rows(response.content.decode())
    assert response.status_code == 200
    # Year, city, companies, consultations, consultation value: an unknown figure is "not
    # reported" in its own cell, never 0 or a dash.
    assert [[row[0], row[1], row[3], row[4], row[5]] for row in rows] == expected
    assert [row[6] for row in rows] == (
        ["not reported", "not reported", "$7.28 million"]
        if language == "en"
        else ["미보고", "미보고", "728만 달러"]
    )


def test_healthz_answers_ok(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"


def test_results_csv_is_every_city_total_with_its_scope_and_source(client, world):
    """/results/ carries the totals the pages show, city-wide figures included, each with what
    it covers, its flags and its source."""
    from delegations.models import Edition, ReportedFigure

    ReportedFigure.objects.create(
        edition=Edition.objects.create(year=2023), region=world["daegu"],
        metric="award_winners", value=5, source=world["p24"].source,
    )  # fmt: skip
    response = client.get("/results/?_export=csv", headers={"accept-language": "en"})

    key = world["p24"].source.key
    key19, key_j = world["p19"].source.key, world["j24"].source.key
    text = b"".join(response.streaming_content).decode("utf-8")
    no_flags = "FALSE,FALSE,FALSE"
    assert text == BOM + (
        "Year,City,Figure,Value,Unit,Currency,Covers,Source,Value in USD,Approximate,Preview,"
        "Mixes kinds,Source's conversion,Conversion currency,Pavilions added up,City key,"
        "Figure key,City (Korean),City (English)\r\n"
        f"2024,Daegu,Innovation Award winners,8,companies,,main pavilion,{key},,{no_flags},,,1,"
        "daegu,award_winners,대구,Daegu\r\n"
        f"2024,Daegu,Companies,16,companies,,main pavilion,{key},,{no_flags},,,1,daegu,"
        "companies,대구,Daegu\r\n"
        f"2024,Daegu,Consultation value,140000000,USD,USD,main pavilion,{key},140000000,"
        f"{no_flags},188180000000,KRW,1,daegu,consultation_value,대구,Daegu\r\n"
        f"2024,Jeonbuk,Companies,20,companies,,main pavilion,{key_j},,{no_flags},,,1,jeonbuk,"
        "companies,전북,Jeonbuk\r\n"
        f"2023,Daegu,Innovation Award winners,5,companies,,whole delegation,{key},,{no_flags},,,"
        "0,daegu,award_winners,대구,Daegu\r\n"
        f"2019,Daegu,Companies,25,companies,,main pavilion,{key19},,{no_flags},,,1,daegu,"
        "companies,대구,Daegu\r\n"
        f"2019,Daegu,Business consultations,750,consultations,,main pavilion,{key19},,"
        "TRUE,FALSE,FALSE,,,1,daegu,consultations,대구,Daegu\r\n"
        f"2019,Daegu,Contract value,7280000,USD,USD,main pavilion,{key19},7280000,{no_flags},,,"
        "1,daegu,contract_value,대구,Daegu\r\n"
    )


def test_a_page_of_pavilions_read_plainly_has_the_columns_the_aggregates_give(world, make_figure):
    """The table's page reads its pavilions plainly and their figures beside them
    (`add_reported_figures`): every column the same, and of the same type, as the aggregates
    that sort and filter the table give, through drafts, flags, money and its conversions."""
    from cesdash.models import PavilionResults
    from delegations.models import ReportedFigure, add_reported_figures

    p19, p24, j24 = world["p19"], world["p24"], world["j24"]
    make_figure(p19, "mous", 3, preview=True)
    make_figure(j24, "contract_value", 5_000_000, currency="KRW", approximate=True)
    make_figure(j24, "youth_team", 4, mixed_kinds=True)  # not a headline figure: flags only
    make_figure(p24, "consultations", 99, published=False)  # a draft shows nowhere
    ReportedFigure.objects.filter(pavilion=p19, metric="companies").update(
        usd_value=None, converted_value=30, converted_currency="KRW"
    )

    aggregated = PavilionResults.objects.for_pavilions_table(coverage=False).order_by("pk")
    columns = list(aggregated.query.annotations)
    plain = add_reported_figures(list(PavilionResults.objects.order_by("pk")))

    def row(pavilion):
        return [(name, getattr(pavilion, name), type(getattr(pavilion, name))) for name in columns]

    assert len(columns) == 34
    assert [row(p) for p in plain] == [row(p) for p in aggregated]
    assert [p.preview for p in plain] == [True, False, False]  # by key: p19, p24, j24
    assert [p.mixed_kinds for p in plain] == [False, False, True]
    assert plain[1].consultations is None


@pytest.mark.parametrize("sort", ["-companies", "companies", "pavilion", "-pavilion"])
def test_pavilions_that_tie_come_in_the_order_of_their_key_on_the_page_and_in_the_export(
    client, world, make_region, make_pavilion, make_figure, sort
):
    """Sorted by a figure (read through its aggregate) or by name (read plainly), pavilions
    that tie are in key order the way the sort runs: paging through them shows each once, in
    the order the export lists them."""
    import re

    from cesdash.models import DataVersion

    tied = []
    for n in range(4):
        city = make_region(f"tie-{n}", f"동점{n}", f"Tie {n}")
        year = 2020 + n  # one name a CES
        tied.append(make_pavilion(year, city, "공동관", "Joint Pavilion", slug=f"tie-{n}"))
        make_figure(tied[-1], "companies", 7)
    DataVersion.bump()
    shown = []
    for page in range(1, 5):
        html = client.get(f"/pavilions/?per_page=2&page={page}&sort={sort}").content.decode()
        shown += re.findall(r'href="/editions/(\d+/[a-z0-9-]+)/"', html)[:2]
    export = client.get(f"/pavilions/?_export=json&sort={sort}")
    exported = [row["city_en"] for row in json.loads(b"".join(export.streaming_content))]

    slugs = [f"{p.edition.year}/{p.slug}" for p in tied]
    ties = [slug for slug in shown if slug in slugs]
    assert ties == (slugs[::-1] if sort.startswith("-") else slugs)
    assert len(shown) == 7 and len(set(shown)) == 7
    cities = [f"Tie {n}" for n in range(4)]
    assert [city for city in exported if city in cities] == (
        cities[::-1] if sort.startswith("-") else cities
    )
