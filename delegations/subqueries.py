"""Correlated subqueries that count or add up the rows pointing at the outer row.

One helper each, used by every read above this app that puts a count or a sum beside a row,
so the SQL is written once.
"""

from django.db import models
from django.db.models import Count, Subquery, Sum
from django.db.models.functions import Coalesce


def _grouped(model, conditions, filters):
    # Grouping by a constant makes the aggregate one row per outer row, whatever the filters.
    rows = model.objects.filter(*conditions, **filters).order_by()
    return rows.annotate(_one=models.Value(1)).values("_one")


def count_of(model, *conditions, **filters):
    """How many `model` rows match `conditions` and `filters` (`OuterRef` allowed): 0 where
    there are none."""
    rows = _grouped(model, conditions, filters).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(rows, output_field=models.IntegerField()), 0)


def sum_of(model, field, **filters):
    """The sum of `field` over the `model` rows matching `filters`: NULL where there are none, or
    where none has a value (unknown is not zero)."""
    rows = _grouped(model, (), filters).annotate(total=Sum(field)).values("total")[:1]
    return Subquery(rows, output_field=models.BigIntegerField())
