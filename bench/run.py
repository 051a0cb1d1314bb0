"""`make bench`: the synthetic dataset on SQLite and on PostgreSQL, measured, into bench/RESULTS.md.

For each database, in one run:
- every public page, JSON twin and table: query count (also on the real data alone, which must
  be the same), HTML size, uncached server time (median, p95) -- `bench/pages.py`;
- throughput of each page under gunicorn, loaded by wrk on 127.0.0.1, as a ratio to /healthz on
  the same server in the same run;
- the CSV export of the largest table (200,000 exhibits): time and memory growth, against the
  database's own dump of the same rows (`sqlite3 -csv`, `psql \\copy`); and XLSX;
- page weight: bytes transferred for a first and a repeat view of the home page.

    make bench                              # both databases, scale 1 (about 15 minutes)
    .venv/bin/python bench/run.py --skip-postgres --scale 0.1 --seconds 2

Needs wrk (Debian: apt-get install wrk) and, for PostgreSQL, its server binaries (postgresql);
PostgreSQL is skipped, and says so, where they are missing. Everything runs on 127.0.0.1 and
stops by itself; databases are made in a temporary folder and removed at the end.
"""

import argparse
import contextlib
import http.client
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TARGETS = {
    "html_bytes": 300_000,
    "p95_ms": 100,
    "queries": 10,
    "home_ratio": 0.5,
    "page_ratio": 0.25,
    "csv_ratio": 3,
    "memory_mb": 30,
    "first_view": 1_300_000,
    "repeat_view": 60_000,
}


def log(*parts):
    print(*parts, flush=True, file=sys.stderr)


def run(args, env, **kwargs):
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)


def environment(url):
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SECRET_KEY": "benchmark-only-not-secret",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",  # gunicorn and wrk speak plain HTTP on 127.0.0.1
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }


def prepare(url, scale, synthetic=True):
    env = environment(url)
    started = time.perf_counter()
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    run([PYTHON, "manage.py", "load_articles"], env, stdout=subprocess.DEVNULL)
    if synthetic:
        run([PYTHON, "manage.py", "generate_synthetic", "--scale", str(scale)], env)
    if url.startswith("postgres"):
        # The planner's statistics of the rows just loaded, as PostgreSQL's manual advises
        # after a bulk load (and autovacuum does a minute later): planned by those of the
        # empty tables, the edition page took 350 ms rather than 150.
        run(["psql", url, "-qc", "ANALYZE"], env)
    return time.perf_counter() - started


def pages(url, runs, output):
    run([PYTHON, "bench/pages.py", "--runs", str(runs), "--json", output], environment(url),
        stdout=subprocess.DEVNULL)  # fmt: skip
    return json.loads(Path(output).read_text())


