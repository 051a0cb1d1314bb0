"""Real servers for the fault tests: a scratch PostgreSQL cluster, and gunicorn serving the site.

Everything listens on 127.0.0.1 on a free port and lives in a temporary folder of its own, so
these tests run beside the suite's own database (and beside other runs on the same machine).
"""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from glob import glob
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_bin():
    """The newest installed PostgreSQL server's binaries (Debian's layout), or None."""
    found = [
        Path(path) for path in glob("/usr/lib/postgresql/*/bin") if Path(path, "initdb").exists()
    ]
    if not found:
        return None
    return max(found, key=lambda path: [int(n) for n in re.findall(r"\d+", path.parent.name)])


class Postgres:
    """A PostgreSQL cluster of its own in a temporary folder, on 127.0.0.1 and a free port.

    PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user."""

    def __init__(self, bin_dir):
        self.bin = bin_dir
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="cesdash-pg-faults."))
        self.data = self.dir / "data"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/cesdash"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.dir, "postgres")

    def run(self, command, *args, check=True):
        return subprocess.run(
            [*self.as_user, str(self.bin / command), *args],
            check=check,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def pg_ctl(self, action, *args):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        return self.run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.dir / "log"), "-o", options, "-w",
            action, *args,
        )  # fmt: skip

    def create(self):
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        self.pg_ctl("start")
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "cesdash")

    def accepts_connections(self):
        ready = self.run("pg_isready", "-h", "127.0.0.1", "-p", str(self.port), check=False)
        return ready.returncode == 0

    def log(self):
        path = self.dir / "log"
        return path.read_text(errors="replace") if path.exists() else ""

    def destroy(self):
        self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


@contextmanager
def scratch_postgres(bin_dir):
    server = Postgres(bin_dir)
    try:
        server.create()
        yield server
    finally:
        server.destroy()


def manage(*args, database_url):
    """`manage.py` against another database than the suite's own."""
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )


def prepare_database(database_url):
    """The schema, and the articles' data: the pages then have something to read."""
    manage("migrate", "--noinput", database_url=database_url)
    manage("load_articles", database_url=database_url)


def production_env(database_url, port, extra_env=None):
    """The environment gunicorn runs in: production mode, as an operator starts it."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "WEB_CONCURRENCY"))
    }
    env.update(
        PORT=str(port),
        DATABASE_URL=database_url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_HTTPS="0",  # plain HTTP on 127.0.0.1
        WEB_CONCURRENCY="2",
    )
    env.update(extra_env or {})
    return env


@contextmanager
def gunicorn(database_url, extra_env=None, ready_within=60):
    """gunicorn with `cesdash/gunicorn.conf.py` on a free port: yields its base URL once
    `/healthz` answers. `extra_env` adds or overrides environment variables."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "cesdash/gunicorn.conf.py", "cesdash.wsgi"],
            cwd=ROOT,
            env=production_env(database_url, port, extra_env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + ready_within
            while get(base + "/healthz").status != 200:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"gunicorn did not start:\n{log.read()[-4000:]}")
                time.sleep(0.2)
            yield base
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class Answer:
    """What a client got: the status (None when no answer came), headers and text."""

    def __init__(self, status, headers=None, text="", error=None):
        self.status, self.headers, self.text, self.error = status, headers or {}, text, error

    def __repr__(self):
        return f"<Answer {self.status} {self.error or self.text[:80]!r}>"


def get(url, language="en", timeout=15):
    request = urllib.request.Request(url, headers={"Accept-Language": language})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Answer(response.status, dict(response.headers), response.read().decode())
    except urllib.error.HTTPError as error:
        return Answer(error.code, dict(error.headers), error.read().decode(errors="replace"))
    except (OSError, urllib.error.URLError) as error:
        return Answer(None, error=repr(error))


# The 503 page's message, in each language.
UNAVAILABLE = {
    "ko": "대시보드를 잠시 사용할 수 없습니다",
    "en": "The dashboard is briefly unavailable",
}
INTERNALS = ("Traceback", "File &quot;", 'File "', "site-packages")


def assert_unavailable(base, pages):
    """While the database is away: /readyz says so, /healthz does not care, and every page
    answers the 503 page (JSON for a twin) in each language, asking to retry, showing nothing of
    the code."""
    ready = get(base + "/readyz")
    assert (ready.status, ready.text) == (503, "database unavailable")
    assert get(base + "/healthz").status == 200
    for language, message in UNAVAILABLE.items():
        for page in pages:
            answer = get(base + page, language)
            assert answer.status == 503, (page, answer)
            assert message in answer.text
            assert answer.headers["Retry-After"] == "10"
            assert answer.headers["Content-Type"].startswith(
                "application/json" if page.endswith(".json") else "text/html"
            )
            assert not any(text in answer.text for text in INTERNALS), page
