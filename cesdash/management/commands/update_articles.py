from django.core.management import BaseCommand

from cesdash.articles import FIXTURE, update


class Command(BaseCommand):
    help = (
        "Bring changes of fixtures/ces_articles.json into the database: add new rows, update "
        "rows nobody has edited since they were loaded, and leave every row staff changed as "
        "it is, listing what the fixture would have changed in it. --dry-run only shows this."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fixture", default=str(FIXTURE))
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; write nothing."
        )

    def handle(self, *args, fixture, dry_run, **options):
        result = update(fixture, dry_run=dry_run)
        for row in result.created:
            self.stdout.write(f"+ {row}")
        for change in result.updated:
            self.stdout.write(f"~ {change}")
        for change in result.kept:
            self.stdout.write(self.style.WARNING(f"! kept, edited by staff: {change}"))
        verb = "would add" if dry_run else "added"
        self.stdout.write(
            f"{verb} {len(result.created)}, {'would update' if dry_run else 'updated'} "
            f"{len(result.updated)}, left {result.unchanged} unchanged; "
            f"{len(result.kept)} row(s) edited by staff kept as they are."
        )
