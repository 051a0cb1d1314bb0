"""Exports (`?_export=csv|xlsx|json`): the whole filtered, sorted table, raw and safe to open."""

import csv
import io
import json
import tracemalloc
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.utils import timezone, translation
from django_tables2.rows import BoundRow
from openpyxl import load_workbook

from cesdash import exports
from cesdash.models import (
    RECORD_KINDS,
    CompanyRows,
    CompanySummary,
    DataVersion,
    PavilionResults,
)
from cesdash.tables import (
    AgreementTable,
    AwardTable,
    CompanyTable,
    ContractTable,
    ExhibitTable,
    ParticipationTable,
    PavilionTable,
)
from companies.models import Agreement, Company, Contract, Exhibit, InnovationAward

BOM = "\ufeff"
EN = {"accept-language": "en"}
KO = {"accept-language": "ko"}
CONTRACT_HEADER = (
    "Year,City,Pavilion,Company,Counterparty,Amount,Currency,Approximate,Amount (USD),Subject,"
    "City (Korean),City (English),Pavilion (Korean),Pavilion (English),"
    "Company (Korean),Company (English),Counterparty (Korean),Counterparty (English),"
    "Subject (Korean),Subject (English),Source\r\n"
)


@pytest.fixture
def contracts(world, make_company):
    """Three more contracts beside the world's Enercamp one: in won, unreported, and in 2019."""
    p19, j24 = world["p19"], world["j24"]
    vinatech = make_company("vinatech", "비나텍", "Vinatech", region=world["jeonbuk"])
    Contract.objects.create(
        key="vinatech-2024",
        company=vinatech,
        pavilion=j24,
        edition=j24.edition,
        counterparty_ko="미국 유통사",
        counterparty_en="A US distributor",
        amount=2_500_000_000,
        currency="KRW",
        approximate=True,
        subject_ko="슈퍼커패시터 공급",
        subject_en="Supercapacitor supply",
        source=j24.source,
    )
    linkface = make_company("linkface", "링크페이스", "Linkface", region=world["daegu"])
    Contract.objects.create(
        key="linkface-2019",
        company=linkface,
        pavilion=p19,
        edition=p19.edition,
        subject_ko="수출 계약",
        subject_en="Export contract",
        source=p19.source,
    )
    return world


def text_of(response):
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response):
    """A CSV download's rows, header first, after checking that it starts with the BOM."""
    text = text_of(response)
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text.removeprefix(BOM))))


