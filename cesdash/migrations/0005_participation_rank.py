from django.db import migrations, models


def rebuild_summaries(apps, schema_editor):
    """The ranks are worked out with the summaries: mark them out of date, so the first request
    that reads them rebuilds them all (`DataVersion.summaries_current`)."""
    apps.get_model("cesdash", "DataVersion").objects.update(summarised=None)


class Migration(migrations.Migration):
    dependencies = [
        ("cesdash", "0004_company_summaries"),
    ]

    operations = [
        migrations.AddField(
            model_name="companyyear",
            name="rank",
            field=models.PositiveIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="companyyear",
            name="rank_reversed",
            field=models.PositiveIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="companyyear",
            index=models.Index(fields=["year", "rank"], name="company_year_by_rank"),
        ),
        migrations.AddIndex(
            model_name="companyyear",
            index=models.Index(fields=["year", "rank_reversed"], name="company_year_by_rank_rev"),
        ),
        migrations.RunPython(rebuild_summaries, migrations.RunPython.noop),
    ]
