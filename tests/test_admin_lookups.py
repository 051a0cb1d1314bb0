"""Every admin changelist answers odd lookups in its address with a message, never a 500.

Without `cesdash.admin.OfferedLookupsOnly`, `?name__regex=(` is a 500 on SQLite and PostgreSQL
and a NUL byte a 500 on PostgreSQL (psycopg refuses it); unknown fields and deep relations give a
bare 400 or a redirect that says nothing.
"""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import models
from django.urls import reverse

from delegations.models import Delegation, RegionalCompanyCount, ReportedFigure, Source

EN = {"accept-language": "en"}
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def text_field(model):
    """A text column of the model, so that a lookup on it reaches the database."""
    return next(
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
    )


def deep_relation(model):
    """A lookup two relations away (`pavilion__edition__source__key`), or a made-up one."""
    for first in model._meta.concrete_fields:
        if first.is_relation:
            for second in first.related_model._meta.concrete_fields:
                if second.is_relation:
                    return f"{first.name}__{second.name}__{text_field(second.related_model)}"
    return "nothing__deeper__than__this"


def odd_lookups(model):
    """(query string, the names the message lists as left out)."""
    text = text_field(model)
    return [
        ("name__regex=(", "name__regex"),
        ("name_ko__regex=[", "name_ko__regex"),
        ("name__icontains=%00", "name__icontains"),
        (f"{text}__regex=(", f"{text}__regex"),
        (f"{text}__iregex=%5B", f"{text}__iregex"),
        (f"{text}__icontains=a%00b", f"{text}__icontains"),
        (f"{text}%00__regex=(", f"{text}__regex"),
        ("id__in=a,b", "id__in"),
        ("pk__gt=%00", "pk__gt"),
        ("no_such_field=1", "no_such_field"),
        (f"{deep_relation(model)}__regex=(", f"{deep_relation(model)}__regex"),
        ("name__regex=(&e=1", "name__regex"),
    ]


@pytest.fixture
def staff(client, db):
    """A signed-in superuser (without a password, whose hashing would cost a second a test)."""
    client.force_login(User.objects.create_superuser("boss", password=None))
    return client


@pytest.fixture
def rows(world):
    """A row or more in every list, so that a bad lookup would be tried on them: the tables'
    data, a delegation and a regional count, a failed sign-in; the editors group (made by a
    migration) and the signed-in superuser fill the rest."""
    p24 = world["p24"]
    Delegation.objects.create(edition=p24.edition, region=world["daegu"], source=p24.source)
    RegionalCompanyCount.objects.create(
        pavilion=p24, region=world["daegu"], companies=16, source=p24.source
    )
    attempt = {"user_agent": "curl", "ip_address": "127.0.0.1", "username": "someone"}
    AccessAttempt.objects.create(**attempt, failures_since_start=1)
    AccessFailureLog.objects.create(**attempt)
    return world


def messages_on(response):
    html = response.content.decode()
    return [unescape(m) for m in re.findall(r'<li class="(?:warning|error)">(.*?)</li>', html)]


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_odd_lookups_are_left_out_with_a_message(staff, rows, model):
    url = changelist(model)
    assert model.objects.exists(), "a list without rows would not try the lookup"
    expected = []
    for query, left_out in odd_lookups(model):
        response = staff.get(f"{url}?{query}", headers=EN)
        assert response.status_code == 302, query
        assert urlsplit(response["Location"]).path == url, query
        expected.append(f"This list cannot be filtered by {left_out}, so it is shown without it.")
        if "%00" in query:
            expected.append("Null characters were removed from the address.")
    search = staff.get(f"{url}?q=a%00b", headers=EN)
    assert search["Location"] == f"{url}?q=ab"
    expected.append("Null characters were removed from the address.")
    # The messages wait for the next page: the list, which shows them all, unfiltered.
    shown = staff.get(url, headers=EN)
    assert shown.status_code == 200
    assert messages_on(shown) == expected
    assert shown.context["cl"].result_count == model._default_manager.count()


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_link_the_list_itself_offers_works_as_it_is(staff, rows, model):
    """Filters, sort headers, the date hierarchy and paging: none is taken for an odd lookup
    (one link of each set of parameters)."""
    url = changelist(model)
    page = staff.get(url, headers=EN)
    links = {}
    for link in re.findall(r'href="(\?[^"]*)"', page.content.decode()):
        link = unescape(link)
        links.setdefault(frozenset(parse_qs(link[1:], keep_blank_values=True)), link)
    assert links
    for link in links.values():
        response = staff.get(url + link, headers=EN)
        assert response.status_code == 200, link
        assert messages_on(response) == [], link


def test_a_filter_the_list_offers_still_filters(staff, rows):
    url = changelist(ReportedFigure)
    response = staff.get(f"{url}?metric__exact=companies", headers=EN)

    assert response.status_code == 200
    shown = response.context["cl"].result_count
    assert shown == ReportedFigure.objects.filter(metric="companies").count() > 0
    assert shown < ReportedFigure.objects.count()