def as_csv(value):
    """An XLSX or JSON cell as the CSV writes it."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return "" if value is None else str(value)


def test_contracts_csv_is_the_whole_table_in_english(client, contracts):
    response = client.get("/contracts/?_export=csv", headers=EN)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="contracts_{today}.csv"'
    j24, p24, p19 = (contracts[key].source.key for key in ("j24", "p24", "p19"))
    assert text_of(response) == BOM + CONTRACT_HEADER + (
        "2024,Jeonbuk,Jeonbuk Pavilion,Vinatech,A US distributor,2500000000,KRW,TRUE,,"
        "Supercapacitor supply,전북,Jeonbuk,전북관,Jeonbuk Pavilion,비나텍,Vinatech,"
        f"미국 유통사,A US distributor,슈퍼커패시터 공급,Supercapacitor supply,{j24}\r\n"
        "2024,Daegu,Daegu Pavilion,Enercamp,,1000000,USD,FALSE,1000000,,"
        f"대구,Daegu,대구공동관,Daegu Pavilion,에너캠프,Enercamp,,,,,{p24}\r\n"
        "2019,Daegu,Daegu Pavilion,Linkface,,,,,,Export contract,"
        "대구,Daegu,대구공동관,Daegu Pavilion,링크페이스,Linkface,,,수출 계약,Export contract,"
        f"{p19}\r\n"
    )


def test_contracts_csv_keeps_the_filters_and_names_them_in_the_file_name(client, contracts):
    response = client.get("/contracts/?year=2024&city=daegu&_export=csv", headers=EN)

    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="contracts_year-2024_city-daegu_{today}.csv"'
    )
    source = contracts["p24"].source.key
    assert text_of(response) == BOM + CONTRACT_HEADER + (
        "2024,Daegu,Daegu Pavilion,Enercamp,,1000000,USD,FALSE,1000000,,"
        f"대구,Daegu,대구공동관,Daegu Pavilion,에너캠프,Enercamp,,,,,{source}\r\n"
    )


def test_korean_filter_values_survive_in_the_file_name(client, contracts):
    response = client.get("/contracts/?q=비나텍&_export=csv", headers=EN)

    today = timezone.localdate().isoformat()
    name = quote(f"contracts_q-비나텍_{today}.csv")
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{name}"
    assert text_of(response).splitlines()[1].startswith("2024,Jeonbuk,Jeonbuk Pavilion,Vinatech,")


def test_csv_follows_the_sort_in_the_url(client, contracts):
    response = client.get("/contracts/?sort=-company&_export=csv", headers=EN)

    rows = csv_rows(response)[1:]
    assert [row[3] for row in rows] == ["Vinatech", "Linkface", "Enercamp"]


def test_csv_headers_and_names_follow_the_page_language(client, contracts):
    response = client.get("/contracts/?year=2019&_export=csv", headers=KO)

    lines = text_of(response).splitlines()
    assert lines[0].startswith(BOM + "연도,도시,공동관,")
    assert lines[1].startswith("2019,대구,대구공동관,링크페이스,,,,,,수출 계약,")


@pytest.mark.parametrize("payload", ["=1+1", "+x", "-x", "@x", "\tx", "\rx"])
def test_formula_payloads_in_names_are_neutralised(client, world, make_company, payload):
    make_company("evil", payload, payload)

    response = client.get("/companies/?_export=csv", headers=EN)

    rows = csv_rows(response)
    evil = next(row for row in rows if row[0].startswith("'"))
    assert evil[0] == "'" + payload
    for cell in evil:
        assert not cell.startswith(exports.FORMULA_STARTS)

    sheet = load_workbook(io.BytesIO(b"".join(client.get(
        "/companies/?_export=xlsx", headers=EN
    ).streaming_content))).worksheets[0]  # fmt: skip
    # XML reads a carriage return back as a line feed; the apostrophe stays in front.
    names = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert ("'" + payload).replace("\r", "\n") in names


def test_negative_numbers_stay_numbers(world):
    assert exports.plain(-42) == -42
    assert exports.plain(Decimal("-1.5")) == Decimal("-1.5")
    assert exports.plain("-42") == "'-42"
    assert exports.plain(date(2024, 1, 9)) == "2024-01-09"
    assert exports.plain(None) is None

    class OwedTable(ContractTable):
        def value_amount(self, value):
            return -value

    table = OwedTable(Contract.objects.all(), order_by=("year",))
    text = "".join(exports.csv_chunks(table, "en"))
    assert "\r\n2024,Daegu,Daegu Pavilion,Enercamp,,-1000000,USD," in text


def test_xlsx_matches_the_csv_and_describes_itself(client, contracts):
    url = "/contracts/?year=2024&sort=company"
    expected = csv_rows(client.get(url + "&_export=csv", headers=EN))

    response = client.get(url + "&_export=xlsx", headers=EN)

    assert response.status_code == 200
    assert response["Content-Type"] == exports.CONTENT_TYPES["xlsx"]
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="contracts_year-2024_{today}.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows_sheet, about_sheet = workbook.worksheets
    assert about_sheet.title == "About this export"

    xlsx_rows = [[as_csv(v) for v in row] for row in rows_sheet.iter_rows(values_only=True)]
    assert xlsx_rows == expected
    assert rows_sheet["F2"].value == 1_000_000  # a number, not text
    assert rows_sheet["F2"].number_format == "#,##0"  # shown as 1,000,000, not 1E+06
    assert rows_sheet.freeze_panes == "A2"
    assert rows_sheet.auto_filter.ref == f"A1:U{len(expected)}"
    assert rows_sheet.column_dimensions["A"].width == 10
    about = {label: value for label, value in about_sheet.iter_rows(values_only=True)}
    assert about["Table"] == "Contracts"
    assert about["Rows"] == 2
    assert about["Filters"] == "Year: CES 2024"
    assert about["Sort"] == "Company (ascending)"
    assert about["Generated at"].startswith(today)
    assert "Currency column" in about["Units"]
    assert about["Source"].startswith("Article ")


def test_json_matches_the_csv(client, contracts):
    url = "/contracts/?sort=-amount"
    expected = csv_rows(client.get(url + "&_export=csv", headers=EN))

    response = client.get(url + "&_export=json", headers=EN)

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].endswith('.json"')
    objects = json.loads(text_of(response))
    _header, *rows = expected
    names = ["year", "city", "pavilion", "company", "counterparty", "amount", "currency"]
    assert [list(obj)[:7] for obj in objects] == [names] * len(rows)

    assert [[as_csv(v) for v in obj.values()] for obj in objects] == rows
    assert objects[0]["amount"] == 2_500_000_000
    assert objects[0]["approximate"] is True
    assert objects[-1]["amount"] is None


@pytest.mark.parametrize(
    "url",
    ["/pavilions/", "/companies/", "/exhibits/", "/contracts/", "/agreements/", "/awards/",
     "/participation/"],
)  # fmt: skip
def test_json_keys_are_the_same_in_korean_and_english(client, contracts, url):
    def keys(language):
        response = client.get(url, {"_export": "json"}, headers={"accept-language": language})
        return [list(obj) for obj in json.loads(text_of(response))]

    korean, english = keys("ko"), keys("en")
    assert korean and korean == english
    assert all(len(set(row)) == len(row) for row in korean)


def test_json_of_an_empty_result_is_an_empty_list(client, contracts, make_edition):
    make_edition(2018)
    response = client.get("/contracts/?year=2018&_export=json", headers=EN)

    assert json.loads(text_of(response)) == []


@pytest.mark.parametrize("fmt", ["latex", "tsv", "yaml", "ods", "", "CSV", "csv "])
def test_formats_we_do_not_offer_are_a_400_with_a_message(client, contracts, fmt):
    response = client.get("/contracts/", {"_export": fmt}, headers=EN)

    assert response.status_code == 400
    assert "Unknown export format" in response.content.decode()
    assert "csv, xlsx, json" in response.content.decode()


def test_an_export_with_invalid_filters_is_refused_not_unfiltered(client, contracts):
    response = client.get("/contracts/?year=abc&_export=csv", headers=EN)

    assert response.status_code == 400
    assert "The filters are not valid, so nothing was exported." in response.content.decode()


def consume_peak(client, url):
    """Peak memory while reading a streamed export to the end, keeping none of it."""
    response = client.get(url, headers=EN)
    tracemalloc.start()
    try:
        rows = sum(chunk.count(b"\r\n") for chunk in response.streaming_content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return rows, peak


def add_companies(count, source, start=0):
    Company.objects.bulk_create(
        Company(
            slug=f"company-{n}",
            name_ko=f"회사{n}",
            name_en=f"Company {n} with a reasonably long English name",
            sector_ko="인공지능",
            sector_en="Artificial intelligence",
            source=source,
        )
        for n in range(start, start + count)
    )
    DataVersion.bump()  # bulk_create sends no signal: as generate_synthetic does


def test_export_memory_does_not_grow_with_the_row_count(client, monkeypatch, make_source):
    monkeypatch.setattr(exports, "BATCH_SIZE", 200)
    source = make_source()
    add_companies(300, source)
    client.get("/companies/?_export=csv")  # warm up imports and caches
    small_rows, small_peak = consume_peak(client, "/companies/?_export=csv")

    add_companies(2700, source, start=300)
    DataVersion.summaries_current()  # the summaries' rebuild is measured in bench/, not here
    large_rows, large_peak = consume_peak(client, "/companies/?_export=csv")

    assert (small_rows, large_rows) == (301, 3001)
    # Ten times the rows, the same batch size: the peak stays that of one batch.
    assert large_peak < small_peak * 1.5 + 200_000, (small_peak, large_peak)


def summarised():
    """The company summaries brought up to date, as a view does first."""
    DataVersion.summaries_current()
    return CompanyRows.objects


def test_csv_is_sent_in_batches_not_row_by_row(client, monkeypatch, make_source):
    monkeypatch.setattr(exports, "BATCH_SIZE", 100)
    add_companies(250, make_source())

    chunks = list(client.get("/companies/?_export=csv").streaming_content)

    # The header with the first batch, then the other two (100, 100, 50 rows).
    assert [chunk.count(b"\r\n") for chunk in chunks] == [101, 100, 50]


# Each table with the read its page hands it.
READS = {
    PavilionTable: lambda: PavilionResults.objects.for_pavilions_table(),
    AgreementTable: lambda: Agreement.objects.for_agreements_table(),
    CompanyTable: lambda: summarised().for_companies_table(),
    ExhibitTable: lambda: Exhibit.objects.for_exhibits_table(),
    ContractTable: lambda: Contract.objects.for_contracts_table(),
    AwardTable: lambda: InnovationAward.objects.for_awards_table(),
}


@pytest.mark.parametrize("table_class", [*READS, ParticipationTable], ids=lambda cls: cls.__name__)
def test_export_values_are_those_django_tables2_gives(contracts, table_class):
    """The export reads cells through a faster path; it must agree with BoundRow.get_cell_value."""
    if table_class is ParticipationTable:
        years = summarised().participation_years()
        kwargs, rows = {"years": years}, CompanyRows.objects.for_participation_table()
    else:
        kwargs, rows = {}, READS[table_class]()
    for language in ("en", "ko"):
        with translation.override(language):
            table = table_class(rows, **kwargs)
            names = [column.name for column in exports.export_columns(table)]
            records = list(table.data.data)
            if table_class is ParticipationTable:
                table.prepare_records(records)
            expected = [
                [exports.raw(BoundRow(record, table=table).get_cell_value(n)) for n in names]
                for record in records
            ]
            assert expected
            assert [row for batch in exports.value_rows(table) for row in batch] == expected


def test_dates_export_as_iso_text_and_as_spreadsheet_dates(client, world):
    from companies.models import Agreement

    Agreement.objects.filter(key="enercamp-mou").update(signed_on=date(2024, 1, 10))
    base = "/agreements/?year=2024"
    as_json = json.loads(text_of(client.get(base + "&_export=json", headers=EN)))
    rows = csv_rows(client.get(base + "&_export=csv", headers=EN))
    sheet = load_workbook(io.BytesIO(client.get(base + "&_export=xlsx", headers=EN).getvalue()))

    assert as_json[0]["signed_on"] == "2024-01-10"
    assert rows[1][rows[0].index("Date signed or planned")] == "2024-01-10"
    signed_on = [c.value for c in next(sheet.worksheets[0].iter_rows(max_row=1))].index(
        "Date signed or planned"
    )
    cell = sheet.worksheets[0].cell(row=2, column=signed_on + 1)
    assert (cell.value, cell.number_format) == (datetime(2024, 1, 10), "yyyy-mm-dd")


def test_empty_cells_sort_last_both_ways_on_every_database(client, world):
    """SQLite puts NULL first in an ascending sort and PostgreSQL last; ours is the same on both."""
    ascending = csv_rows(client.get("/pavilions/?sort=consultations&_export=csv", headers=EN))
    descending = csv_rows(client.get("/pavilions/?sort=-consultations&_export=csv", headers=EN))

    assert [row[4] for row in ascending[1:]] == ["750", "", ""]
    assert [row[4] for row in descending[1:]] == ["750", "", ""]


def test_participation_cells_read_per_page_are_those_a_sort_reads(contracts):
    """The year cells are read for the rows shown (`prepare_records`), or joined when the
    table is sorted by a year: both must say the same."""
    years = summarised().participation_years()
    table = ParticipationTable(CompanyRows.objects.for_participation_table(), years=years)
    prepared = list(table.data.data)
    table.prepare_records(prepared)
    for year in years:
        joined = {
            company.pk: company
            for company in CompanyRows.objects.for_participation_table(sorted_by_year=year)
        }
        assert joined.keys() == {company.pk for company in prepared}
        for company in prepared:
            for kind in RECORD_KINDS:
                got = getattr(joined[company.pk], f"{kind}_{year}")
                assert getattr(company, f"{kind}_{year}") == got, (company, year, kind)
    assert any(getattr(company, f"exhibits_{year}") for company in prepared for year in years)


def test_xlsx_above_its_row_limit_is_refused_with_a_message(client, world, monkeypatch):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 1)
    response = client.get("/results/?_export=xlsx", headers=EN)
    page = client.get("/results/", headers=EN).content.decode()

    assert response.status_code == 400
    assert "An XLSX download holds at most 1 rows" in response.content.decode()
    assert "download CSV, which has no limit" in response.content.decode()
    assert "_export=xlsx" not in page and "_export=csv" in page
    assert "XLSX up to 1 rows" in page
    one = client.get("/results/?year=2024&figure=companies&city=daegu&_export=xlsx", headers=EN)
    assert one.status_code == 200


@pytest.mark.parametrize("payload", ["=1+1", "+x", "-x", "@x", "\tx", "\rx"])
def test_formula_payloads_are_neutralised_by_the_database_too(client, world, make_company, payload):
    """The exhibits table exports straight from the database's rows (`database_values`): the
    apostrophe is put there by SQL."""
    from cesdash.tables import ExhibitTable
    from companies.models import Exhibit

    company = make_company("evil", payload, payload)
    p24 = world["p24"]
    Exhibit.objects.create(
        company=company, edition=p24.edition, pavilion=p24, source=p24.source,
        showed_ko=payload, showed_en=payload,
    )  # fmt: skip
    assert exports.database_values(ExhibitTable(Exhibit.objects.for_exhibits_table()))

    rows = csv_rows(client.get("/exhibits/?_export=csv", headers=EN))
    evil = next(row for row in rows if "'" + payload in row)
    assert evil.count("'" + payload) >= 4  # company and what it showed, in each language
    for cell in evil:
        assert not cell.startswith(exports.FORMULA_STARTS)
    data = json.loads(text_of(client.get("/exhibits/?_export=json", headers=EN)))
    assert any(row["company"] == payload for row in data)  # JSON keeps the text as it is


def test_company_summaries_count_each_company_s_published_records(contracts, make_company):
    """The companies table's counts (`CompanySummary`, `CompanyYear`, rebuilt in SQL) are the
    records counted one company at a time; a company is named unless its every record is a
    draft."""
    p24 = contracts["p24"]
    draft_only = make_company("draft-only", "초안기업", "Draft Only")
    Exhibit.all_objects.create(
        company=draft_only, edition=p24.edition, pavilion=p24, source=p24.source, published=False
    )
    no_record = make_company("no-record", "기록없음", "No Record")
    Exhibit.objects.create(  # Linkface signed a contract in 2019: a second CES
        company=Company.objects.get(slug="linkface"), edition=p24.edition, pavilion=p24,
        source=p24.source,
    )  # fmt: skip
    summarised()

    summaries = {s.company_id: s for s in CompanySummary.objects.all()}
    assert summaries.keys() == set(Company.objects.values_list("pk", flat=True))
    assert {pk for pk, s in summaries.items() if s.public} == set(
        Company.objects.public().values_list("pk", flat=True)
    )
    assert not summaries[draft_only.pk].public and summaries[no_record.pk].public
    for company in Company.objects.all():
        contracts_of = Contract.objects.filter(company=company)
        usd = [c.usd_amount for c in contracts_of if c.usd_amount is not None]
        years = {
            year
            for model in (Exhibit, InnovationAward, Contract, Agreement)
            for year in model.objects.filter(company=company).values_list(
                "edition__year", flat=True
            )
        }
        expected = (
            len(years),
            InnovationAward.objects.filter(company=company).count(),
            contracts_of.count(),
            sum(usd) if usd else None,
            Agreement.objects.filter(company=company).count(),
        )
        row = summaries[company.pk]
        got = (
            row.ces_count,
            row.award_count,
            row.contract_count,
            row.contract_value_usd,
            row.agreement_count,
        )
        assert got == expected, company
    assert any(s.contract_value_usd for s in summaries.values())
    assert any(s.ces_count >= 2 for s in summaries.values())
