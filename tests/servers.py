"""The site as production starts it: commands and gunicorn in a fresh process, on 127.0.0.1,
with an environment built from nothing (the suite's own DJANGO_HTTPS=0 and secret left out)."""

import contextlib
import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def production_env(**variables):
    """What a production service sets, and nothing else: DEBUG off, a long random secret, its
    host names; then `variables` (None removes one)."""
    env = {
        "PATH": os.environ["PATH"],
        "LANG": "C.UTF-8",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "cesdash.example,127.0.0.1",
    }
    env.update(variables)
    return {name: value for name, value in env.items() if value is not None}


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path, headers=None, timeout=10):
    """(status, headers, body) of a GET to 127.0.0.1:`port`."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        connection.close()


def wait_until_up(server, port, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        with contextlib.suppress(OSError):
            if get(port, "/healthz", timeout=2)[0] == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing answered on 127.0.0.1:{port} within {seconds} s")


@contextlib.contextmanager
def running(command, env, port, log, seconds=60):
    """`command` started in its own process group, yielded once /healthz answers on `port`
    (within `seconds`);
    then stopped (TERM to that group) and waited for. Its standard output goes to the file `log`,
    its standard error to the same name ending in `.stderr`."""
    log = Path(log)
    with open(log, "w") as output, open(log.with_suffix(".stderr"), "w") as errors:
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=errors, start_new_session=True
        )
    try:
        wait_until_up(server, port, seconds)
        yield server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def gunicorn(env, port, log):
    """gunicorn with the project's configuration, as `make run` and a service start it."""
    command = [GUNICORN, "-c", "cesdash/gunicorn.conf.py", "cesdash.wsgi"]
    return running(command, env, port, log)
