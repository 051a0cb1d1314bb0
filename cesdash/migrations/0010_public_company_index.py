from django.db import migrations

from cesdash.migration_ops import on_postgresql

# A city's public companies counted (the city page) by a look-up of each of its 200 companies
# in this index: without it PostgreSQL hashed all 50,000 summaries (7 ms for 0.5). On PostgreSQL
# only: SQLite, given it, read the participation table's companies down it and sorted them all,
# rather than down the index of their names (a page of 34 ms took 69-92).


class Migration(migrations.Migration):
    dependencies = [
        ("cesdash", "0009_city_totals"),
    ]

    operations = [
        on_postgresql(
            ["CREATE INDEX public_company ON cesdash_companysummary (company_id) WHERE public"],
            ["DROP INDEX IF EXISTS public_company"],
        ),
    ]
