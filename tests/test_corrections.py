"""What the articles say, and only that, on the pages: corrections from a re-reading of the
articles against the data, checked in both languages."""

import csv
import io
import re

import pytest
from django.core.management import call_command
from pagetext import main, text


@pytest.fixture
def loaded(db):
    call_command("loaddata", "fixtures/ces_articles.json", verbosity=0)


def page(client, url, language):
    return text(main(client.get(url, headers={"accept-language": language})))


@pytest.mark.parametrize(
    ("language", "coverage"),
    [("en", "0 of 16 companies named"), ("ko", "16개사 중 0개사 이름 확인")],
)
def test_no_company_is_placed_in_the_daegu_pavilion_without_an_article_saying_so(
    client, loaded, language, coverage
):
    pavilion = page(client, "/editions/2024/daegu/", language)
    company = page(client, "/companies/enercamp/", language)

    assert coverage in pavilion
    assert "Enercamp" not in pavilion and "에너캠프" not in pavilion
    assert ("pavilion not reported" if language == "en" else "공동관 미보고") in company


@pytest.mark.parametrize(
    ("language", "says", "never"),
    [
        ("en", "(the article does not say where)", "in Las Vegas on the 11th"),
        ("ko", "(장소는 기사에 없음)", "라스베이거스(11일"),
    ],
)
def test_jeonbuks_plans_are_plans_and_name_no_place_the_article_does_not(
    client, loaded, language, says, never
):
    edition = page(client, "/editions/2024/", language)

    assert says in edition and never not in edition
    assert ("Is to visit the Seongnam" if language == "en" else "방문 예정") in edition
    assert "opens the Seongnam Pavilion" not in edition
    pavilion = page(client, "/editions/2024/seongnam/", language)
    assert ("is to be held on 9 January" if language == "en" else "개관식이 열릴 예정") in pavilion
    assert "Opened on" not in pavilion
    agreements = page(client, "/agreements/?city=seongnam", language)
    assert ("Date signed or planned" if language == "en" else "체결일(예정일)") in agreements
    assert ("planned" if language == "en" else "체결 예정") in agreements


def test_flags_travel_with_the_figure(client, loaded):
    """Jeonbuk's 20 come from a preview and count companies and institutions together;
    Linkface's 2020-2023 awards are implied by 'five years in a row'. Each flag shows beside the
    figure, in the JSON twin and in the export, and the legend explains the mark."""
    html = main(client.get("/?city=jeonbuk", headers={"accept-language": "ko"}))
    card = html.split('data-metric="companies">', 1)[1].split("</div>", 1)[0]
    legend = client.get("/", headers={"accept-language": "ko"}).content.decode()
    legend = text(legend.split('class="legend"', 1)[1].split("</dl>", 1)[0])
    headline = client.get("/index.json?city=jeonbuk").json()["headline"][0]["total"]
    export = b"".join(
        client.get("/results/?city=jeonbuk&_export=csv", headers=EN).streaming_content
    ).decode()
    awards = client.get("/companies/linkface.json").json()["awards"]
    company = main(client.get("/companies/linkface/", headers=EN))

    assert text(card).startswith("20 p *")
    assert "p 출장 전에 쓴 기사의 수치: 결과가 아닌 계획" in legend
    assert (headline["value"], headline["preview"], headline["mixed_kinds"]) == (20, True, True)
    header, row = export.lstrip("\ufeff").splitlines()
    flags = dict(zip(header.split(","), row.split(","), strict=True))
    assert (flags["Preview"], flags["Mixes kinds"], flags["Approximate"]) == (
        "TRUE",
        "TRUE",
        "FALSE",
    )
    assert [(a["year"], a["implied"]) for a in awards] == [
        (2020, True), (2021, True), (2022, True), (2023, True), (2024, False)
    ]  # fmt: skip
    assert text(company).count("CES 2021 e") == 1 and "CES 2024 e" not in text(company)


EN = {"accept-language": "en"}


@pytest.mark.parametrize(
    ("language", "signers", "partner"),
    [
        ("en", "Three Changwon medical and bio exhibitors", "A local investor"),
        ("ko", "창원 의료바이오 분야 참가기업 3개사", "현지 투자사"),
    ],
)
def test_changwons_investment_agreement_is_signed_by_its_companies_not_the_city(
    client, loaded, language, signers, partner
):
    city = page(client, "/cities/changwon/", language)
    data = client.get("/cities/changwon.json").json()["agreements"]
    investment = next(a for a in data if a["kind"] == "investment")

    assert f"{signers} – {partner}" in city
    assert (investment["signer_count"], investment["partner_count"]) == (3, 1)
    assert investment["signed_by_company"] is None and investment["signers_en"] == (
        "Three Changwon medical and bio exhibitors"
    )


