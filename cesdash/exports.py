"""Table pages and their exports: one code path for every table.

`table_page()` answers a table's URL: it reads the filters, the sort and the page from the query
string (whose whole state a link keeps), and shows the page or, for `?_export=csv|xlsx|json`,
downloads the whole filtered and sorted result. Malformed input gives a page with a message or a
400, never a 500.

Exports read the table's own queryset in batches, so a large export keeps a flat memory profile
and CSV and JSON start sending at once; they carry raw values (`value_<column>` methods) rather
than the formatted HTML cells, and every column of the table, hidden export-only ones included.

Text cells that a spreadsheet would read as a formula (starting with =, +, -, @, tab or carriage
return) are prefixed with an apostrophe in CSV and XLSX, as OWASP recommends; numbers stay
numbers. JSON is not opened by spreadsheets and carries the text as it is.
"""

import csv
import inspect
import io
import json
import tempfile
from datetime import date, datetime
from decimal import Decimal
from itertools import islice

from django.core.exceptions import FieldError
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db import models
from django.db.models import Case, F, Value, When
from django.db.models.functions import Coalesce, Concat, NullIf, Substr
from django.db.models.lookups import In
from django.db.models.query import ModelIterable
from django.http import FileResponse, HttpResponseBadRequest, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tables2 import Column
from django_tables2.rows import BoundRow
from django_tables2.utils import Accessor, OrderBy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from delegations.bilingual import language_order, localized

CSV, XLSX, JSON = "csv", "xlsx", "json"
FORMATS = (CSV, XLSX, JSON)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    JSON: "application/json; charset=utf-8",
}
BATCH_SIZE = 2000
# An XLSX file is built whole before it is sent (about 3 s for 10,000 rows): larger ones are
# refused, well inside the app server's worker timeout; CSV and JSON stream any size.
XLSX_MAX_ROWS = 20_000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

PER_PAGE = 50
PER_PAGE_CHOICES = (25, 50, 100, 200)
MAX_PER_PAGE = PER_PAGE_CHOICES[-1]


# ------------------------------------------------------------------------------------ cells


def neutralise(value):
    """Make a text cell safe to open in a spreadsheet; leave numbers alone."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_cell(value):
    """A CSV cell: booleans as TRUE and FALSE, which spreadsheets read as booleans."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return neutralise(value)


def raw(value):
    """A raw cell value: None stays empty, numbers stay numbers, everything else is text."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, date | datetime):
        return value.isoformat()
    return force_str(value)


def plain(value):
    """A raw cell value made safe for a spreadsheet."""
    return neutralise(raw(value))


# ---------------------------------------------------------------------------------- columns


def export_columns(table):
    """Every column but links and buttons, the hidden export-only ones (both names) included."""
    return [column for column in table.columns.iterall() if not column.column.exclude_from_export]


def headers(table):
    return [force_str(column.header) for column in export_columns(table)]


def keys(table):
    """The columns' names: JSON keys that stay the same whatever the language."""
    return [column.name for column in export_columns(table)]


def value_rows(table):
    """Yield the table's rows, in its order, as lists of raw values, in batches of records."""
    if (expressions := database_values(table)) is not None:
        for batch in database_batches(table, expressions):
            yield [list(row) for row in batch]
        return
    getters = [cell_getter(table, column) for column in export_columns(table)]
    prepare = getattr(table, "prepare_records", None)  # cells read for a batch at a time
    for batch in record_batches(table.data.data):
        if prepare:
            prepare(batch)
        yield [[get(record) for get in getters] for record in batch]


def database_batches(table, expressions):
    rows = table.data.data.values_list(*expressions).iterator(chunk_size=BATCH_SIZE)
    while batch := list(islice(rows, BATCH_SIZE)):
        yield batch


