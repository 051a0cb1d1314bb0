"""The rows of every table and the filters' <select>s are written in Python for speed
(cesdash/templatetags/table_rows.py, cesdash/forms.py): the markup must be exactly what
django-tables2's and Django's own templates write."""

import datetime
import re
from decimal import Decimal

import django_tables2
import pytest
from django import forms
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.forms.models import model_to_dict
from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.formats import number_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from cesdash import tables
from cesdash.escaping import escaped, in_context
from cesdash.filters import ListedChoiceFilter, TableFilterSet
from cesdash.formatting import group
from cesdash.forms import FormRenderer
from cesdash.templatetags.table_rows import Cell
from companies.models import Contract, Exhibit, InnovationAward
from delegations.models import Pavilion

TABLE_PAGES = [
    "/results/",
    "/results/?city=daegu&sort=-value",
    "/pavilions/",
    "/pavilions/?year=2019",
    "/companies/",
    "/exhibits/",
    "/exhibits/?year=2024&sort=company",
    "/contracts/",
    "/agreements/",
    "/awards/",
    "/participation/",
    "/participation/?city=nowhere",
    "/editions/2019/",
    "/cities/daegu/",
]


def subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from subclasses(subclass)


@pytest.fixture
def stock_table_template():
    """Switches every table to django-tables2's own template for the duration of a block."""
    classes = [tables.DataTable, *subclasses(tables.DataTable)]
    saved = {table: table._meta.template_name for table in classes}

    def switch(stock):
        for table in classes:
            table._meta.template_name = "django_tables2/table.html" if stock else saved[table]

    yield switch
    switch(False)


def normalised(response):
    # The two templates differ in the whitespace between tags only.
    return re.sub(r">\s+<", "><", response.content.decode()).strip()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ko", "en"])
def test_table_rows_are_written_as_django_tables2_writes_them(
    client, stock_table_template, language
):
    call_command("loaddata", "fixtures/ces_articles.json", verbosity=0)
    for url in TABLE_PAGES:
        ours = normalised(client.get(url, HTTP_ACCEPT_LANGUAGE=language))
        cache.clear()  # the page, not its cached copy
        stock_table_template(True)
        stock = normalised(client.get(url, HTTP_ACCEPT_LANGUAGE=language))
        stock_table_template(False)
        assert "<tbody" in ours, url
        assert ours == stock, url


class Picks(forms.Form):
    plain = forms.ChoiceField(choices=[("", "All"), ("a&b", "<A & B>"), (3, "Three")])
    grouped = forms.ChoiceField(
        choices=[("", "None"), ("Fruit", [("apple", "Apple"), ("pear", "Pear")]), ("x", "X")],
        widget=forms.Select(attrs={"class": "pick", "data-note": '"quoted"', "required": True}),
    )
    several = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two")], required=False)
    free = forms.CharField()


@pytest.mark.parametrize(
    "data", [{}, {"plain": "a&b", "grouped": "pear", "several": ["1", "2"], "free": "<x>"}]
)
def test_select_is_written_as_djangos_templates_write_it(data):
    ours = [str(field) for field in Picks(data or None, renderer=FormRenderer())]
    stock = [str(field) for field in Picks(data or None, renderer=DjangoTemplates())]
    assert ours == stock
    assert '<optgroup label="Fruit">' in ours[1]
    assert "&lt;A &amp; B&gt;" in ours[0]


def table_pages(client, url, pages, pattern):
    """Pages 1 to `pages` of the table at `url`, each read uncached: the row count it gives
    and what `pattern` finds in it."""
    shown = []
    for page in range(1, pages + 1):
        cache.clear()
        html = client.get(f"{url}&page={page}").content.decode()
        count = re.search(r'class="table-count">\s*([\d,]+)', html).group(1)
        shown.append((count, re.findall(pattern, html)))
    return shown


def plain_and_faster(monkeypatch, table, attribute, plain, *pages):
    """`table_pages(*pages)` read with `table.<attribute>` set to `plain` (the one sorted read
    of every row), then as the table reads them."""
    with monkeypatch.context() as patch:
        patch.setattr(table, attribute, plain)
        plain_pages = table_pages(*pages)
    return plain_pages, table_pages(*pages)


