"""Admin smoke test: every model's changelist, add and change pages open for staff."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in {"delegations", "companies"}
)


@pytest.fixture
def loaded(db):
    call_command("loaddata", "fixtures/ces_articles.json", verbosity=0)


def test_every_project_model_is_registered():
    assert REGISTERED == [
        ("companies", "agreement"),
        ("companies", "company"),
        ("companies", "contract"),
        ("companies", "exhibit"),
        ("companies", "innovationaward"),
        ("delegations", "delegation"),
        ("delegations", "edition"),
        ("delegations", "pavilion"),
        ("delegations", "region"),
        ("delegations", "regionalcompanycount"),
        ("delegations", "reportedfigure"),
        ("delegations", "source"),
    ]


@pytest.mark.parametrize(("app", "model"), REGISTERED)
def test_changelist_add_change_and_history_pages_open(admin_client, loaded, app, model):
    obj = apps.get_model(app, model).objects.first()
    changelist = admin_client.get(reverse(f"admin:{app}_{model}_changelist"))
    search = admin_client.get(reverse(f"admin:{app}_{model}_changelist"), {"q": "대구"})
    add = admin_client.get(reverse(f"admin:{app}_{model}_add"))
    change = admin_client.get(reverse(f"admin:{app}_{model}_change", args=[obj.pk]))
    history = admin_client.get(reverse(f"admin:{app}_{model}_history", args=[obj.pk]))

    assert [changelist.status_code, search.status_code, add.status_code] == [200, 200, 200]
    assert [change.status_code, history.status_code] == [200, 200]
    assert str(obj) in change.content.decode()


def test_pavilion_page_shows_its_figures_inline(admin_client, loaded):
    from delegations.models import Pavilion

    pavilion = Pavilion.objects.get(edition__year=2019, slug="daegu")
    html = admin_client.get(reverse("admin:delegations_pavilion_change", args=[pavilion.pk]))
    text = html.content.decode()
    assert "총 750여건의 상담실적" in text
    assert 'value="7280000"' in text
    assert 'value="21"' in text


def test_staff_edit_is_recorded_and_can_be_seen(admin_client, loaded):
    from delegations.models import ReportedFigure

    figure = ReportedFigure.objects.get(
        edition__year=2019, pavilion__slug="daegu", metric="companies"
    )
    url = reverse("admin:delegations_reportedfigure_change", args=[figure.pk])
    form = {
        "edition": figure.edition_id,
        "region": figure.region_id,
        "pavilion": figure.pavilion_id,
        "metric": "companies",
        "value": "26",
        "currency": "",
        "converted_currency": "",
        "source": figure.source_id,
        "quote": figure.quote,
    }
    response = admin_client.post(url, form)
    assert response.status_code == 302
    figure.refresh_from_db()
    # Published, so the change waits: the dashboard keeps 25 until Daegu's CES 2019 is published.
    assert (figure.value, figure.pending) == (25, {"value": "26"})
    assert [(h.value, h.pending) for h in figure.history.all()] == [(25, {"value": "26"})]
    assert 'value="26"' in admin_client.get(url).content.decode()


def test_admin_form_shows_constraint_message(admin_client, loaded):
    from delegations.models import ReportedFigure

    figure = ReportedFigure.objects.get(
        edition__year=2019, pavilion__slug="daegu", metric="companies"
    )
    url = reverse("admin:delegations_reportedfigure_change", args=[figure.pk])
    response = admin_client.post(
        url,
        {
            "edition": figure.edition_id,
            "region": figure.region_id,
            "pavilion": figure.pavilion_id,
            "metric": "companies",
            "value": "-4",
            "currency": "",
            "converted_currency": "",
            "source": figure.source_id,
        },
        headers={"accept-language": "ko"},
    )
    assert response.status_code == 200
    assert "보도 수치는 음수일 수 없습니다." in response.content.decode()
    figure.refresh_from_db()
    assert figure.value == 25


def management(prefix, total=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_staff_enter_a_new_ces_pavilion_with_its_figures_in_one_form(admin_client, loaded):
    """Next year's pavilion and its reported figures, from one admin page: the figures take
    their edition and city from the pavilion."""
    from delegations.models import Edition, Pavilion, Region, Source

    edition = Edition.objects.create(year=2025)
    daegu = Region.objects.get(slug="daegu")
    source = Source.objects.get(key="maeil-2024-daegu-ces")
    form = {
        "name_ko": "대구공동관",
        "name_en": "Daegu Pavilion",
        "edition": edition.pk,
        "region": daegu.pk,
        "slug": "daegu",
        "kind": "main",
        "source": source.pk,
        **management("figures", 2),
        "figures-0-metric": "companies",
        "figures-0-value": "20",
        "figures-0-currency": "",
        "figures-0-converted_currency": "",
        "figures-0-source": source.pk,
        "figures-0-quote": "20개 기업과 함께",
        "figures-1-metric": "consultation_value",
        "figures-1-value": "50000000",
        "figures-1-currency": "USD",
        "figures-1-converted_currency": "",
        "figures-1-source": source.pk,
        "figures-1-quote": "5천만 달러 상당의 계약상담",
        **management("regional_counts"),
        **management("exhibits"),
        **management("contracts"),
        **management("agreements"),
    }
    response = admin_client.post(reverse("admin:delegations_pavilion_add"), form)

    assert response.status_code == 302, response.content.decode()[:2000]
    pavilion = Pavilion.all_objects.get(edition=edition, slug="daegu")
    assert not pavilion.published  # a draft until the city's CES is published
    figures = {
        f.metric: (f.value, f.currency, f.edition.year, f.region.slug, f.usd_value)
        for f in pavilion.figures.all()
    }
    assert figures == {
        "companies": (20, "", 2025, "daegu", None),
        "consultation_value": (50_000_000, "USD", 2025, "daegu", 50_000_000),
    }


def test_inline_figure_without_currency_gets_a_form_error_not_a_500(admin_client, loaded):
    from delegations.models import Edition, Pavilion, Region, Source

    edition = Edition.objects.create(year=2025)
    source = Source.objects.get(key="maeil-2024-daegu-ces")
    form = {
        "name_ko": "대구공동관",
        "name_en": "Daegu Pavilion",
        "edition": edition.pk,
        "region": Region.objects.get(slug="daegu").pk,
        "slug": "daegu",
        "kind": "main",
        "source": source.pk,
        **management("figures", 1),
        "figures-0-metric": "contract_value",
        "figures-0-value": "100",
        "figures-0-currency": "",
        "figures-0-converted_currency": "",
        "figures-0-source": source.pk,
        **management("regional_counts"),
        **management("exhibits"),
        **management("contracts"),
        **management("agreements"),
    }
    response = admin_client.post(
        reverse("admin:delegations_pavilion_add"), form, headers={"accept-language": "en"}
    )

    assert response.status_code == 200
    assert (
        "Amounts of money need a currency; counts must not have one." in response.content.decode()
    )
    assert not Pavilion.objects.filter(edition=edition).exists()
