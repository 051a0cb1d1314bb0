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
    # What a hundred rows share, worked out once: the article's language, the text of the
    # city-wide figures, each figure's label and each set of marks (`_figure_row`).
    shared = {
        "language": escape(source.language),
        "whole delegation": escape(_("whole delegation")),
        "labels": {},
        "marks": {},
    }
    return SafeString("".join(_figure_row(f, shared) for f in figures))


def _figure_row(f, shared):
    year = f.edition.year
    region = f.region
    if f.pavilion:
        href, name = escape(f.pavilion.get_absolute_url()), escape(f.pavilion.name)
        pavilion = f'<a href="{href}">{name}</a>'
    else:
        pavilion = f'<span class="muted">{shared["whole delegation"]}</span>'
    label = shared["labels"].get(f.metric)
    if label is None:
        label = shared["labels"][f.metric] = escape(f.get_metric_display())
    if f.currency:
        value = escape(format_money(f.value, f.currency, f.approximate))
        if f.converted_value:
            converted = escape(format_money(f.converted_value, f.converted_currency, True))
            value += f'<div class="converted">({converted})</div>'
    else:
        value = escape(format_count(f.value, f.approximate))
    flags = (f.preview, f.mixed_kinds)
    flagged = shared["marks"].get(flags)
    if flagged is None:
        flagged = shared["marks"][flags] = mark_tags(marks(f))
    quote = f'<q lang="{shared["language"]}">{escape(f.quote)}</q>' if f.quote else ""
    return (
        f'\n      <tr id="figure-{escape(f.pk)}">'
        f'<td><a href="{escape(page_url("edition", year))}">{escape(year)}</a></td>'
        f'<td><a href="{escape(region.get_absolute_url())}">{escape(region.name)}</a></td>'
        f"<td>{pavilion}</td><td>{label}</td>\n"
        f'        <td class="num">{value}{flagged}</td>\n'
        f'        <td class="long">{quote}</td></tr>\n    '
    )
