"""The markup that cesdash/templatetags/figures.py writes in Python for speed (`total`,
`total_cells`, `chart_rows`, `results_rows`, `city_options`, `figure_script`) must be exactly
what the format_html calls, template loops and Django filter it replaced wrote."""

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from cesdash.pages import Row, figure_url
from cesdash.templatetags.figures import total_html
from cesdash.totals import Cell, Total
from delegations.models import Region, Source


def reference_total(total):
    """The `total` tag as it was written with format_html."""
    if not total:
        return format_html('<span class="not-reported">{}</span>', _("not reported"))
    href = total.source.get_absolute_url()
    if total.figure_id:
        href = figure_url(total.source, total.figure_id)
    html = format_html(
        '<a class="figure-link{}" href="{}" title="{}">{}</a>{}',
        " approx" if total.approximate else "",
        href,
        _("Source: %(title)s") % {"title": total.source.title},
        total.display,
        format_html_join(
            "",
            '<sup class="mark" title="{}">{}</sup>',
            ((meaning, mark) for mark, meaning in total.marks),
        ),
    )
    if total.converted_display:
        html += format_html(' <span class="converted">({})</span>', total.converted_display)
    if total.is_sum:
        html += format_html(' <span class="scope-parts">= {}</span>', total.scope_display)
    return html


def totals():
    source = Source(key="maeil-2024", title='Daegu <"CES"> & more', language="ko")
    return [
        None,
        Total("companies", 2024, 25, "", None, False, source=source, figure_id=7),
        Total(
            "consultation_value", 2024, 140_000_000, "USD", 140_000_000, True,
            preview=True, converted_value=188_180_000_000, converted_currency="KRW",
            source=source,
        ),
        Total(
            "companies", 2019, 39, "", None, False, mixed_kinds=True, source=source,
            parts=(("main", 1, 25), ("sports", 2, 14)),
        ),
        Total(
            "contract_value", 2019, None, "", 9_000_000, True, source=source,
            parts=(("main", 1, None), ("other", 1, None)),
        ),
    ]  # fmt: skip


@pytest.mark.parametrize("language", ["ko", "en"])
def test_total_markup_is_what_format_html_wrote(language):
    with translation.override(language):
        for total in totals():
            assert total_html(total) == reference_total(total)
            assert total_html(total) == reference_total(total)  # the second time, remembered


def test_a_total_shown_in_both_languages_keeps_each_ones_markup():
    total = totals()[2]
    with translation.override("ko"):
        korean = total_html(total)
    with translation.override("en"):
        english = total_html(total)
    assert "약 1억 4,000만 달러" in korean
    assert "about $140 million" in english
    with translation.override("ko"):
        assert total_html(total) == korean


def rendered_alike(tag, loop, context):
    """What the tag writes is what the template loop wrote, in Korean and in English: the
    tag's English text."""
    written = {}
    for language in ("ko", "en"):
        with translation.override(language):
            written[language] = tag.render(Context(context))
            assert written[language] == loop.render(Context(context))
    return written["en"]


def test_a_chart_tables_row_is_what_its_template_loop_wrote():
    loop = Template(
        '{% load figures %}{% for total in cells %}<td class="num">{% total total %}</td>'
        "{% endfor %}"
    )
    tag = Template("{% load figures %}{% total_cells cells %}")
    rendered_alike(tag, loop, {"cells": totals()})


def test_city_options_are_what_the_template_loops_wrote():
    cities = [
        Region(pk=n, slug=f"city-{n}", name_ko=f"도시<{n}>", name_en=f"City & {n}")
        for n in range(1, 6)
    ]
    context = Context({"cities": cities, "city": cities[2], "compared": cities[1:3]})
    chosen = Template(
        '{% for region in cities %}<option value="{{ region.slug }}"{% if region == city %}'
        " selected{% endif %}>{{ region.name }}</option>{% endfor %}"
    )
    others = Template(
        "{% for region in cities %}{% if region not in compared %}"
        '<option value="{{ region.slug }}">{{ region.name }}</option>{% endif %}{% endfor %}'
    )
    tags = Template(
        "{% load figures %}{% city_options cities selected=city %}|"
        "{% city_options cities leave_out=compared %}"
    )
    for language in ("ko", "en"):
        with translation.override(language):
            assert tags.render(context) == f"{chosen.render(context)}|{others.render(context)}"
            assert "selected" in chosen.render(context)