def database_values(table, neutralised=False):
    """The export's columns as database expressions, where each is a field, an annotation or a
    bilingual name (`NameColumn`) exported as it is: then an export reads tuples instead of
    building a model instance a row, which made it 50 times slower than the database's own
    dump. None where a column needs Python (a `value_` or `render_` method, choices, a column
    class of its own) or the table reads more for each batch (`prepare_records`).

    With `neutralised`, text cells come as a spreadsheet may open them (`neutralise`), done by
    the database too, so a CSV row goes from the cursor to the writer untouched."""
    if getattr(table, "prepare_records", None):
        return None
    model = getattr(table.data, "model", None)
    first, second = language_order()
    expressions = []
    for bound_column in export_columns(table):
        column, name = bound_column.column, bound_column.name
        if hasattr(table, f"value_{name}") or hasattr(table, f"render_{name}"):
            return None
        prefix = getattr(column, "prefix", None)
        if prefix and type(column).__name__ == "NameColumn":
            name = Coalesce(blank_as_null(f"{prefix}_{first}"), blank_as_null(f"{prefix}_{second}"))
            expressions.append(safe_text(name) if neutralised else name)
            continue
        if type(column) is not Column or column.empty_values != Column.empty_values:
            return None
        path = str(bound_column.accessor).replace(Accessor.LEGACY_SEPARATOR, "__")
        field = Accessor(path).get_field(model)
        if field is None or field.choices or getattr(field, "is_relation", False):
            return None
        if isinstance(field, models.BooleanField):  # TRUE and FALSE in CSV: Python's job
            return None
        if isinstance(field, models.CharField | models.TextField):
            text = blank_as_null(path)
            expressions.append(safe_text(text) if neutralised else text)
        else:
            expressions.append(F(path))
    return expressions


def safe_text(expression):
    """`neutralise` in SQL: an apostrophe before text a spreadsheet would read as a formula."""
    return Case(
        When(
            In(Substr(expression, 1, 1), list(FORMULA_STARTS)),
            then=Concat(Value("'"), expression, output_field=models.TextField()),
        ),
        default=expression,
        output_field=models.TextField(),
    )


def blank_as_null(path):
    """A text field, NULL where blank: an empty cell, as the slow path exports it."""
    return NullIf(F(path), Value(""), output_field=models.TextField())


CELL_ARGUMENTS = frozenset({"value", "record", "column", "bound_column", "bound_row", "table"})


def accepted_arguments(function):
    parameters = inspect.signature(function).parameters.values()
    if any(parameter.kind is parameter.VAR_KEYWORD for parameter in parameters):
        return CELL_ARGUMENTS
    return CELL_ARGUMENTS & {parameter.name for parameter in parameters}


def resolver(table, accessor):
    """record -> the accessor's value, as django-tables2 reads it (choices as their label)."""
    parts = accessor.split(Accessor.SEPARATOR) if accessor else []
    field = Accessor(accessor).get_field(getattr(table.data, "model", None))
    label = bool(parts and field is not None and field.name == parts[-1] and field.choices)

    def resolve(record):
        if isinstance(record, dict):  # a row of values(): flat, raw values
            return record.get(accessor)
        value = record
        for part in parts[:-1] if label else parts:
            value = getattr(value, part, None)
            if value is None:
                return None
            if callable(value) and not getattr(value, "do_not_call_in_templates", False):
                value = value()
        if label:
            return getattr(value, f"get_{parts[-1]}_display")()
        return value

    return resolve


def cell_getter(table, bound_column):
    """record -> the export value of one column: `value_<column>`, else `render_<column>`, else
    the column's `value()`, as django-tables2 would call them (`BoundRow.get_cell_value`).

    Built once per column: django-tables2 inspects the method's signature again for every cell,
    which makes up most of the time of a large export."""
    column = bound_column.column
    function = bound_column.value
    if getattr(function, "__func__", None) is Column.value:
        function = column.render  # what Column.value does
        if getattr(function, "__func__", None) is Column.render:
            function = None  # which returns the value as it is
    arguments = accepted_arguments(function) if function else frozenset()
    resolve = resolver(table, bound_column.accessor)
    empty = column.empty_values

    def get(record):
        value = resolve(record)
        if value in empty:
            return None
        if function is None:
            return value
        context = {"value": value, "record": record, "column": column, "table": table}
        context["bound_column"] = bound_column
        if "bound_row" in arguments:
            context["bound_row"] = BoundRow(record, table=table)
        return function(**{name: context[name] for name in arguments})

    return get