# ------------------------------------------------------------------------------ gunicorn


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(url):
    port = free_port()
    env = {**environment(url), "PORT": str(port)}
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "-c", "cesdash/gunicorn.conf.py", "cesdash.wsgi",
         "--access-logfile", "/dev/null"],  # fmt: skip
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def wrk(port, path, seconds):
    """Requests a second and the share of non-2xx answers, 8 connections for `seconds`, each
    request on a new one (`Connection: close`), as nginx connects to gunicorn in
    docs/nginx/cesdash.conf. wrk's own keep-alive connections measured a lottery: all 8 are
    opened at once, the gthread worker that wakes first accepts most of them and keeps them, and
    in about one run in four one worker had all 8 and the page ran at half the rate (counted by
    worker in gunicorn's access log). A connection a request, the worker that is free accepts
    the next one."""
    output = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "10s", "-H", "Connection: close",
         "-H", "Accept-Language: ko",
         "-H", "Accept-Encoding: gzip", f"http://127.0.0.1:{port}{path}"],  # fmt: skip
        capture_output=True, text=True, check=True, timeout=seconds + 60,
    ).stdout  # fmt: skip
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {"rate": rate, "requests": total, "non_2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(1) if errors else ""}  # fmt: skip


# wrk runs a page: its rate is their median, as the machine's two cores are shared with
# whatever else runs (wrk itself among them).
RUNS = 3


def median_run(port, path, seconds):
    """The wrk run of the median rate of `RUNS` (non-2xx answers and errors added up)."""
    runs = sorted((wrk(port, path, seconds) for _ in range(RUNS)), key=lambda r: r["rate"])
    middle = dict(runs[len(runs) // 2])
    middle["non_2xx"] = sum(r["non_2xx"] for r in runs)
    middle["requests"] = sum(r["requests"] for r in runs)
    middle["rates"] = [r["rate"] for r in runs]
    return middle


def throughput(port, urls, seconds):
    for _name, path in urls:  # warm every page's cache once, as a visitor would
        with contextlib.suppress(OSError):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", path, headers={"Accept-Language": "ko"})
            connection.getresponse().read()
    rows = []
    healthz = median_run(port, "/healthz", seconds)["rate"]
    for name, path in urls:
        result = median_run(port, path, seconds)
        rows.append({"name": name, "url": path, **result, "ratio": result["rate"] / healthz})
    healthz = (healthz + median_run(port, "/healthz", seconds)["rate"]) / 2  # before and after
    for row in rows:
        row["ratio"] = row["rate"] / healthz
    return healthz, rows


# ------------------------------------------------------------------------------ page weight

ASSET = re.compile(r'<(?:script[^>]*\ssrc|link[^>]*\shref)="(/static/[^"]+)"')


def fetch(port, path, headers):
    """(bytes on the wire, status, headers) of one GET: the status line, headers and the
    body as sent (compressed where the server compressed it)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    head = sum(len(k) + len(v) + 4 for k, v in response.getheaders()) + 17
    return head + len(body), response.status, dict(response.getheaders()), body


def page_weight(port):
    """A browser's first and repeat view of the home page: the HTML and every script and style
    sheet it names, as a browser asks for them (Brotli or gzip); on the repeat view the HTML is
    revalidated with its ETag and the static files, cached for a year under hashed names, are
    not asked for again."""
    accept = {"Accept-Encoding": "gzip, deflate, br", "Accept-Language": "ko"}
    size, _status, headers, body = fetch(port, "/", accept)
    import gzip

    html = body if headers.get("Content-Encoding") != "gzip" else gzip.decompress(body)
    first = [("/", size, headers.get("Content-Encoding", ""))]
    repeat_total = 0
    for path in dict.fromkeys(ASSET.findall(html.decode())):
        asset_size, status, asset_headers, _ = fetch(port, path, accept)
        first.append((path, asset_size, asset_headers.get("Content-Encoding", "")))
        if "max-age=0" in asset_headers.get("Cache-Control", "max-age=0"):
            repeat_total += fetch(port, path, accept)[0]
    again, status, _h, _b = fetch(port, "/", {**accept, "If-None-Match": headers.get("ETag", "")})
    return {
        "first": sum(size for _p, size, _e in first),
        "files": first,
        "repeat": again + repeat_total,
        "repeat_status": status,
    }


# ------------------------------------------------------------------------------- exports

EXPORT = """
import os, resource, sys, time
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cesdash.settings")
import django
django.setup()
from django.conf import settings
from django.test import Client
settings.ALLOWED_HOSTS = ["*"]
client = Client(HTTP_ACCEPT_LANGUAGE="ko")
client.get("/exhibits/?year=2024")  # warm-up
from django.db import connection
from django.test.utils import CaptureQueriesContext
kb = lambda: int(next(l.split()[1] for l in open("/proc/self/status") if l.startswith("VmRSS")))
before, started = kb(), time.perf_counter()
with CaptureQueriesContext(connection) as queries:
    response = client.get(sys.argv[1])
    size = rows = 0
    peak = before
    for chunk in (response.streaming_content if response.streaming else [response.content]):
        size += len(chunk)
        rows += chunk.count(b"\\n")
        peak = max(peak, kb())
elapsed = time.perf_counter() - started
# The query that read the rows, for the database's own dump of the same rows (on PostgreSQL
# it ran in a server-side cursor: the SELECT after DECLARE ... FOR).
import re
sql = max(queries.captured_queries, key=lambda q: len(q["sql"]))["sql"]
sql = re.sub(r"^DECLARE .*? CURSOR .*?FOR (SELECT )", r"\\1", sql, flags=re.S)
open(sys.argv[2], "w").write(sql)
peak = max(peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
print(elapsed, size, rows, (peak - before) / 1024, response.status_code)
"""


def export(url, path, sql_file):
    output = subprocess.run(
        [PYTHON, "-c", EXPORT, path, sql_file], env=environment(url), cwd=ROOT,
        capture_output=True, text=True, check=True, timeout=600,
    ).stdout.split()  # fmt: skip
    return {"seconds": float(output[0]), "bytes": int(output[1]), "lines": int(output[2]),
            "memory_mb": float(output[3]), "status": int(output[4]),
            "sql": Path(sql_file).read_text()}  # fmt: skip


def dump_time(command, env=None):
    best = None
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env, timeout=600)
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return best


def exports(url, dump, folder):
    """`dump(sql)`: the command with which the database dumps the rows of `sql` as CSV."""
    sql_file = f"{folder}/export.sql"
    csv = export(url, "/exhibits/?_export=csv", sql_file)
    return {
        "csv": csv,
        "dump_seconds": dump_time(dump(csv["sql"])),
        "table_dump_seconds": dump_time(dump("SELECT * FROM companies_exhibit")),
        "xlsx_all": export(url, "/exhibits/?_export=xlsx", sql_file),
        "xlsx_year": export(url, "/exhibits/?year=2024&_export=xlsx", sql_file),
    }


# ------------------------------------------------------------------------------ PostgreSQL


@contextlib.contextmanager
def postgres(folder):
    binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not binaries:
        yield None
        return
    bin_dir = binaries[-1].parent
    data = Path(folder) / "pg"
    data.mkdir()
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(folder, "postgres")
        shutil.chown(data, "postgres")
    port = free_port()
    run([*as_postgres, bin_dir / "initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E",
         "UTF8"], None, stdout=subprocess.DEVNULL)  # fmt: skip
    run([*as_postgres, bin_dir / "pg_ctl", "-D", data, "-l", data / "log", "-o",
         f"-p {port} -k {folder} -c listen_addresses=127.0.0.1", "-w", "start"], None,
        stdout=subprocess.DEVNULL)  # fmt: skip
    try:
        for name in ("cesdash", "cesdash_real"):
            run([*as_postgres, bin_dir / "createdb", "-h", "127.0.0.1", "-p", str(port), name],
                None)  # fmt: skip
        yield f"postgres://postgres@127.0.0.1:{port}/cesdash"
    finally:
        run([*as_postgres, bin_dir / "pg_ctl", "-D", data, "-m", "fast", "stop"], None,
            stdout=subprocess.DEVNULL)  # fmt: skip


def proc_field(path, name):
    """The value of the first `name: value` line of a /proc file, or ""."""
    lines = Path(path).read_text().splitlines()
    return next((line.split(":")[1].strip() for line in lines if line.startswith(name)), "")


def reference_loop():
    """Milliseconds of a fixed pure-Python loop (the best of 5): the figures below are times on
    this machine, and this one says how fast it ran, to compare runs on different machines or
    on one machine that others share."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        total = 0
        for i in range(2_000_000):
            total += i % 7
        best = min(best, time.perf_counter() - started)
    return f"{best * 1000:.0f} ms"


def version_of(command):
    try:
        return subprocess.run(command, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "not found"


# -------------------------------------------------------------------------------- a database

SUMMARISE = """
import os, sys, time
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cesdash.settings")
import django
django.setup()
import json
from django.db import transaction
from cesdash.models import DataVersion, rebuild_summaries
with transaction.atomic():
    print(json.dumps(rebuild_summaries()))
DataVersion.bump()
started = time.perf_counter()
DataVersion.summaries_current()
print(time.perf_counter() - started)
"""


def summarise(url):
    """Seconds to rebuild the derived tables, as the first request after a change does, and
    {table: seconds} to fill each (from a rebuild of its own just before)."""
    output = subprocess.run(
        [PYTHON, "-c", SUMMARISE], cwd=ROOT, env=environment(url),
        capture_output=True, text=True, check=True,
    ).stdout.split("\n")  # fmt: skip
    return float(output[-2]), json.loads(output[-3])


def measure(label, url, real_url, dump_command, args, folder):
    log(f"== {label}: the real data alone")
    prepare(real_url, args.scale, synthetic=False)
    one = {row["name"]: row for row in pages(real_url, 1, f"{folder}/{label}-1x.json")}
    log(f"== {label}: generating the synthetic data (scale {args.scale})")
    made_in = prepare(url, args.scale)
    summarised_in, filled_in = summarise(url)
    if url.startswith("postgres"):
        # What autovacuum does within a minute of a bulk change, before the pages are timed:
        # until the tables are vacuumed their visibility map is empty, so an index-only scan
        # reads the table's rows too, and the city and edition pages took 100 ms for 60.
        # (Their statistics are fresh: `prepare` and the rebuild ANALYZE.)
        run(["psql", url, "-qc", "VACUUM"], environment(url))
    log(f"== {label}: pages in process ({args.runs} runs each)")
    rows = pages(url, args.runs, f"{folder}/{label}.json")
    for row in rows:
        row["queries_1x"] = one.get(row["name"], {}).get("queries")
    result = {
        "label": label,
        "generated_seconds": made_in,
        "summarised_seconds": summarised_in,
        "filled_seconds": filled_in,
        "pages": rows,
    }
    with gunicorn(url) as port:
        log(f"== {label}: throughput under gunicorn, {args.seconds} s a page")
        urls = [(r["name"], r["url"]) for r in rows if "(JSON)" not in r["name"]]
        result["healthz"], result["throughput"] = throughput(port, urls, args.seconds)
        result["wrk_seconds"] = args.seconds
        result["weight"] = page_weight(port)
    log(f"== {label}: exports")
    result["exports"] = exports(url, dump_command, folder)
    return result


# --------------------------------------------------------------------------------- report


def mark(ok):
    return "✓" if ok else "✗"


def xlsx_line(what, export):
    """An XLSX export: made well inside the worker timeout, or refused with a message (400)."""
    if export["status"] == 400:
        return f"| XLSX, {what} | refused (400) | {export['seconds']:.2f} ✓ | | |"
    return (
        f"| XLSX, {what} | {export['bytes']:,} bytes | "
        f"{export['seconds']:.2f} {mark(export['seconds'] < 10)} | | "
        f"{export['memory_mb']:.0f} |"
    )


def report(results, machine, args):
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (`bench/run.py --scale {args.scale} --runs {args.runs} "
        f"--seconds {args.seconds}`) on {machine['date']}.",
        "",
        "## Machine",
        "",
        *(f"- {key}: {value}" for key, value in machine.items() if key != "date"),
        "",
        "The synthetic data (`manage.py generate_synthetic`) beside the real: 250 cities, "
        "20 CES, about 4,800 pavilions, 24,000 reported figures, 50,000 companies, "
        "200,000 exhibits, 50,000 contracts, 20,000 agreements and 10,000 awards at scale 1.",
        "",
        "Targets: every page at most 300 KB of HTML and under 100 ms at the 95th percentile "
        "uncached; at most 10 queries, the same on the real data alone (1×) as at this scale; "
        "home page throughput at least 0.5× /healthz, every other page 0.25×; CSV export at "
        "most 3× the database's own dump, memory growth under 30 MB; XLSX well inside the "
        "30 s worker timeout or refused; home page first view under 1.3 MB, repeat view "
        "under 60 KB. ✓ met, ✗ not met.",
    ]
    for result in results:
        label = result["label"]
        lines += [
            "",
            f"## {label}",
            "",
            f"Synthetic data generated in {result['generated_seconds']:.0f} s. The derived "
            "tables (the company summaries, the counts of records, the cities' years and "
            f"totals) rebuilt in {result['summarised_seconds']:.2f} s ("
            + ", ".join(
                f"{table} {seconds:.2f} s" for table, seconds in result["filled_seconds"].items()
            )
            + "): once after each change to the data, by the first request after it; the "
            "pages below read them current.",
            "",
            "### Pages, in process (uncached: the page cache emptied before each request)",
            "",
            "| page | URL | queries (1×) | queries | HTML bytes | median ms | p95 ms |",
            "|---|---|---:|---:|---:|---:|---:|",
        ]
        for row in result["pages"]:
            same = row["queries"] == row["queries_1x"] and row["queries"] <= TARGETS["queries"]
            small = row["bytes"] <= TARGETS["html_bytes"]
            fast = row["p95_ms"] < TARGETS["p95_ms"]
            lines.append(
                f"| {row['name']} | `{row['url']}` | {row['queries_1x']} | "
                f"{row['queries']} {mark(same)} | {row['bytes']:,} {mark(small)} | "
                f"{row['median_ms']:.0f} | {row['p95_ms']:.0f} {mark(fast)} |"
            )
        lines += [
            "",
            "### Throughput under gunicorn (wrk, 8 connections, 127.0.0.1)",
            "",
            f"/healthz on the same server: {result['healthz']:,.0f} requests/s "
            f"(the mean of the median of {RUNS} runs before the pages and of {RUNS} after). "
            f"Each page: the median of {RUNS} runs of {result['wrk_seconds']} s, all shown. "
            "Each request comes on a new connection, as nginx connects to gunicorn "
            "(docs/nginx/cesdash.conf): over wrk's own keep-alive connections, the worker that "
            "woke first took most of them, and one run in four measured one worker alone.",
            "",
            "| page | requests/s | × /healthz | runs (requests/s) | non-2xx |",
            "|---|---:|---:|---|---:|",
        ]
        for row in result["throughput"]:
            target = TARGETS["home_ratio"] if row["name"].startswith("home") else (
                TARGETS["page_ratio"]
            )  # fmt: skip
            ok = row["ratio"] >= target and not row["non_2xx"]
            runs = ", ".join(f"{rate:,.0f}" for rate in row["rates"])
            lines.append(
                f"| {row['name']} | {row['rate']:,.0f} | {row['ratio']:.2f} {mark(ok)} | "
                f"{runs} | {row['non_2xx']} |"
            )
        ex = result["exports"]
        csv, ratio = ex["csv"], ex["csv"]["seconds"] / ex["dump_seconds"]
        lines += [
            "",
            "### Exports of the largest table (exhibits)",
            "",
            "The same rows: the export's own query, captured as it ran, dumped by the database; "
            "the ratio is what the export adds to reading them.",
            "",
            "| export | rows | seconds | × the database's dump | memory growth MB |",
            "|---|---:|---:|---:|---:|",
            f"| database's own CSV dump of the same rows | | {ex['dump_seconds']:.2f} | 1 | |",
            f"| database's own CSV dump of the table alone (no joins) | | "
            f"{ex['table_dump_seconds']:.2f} | | |",
            f"| CSV, every exhibit | {csv['lines'] - 1:,} | {csv['seconds']:.2f} | "
            f"{ratio:.1f} {mark(ratio <= TARGETS['csv_ratio'])} | "
            f"{csv['memory_mb']:.0f} {mark(csv['memory_mb'] < TARGETS['memory_mb'])} |",
            xlsx_line("every exhibit", ex["xlsx_all"]),
            xlsx_line("one CES's exhibits", ex["xlsx_year"]),
        ]
        weight = result["weight"]
        lines += [
            "",
            "### Page weight of the home page (bytes on the wire)",
            "",
            f"- first view: {weight['first']:,} {mark(weight['first'] < TARGETS['first_view'])}",
            *(
                f"  - `{path}`: {size:,} ({encoding or 'uncompressed'})"
                for path, size, encoding in weight["files"]
            ),  # fmt: skip
            f"- repeat view: {weight['repeat']:,} (the HTML answers "
            f"{weight['repeat_status']}; static files are cached for a year) "
            f"{mark(weight['repeat'] < TARGETS['repeat_view'])}",
        ]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=3, help="of wrk load a page")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--output", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench: wrk is needed (Debian: apt-get install wrk)")
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], environment("sqlite://"))
    log("== static files collected")
    machine = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "system": f"{platform.system()} {platform.release()} {platform.machine()}",
        "processor": proc_field("/proc/cpuinfo", "model name"),
        "cores": os.cpu_count(),
        "memory": proc_field("/proc/meminfo", "MemTotal"),
        "python": platform.python_version(),
        "sqlite": version_of([PYTHON, "-c", "import sqlite3; print(sqlite3.sqlite_version)"]),
        "postgresql": version_of(["psql", "--version"]),
        "wrk": version_of(["wrk", "--version"]).splitlines()[0] if shutil.which("wrk") else "",
        "reference loop (2 million additions in Python, before the run)": reference_loop(),
    }
    results = []
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.sqlite3"
        results.append(
            measure(
                "SQLite",
                f"sqlite:///{db}",
                f"sqlite:///{folder}/real.sqlite3",
                lambda sql: ["sqlite3", "-csv", str(db), sql],
                args,
                folder,
            )
        )
        if args.skip_postgres:
            log("PostgreSQL skipped (--skip-postgres)")
        else:
            with postgres(folder) as url:
                if url is None:
                    log("PostgreSQL skipped: no server binaries (apt-get install postgresql)")
                else:
                    real = url + "_real"

                    def copy(sql, url=url):
                        return ["psql", url, "-qAc", f"COPY ({sql}) TO STDOUT WITH CSV"]

                    results.append(measure("PostgreSQL", url, real, copy, args, folder))
    machine["reference loop (the same, after the run)"] = reference_loop()
    text = report(results, machine, args)
    Path(args.output).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
