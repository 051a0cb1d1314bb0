"""`make load`: 32 clients on every public page under gunicorn, no error, also while it reloads.

    make load                                   # a temporary SQLite database with the real data
    DATABASE_URL=postgres://user@127.0.0.1/cesdash make load      # that database (migrated first)
    .venv/bin/python bench/load.py --seconds 20 --reload-seconds 10 --scale 0.1

Starts gunicorn with cesdash/gunicorn.conf.py on a free port of 127.0.0.1, the way
`bench/run.py` does, and loads it with wrk: 32 connections asking in turn for every page, JSON
twin and table of `bench/pages.py`, first for `--seconds` (a minute), then for
`--reload-seconds` during which gunicorn is sent HUP `--reloads` times (a graceful reload: new
workers start, the old ones finish what they are serving). Any answer other than 2xx, and any
socket error or request over `--timeout` seconds (10), is an error: the figures are printed
and the exit status is 1.

Nothing but 127.0.0.1 is asked anything, and every run stops by itself.
"""

import argparse
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import run  # bench/run.py: the environment, gunicorn and the database set-up it measures with

ROOT = run.ROOT
CONNECTIONS = 32

# wrk's Lua: each connection asks for the next path of the list (the threads start at different
# places in it); done() adds up what every thread counted and prints one line for the Python side.
LUA = """
local paths = {%(paths)s}
local threads = {}
-- Globals, so that done() can read each thread's through thread:get().
counter, non2xx, statuses = 0, 0, ""

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = id * 7
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[counter %% #paths + 1])
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    statuses = statuses .. status .. " "
  end
end

function done(summary, latency, requests)
  local bad, seen = 0, ""
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
    seen = seen .. thread:get("statuses")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%%d micros=%%d non2xx=%%d connect=%%d read=%%d write=%%d timeout=%%d " ..
    "p50=%%.0f p99=%%.0f max=%%.0f statuses=%%s\\n",
    summary.requests, summary.duration, bad, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max, seen))
end
"""


def lua_script(paths, folder):
    quoted = ", ".join('"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"' for path in paths)
    script = Path(folder) / "rotate.lua"
    script.write_text(LUA % {"paths": quoted})
    return script


def public_urls(url):
    """Every public page, JSON twin and table (`bench/pages.py`), read from the database."""
    os.environ.update(run.environment(url))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cesdash.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import pages
    from django.db import connections

    page_list, twins, tables = pages.page_urls()
    connections.close_all()
    return [path for _name, path in page_list + twins + tables]


def check_every_page(port, paths):
    """Each path once, as a visitor would (this also fills the page cache): (path, status) of
    the ones that do not answer 200."""
    failed = []
    for path in paths:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", path, headers={"Accept-Language": "ko"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                failed.append((path, response.status))
        except OSError as error:
            failed.append((path, str(error)))
    return failed


def workers(master):
    """The pids of the gunicorn master's workers."""
    children = Path(f"/proc/{master}/task/{master}/children")
    return set(children.read_text().split()) if children.exists() else set()


def settled(master, count, seconds=60):
    """The workers once the last reload's old ones have finished and left (`count` of them)."""
    deadline = time.monotonic() + seconds
    while len(current := workers(master)) != count and time.monotonic() < deadline:
        time.sleep(0.5)
    return current


