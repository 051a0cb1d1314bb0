"""Figures and bilingual text in the page's language.

{% count value approximate %}, {% money value "USD" approximate %}: a figure, or "not reported";
{% localized obj "summary" %}: `summary_ko` or `summary_en` as the page reads, else the other;
{% other_name obj %}: the name in the other language, marked with its `lang`.
"""

import html
import json
from functools import lru_cache

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from cesdash.formatting import format_count, format_money
from cesdash.totals import MARKS, figure_marks
from delegations.bilingual import language_order, localized
from delegations.models import page_url

register = template.Library()


@register.simple_tag
def count(value, approximate=False):
    return format_count(value, approximate)


@register.simple_tag
def money(value, currency, approximate=False):
    return format_money(value, currency, approximate)


@register.simple_tag(name="localized")
def localized_tag(obj, field):
    return localized(obj, field)


@register.simple_tag
def legend_marks():
    """(mark, meaning) of every mark a figure can carry, for the legend."""
    return list(MARKS.values())


@register.simple_tag
def marks(obj):
    """The marks of a reported figure or record: p for a preview, e implied, * mixed kinds."""
    return figure_marks(
        preview=getattr(obj, "preview", False),
        implied=getattr(obj, "implied", False),
        mixed_kinds=getattr(obj, "mixed_kinds", False),
    )


@register.simple_tag
def other_name(obj):
    """The name the page does not read, when it differs: 대구 on an English page, and so on."""
    first, other = language_order()
    name = getattr(obj, f"name_{other}", "")
    if not name or name == getattr(obj, f"name_{first}", ""):
        return ""
    return format_html('<span class="other-name" lang="{}">{}</span>', other, name)


@register.simple_tag
def city_options(cities, selected=None, leave_out=()):
    """The `<option>` of each of `cities` (its slug, its name), `selected` marked as such and
    those in `leave_out` left out: the city choices list every city on record, 250 of them."""
    left_out = {city.pk for city in leave_out}
    first, other = (f"name_{code}" for code in language_order())  # `city.name`, read once
    return SafeString(
        "".join(
            f'<option value="{escape(city.slug)}"{" selected" if city == selected else ""}>'
            f"{escape(getattr(city, first) or getattr(city, other))}</option>"
            for city in cities
            if city.pk not in left_out
        )
    )


