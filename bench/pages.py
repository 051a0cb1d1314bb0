"""Server time, query count and HTML size of every public page and JSON twin, in process.

    .venv/bin/python bench/pages.py                    # DATABASE_URL's database, as it is
    .venv/bin/python bench/pages.py --runs 20 --only /editions/

The application is loaded as gunicorn loads it (`cesdash.wsgi`). Each page is fetched through
Django's test client: once to warm up, then `--runs` times, each with the page cache emptied
first, so the times are the uncached server time (no network, no gunicorn).
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
    """(name, URL) of every public page, its JSON twin and every table: at the synthetic scale
    a synthetic city, CES, pavilion, company and source; with the real data only, real ones."""
    from companies.models import Company
    from delegations.models import Pavilion, Region, Source

    # With the real data only, a city whose pavilion companies are named in, so that the city's
    # tables have rows at both scales (an empty table reads less).
    city = (
        Region.objects.filter(slug__startswith="syn-").order_by("slug").first()
        or Region.objects.at_ces().filter(pavilions__exhibits__isnull=False).first()
        or Region.objects.at_ces().first()
    )
    pavilion = (
        Pavilion.objects.filter(region=city).select_related("edition").order_by("-edition").first()
    )
    year = pavilion.edition.year
    company = (
        Company.objects.filter(exhibits__pavilion=pavilion).order_by("slug").first()
        or Company.objects.filter(exhibits__isnull=False).order_by("slug").first()
    )
    source = Source.objects.filter(key="synthetic-data").first() or pavilion.source
    pages = [
        ("home", "/"),
        ("home, a city chosen", f"/?city={city.slug}"),
        ("city", f"/cities/{city.slug}/"),
        ("edition", f"/editions/{year}/"),
        ("pavilion", f"/editions/{year}/{pavilion.slug}/"),
        ("company", f"/companies/{company.slug}/"),
        ("sources", "/sources/"),
        ("source", f"/sources/{source.key}/"),
    ]
    twins = [(f"{name} (JSON)", twin(url)) for name, url in pages]
    tables = [
        ("results", "/results/"),
        ("results of a CES, by value", f"/results/?year={year}&sort=-value"),
        ("pavilions", "/pavilions/"),
        ("pavilions, by companies", "/pavilions/?sort=-companies"),
        ("companies", "/companies/"),
        ("companies, by CES on record", "/companies/?sort=-ces"),
        ("companies, by contract value", "/companies/?sort=-contract_value_usd"),
        ("exhibits", "/exhibits/"),
        ("exhibits of a CES, by company", f"/exhibits/?year={year}&sort=company"),
        ("contracts", "/contracts/"),
        ("contracts, by amount", "/contracts/?sort=-amount"),
        ("agreements", "/agreements/"),
        ("awards", "/awards/"),
        ("participation", "/participation/"),
        ("participation, by a year", f"/participation/?sort=-y{year}"),
        ("participation of a city", f"/participation/?city={city.slug}"),
    ]
    return pages, twins, tables


def twin(url):
    path, _, query = url.partition("?")
    path = "/index.json" if path == "/" else path.rstrip("/") + ".json"
    return f"{path}?{query}" if query else path


def measure(client, name, url, runs):
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
        "name": name,
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
    from django.conf import settings
    from django.test import Client

    import cesdash.wsgi  # noqa: F401 (the application loaded as gunicorn loads it)

    settings.ALLOWED_HOSTS = ["*"]
    client = Client(HTTP_ACCEPT_LANGUAGE="ko")
    pages, twins, tables = page_urls()
    rows = []
    print("| page | URL | status | queries | bytes | median ms | p95 ms |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, url in pages + twins + tables:
        if args.only not in url:
            continue
        row = measure(client, name, url, args.runs)
        rows.append(row)
        print(
            f"| {name} | `{url}` | {row['status']} | {row['queries']} | {row['bytes']:,} | "
            f"{row['median_ms']:.1f} | {row['p95_ms']:.1f} |",
            flush=True,
        )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
