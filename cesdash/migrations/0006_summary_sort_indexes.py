from django.db import migrations

from cesdash.migration_ops import on_postgresql

# The companies table sorted by a count, the most first (the way a reader sorts it), empty
# values last, ties by the company's key the same way (`cesdash.exports.nulls_last`): on
# PostgreSQL read down these indexes rather than sorting 50,000 summaries (50 ms). SQLite
# sorts them in a few milliseconds and reads NULLs differently, so it gets none.
COUNTS = ("ces_count", "award_count", "contract_count", "contract_value_usd", "agreement_count")


class Migration(migrations.Migration):
    dependencies = [
        ("cesdash", "0005_participation_rank"),
    ]

    operations = [
        on_postgresql(
            [
                f"CREATE INDEX summary_by_{column} ON cesdash_companysummary "
                f"({column} DESC NULLS LAST, company_id DESC)"
                for column in COUNTS
            ],
            [f"DROP INDEX IF EXISTS summary_by_{column}" for column in COUNTS],
        )
    ]
