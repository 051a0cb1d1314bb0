"""HTML escaping for the markup written in Python (`{% table_rows %}`, the filters' `<select>`).

Django's `conditional_escape` goes through `keep_lazy` and `SafeString` for every value: at
thousands of cells and options a page, a measurable part of it. Most values are plain `str`,
which it escapes exactly as `html.escape` does.
"""

import html

from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString


def escaped(text):
    """`conditional_escape(text)`, as a string."""
    if type(text) is str:
        return html.escape(text)
    return conditional_escape(text)


def in_context(value, context):
    """`render_value_in_context(value, context)`: the text of a value in a template."""
    kind = type(value)
    if kind is str:  # not localized or made local time: it is text already
        return html.escape(value) if context.autoescape else value
    if kind is SafeString:
        return value
    return render_value_in_context(value, context)
