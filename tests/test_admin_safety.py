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
    return ReportedFigure.objects.get(
        edition__year=2019, pavilion__slug="daegu", metric="companies"
    )


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
    assert [(h.value, h.history_user.username) for h in history] == [(26, "minji"), (29, "minji")]

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
