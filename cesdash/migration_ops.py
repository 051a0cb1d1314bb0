"""Operations the migrations share."""

from django.db import migrations


def on_postgresql(statements, reverse_statements):
    """SQL run on PostgreSQL only, as a migration step: an index Django cannot declare for both
    databases (one in an order of NULLs that SQLite's indexes do not take)."""

    def run(given):
        def step(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                for statement in given:
                    schema_editor.execute(statement)

        return step

    return migrations.RunPython(run(statements), run(reverse_statements))


def summaries_out_of_date():
    """A migration step for a new or changed derived table (`cesdash.models.SUMMARIES`): the
    tables are marked out of date, so the first request after the migration rebuilds them
    all (`DataVersion.summaries_current`) rather than reading a new one empty."""

    def mark(apps, schema_editor):
        apps.get_model("cesdash", "DataVersion").objects.update(summarised=None)

    return migrations.RunPython(mark, migrations.RunPython.noop)
