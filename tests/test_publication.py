"""Drafts and publication: what staff enter shows nowhere public until the city's CES is
published; a change to a published record waits, and the dashboard keeps the published value."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from companies.models import Agreement, Company, Contract, Exhibit, InnovationAward
from delegations.models import (
    Delegation,
    Edition,
    Pavilion,
    Region,
    RegionalCompanyCount,
    ReportedFigure,
    Source,
)

MARK = "초안표시"  # in every draft record's text, to find a leak anywhere
PUBLIC = [
    "/",
    "/?city=daegu",
    "/index.json?city=daegu",
    "/cities/daegu/",
    "/cities/daegu.json",
    "/editions/2025/",
    "/editions/2025.json",
    "/editions/2025/draft-pavilion/",
    "/sources/maeil-2024-daegu-ces/",
    "/sources/maeil-2024-daegu-ces.json",
    "/companies/draftco/",
    "/companies/draftco.json",
]
EXPORTS = [
    "/results/",
    "/pavilions/",
    "/companies/",
    "/exhibits/",
    "/contracts/",
    "/agreements/",
    "/awards/",
    "/participation/",
]


@pytest.fixture
def draft_ces(db):
    """Daegu at CES 2025, entered but not published: a record of every kind."""
    call_command("loaddata", "fixtures/ces_articles.json", verbosity=0)
    ces = Edition.objects.create(year=2025)
    daegu = Region.objects.get(slug="daegu")
    source = Source.objects.get(key="maeil-2024-daegu-ces")
    draft = {"published": False, "source": source}
    Delegation.objects.create(edition=ces, region=daegu, summary_ko=f"{MARK} 참가단", **draft)
    pavilion = Pavilion.objects.create(
        edition=ces, region=daegu, slug="draft-pavilion", name_ko=f"{MARK}관",
        name_en="Draft Pavilion", **draft,
    )  # fmt: skip
    ReportedFigure.objects.create(
        edition=ces, region=daegu, pavilion=pavilion, metric="companies", value=777,
        quote=MARK, **draft,
    )  # fmt: skip
    RegionalCompanyCount.objects.create(pavilion=pavilion, region=daegu, companies=776, **draft)
    company = Company.objects.create(
        slug="draftco", name_ko=f"{MARK}기업", name_en="Draftco", region=daegu, source=source
    )
    Exhibit.objects.create(company=company, edition=ces, pavilion=pavilion, **draft)
    Contract.objects.create(
        key="draft-contract", company=company, edition=ces, pavilion=pavilion,
        counterparty_ko=MARK, amount=7_770_000, currency="USD", **draft,
    )  # fmt: skip
    Agreement.objects.create(
        key="draft-agreement", edition=ces, region=daegu, company=company, partner_ko=MARK,
        partner_en="Draft partner", kind="mou", status="signed", **draft,
    )  # fmt: skip
    InnovationAward.objects.create(company=company, edition=ces, **draft)
    return ces, daegu


def public_text(client, path):
    response = client.get(path, headers={"accept-language": "ko"})
    if response.status_code == 404:
        return ""
    assert response.status_code == 200, path
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def everything_public(client):
    pages = {path: public_text(client, path) for path in PUBLIC}
    for table in EXPORTS:
        for kind in ("csv", "json"):
            pages[f"{table}?_export={kind}"] = public_text(client, f"{table}?_export={kind}")
    return pages


def editor():
    user = User.objects.create_user("minji", password="a long enough passphrase", is_staff=True)
    user.groups.set(Group.objects.filter(name="editors"))
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def test_a_draft_ces_shows_nowhere_until_published_then_everywhere(client, draft_ces):
    ces, daegu = draft_ces
    leaks = [path for path, text in everything_public(client).items() if MARK in text]
    assert leaks == []
    assert "777" not in public_text(client, "/results/?_export=csv")
    assert "CES 2025" not in public_text(client, "/cities/daegu/")

    staff = editor()
    page = staff.get(reverse("admin:delegations_edition_publish", args=[ces.pk]))
    waiting = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))
    assert "Daegu delegations: 1, pavilions: 1, reported figures: 1" in waiting
    assert staff.post(page.request["PATH_INFO"], {"region": daegu.pk}).status_code == 302

    shown = everything_public(client)
    for path in ["/cities/daegu/", "/editions/2025/", "/editions/2025/draft-pavilion/",
                 "/companies/draftco/", "/exhibits/?_export=csv", "/contracts/?_export=csv",
                 "/agreements/?_export=csv"]:  # fmt: skip
        assert MARK in shown[path], path
    assert ",777," in shown["/results/?_export=csv"]
    assert "Draftco" in shown["/awards/?_export=csv"]


def test_a_change_to_a_published_figure_waits_for_publication(client, draft_ces):
    figure = ReportedFigure.objects.get(
        edition__year=2024, pavilion__slug="daegu", metric="companies"
    )
    staff = editor()
    url = reverse("admin:delegations_reportedfigure_change", args=[figure.pk])
    form = {
        "edition": figure.edition_id, "region": figure.region_id, "pavilion": figure.pavilion_id,
        "metric": "companies", "value": "17", "currency": "", "converted_currency": "",
        "source": figure.source_id, "quote": figure.quote,
    }  # fmt: skip
    assert staff.post(url, form).status_code == 302

    card = public_text(client, "/index.json?city=daegu")
    assert '"value": 16' in card.replace('"value":16', '"value": 16')
    assert 'value="17"' in staff.get(url).content.decode()  # staff edit the waiting value
    changelist = staff.get(reverse("admin:delegations_reportedfigure_changelist")).content
    assert "changed, awaiting publication" in changelist.decode()

    from companies.publishing import publish

    publish(figure.edition, figure.region)
    figure.refresh_from_db()
    assert (figure.value, figure.pending) == (17, None)
    assert client.get("/index.json?city=daegu").json()["headline"][0]["total"]["value"] == 17
