"""The source page (/sources/<key>/): its table of figures, written in Python
(`{% figure_rows %}`), is what its template loop wrote, and its figures come in the order of
the full read."""

from django.template import Template

from cesdash.models import DataVersion
from delegations.models import Edition, Pavilion, Region, ReportedFigure, Source
from tests.test_figure_markup import rendered_alike

# The source page's loop over its figures, as the template wrote it.
FIGURE_LOOP = Template(
    """{% load i18n figures %}{% for f in figures %}
      <tr id="figure-{{ f.pk }}"><td><a href="{% url 'edition' f.edition.year %}">{{ f.edition.year }}</a></td><td><a href="{{ f.region.get_absolute_url }}">{{ f.region.name }}</a></td><td>{% if f.pavilion %}<a href="{{ f.pavilion.get_absolute_url }}">{{ f.pavilion.name }}</a>{% else %}<span class="muted">{% translate "whole delegation" %}</span>{% endif %}</td><td>{{ f.get_metric_display }}</td>
        <td class="num">{% if f.currency %}{% money f.value f.currency f.approximate %}{% if f.converted_value %}<div class="converted">({% money f.converted_value f.converted_currency True %})</div>{% endif %}{% else %}{% count f.value f.approximate %}{% endif %}{% marks f as flags %}{% include "partials/marks.html" with marks=flags %}</td>
        <td class="long">{% if f.quote %}<q lang="{{ source.language }}">{{ f.quote }}</q>{% endif %}</td></tr>
    {% endfor %}"""  # noqa: E501
)


def figures():
    source = Source(pk=1, key="a&b", title="Article <1>", language="en")
    edition = Edition(pk=1, year=2024)
    city = Region(pk=1, slug="daegu", name_ko="대구<시>", name_en="Daegu & co")
    pavilion = Pavilion(
        pk=1, edition=edition, region=city, slug="hall", name_ko="대구관", name_en="Daegu <Hall>"
    )
    return source, [
        ReportedFigure(
            pk=7, edition=edition, region=city, pavilion=pavilion, metric="companies", value=16,
            quote='16개 기업이 "부스"를 <마련>했다 & more', source=source,
        ),
        ReportedFigure(
            pk=8, edition=edition, region=city, pavilion=pavilion, metric="consultation_value",
            value=140_000_000, currency="USD", converted_value=188_180_000_000,
            converted_currency="KRW", preview=True, source=source,
        ),
        ReportedFigure(
            pk=9, edition=edition, region=city, metric="consultations", value=750,
            approximate=True, mixed_kinds=True, preview=True, source=source,
        ),
        ReportedFigure(
            pk=10, edition=edition, region=city, metric="contract_value", value=9_000_000,
            currency="KRW", approximate=True, source=source,
        ),
    ]  # fmt: skip


def test_the_figure_rows_are_what_the_template_loop_wrote():
    tag = Template("{% load sources %}{% figure_rows figures source %}")
    source, rows = figures()
    english = rendered_alike(tag, FIGURE_LOOP, {"figures": rows, "source": source})

    assert english.count("<tr ") == 4
    assert '<a href="/editions/2024/hall/">Daegu &lt;Hall&gt;</a>' in english
    assert '<span class="muted">whole delegation</span>' in english
    assert '<div class="converted">(about ₩188.18 billion)</div>' in english
    assert '<q lang="en">16개 기업이 &quot;부스&quot;를 &lt;마련&gt;했다 &amp; more</q>' in english
    assert english.count('<sup class="mark"') == 3  # two previews, one count of mixed kinds


def test_an_article_without_figures_says_so(client, make_source):
    make_source(key="no-figures", title="Nothing counted")
    DataVersion.bump()
    page = client.get("/sources/no-figures/", headers={"accept-language": "en"}).content.decode()

    assert (
        '<tbody>\n    <tr><td colspan="6" class="muted">This article states no CES figures.' in page
    )


def test_a_source_pages_figures_are_in_the_order_of_cities_pavilions_and_figures(
    client, make_source, make_region, make_pavilion, make_figure
):
    """The latest CES first, then by city, the city-wide figures where the database puts
    nulls, each pavilion in the pavilions' order (their CES and city, kind, name), then by
    figure: as `ReportedFigure`'s own fields order them, read in full."""
    source = make_source(key="ordered")
    daegu, busan = make_region("daegu", "대구", "Daegu"), make_region("busan", "부산", "Busan")
    for year in (2019, 2024):
        for city in (busan, daegu):  # entered in the other order
            pavilions = [
                make_pavilion(
                    year, city, city.name_ko + name_ko, f"{city.name_en} {name_en}",
                    slug=f"{city.slug}-{slug}", kind=kind,
                )
                for name_ko, name_en, slug, kind in (
                    ("하관", "Lower Hall", "lower", "sports"),
                    ("나관", "B Hall", "b", "main"),
                    ("가관", "A Hall", "a", "other"),
                )
            ]  # fmt: skip
            for pavilion in pavilions:
                for metric in ("mous", "companies"):
                    make_figure(pavilion, metric, 3, source=source)
            ReportedFigure.objects.create(
                edition=pavilions[0].edition, region=city, metric="companies", value=9,
                source=source,
            )  # fmt: skip
    DataVersion.bump()

    full = ReportedFigure.objects.filter(source=source).order_by(
        "-edition__year", "region", "pavilion", "metric"
    )
    shown = client.get("/sources/ordered.json").json()["figures"]

    assert [f["id"] for f in shown] == [f.pk for f in full]
    daegu_2024 = [(f["pavilion"], f["metric"]) for f in shown[:7] if f["pavilion"]]
    assert daegu_2024 == [
        (f"daegu-{slug}", metric)
        for slug in ("b", "a", "lower")
        for metric in ("companies", "mous")
    ]  # the main pavilion, the other, the sports one
    assert {(f["year"], f["city"]) for f in shown[:7]} == {(2024, "daegu")}


def test_a_source_page_reaches_back_as_far_as_its_first_hundred_published_figures_go(
    client, make_source, make_region, make_edition
):
    """The figures shown are the first `FIGURES_SHOWN` of the full order, the latest CES first,
    counted among published figures only: 60 of 2024 and 40 of 2019 make exactly a hundred
    (2005's are not shown), whatever the drafts of 2024 (which would make a hundred there)."""
    from cesdash.models import FIGURES_SHOWN

    source = make_source(key="a-hundred")
    cities = [make_region(f"town-{n:02}", f"읍{n:02}", f"Town {n:02}") for n in range(60)]
    for year, where, published in (
        (2024, cities, True), (2024, cities[:40], False), (2019, cities[:40], True),
        (2005, cities[:10], True),
    ):  # fmt: skip
        metric = "companies" if published else "consultations"
        ReportedFigure.all_objects.bulk_create(
            ReportedFigure(
                edition=make_edition(year), region=city, metric=metric, value=1, source=source,
                published=published,
            )
            for city in where
        )  # fmt: skip
    DataVersion.bump()

    page = client.get("/sources/a-hundred.json").json()
    full = ReportedFigure.objects.filter(source=source).order_by(
        "-edition__year", "region", "pavilion", "metric"
    )
    assert [f["id"] for f in page["figures"]] == [f.pk for f in full[:FIGURES_SHOWN]]
    assert {f["year"] for f in page["figures"]} == {2024, 2019}
    assert page["on_record"]["figures"]["count"] == 110