def record_batches(queryset):
    batch = []
    for record in queryset.iterator(chunk_size=BATCH_SIZE):
        batch.append(record)
        if len(batch) >= BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


# ---------------------------------------------------------------------------------- formats


def csv_chunks(table, language):
    """CSV text, one chunk a batch, with a BOM so Excel reads the Korean names."""
    with translation.override(language):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        buffer.write("\ufeff")
        writer.writerow([neutralise(h) for h in headers(table)])
        if (expressions := database_values(table, neutralised=True)) is not None:
            batches = database_batches(table, expressions)  # rows as they are to be written
        else:
            batches = ([[csv_cell(v) for v in row] for row in b] for b in value_rows(table))
        for batch in batches:
            writer.writerows(batch)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        if buffer.tell():  # the header of an empty table
            yield buffer.getvalue()


def json_chunks(table, language):
    """A JSON list of objects keyed by the column names (the same in every language; names and
    labels in the values follow `language`), one chunk a batch."""
    with translation.override(language):
        names = keys(table)
        yield "["
        separator = "\n"
        for batch in value_rows(table):
            objects = [
                json.dumps(dict(zip(names, map(raw, row), strict=True)), ensure_ascii=False)
                for row in batch
            ]
            yield separator + ",\n".join(objects)
            separator = ",\n"
        yield "\n]\n"


XLSX_FORMATS = {int: "#,##0", float: "#,##0.##", date: "yyyy-mm-dd"}


def xlsx_cell(sheet, value):
    """A cell of the rows sheet: numbers and dates as such, with a format that shows them whole
    (140,000,000, not 1.4E+08), text made safe for a spreadsheet."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).replace(tzinfo=None) if value.tzinfo else value
    elif not isinstance(value, date):
        value = plain(value)
    if isinstance(value, str):
        # Control characters are not allowed in the file format; tab and CR are.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value)
    if not isinstance(value, bool):
        kind = date if isinstance(value, date) else type(value)
        if kind in XLSX_FORMATS:
            cell.number_format = XLSX_FORMATS[kind]
    return cell


def xlsx_width(text):
    """A column width that fits its header: Korean characters take two places."""
    places = sum(2 if ord(character) > 0x1100 else 1 for character in text)
    return min(max(places + 2, 10), 40)


def xlsx_file(table, about):
    """The table in a temporary XLSX file (rows in the first sheet, `about` in the second): the
    header row frozen, with filter buttons, and columns as wide as their headers."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(xlsx_title(about[0][1]))
    titles = headers(table)
    for number, title in enumerate(titles, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = xlsx_width(title)
    sheet.freeze_panes = "A2"
    sheet.append([xlsx_cell(sheet, title) for title in titles])
    rows = 0
    for batch in value_rows(table):
        for row in batch:
            sheet.append([xlsx_cell(sheet, value) for value in row])
        rows += len(batch)
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(titles), 1))}{rows + 1}"
    notes = workbook.create_sheet(xlsx_title(_("About this export")))
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 100
    for label, text in [*about[:1], (_("Rows"), rows), *about[1:]]:
        notes.append([xlsx_cell(notes, force_str(label)), xlsx_cell(notes, text)])
    # FileResponse closes the file once it is sent, and a TemporaryFile is then deleted.
    file = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(file)
    file.seek(0)
    return file


def xlsx_title(text):
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    text = force_str(text)
    for character in "[]:*?/\\":
        text = text.replace(character, " ")
    return text[:31] or "Sheet"


# ------------------------------------------------------------------------------ description


def describe_sort(table):
    parts = []
    for alias in table.order_by or ():
        order = OrderBy(alias)
        column = table.columns[order.bare]
        direction = _("descending") if order.is_descending else _("ascending")
        parts.append(f"{column.header} ({direction})")
    return ", ".join(parts)


