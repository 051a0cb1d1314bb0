"""Nothing staff enter is lost: two editors on one record, history and revert, and deleting
what figures depend on."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from delegations.models import Edition, ReportedFigure, Source


@pytest.fixture
def loaded(db):
    call_command("loaddata", "fixtures/ces_articles.json", verbosity=0)


def editor(name):
    user = User.objects.create_user(name, password="a long enough passphrase", is_staff=True)
    user.groups.set(Group.objects.filter(name="editors"))
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def figure():
    """Daegu's 2019 main-pavilion companies as staff see it: its waiting change applied."""
    return ReportedFigure.all_objects.get(
        edition__year=2019, pavilion__slug="daegu", metric="companies"
    ).with_pending()


def change_form(client, obj):
    """The change page as the editor opened it: every field's value, as the browser sends it."""
    html = client.get(reverse("admin:delegations_reportedfigure_change", args=[obj.pk])).content
    html = html.decode()
    token = re.search(r'name="edited_from" value="([^"]*)"', html)
    return {
        "edition": obj.edition_id,
        "region": obj.region_id,
        "pavilion": obj.pavilion_id,
        "metric": obj.metric,
        "value": str(obj.value),
        "currency": "",
        "converted_currency": "",
        "source": obj.source_id,
        "quote": obj.quote,
        "edited_from": token.group(1) if token else "",
    }


def test_the_second_of_two_editors_is_refused_and_the_first_editors_value_stays(loaded):
    first, second = editor("minji"), editor("junho")
    url = reverse("admin:delegations_reportedfigure_change", args=[figure().pk])
    first_form = change_form(first, figure())
    second_form = change_form(second, figure())

    assert first.post(url, {**first_form, "value": "26"}).status_code == 302
    refused = second.post(url, {**second_form, "value": "27"})

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "minji saved this record at" in page
    assert "Your changes were not saved" in page
    assert figure().value == 26
    # Opened again, the page carries the newer save, and the second editor's change goes in.
    assert second.post(url, {**change_form(second, figure()), "value": "27"}).status_code == 302
    assert figure().value == 27


def test_a_change_is_in_the_history_with_who_made_it_and_can_be_reverted(loaded):
    client = editor("minji")
    url = reverse("admin:delegations_reportedfigure_change", args=[figure().pk])
    client.post(url, {**change_form(client, figure()), "value": "26"})
    client.post(url, {**change_form(client, figure()), "value": "29"})
    history = figure().history.order_by("history_date")
    assert [(h.pending, h.history_user.username) for h in history] == [
        ({"value": "26"}, "minji"),
        ({"value": "29"}, "minji"),
    ]

    pk = figure().pk
    history_page = client.get(reverse("admin:delegations_reportedfigure_history", args=[pk]))
    assert "minji" in history_page.content.decode()
    older = history.first()
    revert_url = reverse(
        "admin:delegations_reportedfigure_simple_history", args=[pk, older.history_id]
    )
    revert_page = client.get(revert_url).content.decode()
    shown = re.search(r'name="value" value="(\d+)"', revert_page).group(1)
    token = re.search(r'name="edited_from" value="([^"]*)"', revert_page).group(1)
    assert shown == "26"  # the page offers the older values, to save as they are
    form = {**change_form(client, figure()), "value": shown, "edited_from": token}
    assert client.post(revert_url, form).status_code == 302

    assert figure().value == 26
    assert figure().history.count() == 3


@pytest.mark.parametrize(
    ("model", "lookup"),
    [
        ("delegations_source", lambda: Source.objects.get(key="daegu-ces2019-results")),
        ("delegations_edition", lambda: Edition.objects.get(year=2019)),
    ],
)
def test_deleting_what_figures_depend_on_is_refused_with_a_message(loaded, model, lookup):
    client = editor("minji")
    obj = lookup()
    url = reverse(f"admin:{model}_delete", args=[obj.pk])

    page = client.get(url).content.decode()
    answer = client.post(url, {"post": "yes"})

    assert "would require deleting the following protected related objects" in page
    assert answer.status_code in (200, 403)
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_a_suspicious_figure_is_a_warning_to_confirm_not_an_error(loaded):
    """Daegu's pavilion had 25 companies at CES 2019: 400 at CES 2024 is more than tenfold, a
    missing-or-extra-zero typo until the editor says it is right."""
    client = editor("minji")
    typo = ReportedFigure.objects.get(
        edition__year=2024, pavilion__slug="daegu", metric="companies"
    )
    url = reverse("admin:delegations_reportedfigure_change", args=[typo.pk])
    form = {**change_form(client, typo), "value": "400"}

    warned = client.post(url, form)
    confirmed = client.post(url, {**form, "confirm_warnings": "on"})

    assert warned.status_code == 200
    assert (
        "Companies at CES 2019 was 25: 400 is more than ten times that" in warned.content.decode()
    )
    assert confirmed.status_code == 302
    typo.refresh_from_db()
    assert typo.with_pending().value == 400


