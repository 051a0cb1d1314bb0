"""Figures and bilingual text in the page's language.

{% count value approximate %}, {% money value "USD" approximate %}: a figure, or "not reported";
{% localized obj "summary" %}: `summary_ko` or `summary_en` as the page reads, else the other;
{% other_name obj %}: the name in the other language, marked with its `lang`.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from cesdash.formatting import format_count, format_money
from cesdash.pages import figure_url
from cesdash.totals import MARKS, figure_marks
from delegations.bilingual import language_order, localized

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


@register.filter
def minutes(duration):
    """A timedelta in whole minutes (the login lockout's 15)."""
    return int(duration.total_seconds() // 60) if duration else 0


@register.simple_tag
def total(total):
    """A city's total as every table and card shows it: the figure linked to the row of its
    source, its marks, the source's own conversion and, for a sum, what was added up; or "not
    reported". Built here rather than in an included template: a page with charts shows
    hundreds of them."""
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
        mark_tags(total.marks),
    )
    if total.converted_display:
        html += format_html(' <span class="converted">({})</span>', total.converted_display)
    if total.is_sum:
        html += format_html(' <span class="scope-parts">= {}</span>', total.scope_display)
    return html


def mark_tags(marks):
    return format_html_join(
        "", '<sup class="mark" title="{}">{}</sup>', ((meaning, mark) for mark, meaning in marks)
    )
