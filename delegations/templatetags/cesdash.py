"""Figures in the page's language: {% count value approximate %}, {% money value "USD" %}."""

from django import template

from cesdash.formatting import format_count, format_money

register = template.Library()


@register.simple_tag
def count(value, approximate=False):
    return format_count(value, approximate)


@register.simple_tag
def money(value, currency, approximate=False):
    return format_money(value, currency, approximate)
