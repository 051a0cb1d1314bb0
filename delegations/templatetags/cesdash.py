"""Figures in the page's language: {% count value approximate %}, {% money value "USD" %}."""

from django import template

from cesdash.formatting import format_count, format_money, localized

register = template.Library()


@register.simple_tag
def count(value, approximate=False):
    return format_count(value, approximate)


@register.simple_tag
def money(value, currency, approximate=False):
    return format_money(value, currency, approximate)


@register.simple_tag(name="localized")
def localized_tag(obj, field):
    """{% localized source "date_note" %}: the Korean or English text, as the page reads."""
    return localized(obj, field)
