"""Bulk entry of a pavilion's companies: upload a CSV or XLSX, see every row's fate and errors,
confirm; a file with one bad row writes nothing."""

import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from companies.models import Company, Exhibit
from delegations.models import Pavilion, Source

URL = "/admin/companies/exhibit/import/"
PROCESS = "/admin/companies/exhibit/process_import/"


@pytest.fixture
def loaded(db):
    call_command("loaddata", "fixtures/ces_articles.json", verbosity=0)


@pytest.fixture
def client(loaded):
    user = User.objects.create_user("minji", password="a long enough passphrase", is_staff=True)
    user.groups.set(Group.objects.filter(name="editors"))
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def publish_daegu_2024():
    """What an editor does next: the rows of a file are drafts until the city's CES is
    published."""
    from companies.publishing import publish
    from delegations.models import Edition, Region

    publish(Edition.objects.get(year=2024), Region.objects.get(slug="daegu"))


def csv_file(text):
    return SimpleUploadedFile("companies.csv", text.encode("utf-8"), content_type="text/csv")


def xlsx_file(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("companies.xlsx", data.getvalue())


def formats(client, url=URL):
    """The upload form's format choices: label -> value."""
    html = client.get(url).content.decode()
    select = html.split('name="format"', 1)[1].split("</select>", 1)[0]
    return {
        label.strip(): value for value, label in re.findall(r'value="(\d+)"[^>]*>([^<]+)<', select)
    }


def upload(client, file, kind="csv", url=URL):
    pavilion = Pavilion.objects.get(edition__year=2024, slug="daegu")
    source = Source.objects.get(key="maeil-2024-daegu-ces")
    return client.post(
        url,
        {
            "format": formats(client, url)[kind],
            "import_file": file,
            "pavilion": pavilion.pk,
            "source": source.pk,
        },
    )


def confirm(client, preview, process=PROCESS):
    html = preview.content.decode()
    form = html.split(f'action="{process}"', 1)[1].split("</form>")[0]
    fields = dict(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', form))
    return client.post(process, fields)


def test_a_csv_of_companies_is_previewed_then_entered(client):
    file = csv_file(
        "기업명,영문명,전시 내용\n"
        "에너캠프,Enercamp,이동식 전기차 충전기\n"
        "새로운기업,Newco Robotics,배송 로봇\n"
    )

    preview = upload(client, file)
    page = preview.content.decode()

    assert preview.status_code == 200
    assert "Confirm import" in page
    rows = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.split('class="import-preview"', 1)[1]))
    # Enercamp's 2024 exhibit moves into the pavilion; the new company comes with its exhibit.
    assert "Update 에너캠프 이동식 전기차 충전기" in rows
    assert "New 새로운기업 (new company) 배송 로봇" in rows
    assert not Company.objects.filter(name_ko="새로운기업").exists()  # a preview writes nothing

    assert confirm(client, preview).status_code == 302
    publish_daegu_2024()
    pavilion = Pavilion.objects.get(edition__year=2024, slug="daegu")
    exhibits = {e.company.name_ko: e.showed_ko for e in pavilion.exhibits.select_related("company")}
    assert exhibits == {"에너캠프": "이동식 전기차 충전기", "새로운기업": "배송 로봇"}
    newco = Company.objects.get(name_ko="새로운기업")
    assert (newco.name_en, newco.slug, newco.region.slug) == (
        "Newco Robotics",
        "newco-robotics",
        "daegu",
    )
    assert Exhibit.objects.get(company__slug="enercamp").source.key == "maeil-2024-daegu-ces"


def test_one_bad_row_shows_its_error_and_nothing_is_written(client):
    before = (Company.objects.count(), Exhibit.objects.count())
    file = xlsx_file(
        [["기업명", "영문명"], ["좋은기업", "Good Co"], ["", "Nameless Co"], ["이름만기업", ""]]
    )

    preview = upload(client, file, kind="xlsx")
    page = preview.content.decode()

    assert "This row has no company name (기업명)." in page
    assert "이름만기업 is not on record yet: give its English name (영문명) to add it." in page
    assert "Confirm import" not in page
    assert (Company.objects.count(), Exhibit.objects.count()) == before


def test_a_file_without_a_name_column_is_refused_with_a_reason(client):
    preview = upload(client, csv_file("회사,비고\n에너캠프,x\n"))

    assert "The file needs a column of company names in Korean" in preview.content.decode()
    assert "Confirm import" not in preview.content.decode()


def test_the_pavilion_page_links_to_the_import_with_its_pavilion_chosen(client):
    pavilion = Pavilion.objects.get(edition__year=2024, slug="daegu")
    page = client.get(f"/admin/delegations/pavilion/{pavilion.pk}/change/").content.decode()
    link = re.search(r'href="(/admin/companies/exhibit/import/\?[^"]+)"', page).group(1)

    form = client.get(link.replace("&amp;", "&")).content.decode()
    select = re.search(r'<select name="pavilion".*?</select>', form, re.S).group(0)
    chosen = re.search(r'<option value="(\d+)" selected>', select)
    assert chosen.group(1) == str(pavilion.pk)


def test_a_pavilions_contracts_come_from_a_file_too(client):
    from companies.models import Contract

    url, process = "/admin/companies/contract/import/", "/admin/companies/contract/process_import/"
    file = xlsx_file(
        [
            ["기업명", "영문명", "상대방", "금액", "약"],
            ["에너캠프", "", "미국 충전기 유통사", 1000000, ""],
            ["새로운기업", "Newco", "Robot Retail Inc.", 250000, "약"],
        ]
    )

    preview = upload(client, file, kind="xlsx", url=url)
    assert "Confirm import" in preview.content.decode()
    assert confirm(client, preview, process).status_code == 302
    assert not Contract.objects.filter(edition__year=2024, pavilion__slug="daegu").exists()
    publish_daegu_2024()

    signed = {
        (c.company.name_ko, c.counterparty_ko): (
            c.amount,
            c.currency,
            c.approximate,
            c.pavilion.slug,
        )
        for c in Contract.objects.filter(pavilion__slug="daegu", edition__year=2024)
    }
    assert signed == {
        ("에너캠프", "미국 충전기 유통사"): (1_000_000, "USD", False, "daegu"),
        ("새로운기업", "Robot Retail Inc."): (250_000, "USD", True, "daegu"),
    }


def test_the_pavilion_is_chosen_by_searching_not_from_a_list_of_every_pavilion(client):
    from delegations.models import Pavilion

    pavilion = Pavilion.objects.get(edition__year=2024, slug="daegu")
    page = client.get(f"{URL}?pavilion={pavilion.pk}").content.decode()
    select = re.search(r'<select name="pavilion".*?</select>', page, re.S).group(0)

    assert 'data-ajax--url="/admin/autocomplete/"' in select
    assert select.count("<option") <= 2  # the chosen one (and the empty one), no more
    assert f'value="{pavilion.pk}" selected' in select
    found = client.get(
        "/admin/autocomplete/",
        {
            "term": "대구",
            "app_label": "companies",
            "model_name": "exhibit",
            "field_name": "pavilion",
        },
    ).json()
    assert str(pavilion.pk) in [result["id"] for result in found["results"]]
