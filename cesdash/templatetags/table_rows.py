"""`{% table_rows table %}`: the rows of a django-tables2 table, as its own template writes them.

django-tables2's template renders every cell through the template engine: a loop, the column's
attributes worked out again for each cell and a filter per value. At 50 rows of a dozen columns
that is most of a table page's time, so the rows are written here in Python instead, the same
markup (tests/test_rendering.py compares the two), with each column's cell attributes computed
once when they do not depend on the row, and how its cells are worked out decided once (`Cell`).
"""

from django import template
from django.db import models
from django.template import Context, Template
from django.utils.formats import localize
from django.utils.hashable import make_hashable
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django_tables2 import utils
from django_tables2.columns import ManyToManyColumn, TemplateColumn

from cesdash.escaping import escaped, in_context
from cesdash.exports import CELL_ARGUMENTS

register = template.Library()
# What a model's get_<field>_display() is unless the model writes its own.
DJANGO_DISPLAY = models.Model._get_FIELD_display


def depends_on_row(attrs):
    return any(callable(value) for value in attrs.values())


def cell_attrs(table, bound_column):
    """The `<td>` attributes of a column, or None when they must be worked out for each row
    (an attribute given as a function of the record)."""
    column_attrs = {**table.attrs, **bound_column.column.attrs}
    if depends_on_row(column_attrs.get("td", column_attrs.get("cell", {}))):
        return None
    return bound_column.attrs["td"].as_html()


def cell_text(localized, cell, context):
    """How django-tables2's template writes a cell: `{{ cell }}`, or localized as the
    column says (`localize`, `unlocalize`) when it says."""
    if localized is None:
        return in_context(cell, context)
    return in_context(localize(cell, use_l10n=localized), context)


def row_attrs(table):
    """row -> its `<tr>` attributes: `row.attrs.as_html()`, written directly where the table
    gives rows no attributes of their own (then they are only `class="even"` or `"odd"`)."""
    if table.row_attrs:
        return lambda row: row.attrs.as_html()
    return lambda row: f'class="{row.get_even_odd_css_class()}"'


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
        self.choices = False
        self.labels = {}
        if self.template_code_rendered():
            self.template = Template(self.column.template_code)
            self.render = self.render_template
        # A link with no attributes of its own: `<a href="...">`, written without
        # LinkTransform's dictionaries of attributes worked out for each cell.
        self.plain_link = bool(self.link) and not self.link.attrs
        self.url_arguments = None  # compose_url's own way
        if self.plain_link and callable(self.link.url):
            arguments, catch_all = utils.signature(self.link.url)
            self.url_arguments = CELL_ARGUMENTS if catch_all else arguments

    def template_code_rendered(self):
        """Whether the cells are TemplateColumn's rendering of its `template_code` (DateColumn
        is one), which parses the template again for every cell."""
        return (
            isinstance(self.column, TemplateColumn)
            and getattr(self.render, "__func__", None) is TemplateColumn.render
            and getattr(self.render, "__self__", None) is self.column
            and bool(self.column.template_code)
        )

    def render_template(self, record, table, value, bound_column, **kwargs):
        """`TemplateColumn.render`, with its template parsed once for the page."""
        parent_context = getattr(table, "context", Context())
        context = self.column.get_context_data(
            record=record, table=table, value=value, bound_column=bound_column, **kwargs
        )
        with parent_context.update(context):
            parent_context["request"] = getattr(table, "request", None)
            return self.template.render(parent_context)

    def has_choices(self, record):
        """Whether the value is a model field with choices, which get_cell shows by its label."""
        model = type(record) if isinstance(record, models.Model) else None
        return bool(getattr(self.accessor.get_field(model), "choices", None))

    def resolve(self, record):
        """The value, a field with choices by its label (`get_<field>_display()`), as
        `BoundRow._get_and_render_with` reads it."""
        if self.choices:
            penultimate, remainder = self.accessor.penultimate(record)
            if isinstance(penultimate, models.Model):
                display = getattr(penultimate, f"get_{remainder}_display", None)
                if display:
                    return self.label(display)
        return self.accessor.resolve(record)

    def label(self, display):
        """`display()`, a `get_<field>_display` of the record's, remembered for each value
        where it is Django's own (which reads the field's choices again for every cell)."""
        if getattr(getattr(display, "func", None), "__func__", None) is not DJANGO_DISPLAY:
            return display()
        field = display.keywords["field"]
        key = (field, make_hashable(getattr(display.func.__self__, field.attname)))
        if key not in self.labels:
            self.labels[key] = display()
        return self.labels[key]

    def linked(self, content, given):
        if not self.plain_link:
            return self.link(content, **given)
        if self.url_arguments is None:
            href = self.link.compose_url(**given)
        elif all(argument in given for argument in self.url_arguments):
            href = self.link.url(**{argument: given[argument] for argument in self.url_arguments})
        else:
            href = None  # what call_with_appropriate gives
        if href is None:
            return content
        return mark_safe(f'<a href="{escaped(href)}">{escaped(content)}</a>')

    def __call__(self, row):
        record = row.record
        if self.direct and not self.checked_choices:
            self.choices, self.checked_choices = self.has_choices(record), True
        if not self.direct:
            return row.get_cell(self.name)
        try:
            value = self.resolve(record)
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
        return self.linked(content, given) if self.link else content


@register.simple_tag(takes_context=True)
def table_rows(context, table):
    columns = [
        (column, Cell(table, column), cell_attrs(table, column), column.localize)
        for column in table.columns
    ]
    tr_attrs = row_attrs(table)
    lines = []
    for row in table.paginated_rows:
        lines.append(f"<tr {tr_attrs(row)}>")
        for column, get_cell, attrs, localized in columns:
            cell = get_cell(row)
            if attrs is None:
                column.current_value, column.current_record = cell, row.record
                td = column.attrs["td"].as_html()
            else:
                td = attrs
            lines.append(f"<td {td}>{cell_text(localized, cell, context)}</td>")
        lines.append("</tr>")
    if not lines and table.empty_text:
        lines.append(
            format_html('<tr><td colspan="{}">{}</td></tr>', len(table.columns), table.empty_text)
        )
    return mark_safe("\n".join(lines))
