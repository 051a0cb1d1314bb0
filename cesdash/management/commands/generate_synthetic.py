from django.core.management import BaseCommand

from cesdash import synthetic


class Command(BaseCommand):
    help = (
        "Add a deterministic synthetic dataset the size of every Korean local government's CES "
        "history beside the real data (250 cities, 50,000 companies, 200,000 exhibits ... at "
        "--scale 1), for benchmarks. Every synthetic record hangs off the source "
        "'synthetic-data'; --clear removes them all and touches nothing real."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 is the full size.")
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--clear", action="store_true", help="Only remove synthetic data.")

    def handle(self, *args, scale, seed, clear, **options):
        if clear:
            synthetic.clear()
            self.stdout.write("Synthetic data removed.")
            return
        size = synthetic.generate(scale=scale, seed=seed)
        self.stdout.write(
            f"Synthetic data at scale {scale}: {size.cities} cities, {size.companies} companies, "
            f"{size.exhibits} exhibits, {size.contracts} contracts, {size.agreements} agreements, "
            f"{size.awards} awards."
        )