def test_contract_value_above_the_consultation_value_is_a_warning(loaded):
    client = editor("minji")
    figure = ReportedFigure.objects.get(
        edition__year=2024, pavilion__slug="daegu", metric="consultation_value"
    )
    other = ReportedFigure.objects.create(
        edition=figure.edition, region=figure.region, pavilion=figure.pavilion,
        metric="contract_value", value=1, currency="USD", source=figure.source, quote="x",
    )  # fmt: skip
    url = reverse("admin:delegations_reportedfigure_change", args=[other.pk])
    form = {**change_form(client, other), "value": "150000000", "currency": "USD"}

    warned = client.post(url, form).content.decode()

    assert "The contract value (USD 150,000,000) is larger than the consultation value" in warned
    assert ReportedFigure.objects.get(pk=other.pk).value == 1


def test_a_date_outside_the_ces_is_a_form_error(loaded):
    client = editor("minji")
    from companies.models import Agreement

    agreement = Agreement.objects.filter(edition__year=2024, signed_on__isnull=False).first()
    url = reverse("admin:companies_agreement_change", args=[agreement.pk])
    html = client.get(url).content.decode()
    form = {
        name: value
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html)
        if name != "csrfmiddlewaretoken"
    }
    form.update(
        edition=agreement.edition_id, region=agreement.region_id, kind=agreement.kind,
        status=agreement.status, source=agreement.source_id, signed_on="2023-05-03",
        company=agreement.company_id or "", pavilion=agreement.pavilion_id or "",
    )  # fmt: skip

    answer = client.post(url, form).content.decode()

    assert "CES 2024 was held from Jan. 9, 2024 to Jan. 12, 2024: May 3, 2023 is more" in answer
    agreement.refresh_from_db()
    assert agreement.signed_on.year == 2024


def pavilion_form(edition, source, figures):
    from test_admin import management

    from delegations.models import Region

    rows = {}
    for i, (metric, value, quote) in enumerate(figures):
        rows |= {
            f"figures-{i}-metric": metric,
            f"figures-{i}-value": value,
            f"figures-{i}-currency": "",
            f"figures-{i}-converted_currency": "",
            f"figures-{i}-source": source.pk,
            f"figures-{i}-quote": quote,
        }
    return {
        "name_ko": "대구공동관",
        "name_en": "Daegu Pavilion",
        "edition": edition.pk,
        "region": Region.objects.get(slug="daegu").pk,
        "slug": "daegu",
        "kind": "main",
        "source": source.pk,
        **management("figures", len(figures)),
        **rows,
        **management("regional_counts"),
        **management("exhibits"),
        **management("contracts"),
        **management("agreements"),
    }


def test_two_figures_of_one_kind_in_a_pavilion_are_a_form_error_not_a_500(loaded):
    """The pavilion is not a field of the inline rows, so Django's own form checks skip the
    'one figure per pavilion' rule; the page still answers with the rule's message."""
    from delegations.models import Pavilion

    client = editor("minji")
    edition = Edition.objects.create(year=2025)
    source = Source.objects.get(key="maeil-2024-daegu-ces")
    form = pavilion_form(
        edition, source, [("companies", "18", "18개"), ("companies", "19", "19개")]
    )

    answer = client.post(reverse("admin:delegations_pavilion_add"), form)

    assert answer.status_code == 200
    assert "This pavilion already has this figure." in answer.content.decode()
    assert not Pavilion.objects.filter(edition=edition).exists()


def test_an_inline_figure_with_no_quote_asks_for_a_check_then_saves(loaded):
    from delegations.models import Pavilion

    client = editor("minji")
    edition = Edition.objects.create(year=2025)
    source = Source.objects.get(key="maeil-2024-daegu-ces")
    form = pavilion_form(edition, source, [("companies", "18", "")])

    warned = client.post(reverse("admin:delegations_pavilion_add"), form)
    saved = client.post(
        reverse("admin:delegations_pavilion_add"), {**form, "figures-0-confirm_warnings": "on"}
    )

    assert "No words from the article are quoted" in warned.content.decode()
    assert saved.status_code == 302
    assert Pavilion.all_objects.get(edition=edition).figures.get().value == 18


def admin_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_exhibits(pavilion, count, start=0):
    from companies.models import Company, Exhibit

    source = pavilion.source
    for i in range(start, start + count):
        company = Company.objects.create(
            name_ko=f"기업{i}", name_en=f"Company {i}", slug=f"company-{i}", source=source
        )
        Exhibit.objects.create(
            company=company, edition=pavilion.edition, pavilion=pavilion, source=source
        )


