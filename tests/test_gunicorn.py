"""cesdash/gunicorn.conf.py as a service starts it: threaded workers, one per CPU unless
WEB_CONCURRENCY says otherwise, listening where PORT or GUNICORN_BIND says, logging each request
on standard output. Only 127.0.0.1 is ever bound."""

import os
import re
import socket
import subprocess
import sys
import time

import pytest
from pagetext import text
from servers import ROOT, free_port, get, gunicorn, manage, production_env

EN = {"Accept-Language": "en"}


@pytest.fixture(scope="module")
def site_database(tmp_path_factory):
    """A SQLite file with the articles' data, as `make run` leaves it."""
    url = f"sqlite:///{tmp_path_factory.mktemp('gunicorn') / 'site.sqlite3'}"
    env = production_env(DATABASE_URL=url, DJANGO_HTTPS="0")
    for command in (["migrate", "--noinput", "-v0"], ["load_articles"]):
        done = manage(*command, env=env)
        assert done.returncode == 0, done.stderr
    return url


@pytest.fixture
def serve(site_database, tmp_path):
    """gunicorn over plain HTTP on the site database, with `variables` set; yields its port
    and the paths of its standard output and error."""

    def start(port, **variables):
        env = production_env(DATABASE_URL=site_database, DJANGO_HTTPS="0", **variables)
        log = tmp_path / "gunicorn.log"
        return gunicorn(env, port, log), log, log.with_suffix(".stderr")

    return start


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.2)
    return condition()


def test_gunicorn_serves_the_site_on_port_with_a_threaded_worker_per_cpu(serve):
    port = free_port()
    started, stdout, stderr = serve(port, PORT=str(port))
    with started:
        status, _, html = get(port, "/cities/daegu/", EN)
        workers = len(os.sched_getaffinity(0))
        booted = wait_for(lambda: stderr.read_text().count("Booting worker") == workers)
        log = stderr.read_text()

    assert status == 200
    assert "Daegu" in text(html)
    assert f"Listening at: http://127.0.0.1:{port} " in log
    assert "Using worker: gthread" in log
    assert booted, log
    assert "Control socket" not in log  # one per user by default: several servers would share it
    # The access log is on standard output, one line a request, with the time it took.
    requests = [line for line in stdout.read_text().splitlines() if "GET /cities/daegu/" in line]
    assert len(requests) == 1
    assert re.search(r'"GET /cities/daegu/ HTTP/1\.1" 200 \d+ .* \d+\.\d+$', requests[0])


def test_gunicorn_bind_names_the_address_instead_of_port(serve):
    port, other = free_port(), free_port()
    started, _, stderr = serve(port, PORT=str(other), GUNICORN_BIND=f"127.0.0.1:{port}")
    with started:
        status, _, body = get(port, "/healthz")
        with pytest.raises(ConnectionRefusedError):
            get(other, "/healthz")

    assert status == 200 and body == "ok"
    assert f"Listening at: http://127.0.0.1:{port} " in stderr.read_text()


def test_a_slow_client_does_not_hold_the_only_worker(serve):
    """One worker process: a client that sends half a request and stalls holds one thread;
    the next visitor's page still comes at once (a sync worker would wait for the slow one)."""
    port = free_port()
    started, _, stderr = serve(port, PORT=str(port), WEB_CONCURRENCY="1")
    with started, socket.create_connection(("127.0.0.1", port)) as slow:
        slow.sendall(b"GET /cities/daegu/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and no more
        time.sleep(0.5)
        began = time.monotonic()
        status, _, html = get(port, "/cities/daegu/", EN, timeout=5)
        took = time.monotonic() - began

    assert status == 200 and "Daegu" in text(html)
    assert took < 5
    assert stderr.read_text().count("Booting worker") == 1


def test_the_loaded_application_leaves_the_garbage_collector_nothing_of_its_loading(tmp_path):
    """cesdash.wsgi, as gunicorn loads it, imports every view the URLconf names and freezes
    what loading allocated: a full collection then walks none of it (it walked some 100,000
    objects, 60-110 ms of a request, one in about ten)."""
    script = (
        "import gc, sys; import cesdash.wsgi; "
        "print(gc.get_freeze_count(), len(gc.get_objects()), 'cesdash.views' in sys.modules)"
    )
    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    frozen, tracked, views_loaded = done.stdout.split()
    assert int(frozen) > 50_000 and int(tracked) < 1_000, done.stdout + done.stderr
    assert views_loaded == "True"
