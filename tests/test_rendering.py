"""The rows of every table and the filters' <select>s are written in Python for speed
(cesdash/templatetags/table_rows.py, cesdash/forms.py): the markup must be exactly what
django-tables2's and Django's own templates write."""

import re

import pytest
from django import forms
from django.core.cache import cache
from django.core.management import call_command
from django.forms.renderers import DjangoTemplates

from cesdash import tables
from cesdash.forms import FormRenderer

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