def describe_export(table, title, filters):
    """What the XLSX's second sheet says: table, filters, sort, time, units, sources."""
    about = [
        (_("Table"), force_str(title)),
        (
            _("Filters"),
            "; ".join(f"{label}: {shown}" for _name, label, _raw, shown in filters)
            or _("none: every row"),
        ),
        (_("Sort"), describe_sort(table)),
        (_("Generated at"), timezone.localtime().isoformat(timespec="seconds")),
        (_("Units"), force_str(getattr(table, "export_units", ""))),
        (_("Empty cells"), _("An empty cell means that no source reports the figure, not zero.")),
    ]
    sources = getattr(table, "export_sources", None)
    for source in sources() if sources else ():
        when = (
            date_format(source.published_on)
            if source.published_on
            else localized(source, "date_note")
        )
        details = " · ".join(part for part in (source.publisher, when, source.url) if part)
        about.append((_("Source"), f"{source.title} ({details})" if details else source.title))
    return about


def export_filename(name, filters, extension):
    """'contracts_year-2024_city-daegu_2026-11-22.csv': the table, its filters and the date."""
    parts = [name]
    for key, value in filters:
        if value not in (None, ""):
            parts.append(f"{key}-{slugify(str(value), allow_unicode=True)[:40]}")
    parts.append(timezone.localdate().isoformat())
    return "_".join(parts) + f".{extension}"


# -------------------------------------------------------------------------------- responses


