"""Server time, query count and HTML size of every public page and JSON twin, in process.

    .venv/bin/python bench/pages.py                    # DATABASE_URL's database, as it is
    .venv/bin/python bench/pages.py --runs 20 --only /editions/

Each page is fetched through Django's test client: once to warm up, then `--runs` times, each with
the page cache emptied first, so the times are the uncached server time (no network, no gunicorn).
Prints one Markdown table row per page; `bench/run.py` gathers the rows into bench/RESULTS.md.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def page_urls():
    """The public pages at the synthetic scale: a city, year, pavilion, company and source."""
    from companies.models import Company
    from delegations.models import Pavilion, Region, Source

    city = Region.objects.filter(slug__startswith="syn-").order_by("slug").first() or (
        Region.objects.order_by("slug").first()
    )
    pavilion = (
        Pavilion.objects.filter(region=city).select_related("edition").order_by("-edition").first()
    )
    year = pavilion.edition.year
    company = Company.objects.filter(region=city).order_by("slug").first()
    source = Source.objects.filter(key="synthetic-data").first() or Source.objects.first()
    pages = [
        "/",
        f"/?city={city.slug}",
        f"/cities/{city.slug}/",
        "/cities/daegu/",
        f"/editions/{year}/",
        f"/editions/{year}/{pavilion.slug}/",
        f"/companies/{company.slug}/",
        "/sources/",
        f"/sources/{source.key}/",
    ]
    twins = [twin(url) for url in pages]
    tables = [
        "/results/",
        f"/results/?year={year}&sort=-value",
        "/pavilions/",
        "/pavilions/?sort=-companies",
        "/companies/",
        "/companies/?sort=-exhibits",
        "/exhibits/",
        f"/exhibits/?year={year}&sort=company",
        "/contracts/",
        "/contracts/?sort=-amount",
        "/agreements/",
        "/awards/",
        "/participation/",
        f"/participation/?city={city.slug}",
    ]
    return pages, twins, tables


def twin(url):
    path, _, query = url.partition("?")
    path = "/index.json" if path == "/" else path.rstrip("/") + ".json"
    return f"{path}?{query}" if query else path


def measure(client, url, runs):
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up: imports, template compilation, the database's page cache
    times, queries, size, status = [], 0, 0, None
    for _ in range(runs):
        for cache in caches.all(initialized_only=True):
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            if response.streaming:
                content = b"".join(response.streaming_content)
            else:
                content = response.content
            times.append(time.perf_counter() - started)
        queries, size, status = len(captured), len(content), response.status_code
    times.sort()
    return {
        "url": url,
        "status": status,
        "queries": queries,
        "bytes": size,
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))] * 1000,
        "runs": runs,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", default="", help="only URLs containing this text")
    parser.add_argument("--json", help="write the rows to this file as JSON")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cesdash.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    client = Client(HTTP_ACCEPT_LANGUAGE="ko")
    pages, twins, tables = page_urls()
    rows = []
    print("| page | status | queries | bytes | median ms | p95 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for url in pages + twins + tables:
        if args.only not in url:
            continue
        row = measure(client, url, args.runs)
        rows.append(row)
        print(
            f"| `{url}` | {row['status']} | {row['queries']} | {row['bytes']:,} | "
            f"{row['median_ms']:.1f} | {row['p95_ms']:.1f} |",
            flush=True,
        )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
