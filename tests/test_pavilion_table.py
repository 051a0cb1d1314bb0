"""The pavilion results table at /pavilions/ and its CSV export."""

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
    assert text == BOM + (
        "Year,City,Pavilion,Companies,Consultations,Consultation value (USD),"
        "Contract value (USD),MOUs,Innovation Award winners,Companies named,Contracts recorded,"
        "Recorded contract value (USD),MOUs recorded,Award winners named,"
        "City (Korean),City (English),Pavilion (Korean),Pavilion (English)\r\n"
        "2024,Daegu,Daegu Pavilion,16,,140000000,,,8,1,1,1000000,1,1,"
        "대구,Daegu,대구공동관,Daegu Pavilion\r\n"
        "2024,Jeonbuk,Jeonbuk Pavilion,20,,,,,,0,0,,0,0,전북,Jeonbuk,전북관,Jeonbuk Pavilion\r\n"
        "2019,Daegu,Daegu Pavilion,25,750,,7280000,,,0,0,,0,0,"
        "대구,Daegu,대구공동관,Daegu Pavilion\r\n"
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
