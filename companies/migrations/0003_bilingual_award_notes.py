"""An award's note in Korean and English: the existing text is kept as the Korean one."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0002_initial"),
    ]

    operations = [
        *[
            migrations.RenameField(model_name=model, old_name="note", new_name="note_ko")
            for model in ("innovationaward", "historicalinnovationaward")
        ],
        *[
            migrations.AlterField(
                model_name=model,
                name="note_ko",
                field=models.TextField(blank=True, verbose_name="note (Korean)"),
            )
            for model in ("innovationaward", "historicalinnovationaward")
        ],
        *[
            migrations.AddField(
                model_name=model,
                name="note_en",
                field=models.TextField(blank=True, verbose_name="note (English)"),
            )
            for model in ("innovationaward", "historicalinnovationaward")
        ],
    ]
