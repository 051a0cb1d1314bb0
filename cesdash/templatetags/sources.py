"""The source page's table of figures, written in Python.

{% figure_rows figures source %}: a row of each of an article's figures (up to a hundred on its
page), the markup its template loop wrote, spacing and all (tests/test_source_page.py checks the
two agree), in a fraction of the time.
"""

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from cesdash.formatting import format_count, format_money
from delegations.models import page_url

from .figures import escape, mark_tags, marks

register = template.Library()


@register.simple_tag
def figure_rows(figures, source):
    """The `<tr>` of each of `figures`, all taken from `source`: its CES, city, pavilion (or the
    whole delegation), figure, value with its marks, and the article's words."""
    language = escape(source.language)
    whole_delegation = escape(_("whole delegation"))
    return SafeString("".join(_figure_row(f, language, whole_delegation) for f in figures))


def _figure_row(f, language, whole_delegation):
    year = f.edition.year
    region = f.region
    if f.pavilion:
        href, name = escape(f.pavilion.get_absolute_url()), escape(f.pavilion.name)
        pavilion = f'<a href="{href}">{name}</a>'
    else:
        pavilion = f'<span class="muted">{whole_delegation}</span>'
    if f.currency:
        value = escape(format_money(f.value, f.currency, f.approximate))
        if f.converted_value:
            converted = escape(format_money(f.converted_value, f.converted_currency, True))
            value += f'<div class="converted">({converted})</div>'
    else:
        value = escape(format_count(f.value, f.approximate))
    quote = f'<q lang="{language}">{escape(f.quote)}</q>' if f.quote else ""
    return (
        f'\n      <tr id="figure-{escape(f.pk)}">'
        f'<td><a href="{escape(page_url("edition", year))}">{escape(year)}</a></td>'
        f'<td><a href="{escape(region.get_absolute_url())}">{escape(region.name)}</a></td>'
        f"<td>{pavilion}</td><td>{escape(f.get_metric_display())}</td>\n"
        f'        <td class="num">{value}{mark_tags(marks(f))}</td>\n'
        f'        <td class="long">{quote}</td></tr>\n    '
    )
