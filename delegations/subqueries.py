"""Correlated subqueries that count or add up the rows pointing at the outer row.

One helper each, used by every read above this app that puts a count or a sum beside a row,
so the SQL is written once.
"""

from django.db import models
from django.db.models import Func, Subquery, Sum
from django.db.models.expressions import Star


def _grouped(model, conditions, filters):
    # Grouping by a constant makes the aggregate one row per outer row, whatever the filters.
    rows = model.objects.filter(*conditions, **filters).order_by()
    return rows.annotate(_one=models.Value(1)).values("_one")


def count_all():
    """COUNT(*): the rows counted from an index that holds the filtered columns, where
    PostgreSQL reads every row's table page for COUNT(id) (the id is not in that index)."""
    return Func(Star(), function="COUNT", output_field=models.IntegerField())


def count_of(model, *conditions, **filters):
    """How many `model` rows match `conditions` and `filters` (`OuterRef` allowed): 0 where
    there are none. Counted with `count_all()` and no GROUP BY, so from an index that holds the
    filtered columns where there is one, and one row (0) where nothing matches."""
    rows = model.objects.filter(*conditions, **filters).order_by().values(n=count_all())
    return Subquery(rows, output_field=models.IntegerField())


def sum_of(model, field, **filters):
    """The sum of `field` over the `model` rows matching `filters`: NULL where there are none, or
    where none has a value (unknown is not zero)."""
    rows = _grouped(model, (), filters).annotate(total=Sum(field)).values("total")[:1]
    return Subquery(rows, output_field=models.BigIntegerField())
