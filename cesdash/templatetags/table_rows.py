"""`{% table_rows table %}`: the rows of a django-tables2 table, as its own template writes them.

django-tables2's template renders every cell through the template engine: a loop, the column's
attributes worked out again for each cell and a filter per value. At 50 rows of a dozen columns
that is most of a table page's time, so the rows are written here in Python instead, the same
markup (tests/test_tables.py compares the two), with each column's cell attributes computed once
when they do not depend on the row.
"""

from django import template
from django.template.base import render_value_in_context
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


def depends_on_row(attrs):
    return any(callable(value) for value in attrs.values())


def cell_attrs(table, bound_column):
    """The `<td>` attributes of a column, or None when they must be worked out for each row
    (an attribute given as a function of the record)."""
    column_attrs = {**table.attrs, **bound_column.column.attrs}
    if depends_on_row(column_attrs.get("td", column_attrs.get("cell", {}))):
        return None
    return bound_column.attrs["td"].as_html()


def cell_text(bound_column, cell, context):
    if bound_column.localize is None:
        return render_value_in_context(cell, context)
    return render_value_in_context(localize(cell, use_l10n=bound_column.localize), context)


@register.simple_tag(takes_context=True)
def table_rows(context, table):
    columns = [(column, cell_attrs(table, column)) for column in table.columns]
    lines = []
    for row in table.paginated_rows:
        lines.append(f"<tr {row.attrs.as_html()}>")
        for column, attrs in columns:
            cell = row.get_cell(column.name)
            if attrs is None:
                column.current_value, column.current_record = cell, row.record
                td = column.attrs["td"].as_html()
            else:
                td = attrs
            lines.append(f"<td {td}>{cell_text(column, cell, context)}</td>")
        lines.append("</tr>")
    if not lines and table.empty_text:
        lines.append(
            format_html('<tr><td colspan="{}">{}</td></tr>', len(table.columns), table.empty_text)
        )
    return mark_safe("\n".join(lines))