def test_a_chart_tables_rows_are_what_their_template_loop_wrote():
    cells = totals()
    rows = [{"label": 2024, "cells": cells}, {"label": "대구 <&> Daegu", "cells": cells[::-1]}]
    loop = Template(
        "{% load figures %}{% for row in rows %}\n"
        '        <tr><th scope="row">{{ row.label }}</th>{% total_cells row.cells %}</tr>\n'
        "        {% endfor %}"
    )
    tag = Template("{% load figures %}{% chart_rows rows %}")
    written = rendered_alike(tag, loop, {"rows": rows})
    assert '<th scope="row">대구 &lt;&amp;&gt; Daegu</th>' in written


# The rows of partials/results_table.html as its template loop wrote them.
RESULTS_LOOP = """{% load i18n figures %}{% for row in rows %}
    <tr>
      <th scope="row">{% if row.city %}<a href="{{ row.city.get_absolute_url }}">{{ row.city.name }}</a>{% else %}<a href="{% url 'edition' row.year %}">CES {{ row.year }}</a>{% endif %}{% include "partials/marks.html" with marks=row.marks %}</th>
      {% for cell in row.cells %}
        <td class="num" data-metric="{{ cell.metric }}">{% total cell.total %}
          {% if cell.recorded %}<div class="recorded">{% if cell.metric == "award_winners" %}{% blocktranslate count n=cell.recorded %}{{ n }} named{% plural %}{{ n }} named{% endblocktranslate %}{% else %}{% blocktranslate count n=cell.recorded %}{{ n }} recorded{% plural %}{{ n }} recorded{% endblocktranslate %}{% endif %}</div>{% endif %}
        </td>
      {% endfor %}
    </tr>
  {% endfor %}"""  # noqa: E501


def test_a_results_tables_rows_are_what_their_template_loop_wrote():
    first, second, third, fourth = totals()[:4]
    cells = [
        Cell("companies", first),
        Cell("consultations", None),
        Cell("mous", second, recorded=1),
        Cell("mous", third, recorded=0),
        Cell("award_winners", fourth, recorded=12),
        Cell("award_winners", None, recorded=1),
        Cell("contract_value", None, recorded=3),
    ]
    city = Region(pk=3, slug="daegu", name_ko="대구 <&>", name_en='Daegu & "co"')
    rows = [
        Row(cells, city=city),
        Row(cells[::-1], city=city, implied=True),
        Row(cells, year=2024, implied=True),
        Row(cells, year=2019),
    ]
    loop = Template(RESULTS_LOOP)
    tag = Template("{% load figures %}{% results_rows rows %}")
    shown = rendered_alike(tag, loop, {"rows": rows})
    assert '<a href="/editions/2024/">CES 2024</a><sup class="mark"' in shown
    assert "12 named" in shown and "3 recorded" in shown


def test_a_charts_figure_script_is_what_json_script_wrote():
    figure = {"data": [{"hovertemplate": "CES %{x}<br><extra>'&'</extra>", "y": [1, None]}],
              "layout": {"title": {"text": "대구 </script> & more"}}}  # fmt: skip
    context = Context({"figure": figure})
    ours = Template('{% load figures %}{{ figure|figure_script:"trend-companies-data" }}')
    django = Template('{{ figure|json_script:"trend-companies-data" }}')
    assert ours.render(context) == django.render(context)
    assert "\\u003C/script\\u003E" in ours.render(context)


def test_totals_of_one_page_share_their_sources_links_and_keep_each_ones_markup():
    """`Results.build` gives the totals of a page one `source_links`: each source's link is
    made once a language, and every total still links to its own source and row."""
    links = {}
    first = Source(pk=1, key="maeil-2024", title="Daegu <CES>", language="ko")
    second = Source(pk=2, key="yonhap-2024", title="Busan & more", language="ko")
    shared = [
        Total("companies", 2024, 25, "", None, False, source=first, figure_id=7,
              source_links=links),
        Total("companies", 2019, 20, "", None, False, source=first, source_links=links),
        Total("mous", 2024, 3, "", None, False, source=second, figure_id=9, source_links=links),
    ]  # fmt: skip
    for language in ("ko", "en", "ko"):
        with translation.override(language):
            for total in shared:
                total.rendered.clear()
                assert total_html(total) == reference_total(total)
    assert len(links) == 4  # two sources, two languages
    assert 'href="/sources/yonhap-2024/?figure=9#figure-9"' in total_html(shared[2])