COMPANY_LINKS = r'href="/companies/([a-z]+(?:-\d+)?)/"'


@pytest.fixture
def exhibits_of_three_years(daegu, make_pavilion, make_company):
    """Exhibits at three CES, 3, 4 and 2 of them, under names that sort across the years."""
    for year, names in [(2019, "bdf"), (2022, "aceg"), (2024, "hi")]:
        pavilion = make_pavilion(year, daegu, f"대구관{year}", f"Daegu {year}", slug=f"d{year}")
        for name in names:
            company = make_company(f"{name}-{year}", f"{name}사", f"{name} Co", region=daegu)
            Exhibit.objects.create(
                company=company, edition=pavilion.edition, pavilion=pavilion,
                source=pavilion.source,
            )  # fmt: skip


@pytest.mark.parametrize("sort", ["", "&sort=year", "&sort=company", "&sort=-year&sort=-company"])
def test_rows_read_by_key_are_the_rows_of_the_plain_read(
    client, monkeypatch, exhibits_of_three_years, sort
):
    """Every page, across and at the boundaries of years, and past the last page."""
    url = f"/exhibits/?per_page=2{sort}"
    plain, by_key = plain_and_faster(
        monkeypatch, tables.ExhibitTable, "rows_by_key", False, client, url, 6, COMPANY_LINKS
    )
    assert by_key == plain
    assert {count for count, _rows in plain} == {"9"}
    rows = [rows for _count, rows in plain]
    assert sum(len(page) for page in rows[:5]) == 9
    assert rows[5] == rows[4]  # past the last page: the last page


FIGURE_CELLS = r'<td class="num">(.*?)</td>'


@pytest.mark.parametrize(
    "table, url, pattern",
    [
        (tables.ResultsTable, "/results/?per_page=2", FIGURE_CELLS),
        (
            tables.ResultsTable,
            "/results/?per_page=3&sort=-year&sort=-value",
            r"<td class=\"num\">(.*?)</td>",
        ),
        (tables.PavilionTable, "/pavilions/?per_page=1", r'href="(/editions/\d+/[a-z-]+/)"'),
    ],
)
def test_grouped_rows_read_a_ces_at_a_time_are_the_rows_of_the_plain_read(
    client, monkeypatch, world, table, url, pattern
):
    """The results table's totals and the pavilions' figures are groups of rows: counted a CES
    at a time, the pages hold the same rows as the plain read."""
    plain, by_key = plain_and_faster(
        monkeypatch, table, "rows_by_key", False, client, url, 8, pattern
    )
    assert by_key == plain
    assert len({tuple(rows) for _count, rows in plain}) > 2  # the pages differ


@pytest.mark.parametrize("language", ["ko", "en"])
def test_whole_numbers_are_grouped_as_django_groups_them(language):
    with translation.override(language):
        for value in [0, 7, 999, 1000, 23037, 188_180_000_000, -1234567]:
            assert group(value) == number_format(value, force_grouping=True)


def test_column_signatures_are_remembered_as_django_tables2_works_them_out():
    from django_tables2 import utils

    class Column:
        def render(self, value, record):
            return value

    def linkify(record, **rest):
        return record

    column = Column()
    for fn, expected in [
        (column.render, (("value", "record"), None)),
        (Column.render, (("self", "value", "record"), None)),  # the same function, unbound
        (linkify, (("record",), "rest")),
        (lambda: None, ((), None)),
    ]:
        assert utils.signature(fn) == expected
        assert utils.signature(fn) == expected  # remembered
    assert utils.call_with_appropriate(column.render, {"value": 3, "record": 4, "x": 5}) == 3


