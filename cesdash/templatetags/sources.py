"""The source page's table of figures, written in Python.

{% figure_rows figures source %}: a row of each of an article's figures (up to a hundred on its
page), the markup its template loop wrote, spacing and all (tests/test_source_page.py checks the
two agree), in a fraction of the time.
"""

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from cesdash.formatting import format_count, format_money
from delegations.bilingual import language_order
from delegations.models import page_url

from .figures import escape, mark_tags, marks

register = template.Library()


@register.simple_tag
def figure_rows(figures, source):
    """The `<tr>` of each of `figures`, all taken from `source`: its CES, city, pavilion (or the
    whole delegation), figure, value with its marks, and the article's words."""
    # What the rows share is worked out once (`Shared`): a hundred figures name a few CES, some
    # dozens of cities, six kinds of figure and a few sets of marks.
    shared = Shared(source)
    return SafeString("".join(_figure_row(f, shared) for f in figures))


class Shared:
    """The markup the rows of one page share, each piece made the first time a row needs it."""

    def __init__(self, source):
        self.order = language_order()
        self.language = escape(source.language)
        self.whole_delegation = f'<span class="muted">{escape(_("whole delegation"))}</span>'
        self.editions, self.cities, self.labels, self.marks = {}, {}, {}, {}

    def name(self, obj):
        """`obj.name` (`localized`), the page's language read once for all the rows."""
        first, second = self.order
        return getattr(obj, f"name_{first}", "") or getattr(obj, f"name_{second}", "")

    def edition(self, year):
        cell = self.editions.get(year)
        if cell is None:
            href = escape(page_url("edition", year))
            cell = self.editions[year] = f'<td><a href="{href}">{escape(year)}</a></td>'
        return cell

    def city(self, region):
        cell = self.cities.get(region.pk)
        if cell is None:
            href, name = escape(region.get_absolute_url()), escape(self.name(region))
            cell = self.cities[region.pk] = f'<td><a href="{href}">{name}</a></td>'
        return cell

    def label(self, figure):
        label = self.labels.get(figure.metric)
        if label is None:
            label = self.labels[figure.metric] = escape(figure.get_metric_display())
        return label

    def flags(self, figure):
        key = (figure.preview, figure.mixed_kinds)  # a figure's only marks (`marks`)
        flags = self.marks.get(key)
        if flags is None:
            flags = self.marks[key] = mark_tags(marks(figure))
        return flags


def _figure_row(f, shared):
    if f.pavilion:
        href, name = escape(f.pavilion.get_absolute_url()), escape(shared.name(f.pavilion))
        pavilion = f'<a href="{href}">{name}</a>'
    else:
        pavilion = shared.whole_delegation
    if f.currency:
        value = escape(format_money(f.value, f.currency, f.approximate))
        if f.converted_value:
            converted = escape(format_money(f.converted_value, f.converted_currency, True))
            value += f'<div class="converted">({converted})</div>'
    else:
        value = escape(format_count(f.value, f.approximate))
    quote = f'<q lang="{shared.language}">{escape(f.quote)}</q>' if f.quote else ""
    return (
        f'\n      <tr id="figure-{escape(f.pk)}">{shared.edition(f.edition.year)}'
        f"{shared.city(f.region)}<td>{pavilion}</td><td>{shared.label(f)}</td>\n"
        f'        <td class="num">{value}{shared.flags(f)}</td>\n'
        f'        <td class="long">{quote}</td></tr>\n    '
    )
