from django.core.management import BaseCommand, call_command

from cesdash.articles import FIXTURE, has_ces_data


class Command(BaseCommand):
    help = (
        "Load the articles' data (fixtures/ces_articles.json) into an empty database. Does "
        "nothing when the database already holds CES data: `make run` calls it on every start, "
        "and must never overwrite what staff entered (see update_articles)."
    )

    def handle(self, *args, **options):
        if has_ces_data():
            self.stdout.write(
                "The database already holds CES data: nothing loaded. To bring in a changed "
                "fixture without touching staff's edits, run `manage.py update_articles`."
            )
            return
        call_command("loaddata", str(FIXTURE), verbosity=options["verbosity"], stdout=self.stdout)