class EveryKindOfCell(django_tables2.Table):
    """Columns of every path django-tables2 takes to a cell."""

    plain = django_tables2.Column(accessor="key")
    choices = django_tables2.Column(accessor="currency")  # shown by its label
    through = django_tables2.Column(accessor="company__region__name_ko")
    maybe_none = django_tables2.Column(accessor="pavilion__name_ko", default="none")
    missing = django_tables2.Column(accessor="no_such_thing", default="gone")
    linked = django_tables2.Column(
        accessor="company__name_ko", linkify=lambda record: f"/contracts/{record.pk}/"
    )
    with_row = django_tables2.Column(accessor="key")
    catch_all = django_tables2.Column(accessor="amount")
    not_given = django_tables2.Column(accessor="key")
    empty = django_tables2.Column(accessor="counterparty_en", empty_values=("",), default="-")
    date = django_tables2.DateColumn(accessor="edition__starts_on", short=False)
    short_date = django_tables2.DateColumn(accessor="edition__ends_on")
    no_date = django_tables2.DateColumn(accessor="pavilion__edition__starts_on", default="?")
    formatted = django_tables2.DateColumn(accessor="edition__starts_on", format="Y/m/d")
    template = django_tables2.TemplateColumn(
        "{{ record.key }}<b>{{ value }}</b>{{ row_counter }}{{ default }}", accessor="amount"
    )
    templated = django_tables2.TemplateColumn("written", accessor="key")  # a render_ of its own
    choice_linked = django_tables2.Column(
        accessor="currency", linkify=lambda record: f"/?currency={record.currency}&x=<y>"
    )
    link_of_all = django_tables2.Column(
        accessor="key",
        linkify=lambda **cell: f"/{cell['table'].prefix}{cell['bound_row'].record.pk}/",
    )
    link_not_given = django_tables2.Column(accessor="key", linkify=lambda something_else: "/")
    no_link = django_tables2.Column(accessor="key", linkify=lambda record: None)
    link_with_attrs = django_tables2.Column(
        accessor="key",
        linkify=lambda record: f"/c/{record.pk}/",
        attrs={"a": {"class": "out", "title": lambda record: record.key}},
    )
    related_linked = django_tables2.Column(accessor="company", linkify=True)  # its page

    class Meta:
        model = Contract
        fields = []

    def render_with_row(self, value, bound_row):
        return f"{value} of row {bound_row.record.pk}"

    def render_catch_all(self, **kwargs):
        return f"{kwargs['value']}:{sorted(kwargs)}"

    def render_not_given(self, value, something_else):
        return "never called"

    def render_templated(self, value):
        return f"{value}!"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("own_label", [False, True])
def test_cells_are_what_django_tables2_gives(monkeypatch, language, own_label):
    """With `own_label`, the model writes its own label of a choice (get_<field>_display)."""
    call_command("loaddata", "fixtures/ces_articles.json", verbosity=0)
    if own_label:
        monkeypatch.setattr(
            Contract, "get_currency_display", lambda self: f"{self.currency} of {self.key}"
        )
    records = list(Contract.objects.select_related("company__region", "pavilion"))
    records[0].pavilion = Pavilion.objects.first()  # one through a relation, the others not
    assert len(records) > 1 and records[1].pavilion is None
    records[1].edition.starts_on = None  # a date not known
    table = EveryKindOfCell(records)
    with translation.override(language):
        table.context = Context({"default": "no"})  # as render_table gives TemplateColumn
        cells = [(Cell(table, column), column.name) for column in table.columns]
        shown = {}
        for row in table.rows:
            for cell, name in cells:
                assert cell(row) == row.get_cell(name), name
                shown.setdefault(name, []).append(str(row.get_cell(name)))
    # The paths taken: each kind of cell, as django-tables2 writes it.
    assert "?" in shown["no_date"]
    assert "—" in shown["date"] and len(set(shown["date"])) > 1  # the table's default
    assert any('<a class="out" title="' in cell for cell in shown["link_with_attrs"])
    assert any(cell.startswith('<a href="/companies/') for cell in shown["related_linked"])
    assert any(" of " in cell for cell in shown["choices"]) == own_label
    assert any("<b>" in cell for cell in shown["template"])


VALUES = [
    "plain",
    "<b>&\"'</b>",
    mark_safe("<b>safe</b>"),
    gettext_lazy("Year"),
    1234567,
    12.5,
    Decimal("1234.50"),
    datetime.date(2024, 1, 9),
    None,
    True,
]


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("autoescape", [True, False])
def test_text_is_escaped_as_the_template_engine_escapes_it(language, autoescape):
    context = Context(autoescape=autoescape)
    with translation.override(language):
        for value in VALUES:
            assert in_context(value, context) == render_value_in_context(value, context), value
            assert escaped(value) == conditional_escape(value), value
    assert escaped("<a&b>") == "&lt;a&amp;b&gt;"