def wrk(port, script, seconds, timeout, during=None):
    """Load the server for `seconds` with CONNECTIONS connections; `during(process)` runs while
    wrk does. The figures of wrk's done() line, as numbers."""
    process = subprocess.Popen(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", f"{timeout}s",
         "-s", str(script), "-H", "Accept-Language: ko", "-H", "Accept-Encoding: gzip",
         f"http://127.0.0.1:{port}"],  # fmt: skip
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        if during:
            during(process)
        output, _ = process.communicate(timeout=seconds + 60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    match = re.search(r"^RESULT (.*)$", output, re.M)
    if not match:
        raise RuntimeError(f"wrk gave no result:\n{output}")
    fields = dict(item.split("=", 1) for item in match.group(1).split(" ", 10))
    statuses = fields.pop("statuses").split()
    result = {key: int(float(value)) for key, value in fields.items()}
    result["statuses"] = {status: statuses.count(status) for status in sorted(set(statuses))}
    result["socket_errors"] = sum(result[k] for k in ("connect", "read", "write", "timeout"))
    result["errors"] = result["non2xx"] + result["socket_errors"]
    result["rate"] = result["requests"] / (result["micros"] / 1e6)
    return result


def reloading(master, seconds, reloads, log):
    """A `during` for wrk: HUP the master `reloads` times, evenly spread over the run."""

    def during(process):
        interval = seconds / (reloads + 1)
        for n in range(reloads):
            time.sleep(interval)
            if process.poll() is not None:
                break
            before = workers(master)
            os.kill(master, signal.SIGHUP)
            log.append((n + 1, before))

    return during


def line(label, result):
    socket_errors = ", ".join(
        f"{k} {result[k]}" for k in ("connect", "read", "write", "timeout") if result[k]
    )
    statuses = ", ".join(f"{n}× {status}" for status, n in result["statuses"].items())
    return (
        f"| {label} | {result['requests']:,} | {result['rate']:,.0f} | "
        f"{result['non2xx']}{f' ({statuses})' if statuses else ''} | "
        f"{result['socket_errors']}{f' ({socket_errors})' if socket_errors else ''} | "
        f"{result['p50'] / 1000:.1f} | {result['p99'] / 1000:.1f} | {result['max'] / 1000:.0f} |"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="of steady load")
    parser.add_argument("--reload-seconds", type=int, default=30, help="of load while reloading")
    parser.add_argument("--reloads", type=int, default=3, help="HUPs during the second run")
    parser.add_argument(
        "--timeout", type=int, default=10, help="seconds after which a request is an error"
    )
    parser.add_argument(
        "--scale", type=float, default=0, help="add generate_synthetic's data (0: the real only)"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("load: wrk is needed (Debian: apt-get install wrk)")
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():
        run.log("== collecting static files (pages name their hashed names)")
        run.run([run.PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
                run.environment("sqlite://"))  # fmt: skip

    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder}/load.sqlite3"
        database = "PostgreSQL" if url.startswith("postgres") else "SQLite"
        run.log(f"== {database}: migrate and load the articles' data" +
                (f", synthetic data at scale {args.scale}" if args.scale else ""))  # fmt: skip
        run.prepare(url, args.scale, synthetic=bool(args.scale))
        paths = public_urls(url)
        script = lua_script(paths, folder)
        # run.gunicorn() passes the environment on: gunicorn reads extra options from it, here
        # a pid file to find the master by.
        pidfile = Path(folder) / "gunicorn.pid"
        os.environ["GUNICORN_CMD_ARGS"] = f"--pid {pidfile}"
        with run.gunicorn(url) as port:
            master = int(pidfile.read_text())
            first_workers = workers(master)
            failed = check_every_page(port, paths)
            if failed:
                sys.exit("load: pages that do not answer 200 before any load:\n" +
                         "\n".join(f"  {path}: {status}" for path, status in failed))  # fmt: skip
            run.log(f"== {len(paths)} URLs answer 200; {CONNECTIONS} connections for "
                    f"{args.seconds} s")  # fmt: skip
            steady = wrk(port, script, args.seconds, args.timeout)
            run.log(f"== {CONNECTIONS} connections for {args.reload_seconds} s, "
                    f"gunicorn sent HUP {args.reloads} times")  # fmt: skip
            hups = []
            reload = wrk(port, script, args.reload_seconds, args.timeout,
                         reloading(master, args.reload_seconds, args.reloads, hups))  # fmt: skip
            last_workers = settled(master, len(first_workers))
            after = check_every_page(port, paths)

    print(f"# Load: {CONNECTIONS} connections on {len(paths)} URLs (every page, JSON twin and "
          f"table), gunicorn on {database}\n")  # fmt: skip
    print("| run | requests | requests/s | non-2xx | socket errors | p50 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    print(line(f"steady, {args.seconds} s", steady))
    print(line(f"{args.reload_seconds} s, {len(hups)} HUPs", reload))
    replaced = not (first_workers & last_workers)
    print(f"\nWorkers before: {len(first_workers)}, after the reloads: {len(last_workers)}, "
          f"{'all replaced' if replaced else 'NOT all replaced'} by the HUPs.")  # fmt: skip
    errors = steady["errors"] + reload["errors"]
    if after:
        print("Pages failing after the load: " + ", ".join(f"{p} {s}" for p, s in after))
    # A run that finished fewer requests than there are URLs did not ask for every one.
    too_few = [r["requests"] for r in (steady, reload) if r["requests"] < len(paths)]
    if too_few:
        print(f"Too few requests finished to have asked for every URL: {too_few}")
    if errors or after or too_few or not replaced or len(hups) != args.reloads:
        print(f"\nFAILED: {errors} errors")
        sys.exit(1)
    print("\nNo errors.")


if __name__ == "__main__":
    main()
