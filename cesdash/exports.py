"""Exports of a django-tables2 table: exactly the rows and columns the user is looking at.

One piece of code serves every table. It reads the table's own (filtered, sorted) queryset in
batches, so a large export keeps a flat memory profile and starts sending at once, and it gives
raw values (`value_<column>` methods) rather than the formatted HTML cells.

Text cells that a spreadsheet would read as a formula (starting with =, +, -, @, tab or carriage
return) are prefixed with an apostrophe, as OWASP recommends; numbers stay numbers.
"""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.http import content_disposition_header
from django.utils.text import slugify

CSV = "csv"
FORMATS = (CSV,)
BATCH_SIZE = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make a text cell safe to open in a spreadsheet; leave numbers alone."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def plain(value):
    """A raw cell value: None stays empty, numbers stay numbers, everything else is text."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, date | datetime):
        return value.isoformat()
    return neutralise(force_str(value))


def export_columns(table):
    return [column for column in table.columns if not column.column.exclude_from_export]


def header_row(table):
    return [neutralise(force_str(column.header)) for column in export_columns(table)]


def value_rows(table):
    """Yield the table's rows as lists of raw values, reading the queryset in batches."""
    table_class = type(table)
    queryset = table.data.data
    names = [column.name for column in export_columns(table)]
    batch = []
    for record in queryset.iterator(chunk_size=BATCH_SIZE):
        batch.append(record)
        if len(batch) == BATCH_SIZE:
            yield from _batch_values(table_class, batch, names, table)
            batch = []
    if batch:
        yield from _batch_values(table_class, batch, names, table)


def _batch_values(table_class, records, names, template):
    part = table_class(records, request=template.request, exclude=template.exclude)
    for row in part.rows:
        yield [plain(row.get_cell_value(name)) for name in names]


def csv_chunks(table, language):
    """CSV text in chunks of BATCH_SIZE rows, with a BOM so Excel reads the Korean names."""
    with translation.override(language):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        buffer.write("\ufeff")
        writer.writerow(header_row(table))
        for count, row in enumerate(value_rows(table), start=1):
            writer.writerow(row)
            if count % BATCH_SIZE == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()


def export_filename(name, filters, extension):
    """'pavilions_year-2024_city-daegu_2026-11-22.csv': the table, its filters and the date."""
    parts = [name]
    for key, value in filters:
        if value not in (None, ""):
            parts.append(f"{key}-{slugify(str(value), allow_unicode=True)}")
    parts.append(timezone.localdate().isoformat())
    return "_".join(parts) + f".{extension}"


def export_response(request, table, name, filters=()):
    """Answer `?_export=<format>` for `table`; an unknown format is a 400, not a surprise."""
    fmt = request.GET.get("_export", "")
    if fmt not in FORMATS:
        return HttpResponseBadRequest(
            f"Unknown export format {fmt[:20]!r}. Available: {', '.join(FORMATS)}.",
            content_type="text/plain; charset=utf-8",
        )
    language = translation.get_language()
    filename = export_filename(name, filters, fmt)
    response = StreamingHttpResponse(
        csv_chunks(table, language), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