@pytest.fixture
def companies_at_two_ces(daegu, make_pavilion, make_company):
    """Seven companies: four at CES 2024 with different records there (an award, a contract,
    two exhibits alone, one of these two without a Korean name), the others at CES 2019 only
    or nowhere, two of them under the same Korean name."""
    p19 = make_pavilion(2019, daegu, "대구관2019", "Daegu 2019", slug="d2019")
    p24 = make_pavilion(2024, daegu, "대구관2024", "Daegu 2024", slug="d2024")
    made = {}
    for slug, ko in [
        ("gamma", "다사"),
        ("alpha", ""),
        ("delta", "라사"),
        ("beta", "나사"),
        ("eta", "마사"),
        ("zeta", "바사"),
        ("epsilon", "마사"),
    ]:
        made[slug] = make_company(slug, ko, f"{slug.title()} Co", region=daegu)
    for slug in ["gamma", "alpha", "delta", "beta"]:
        Exhibit.objects.create(
            company=made[slug], edition=p24.edition, pavilion=p24, source=p24.source
        )
    for slug in ["eta", "zeta"]:
        Exhibit.objects.create(
            company=made[slug], edition=p19.edition, pavilion=p19, source=p19.source
        )
    InnovationAward.objects.create(company=made["delta"], edition=p24.edition, source=p24.source)
    Contract.objects.create(key="beta-1", company=made["beta"], edition=p24.edition,
                            source=p24.source)  # fmt: skip


@pytest.mark.parametrize(
    "query",
    [
        "sort=y2024",
        "sort=-y2024",
        "sort=-y2019",
        "sort=y2024&region=daegu",
        "sort=y2024&sort=-company",
        "sort=-y2024&sort=company",
    ],
)
def test_participation_sorted_by_a_year_reads_the_rows_of_the_plain_read(
    client, monkeypatch, companies_at_two_ces, query
):
    """Read in two parts by rank and by name, every page and across the parts' boundary is
    the page of the one sorted read; past the last page, the last page."""
    url = f"/participation/?per_page=2&{query}"
    plain, by_rank = plain_and_faster(
        monkeypatch, tables.ParticipationTable, "rows_class", tables.RowsByKey,
        client, url, 5, COMPANY_LINKS,
    )  # fmt: skip
    assert by_rank == plain
    assert {count for count, _rows in plain} == {"7"}
    plain = [rows for _count, rows in plain]
    assert sum(len(page) for page in plain[:4]) == 7
    assert plain[4] == plain[3]
    if query == "sort=y2024":
        assert plain[0] == ["delta", "beta"]  # the award, then the contract
        assert plain[1] == ["gamma", "alpha"]  # the same records: no Korean name last
    if query == "sort=-y2024":
        # Those absent first, by name the other way (the tie of names by key), then the
        # fewest records first: no Korean name last this way too.
        assert plain[:3] == [["zeta", "epsilon"], ["eta", "gamma"], ["alpha", "beta"]]


@pytest.mark.parametrize("sort", ["year", "-year"])
def test_paging_through_a_tie_shows_every_row_once_in_the_order_of_its_key(
    client, exhibits_of_three_years, sort
):
    """Sorted by year alone, the exhibits of a CES tie: they come in the order of their key,
    the way the year runs, so the pages are the same each time and together show each once."""
    pages = table_pages(client, f"/exhibits/?per_page=2&sort={sort}", 5, COMPANY_LINKS)
    shown = [slug for _count, rows in pages for slug in rows[:2]]
    by_year = Exhibit.objects.order_by("edition__year", "pk").select_related("company")
    expected = [e.company.slug for e in by_year]
    if sort == "-year":
        expected = [e.company.slug for e in reversed(list(by_year))]
    assert shown[:9] == expected