def bad_request(message):
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def export_response(request, table, name, *, fmt=None, title="", filters=()):
    """Answer `?_export=<format>` for `table`; a format we do not offer is a 400, not a surprise.

    `filters` are the filters in use as (name, label, raw value, shown value).
    """
    if fmt is None:
        fmt = request.GET.get("_export", "")
    if fmt not in FORMATS:
        return bad_request(
            _("Unknown export format %(format)s. Available: %(formats)s.")
            % {"format": repr(fmt[:20]), "formats": ", ".join(FORMATS)}
        )
    filename = export_filename(name, [(key, raw_value) for key, _l, raw_value, _s in filters], fmt)
    if fmt == XLSX:
        rows = table.data.data.count()
        if rows > XLSX_MAX_ROWS:
            return bad_request(
                _(
                    "An XLSX download holds at most %(limit)s rows, and %(rows)s match. "
                    "Filter the table, or download CSV, which has no limit."
                )
                % {"limit": f"{XLSX_MAX_ROWS:,}", "rows": f"{rows:,}"}
            )
        about = describe_export(table, title or name, filters)
        return FileResponse(
            xlsx_file(table, about),
            as_attachment=True,
            filename=filename,
            content_type=CONTENT_TYPES[XLSX],
        )
    chunks = csv_chunks if fmt == CSV else json_chunks
    response = StreamingHttpResponse(
        chunks(table, translation.get_language()), content_type=CONTENT_TYPES[fmt]
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def without_nul(querydict):
    """The query string without NUL characters, which PostgreSQL refuses in a query."""
    cleaned = QueryDict(mutable=True)
    for key, values in querydict.lists():
        cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
    return cleaned


def bounded_int(text, default, maximum):
    """A whole number from 1 to `maximum` from the query string, or `default` when it is not."""
    try:
        number = int(text)
    except (TypeError, ValueError):
        return default
    if number < 1:
        return default
    return min(number, maximum)


def sorted_by(request):
    """The columns `?sort=` names, first first, without their direction, as `table_page` reads
    them (NUL bytes removed): for a view that reads what a sort needs (`?sort=-mous_recorded`
    on the pavilions) into the table's queryset."""
    return [OrderBy(alias).bare for alias in without_nul(request.GET).getlist("sort") if alias]


def sortable(table, alias):
    """Whether `?sort=` names a column the table's rows can be sorted by: anything else is
    ignored, never an error. A column sorts by fields the rows may carry only when asked
    for (`?sort=y2019&sort=y2024`: the participation table reads one year's)."""
    name = OrderBy(alias).bare if alias else ""
    if not (name and name in table.columns and table.columns[name].orderable):
        return False
    rows = table.data.data
    try:
        if isinstance(rows, models.QuerySet):
            rows.order_by(*(a.for_queryset() for a in table.columns[name].order_by))
    except FieldError:
        return False
    return True


class EmptyText(Value):
    """'' written into the SQL itself rather than passed as a parameter: SQLite uses an index
    on `NULLIF(name, '')` for an order only when the order writes the expression the same."""

    def __init__(self):
        super().__init__("")

    def as_sql(self, compiler, connection):
        return "''", []


def nulls_last(queryset):
    """The same order with empty cells last in both directions, as on PostgreSQL and SQLite
    alike (their defaults differ), so a page and its export read the same on both. Blank text
    is an empty cell too: it sorts with NULL, not before "A". Rows that tie are in the order of
    their key, so that a page is the same each time it is read, and paging through a tie
    neither repeats nor skips a row."""
    ordering = []
    for field in queryset.query.order_by:
        if isinstance(field, str) and field.lstrip("-") not in ("?", ""):
            name = field.lstrip("-")
            expression = F(name)
            model_field = Accessor(name).get_field(queryset.model)
            if isinstance(model_field, models.CharField | models.TextField):
                expression = NullIf(expression, EmptyText())
            descending = field.startswith("-")
            ordering.append(getattr(expression, "desc" if descending else "asc")(nulls_last=True))
        else:
            ordering.append(field)
    if ordering and queryset._iterable_class is ModelIterable:
        # The way the last key runs: an index that gives the order (its entries end with the
        # key) then gives the ties' order too.
        last = ordering[-1]
        ordering.append(F("pk").desc() if getattr(last, "descending", False) else F("pk").asc())
    return queryset.order_by(*ordering)


def table_page(
    request,
    *,
    table_class,
    queryset,
    filterset_class,
    name,
    title,
    lede="",
    table_kwargs=None,
    summary=None,
    template="tables/list.html",
):
    """A filtered, sorted, paginated table page, or its export: the state is in the URL.

    `queryset` is the table's read: one documented QuerySet method (`for_<name>_table()`).
    `summary`, given the filtered queryset, returns what the page shows above the table (e.g.
    the contracts' totals). Invalid filters show their messages with an empty table (status
    400); an export with invalid filters is refused rather than given unfiltered.
    """
    params = without_nul(request.GET)
    filterset = filterset_class(params, queryset=queryset, request=request)
    valid = filterset.is_valid()
    rows = filterset.qs if valid else queryset.none()
    # Not `request=`: that hands the query string to django-tables2's own paging, which fails
    # on `?per_page=-1` and has no cap.
    table = table_class(rows, **(table_kwargs or {}))
    table.request = request
    if valid and not filterset.described():
        table.no_filter_in_use()
    if order := [
        alias for alias in params.getlist(table.prefixed_order_by_field) if sortable(table, alias)
    ]:
        table.order_by = order
    table.data.data = nulls_last(table.data.data)

    if "_export" in params:
        if not valid:
            messages = [f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()]
            return bad_request(
                _("The filters are not valid, so nothing was exported.")
                + "\n"
                + "\n".join(messages)
            )
        return export_response(
            request, table, name, fmt=params["_export"], title=title, filters=filterset.described()
        )

    per_page = bounded_int(params.get(table.prefixed_per_page_field), PER_PAGE, MAX_PER_PAGE)
    page = bounded_int(params.get(table.prefixed_page_field), 1, 10**9)
    try:
        table.paginate(per_page=per_page, page=page)
    except (EmptyPage, PageNotAnInteger):
        table.paginate(per_page=per_page, page=table.paginator.num_pages)

    context = {
        "table": table,
        "filter": filterset,
        "title": title,
        "lede": lede,
        "per_page": per_page,
        "per_page_choices": PER_PAGE_CHOICES,
        "sort": list(table.order_by or ()),
        "formats": FORMATS,
        "xlsx_max_rows": XLSX_MAX_ROWS,
        "summary": summary(rows) if summary and valid else None,
    }
    return render(request, template, context, status=200 if valid else 400)