def test_english_company_names_the_articles_do_not_give_are_marked_as_ours(client, loaded):
    company = page(client, "/companies/linkface/", "en")
    data = client.get("/companies/linkface.json").json()
    export = b"".join(client.get("/companies/?_export=csv", headers=EN).streaming_content).decode()
    header, *rows = csv.reader(io.StringIO(export.lstrip("\ufeff")))
    column = header.index("English name from a source")

    assert "“Linkface” is our romanisation: the articles give only the Korean name." in company
    assert data["name_en_from_source"] is False
    assert {row[column] for row in rows} == {"FALSE"}


def test_the_pavilion_export_keeps_flags_conversion_and_source(client, loaded):
    def row(query):
        export = b"".join(client.get(query, headers=EN).streaming_content).decode()
        header, *rows = csv.reader(io.StringIO(export.lstrip("\ufeff")))
        return dict(zip(header, rows[0], strict=True))

    jeonbuk = row("/pavilions/?city=jeonbuk&_export=csv")
    daegu = row("/pavilions/?city=daegu&year=2024&_export=csv")

    assert (jeonbuk["Preview"], jeonbuk["Mixes kinds"]) == ("TRUE", "TRUE")
    assert jeonbuk["Source"] == "news1-2024-ces-mayors"
    assert (
        daegu["Consultation value as the source converted it"],
        daegu["Consultation value conversion currency"],
    ) == ("188180000000", "KRW")


@pytest.mark.parametrize(
    ("language", "year_row", "leader", "inferred"),
    [
        (
            "en",
            "CES 2015 e not reported",
            "CES 2017 · Mayor Kwon Young-jin [source]",
            "is inferred",
        ),
        ("ko", "CES 2015 e 미보고", "CES 2017 · 권영진 대구시장 [출처]", "추론한 참가"),
    ],
)
def test_daegus_ces_2014_to_2016_are_implied_and_the_2017_leader_cites_the_2018_caption(
    client, loaded, language, year_row, leader, inferred
):
    """'Since 2013, Daegu has participated in CES for six consecutive years' (2018): no article
    reports 2014-2016 themselves, so they are marked e; the same article's photo caption places
    the mayor at 'last year's' CES, so the 2017 delegation names him and cites that article."""
    city = page(client, "/cities/daegu/", language)
    assert year_row in city
    assert leader in city
    assert inferred in city
    assert "CES 2018 e" not in city and "CES 2013 e" not in city
    assert "대구 e" in page(client, "/editions/2014/", "ko")

    twin = client.get("/cities/daegu.json").json()
    delegations = {d["year"]: d for d in twin["delegations"]}
    assert [y for y, d in sorted(delegations.items()) if d["implied"]] == [2014, 2015, 2016]
    assert delegations[2017]["leader_ko"] == "권영진 대구시장"
    assert delegations[2017]["leader_source"]["key"] == "koreaherald-2018-daegu-ces"
    assert delegations[2017]["source"]["key"] == "maeil-2024-daegu-ces"
    assert [(r["year"], r["implied"]) for r in twin["results"] if r["implied"]] == [
        (2016, True),
        (2015, True),
        (2014, True),
    ]
    source = page(client, "/sources/koreaherald-2018-daegu-ces/", language)
    assert ("Delegation leader" if language == "en" else "참가단 대표") in source


@pytest.mark.parametrize("url", ["/pavilions/", "/editions/2024/", "/cities/jeonbuk/"])
def test_pavilion_tables_mark_the_flagged_figure_and_only_it(client, loaded, url):
    """Jeonbuk's 20 companies carry p and * in every pavilion table; Daegu's 16 of the same CES,
    from an article written after it, carry none."""
    html = main(client.get(url, headers={"accept-language": "ko"}))
    tables = html.split('class="data-table')[1:]
    rows = [
        text(row)
        for table in tables
        if "기업명 확인" in table.split("</thead>")[0]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.split("<tbody", 1)[1], re.S)
    ]

    assert any(row.startswith("2024 전북 전북관 20 p * 미보고 미보고") for row in rows)
    assert not any(" p" in row or "*" in row for row in rows if "전북" not in row)
