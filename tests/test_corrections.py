"""What the articles say, and only that, on the pages: corrections from a re-reading of the
articles against the data, checked in both languages."""

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
