"""Time and peak memory of a full CSV export of one table, through its view.

    .venv/bin/python bench/export_bench.py               # 200,000 contracts, throwaway SQLite
    .venv/bin/python bench/export_bench.py --rows 20000 --table companies
    DATABASE_URL=postgres://... .venv/bin/python bench/export_bench.py --use-configured-db

Without --use-configured-db the rows go to a temporary SQLite file that is deleted at the end;
with it they go to DATABASE_URL's database inside a transaction that is rolled back.
The machine is noisy: compare runs made one after the other, as ratios.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--table", choices=["contracts", "companies"], default="contracts")
    parser.add_argument("--format", choices=["csv", "json", "xlsx"], default="csv")
    parser.add_argument("--use-configured-db", action="store_true")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    return parser.parse_args()


def setup_django(args, workdir):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cesdash.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-secret")
    if not args.use_configured_db:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def create_rows(count, table):
    from companies.models import Company, Contract
    from delegations.models import Edition, Pavilion, Region, Source

    source = Source.objects.create(key="bench", title="Benchmark", language="en")
    region = Region.objects.create(
        slug="bench-city", name_ko="벤치시", name_en="Bench City", kind=Region.Kind.CITY
    )
    edition = Edition.objects.get_or_create(year=2099)[0]
    pavilion = Pavilion.objects.create(
        edition=edition, region=region, slug="bench", name_ko="벤치관", name_en="Bench Hall",
        source=source,
    )  # fmt: skip
    companies = count if table == "companies" else min(count, 1000)
    Company.objects.bulk_create(
        (
            Company(
                slug=f"bench-{n}",
                name_ko=f"벤치기업{n}",
                name_en=f"Bench Company {n}",
                region=region,
                sector_ko="인공지능",
                sector_en="Artificial intelligence",
                source=source,
            )  # fmt: skip
            for n in range(companies)
        ),
        batch_size=5000,
    )
    if table == "contracts":
        ids = list(Company.objects.filter(slug__startswith="bench-").values_list("pk", flat=True))
        Contract.objects.bulk_create(
            (
                Contract(
                    key=f"bench-{n}",
                    company_id=ids[n % len(ids)],
                    edition=edition,
                    pavilion=pavilion,
                    counterparty_ko="상대",
                    counterparty_en="Counterparty",
                    amount=n * 1000,
                    currency="USD",
                    subject_ko="공급 계약",
                    subject_en="Supply contract",
                    source=source,
                )  # fmt: skip
                for n in range(count)
            ),
            batch_size=5000,
        )


def export(table, fmt):
    """Call the table's view as a browser would and read the whole download."""
    from django.test import RequestFactory
    from django.utils import translation

    from cesdash import views

    view = {"contracts": views.contract_list, "companies": views.company_list}[table]
    request = RequestFactory().get(f"/{table}/", {"_export": fmt})
    with translation.override("en"):
        response = view(request)
        size = lines = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            lines += chunk.count(b"\n")
    return size, lines


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(args, Path(tmp))
        from django.db import transaction

        with transaction.atomic():
            started = time.perf_counter()
            create_rows(args.rows, args.table)
            print(f"created {args.rows:,} {args.table} in {time.perf_counter() - started:.1f} s")

            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            started = time.perf_counter()
            size, lines = export(args.table, args.format)
            elapsed = time.perf_counter() - started
            rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print(
                f"{args.format} export: {elapsed:.2f} s, {size / 1e6:.1f} MB, {lines:,} lines; "
                f"max RSS {rss_after / 1024:.0f} MiB (+{(rss_after - rss_before) / 1024:.0f} MiB)"
            )

            if not args.no_memory:
                tracemalloc.start()
                export(args.table, args.format)
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                print(f"{args.format} export: peak Python memory {peak / 2**20:.1f} MiB")

            transaction.set_rollback(True)


if __name__ == "__main__":
    main()
