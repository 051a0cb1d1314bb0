"""Figures and bilingual text in the page's language.

{% count value approximate %}, {% money value "USD" approximate %}: a figure, or "not reported";
{% localized obj "summary" %}: `summary_ko` or `summary_en` as the page reads, else the other;
{% other_name obj %}: the name in the other language, marked with its `lang`.
"""

from django import template
from django.utils.html import format_html

from cesdash.formatting import format_count, format_money
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