def test_an_odd_lookup_beside_a_real_filter_keeps_the_filter(staff, rows):
    url = changelist(ReportedFigure)
    response = staff.get(f"{url}?metric__exact=companies&quote__regex=(", headers=EN)

    assert response["Location"] == f"{url}?metric__exact=companies"
    shown = staff.get(response["Location"], headers=EN)
    assert (
        shown.context["cl"].result_count
        == ReportedFigure.objects.filter(metric="companies").count()
    )
    assert messages_on(shown) == [
        "This list cannot be filtered by quote__regex, so it is shown without it."
    ]


def test_a_bad_value_of_a_real_filter_shows_the_list_unfiltered_with_a_message(staff, rows):
    url = changelist(ReportedFigure)
    response = staff.get(f"{url}?edition__id__exact=abc", headers=EN)

    assert response["Location"] == f"{url}?e=1"
    shown = staff.get(response["Location"], headers=EN)
    assert shown.status_code == 200
    assert shown.context["cl"].result_count == ReportedFigure.objects.count()
    assert messages_on(shown) == [
        "The list cannot be filtered by that value, so it is shown without filters."
    ]
    # Django's flag beside a filter would show a "database error" page; it is dropped instead.
    again = staff.get(f"{url}?edition__id__exact=abc&e=1", headers=EN)
    assert again["Location"] == f"{url}?edition__id__exact=abc"


def test_a_nul_byte_in_a_real_filter_is_removed(staff, rows):
    url = changelist(Source)
    response = staff.get(f"{url}?publisher_ko__exact=%EB%A7%A4%00", headers=EN)

    assert response.status_code == 302
    shown = staff.get(response["Location"], headers=EN)
    assert shown.status_code == 200
    assert "Null characters were removed from the address." in messages_on(shown)


def test_many_odd_lookups_are_named_up_to_five(staff, rows):
    url = changelist(Group)
    query = "&".join(f"x{n}=1" for n in range(8))
    shown = staff.get(f"{url}?{query}", headers=EN, follow=True)

    assert messages_on(shown) == [
        "This list cannot be filtered by x0, x1, x2, x3, x4, …, so it is shown without them."
    ]


def test_an_action_sent_from_an_odd_address_only_asks_for_confirmation(staff, rows):
    """A form posted to the list keeps its cleaned filters; deleting still asks first."""
    group = Group.objects.get(name="editors")
    response = staff.post(
        f"{changelist(Group)}?name__regex=(",
        {"action": "delete_selected", "_selected_action": [group.pk]},
        headers=EN,
    )

    assert response.status_code == 200
    assert "Are you sure you want to delete the selected group?" in response.content.decode()
    assert Group.objects.filter(pk=group.pk).exists()


def test_the_message_speaks_the_admins_language(staff, rows):
    shown = staff.get(
        f"{changelist(Group)}?name__regex=(", headers={"accept-language": "ko"}, follow=True
    )

    assert messages_on(shown) == [
        "이 목록은 name__regex(으)로 거를 수 없어 그 조건 없이 보여 줍니다."
    ]


BAD_KEYS = ["abc", "\x00", "99999999999999999999", "1,x"]


def test_an_add_form_leaves_a_relation_the_address_cannot_name_empty(staff, rows):
    """`?region=abc` on an add form: the autocomplete box once looked it up, a 500."""
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_add_permission(staff.get("/").wsgi_request):
            continue
        relations = [f for f in model._meta.get_fields() if f.is_relation and f.concrete]
        if not relations:
            continue
        query = {f.name: BAD_KEYS[n % len(BAD_KEYS)] for n, f in enumerate(relations)}
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        response = staff.get(url, query, headers=EN)
        assert response.status_code == 200, model
        form = response.context["adminform"].form
        assert not set(query) & set(form.initial), model
        assert messages_on(response) == [
            f"The address names no {f.verbose_name} like that, so the field is left empty."
            for f in relations
        ], model


def test_an_add_form_still_takes_a_relation_from_its_address(staff, rows):
    edition = rows["p24"].edition
    url = reverse("admin:delegations_pavilion_add")
    response = staff.get(url, {"edition": edition.pk, "kind": "x"}, headers=EN)

    assert response.status_code == 200
    assert response.context["adminform"].form.initial["edition"] == str(edition.pk)
    assert messages_on(response) == []


def test_an_autocomplete_box_drops_a_nul_byte_from_what_is_typed(staff, rows):
    query = {
        "term": "Dae\x00gu",
        "app_label": "delegations",
        "model_name": "pavilion",
        "field_name": "region",
    }
    response = staff.get(reverse("admin:autocomplete"), query, headers=EN)

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Daegu"]