def listed_fields():
    """(filter set, name) of every choice of CES, city or source the tables' filters offer."""
    for filterset in subclasses(TableFilterSet):
        for name, filter_ in filterset.base_filters.items():
            if isinstance(filter_, ListedChoiceFilter):
                yield filterset, name


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ko", "en"])
def test_listed_choices_are_the_options_and_values_of_djangos_model_choice(
    language, world, make_region
):
    make_region("nowhere", "", 'Nowhere <& "Co">')  # no Korean name: the English one stands in
    checked = set()
    with translation.override(language):
        for filterset, name in listed_fields():
            for data in [{}, *({name: value} for value in values_of(filterset, name))]:
                ours = filterset(data or None).form
                field = ours.fields[name]
                stock = forms.ModelChoiceField(
                    queryset=field.queryset,
                    to_field_name=field.to_field_name,
                    empty_label=field.empty_label,
                    help_text=field.help_text,
                    required=False,
                )
                stock_form = forms.Form(data or None, renderer=DjangoTemplates())
                stock_form.fields[name] = stock
                assert str(ours[name]) == str(stock_form[name]), (filterset, name, data)
                assert ours.is_valid() == stock_form.is_valid()
                if data and ours.is_valid():
                    chosen, expected = ours.cleaned_data[name], stock_form.cleaned_data[name]
                    assert (type(chosen), chosen.pk, str(chosen)) == (
                        type(expected),
                        expected.pk,
                        str(expected),
                    )
                    assert model_to_dict(chosen) == model_to_dict(expected)
                    assert not chosen._state.adding and chosen._state.db == expected._state.db
                checked.add(name)
    assert checked == {"year", "source", "city", "region"}


def values_of(filterset, name):
    """A value of each listed option's kind, and one that is none of them."""
    field = filterset().form.fields[name]
    first = field.queryset.last()
    return [str(getattr(first, field.to_field_name)), "no-such-thing"]


def test_each_table_has_columns_of_its_own():
    """A table's columns are copied from its class cheaply (`tables.Columns`): what one table
    sets on a column (the city's order in its language) is not another's, nor the class's."""
    with translation.override("en"):
        english = tables.ResultsTable([])
    with translation.override("ko"):
        korean = tables.ResultsTable([])
    assert list(english.columns["city"].column.order_by) == ["city_en", "city_ko"]
    assert list(korean.columns["city"].column.order_by) == ["city_ko", "city_en"]
    assert tables.ResultsTable.base_columns["city"].order_by is None
    english.columns["value"].column.attrs["td"]["class"] = "changed"
    number = {"td": {"class": "num"}, "th": {"class": "num"}}
    assert korean.columns["value"].column.attrs == number
    assert tables.ResultsTable.base_columns["value"].attrs == tables.NUMBER == number


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize(
    "table, url",
    [
        (tables.ExhibitTable, "/exhibits/"),
        (tables.ContractTable, "/contracts/"),
        (tables.AgreementTable, "/agreements/"),
        (tables.AwardTable, "/awards/"),
        (tables.CompanyTable, "/companies/"),
        (tables.ParticipationTable, "/participation/"),
    ],
)
def test_a_page_read_with_its_page_fields_is_the_page_read_in_full(
    client, monkeypatch, language, table, url
):
    """The page's rows read with only the fields it shows (`page_fields`) give the same page
    with the same queries: no field it shows is left to be read again row by row."""
    call_command("loaddata", "fixtures/ces_articles.json", verbosity=0)
    contract = Contract.objects.first()
    for key, pavilion in [("no-pavilion", None), ("another", Pavilion.objects.last())]:
        Contract.objects.create(
            key=key, company=contract.company, edition=contract.edition, pavilion=pavilion,
            counterparty_en="Them", amount=None, source=contract.source,
        )  # fmt: skip

    def page():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{url}?per_page=100", HTTP_ACCEPT_LANGUAGE=language)
        return response.content.decode(), len(queries)

    page()  # the company summaries brought up to date
    with monkeypatch.context() as patch:
        patch.setattr(table, "page_fields", ())
        full = page()
    assert table.page_fields
    assert page() == full
    assert full[0].count("<tr") > 3
