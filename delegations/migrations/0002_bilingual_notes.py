"""Notes in Korean and English: the existing (Korean-first) text is kept as the Korean one."""

from django.db import migrations, models

HELP = "What the article says of its date when it gives no exact one."


def renamed(model, old, new):
    return migrations.RenameField(model_name=model, old_name=old, new_name=new)


class Migration(migrations.Migration):
    dependencies = [
        ("delegations", "0001_initial"),
    ]

    operations = [
        renamed("source", "date_note", "date_note_ko"),
        renamed("historicalsource", "date_note", "date_note_ko"),
        renamed("reportedfigure", "note", "note_ko"),
        renamed("historicalreportedfigure", "note", "note_ko"),
        *[
            migrations.AlterField(
                model_name=model,
                name="date_note_ko",
                field=models.CharField(
                    blank=True, help_text=HELP, max_length=200, verbose_name="date note (Korean)"
                ),
            )
            for model in ("source", "historicalsource")
        ],
        *[
            migrations.AddField(
                model_name=model,
                name="date_note_en",
                field=models.CharField(
                    blank=True, max_length=200, verbose_name="date note (English)"
                ),
            )
            for model in ("source", "historicalsource")
        ],
        *[
            migrations.AlterField(
                model_name=model,
                name="note_ko",
                field=models.TextField(blank=True, verbose_name="note (Korean)"),
            )
            for model in ("reportedfigure", "historicalreportedfigure")
        ],
        *[
            migrations.AddField(
                model_name=model,
                name="note_en",
                field=models.TextField(blank=True, verbose_name="note (English)"),
            )
            for model in ("reportedfigure", "historicalreportedfigure")
        ],
    ]
