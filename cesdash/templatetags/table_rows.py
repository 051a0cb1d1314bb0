"""`{% table_rows table %}`: the rows of a django-tables2 table, as its own template writes them.

django-tables2's template renders every cell through the template engine: a loop, the column's
attributes worked out again for each cell and a filter per value. At 50 rows of a dozen columns
that is most of a table page's time, so the rows are written here in Python instead, the same
markup (tests/test_rendering.py compares the two), with each column's cell attributes computed
once when they do not depend on the row, and how its cells are worked out decided once (`Cell`).
"""

from django import template
from django.db import models
from django.template.base import render_value_in_context
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django_tables2 import utils
from django_tables2.columns import ManyToManyColumn

from cesdash.exports import CELL_ARGUMENTS

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


class Cell:
    """How one column's cells are worked out, decided once for the page rather than for each
    cell: what `BoundRow.get_cell` does (resolve the accessor, the column's default for an
    empty value, its render function with the arguments it asks for, the link), without
    looking up again, for each cell, the accessor, the render function's signature and whether
    the value is a field with choices. A column that needs django-tables2's other paths (a
    field with choices shown by its label, a many-to-many column, a render function asking
    for arguments a cell does not give) gets its cells from `get_cell` itself."""

    def __init__(self, table, bound_column):
        self.name = bound_column.name
        self.bound_column = bound_column
        self.column = bound_column.column
        self.accessor = utils.Accessor(bound_column.accessor)
        self.empty_values = self.column.empty_values
        self.default = bound_column.default
        self.render = bound_column.render
        self.link = bound_column.link
        self.table = table
        arguments, catch_all = utils.signature(self.render)
        self.arguments = CELL_ARGUMENTS if catch_all else arguments
        self.direct = (
            bool(self.accessor)
            and not isinstance(self.column, ManyToManyColumn)
            and all(argument in CELL_ARGUMENTS for argument in arguments)
        )
        self.checked_choices = False

    def has_choices(self, record):
        """Whether the value is a model field with choices, which get_cell shows by its label."""
        model = type(record) if isinstance(record, models.Model) else None
        return bool(getattr(self.accessor.get_field(model), "choices", None))

    def __call__(self, row):
        record = row.record
        if self.direct and not self.checked_choices:
            self.direct, self.checked_choices = not self.has_choices(record), True
        if not self.direct:
            return row.get_cell(self.name)
        try:
            value = self.accessor.resolve(record)
        except Exception:
            return row.get_cell(self.name)  # its own handling of a failed lookup
        if value in self.empty_values:
            return self.default
        given = {
            "value": value,
            "record": record,
            "column": self.column,
            "bound_column": self.bound_column,
            "bound_row": row,
            "table": self.table,
        }
        content = self.render(**{argument: given[argument] for argument in self.arguments})
        return self.link(content, **given) if self.link else content


@register.simple_tag(takes_context=True)
def table_rows(context, table):
    columns = [(column, Cell(table, column), cell_attrs(table, column)) for column in table.columns]
    lines = []
    for row in table.paginated_rows:
        lines.append(f"<tr {row.attrs.as_html()}>")
        for column, get_cell, attrs in columns:
            cell = get_cell(row)
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
