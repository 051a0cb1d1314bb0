"""Rendered pages are cached under the data version: served again without reading the data,
and never stale, because every change bumps the version."""

import gzip
import json
import re
import threading
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from cesdash.caching import cached_page
from cesdash.models import DataVersion
from delegations.models import ReportedFigure

EN = {"accept-language": "en"}


def get(client, url, **headers):
    return client.get(url, headers={**EN, **headers})


def test_a_cached_page_is_served_with_one_query_and_the_same_bytes(client, world):
    first = get(client, "/cities/daegu/")
    with CaptureQueriesContext(connection) as queries:
        again = get(client, "/cities/daegu/")

    assert again.content == first.content
    assert len(queries) == 1  # the data version
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == "no-cache"


def test_a_repeat_view_is_a_304_and_gzip_is_served_when_asked_for(client, world):
    first = get(client, "/")
    repeat = get(client, "/", if_none_match=first["ETag"])
    zipped = get(client, "/", accept_encoding="gzip, br")

    assert repeat.status_code == 304 and repeat.content == b""
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == first.content
    assert "Accept-Encoding" in zipped["Vary"] and "Accept-Language" in zipped["Vary"]


def test_a_page_first_asked_for_gzipped_is_gzipped_then_and_from_the_cache(
    client, world, django_assert_num_queries
):
    first = get(client, "/cities/daegu/", accept_encoding="gzip")
    with django_assert_num_queries(1):  # the data version: the page, compressed, from the cache
        again = get(client, "/cities/daegu/", accept_encoding="gzip")
    plain = get(client, "/cities/daegu/")

    assert first["Content-Encoding"] == again["Content-Encoding"] == "gzip"
    assert gzip.decompress(first.content) == gzip.decompress(again.content) == plain.content
    assert "Content-Encoding" not in plain


def test_a_change_to_the_data_shows_at_once(client, world):
    figure = ReportedFigure.objects.get(pavilion=world["p24"], metric="companies")
    before = get(client, "/cities/daegu/").content.decode()
    version = DataVersion.current()

    figure.value = 17
    figure.save()
    after = get(client, "/cities/daegu/").content.decode()

    assert DataVersion.current() == version + 1
    assert ">16<" in before and ">16<" not in after and ">17<" in after


def test_each_language_has_its_own_page(client, world):
    english = get(client, "/").content.decode()
    korean = client.get("/", headers={"accept-language": "ko"}).content.decode()

    assert 'lang="en"' in english and 'lang="ko"' in korean


@pytest.mark.parametrize("url", ["/results/?year=2024", "/index.json", "/sources/"])
def test_tables_and_twins_are_cached_too(client, world, url):
    first = get(client, url)
    with CaptureQueriesContext(connection) as queries:
        again = get(client, url)
    assert again.content == first.content and len(queries) == 1


def test_exports_and_logged_in_staff_are_not_served_from_the_cache(client, world, admin_user):
    csv = get(client, "/results/?_export=csv")
    assert csv.streaming or "ETag" not in csv

    client.force_login(admin_user)
    with CaptureQueriesContext(connection) as queries:
        get(client, "/cities/daegu/")
    assert len(queries) > 2


def test_the_language_switch_is_a_link_back_to_the_page(client, world):
    page = get(client, "/cities/daegu/").content.decode()
    assert 'href="/language/ko/?next=/cities/daegu/"' in page
    assert "csrfmiddlewaretoken" not in page

    response = client.get("/language/ko/?next=/cities/daegu/")
    assert response.status_code == 302 and response["Location"] == "/cities/daegu/"
    assert response.cookies["django_language"].value == "ko"
    assert "대구" in client.get("/cities/daegu/").content.decode()

    elsewhere = client.get("/language/ko/?next=https://example.com/")
    assert elsewhere["Location"] == "/"
    assert client.get("/language/xx/").status_code == 404


def test_synthetic_data_written_in_bulk_bumps_the_version(client, world):
    from cesdash import synthetic

    before = get(client, "/editions/2024/").content.decode()
    synthetic.generate(scale=0.004)
    after = get(client, "/editions/2024/").content.decode()
    synthetic.clear()
    cleared = get(client, "/editions/2024/").content.decode()

    assert "syn-" not in before and "syn-" in after and "syn-" not in cleared


def test_the_company_tables_counts_follow_every_change_at_once(client, world, make_company):
    """The companies and participation tables read summaries rebuilt when the data version
    moves: a new record, a draft, its publication each show on the next view."""
    from companies.models import Exhibit, InnovationAward

    def companies():
        rows = json.loads(b"".join(get(client, "/companies/?_export=json").streaming_content))
        return {row["company_en"]: (row["ces"], row["awards"]) for row in rows}

    def adplus_years():
        response = get(client, "/participation/?q=adplus&_export=json")
        (row,) = json.loads(b"".join(response.streaming_content))
        return {key: row.get(key) for key in ("years", "y2019", "y2024")}

    p19, p24 = world["p19"], world["p24"]
    before = companies()
    adplus = make_company("adplus", "애드플러스", "Adplus")
    InnovationAward.objects.create(company=adplus, edition=p24.edition, source=p24.source)
    after_award = companies()
    draft = Exhibit.all_objects.create(
        company=adplus, edition=p19.edition, pavilion=p19, source=p19.source, published=False
    )
    newcomer = make_company("newcomer", "뉴커머", "Newcomer")
    Exhibit.all_objects.create(
        company=newcomer, edition=p24.edition, pavilion=p24, source=p24.source, published=False
    )
    with_drafts = companies()
    participation = adplus_years()
    draft.published = True
    draft.save()
    published = companies()

    assert "Adplus" not in before
    assert after_award["Adplus"] == (1, 1)
    assert with_drafts["Adplus"] == (1, 1) and "Newcomer" not in with_drafts
    assert published["Adplus"] == (2, 1)
    assert participation == {"years": 1, "y2019": None, "y2024": "Innovation Award"}
    assert adplus_years() == {"years": 2, "y2019": "exhibited", "y2024": "Innovation Award"}