@register.filter
def minutes(duration):
    """A timedelta in whole minutes (the login lockout's 15)."""
    return int(duration.total_seconds() // 60) if duration else 0


@register.simple_tag
def total(total):
    """A city's total as every table and card shows it: the figure linked to the row of its
    source, its marks, the source's own conversion and, for a sum, what was added up; or "not
    reported" (`total_html`)."""
    return total_html(total)


@register.simple_tag
def total_cells(totals, language=None):
    """A `<td class="num">` of each of `totals` (`total_html`): a row of a chart's data table."""
    language = language or get_language()
    return SafeString("".join(f'<td class="num">{total_html(t, language)}</td>' for t in totals))


@register.simple_tag
def chart_rows(rows):
    """The rows of a chart's data table: a `<th>` of the row's label (a year, a city) and a
    `<td>` of each of its totals (`total_cells`), as a template loop wrote them, spacing and
    all (tests/test_rendering.py checks the two agree): a trend chart has a row a year."""
    language = get_language()  # once a chart, not once a total: a page shows hundreds
    return SafeString(
        "".join(
            f'\n        <tr><th scope="row">{escape(row["label"])}</th>'
            f"{total_cells(row['cells'], language)}</tr>\n        "
            for row in rows
        )
    )


@register.simple_tag
def results_rows(rows):
    """The rows of a results table (partials/results_table.html), as a template loop wrote
    them, spacing and all (tests/test_rendering.py checks the two agree): a city or a CES,
    its marks, and a cell of each figure (`total_html`) with how many of it are itemised on
    record. The city page has a row a year, the edition page a row a city."""
    language = get_language()
    return SafeString("".join(_results_row(row, language) for row in rows))


def _results_row(row, language):
    if row.city:
        head = f'<a href="{escape(row.city.get_absolute_url())}">{escape(row.city.name)}</a>'
    else:
        head = f'<a href="{escape(page_url("edition", row.year))}">CES {escape(row.year)}</a>'
    cells = "".join(
        f'\n        <td class="num" data-metric="{escape(cell.metric)}">'
        f"{total_html(cell.total, language)}"
        f"\n          {_recorded(cell)}\n        </td>\n      "
        for cell in row.cells
    )
    return (
        f'\n    <tr>\n      <th scope="row">{head}{mark_tags(row.marks)}</th>\n      '
        f"{cells}\n    </tr>\n  "
    )


def _recorded(cell):
    if not cell.recorded:
        return ""
    if cell.metric == "award_winners":
        text = ngettext("%(n)s named", "%(n)s named", cell.recorded)
    else:
        text = ngettext("%(n)s recorded", "%(n)s recorded", cell.recorded)
    return f'<div class="recorded">{text % {"n": escape(cell.recorded)}}</div>'


@register.filter
def figure_script(figure, element_id):
    """Django's `json_script`, the same markup: its escaping of <, > and & with str.replace
    rather than str.translate, which took a few milliseconds a page on a chart's JSON."""
    text = json.dumps(figure, cls=DjangoJSONEncoder)
    text = text.replace("&", "\\u0026").replace("<", "\\u003C").replace(">", "\\u003E")
    return SafeString(f'<script id="{escape(element_id)}" type="application/json">{text}</script>')


def total_html(total, language=None):
    """What the `total` tag shows, built once a total and language (the page's, unless given):
    a page with charts shows hundreds of totals, some of them three times (a card, a chart's
    table, the comparison)."""
    language = language or get_language()
    if not total:
        return not_reported(language)
    markup = total.rendered.get(language)
    if markup is None:
        markup = total.rendered[language] = _total_html(total, language)
    return markup


@lru_cache
def not_reported(language):
    """The markup of a figure not reported, in `language` (the page's, as `total_html` is
    given it): the same text for every one of a page's gaps."""
    return SafeString(f'<span class="not-reported">{escape(_("not reported"))}</span>')


def escape(text):
    """`conditional_escape` without its lazy-string wrapper, which cost more than the escaping."""
    if hasattr(text, "__html__"):
        return conditional_escape(text)
    return html.escape(str(text))


def _total_html(total, language):
    # Strings joined and escaped here, rather than with format_html: the same markup in a
    # fraction of the time (tests/test_rendering.py checks the two agree).
    href, title = source_link(total, language)
    if total.figure_id:  # `figure_url`, its row of the source page
        href += f"?figure={total.figure_id}#figure-{total.figure_id}"
    markup = (
        f'<a class="figure-link{" approx" if total.approximate else ""}" href="{href}"'
        f' title="{title}">{escape(total.display)}</a>{mark_tags(total.marks)}'
    )
    if converted := total.converted_display:
        markup += f' <span class="converted">({escape(converted)})</span>'
    if total.is_sum:
        markup += f' <span class="scope-parts">= {escape(total.scope_display)}</span>'
    return SafeString(markup)


def source_link(total, language):
    """The address of the page of a total's source and the link's title, escaped, in the page's
    language: made once a source for all the totals of a page (`Total.source_links`)."""
    key = (total.source.pk, language)
    link = total.source_links.get(key)
    if link is None:
        title = _("Source: %(title)s") % {"title": total.source.title}
        link = total.source_links[key] = (escape(total.source.get_absolute_url()), escape(title))
    return link


def mark_tags(marks):
    return SafeString(
        "".join(
            f'<sup class="mark" title="{escape(meaning)}">{escape(mark)}</sup>'
            for mark, meaning in marks
        )
    )