def test_the_pavilion_page_runs_as_many_queries_with_40_exhibits_as_with_2(loaded):
    from delegations.models import Pavilion

    client = editor("minji")
    pavilion = Pavilion.objects.get(edition__year=2024, slug="daegu")
    url = reverse("admin:delegations_pavilion_change", args=[pavilion.pk])
    add_exhibits(pavilion, 2)
    client.get(url)  # the session's first page does its own bookkeeping
    few = admin_queries(client, url)
    add_exhibits(pavilion, 38, start=2)
    many = admin_queries(client, url)

    assert few == many
    assert many <= 25
    page = client.get(url).content.decode()
    assert page.count('<option value="') >= 40  # every row still shows its company
    assert "Company 39" in page


def test_a_new_ces_is_entered_from_its_edition_page(loaded):
    """CES 2025 from one page: Daegu's delegation, a pavilion, a city-wide figure and an award
    of a Daegu company, all saved together."""
    from test_admin import management

    from companies.models import Company
    from delegations.models import Region

    client = editor("minji")
    source = Source.objects.get(key="maeil-2024-daegu-ces")
    daegu = Region.objects.get(slug="daegu")
    form = {
        "year": "2025",
        "starts_on": "2025-01-07",
        "ends_on": "2025-01-10",
        "source": source.pk,
        **management("delegations", 1),
        "delegations-0-region": daegu.pk,
        "delegations-0-leader_ko": "홍길동 부시장",
        "delegations-0-departs_on": "2025-01-05",
        "delegations-0-returns_on": "2025-01-12",
        "delegations-0-source": source.pk,
        **management("pavilions", 1),
        "pavilions-0-region": daegu.pk,
        "pavilions-0-name_ko": "대구공동관",
        "pavilions-0-name_en": "Daegu Pavilion",
        "pavilions-0-slug": "daegu",
        "pavilions-0-kind": "main",
        "pavilions-0-source": source.pk,
        **management("figures", 1),
        "figures-0-region": daegu.pk,
        "figures-0-metric": "award_winners",
        "figures-0-value": "9",
        "figures-0-currency": "",
        "figures-0-converted_currency": "",
        "figures-0-source": source.pk,
        "figures-0-quote": "혁신상 9개 기업",
        **management("awards", 1),
        "awards-0-company": Company.objects.get(slug="linkface").pk,
        "awards-0-source": source.pk,
        **management("agreements"),
    }

    answer = client.post(reverse("admin:delegations_edition_add"), form)

    assert answer.status_code == 302, answer.content.decode()[-3000:]
    ces = Edition.objects.get(year=2025)
    assert ces.delegations.get().leader_ko == "홍길동 부시장"
    assert ces.pavilions.get().name_en == "Daegu Pavilion"
    figure = ces.figures.get()
    assert (figure.region, figure.pavilion, figure.value) == (daegu, None, 9)
    assert ces.awards.get().company.slug == "linkface"


def test_a_figures_flags_are_entered_beside_it_on_the_pavilion_page(loaded):
    from delegations.models import Pavilion

    client = editor("minji")
    jeonbuk = Pavilion.objects.get(edition__year=2024, slug="jeonbuk")
    page = client.get(reverse("admin:delegations_pavilion_change", args=[jeonbuk.pk]))
    html = page.content.decode()

    def checkbox(flag):
        return re.search(rf'<input[^>]*name="figures-0-{flag}"[^>]*>', html).group(0)

    assert "checked" not in checkbox("approximate")
    assert "checked" in checkbox("preview") and "checked" in checkbox("mixed_kinds")


def test_the_edition_and_company_pages_do_not_grow_with_their_rows(loaded):
    from companies.models import Company, InnovationAward

    client = editor("minji")
    ces = Edition.objects.get(year=2024)
    linkface = Company.objects.get(slug="linkface")
    pages = [
        reverse("admin:delegations_edition_change", args=[ces.pk]),
        reverse("admin:companies_company_change", args=[linkface.pk]),
    ]
    for url in pages:
        client.get(url)
    before = [admin_queries(client, url) for url in pages]
    source = ces.source
    for year in range(2030, 2050):
        edition = Edition.objects.create(year=year)
        InnovationAward.objects.create(company=linkface, edition=edition, source=source)
    for i in range(20):
        company = Company.objects.create(
            name_ko=f"수상기업{i}", name_en=f"Winner {i}", slug=f"winner-{i}", source=source
        )
        InnovationAward.objects.create(company=company, edition=ces, source=source)

    assert [admin_queries(client, url) for url in pages] == before