def test_the_counts_kept_of_each_kind_follow_every_change_at_once(client, world, make_company):
    """The big tables unfiltered, the sources list and a source page read their counts from
    `RecordCount`, rebuilt when the data version moves: a new record, a draft, its publication
    and a deletion each show on the next view, the same as a filtered table counts them."""
    from companies.models import Exhibit

    p24 = world["p24"]
    source = p24.source

    def counts():
        exhibits = get(client, "/exhibits/").content.decode()
        filtered = get(client, "/exhibits/?year=2024").content.decode()
        page = get(client, f"/sources/{source.key}.json").json()["on_record"]
        (listed,) = [
            s for s in get(client, "/sources.json").json()["sources"] if s["key"] == source.key
        ]
        return (
            re.search(r'table-count">\s*(\d+) rows?', exhibits).group(1),
            re.search(r'table-count">\s*(\d+) rows?', filtered).group(1),
            page["exhibits"]["count"],
            listed["records"],
        )

    before = counts()
    company = make_company("newcomer", "뉴커머", "Newcomer")
    exhibit = Exhibit.objects.create(
        company=company, edition=p24.edition, pavilion=p24, source=source
    )
    added = counts()
    draft = Exhibit.all_objects.create(
        company=make_company("draft", "초안", "Draft"), edition=p24.edition, pavilion=p24,
        source=source, published=False,
    )  # fmt: skip
    with_draft = counts()
    draft.published = True
    draft.save()
    published = counts()
    exhibit.delete()

    assert before[:3] == ("1", "1", 1)
    assert added[:3] == ("2", "2", 2) and added[3] == before[3] + 1
    assert with_draft == added
    assert published[:3] == ("3", "3", 3) and published[3] == before[3] + 2
    assert counts()[:3] == ("2", "2", 2)


def test_the_home_page_follows_the_years_a_city_is_on_record_at_once(
    client, world, make_pavilion, make_region
):
    """Which city the home page opens on (the most CES on record) and its latest CES come from
    `CityYear`, rebuilt when the data version moves: a new pavilion, a draft and its
    publication each show on the next view."""

    def heading(query=""):
        html = get(client, f"/{query}").content.decode()
        return re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()

    before = heading()
    make_pavilion(2025, world["daegu"], "대구관", "Daegu Hall", slug="d25")
    later = heading()
    busan = make_region("busan", "부산", "Busan")
    drafts = [
        make_pavilion(year, busan, "부산관", "Busan Hall", published=False)
        for year in (2005, 2006, 2007, 2008)
    ]
    with_drafts = heading()
    for draft in drafts:
        draft.published = True
        draft.save()

    assert "Daegu" in before and "2024" in before
    assert "Daegu" in later and "2025" in later
    assert with_drafts == later
    assert "Busan" in heading() and "2008" in heading()


def test_threads_that_miss_a_page_at_once_render_it_once(transactional_db):
    """Four threads of one process ask for a page that is not cached: the first renders it,
    the others wait for it and are served the same page. The derived tables, out of date in
    a new database, are rebuilt by one thread first while the others wait (without it, SQLite
    refused the others' rebuild: "database table is locked")."""
    cache.clear()
    renders = []

    @cached_page
    def page(request):
        renders.append(threading.get_ident())
        time.sleep(0.3)
        return HttpResponse(f"rendered {len(renders)} time(s)")

    together = threading.Barrier(4)
    answers = []

    def visit():
        request = RequestFactory().get("/a-page/")
        request.user, request.LANGUAGE_CODE = AnonymousUser(), "en"
        try:
            together.wait(timeout=10)
            answers.append(page(request).content)
        finally:
            connection.close()

    visitors = [threading.Thread(target=visit) for _ in range(4)]
    for thread in visitors:
        thread.start()
    for thread in visitors:
        thread.join(timeout=30)

    assert len(renders) == 1
    assert answers == [b"rendered 1 time(s)"] * 4
    assert DataVersion.state()[1]  # the derived tables are current


def test_a_migration_that_adds_a_derived_table_has_them_rebuilt(transactional_db):
    """A deployment that migrates to a new derived table (here the cities' totals) finds it
    filled by its first request rather than read empty until the data next changes."""
    DataVersion.bump()
    DataVersion.summaries_current()
    assert DataVersion.state()[1]
    call_command("migrate", "cesdash", "0008", verbosity=0)
    call_command("migrate", "cesdash", verbosity=0)

    assert not DataVersion.state()[1]
    DataVersion.summaries_current()
    assert DataVersion.state()[1]
