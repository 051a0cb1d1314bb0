"""The companies and participation tables count their rows, unfiltered, from the companies'
summaries: the same count as the rows, through a company whose every record is a draft (not
named) and one deleted since the summaries were last brought up to date."""

import pytest
from pagetext import text

from companies.models import Company, Exhibit

EN = {"accept-language": "en"}


@pytest.mark.parametrize("url", ["/companies/", "/participation/", "/participation/?sort=-y2024"])
def test_the_unfiltered_tables_count_the_companies_they_may_name(client, world, make_company, url):
    p24 = world["p24"]
    for n in range(3):
        make_company(f"named-{n}", f"기업{n}", f"Named {n}")
    draft = make_company("draft", "드래프트", "Draft")
    Exhibit.objects.create(
        company=draft, edition=p24.edition, pavilion=p24, source=p24.source, published=False
    )
    client.get(url, headers=EN)  # the summaries brought up to date
    make_company("gone", "삭제", "Gone").delete()
    Company.objects.filter(slug="named-2").delete()

    page = text(client.get(url, headers=EN).content.decode())

    # Enercamp and two of the three named: the draft is news not yet out.
    assert "3 rows" in page
    assert "Draft" not in page and "Named 2" not in page
