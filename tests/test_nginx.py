"""docs/nginx/cesdash.conf, the site file of the deployment guide, run for real: Debian's nginx in
front of gunicorn (cesdash/gunicorn.conf.py), everything on 127.0.0.1.

The file is rendered for the test only where a machine differs (ports, certificate, the folder
of the static files), nginx checks it (`nginx -t`) and then serves it, in a folder of its own,
with TLS from a certificate made for the test. Through it: a page answers in Korean, knows it
was asked over HTTPS and for which host, static files come with far-future caching, plain HTTP
is sent to HTTPS, uploads the admin takes are let through.
"""

import gzip
import http.client
import json
import os
import re
import runpy
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest

NGINX = "/usr/sbin/nginx"
ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "docs" / "nginx" / "cesdash.conf"
STATIC_ROOT = ROOT / "staticfiles"
HOST = "cesdash.example.org"

pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists(), reason="Debian's nginx is not installed (apt-get install nginx)"
)


def gunicorn_environment(database):
    """What the gunicorn behind nginx runs with: production settings, HTTPS on, behind a proxy
    that says which requests came over HTTPS. Add here what production sets."""
    return {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "nginx-test-only-not-a-secret-7c2k9vq4mx8wbz3rtp6yhd1ngs",
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "DJANGO_HTTPS": "1",
        "DJANGO_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "DATABASE_URL": database,
    }


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def render(site, ports, folder):
    """The site file with this machine's ports, certificate and static folder: each line it
    changes must be there exactly once, so that a changed file fails here, not silently."""
    replacements = [
        ("server 127.0.0.1:8000 ", f"server 127.0.0.1:{ports['gunicorn']} "),
        ("listen 80;", f"listen 127.0.0.1:{ports['http']};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{ports['https']} ssl http2;"),
        ("listen [::]:443 ssl http2;", ""),
        (f"/etc/letsencrypt/live/{HOST}/fullchain.pem", f"{folder}/cert.pem"),
        (f"/etc/letsencrypt/live/{HOST}/privkey.pem", f"{folder}/key.pem"),
        ("alias /srv/cesdash/staticfiles/;", f"alias {STATIC_ROOT}/;"),
    ]
    for old, new in replacements:
        assert site.count(old) == 1, f"{SITE.name} no longer has {old!r} once"
        site = site.replace(old, new)
    return site


MAIN = """
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
{user}
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log {folder}/access.log;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/cesdash.conf;
}}
"""


def wait_for_port(port, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.2)
    return False


def read(log):
    return log.read_text() if log.exists() else f"{log.name}: nothing written"


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """nginx with the guide's site file on two free ports (HTTP, HTTPS) of 127.0.0.1, in front
    of gunicorn on a third, serving a SQLite database with the articles' data."""
    assert (STATIC_ROOT / "staticfiles.json").exists(), "collect the static files: make static"
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed (apt-get install openssl)")
    folder = tmp_path_factory.mktemp("nginx")
    ports = {"gunicorn": free_port(), "http": free_port(), "https": free_port()}
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST}",
         "-keyout", folder / "key.pem", "-out", folder / "cert.pem"],  # fmt: skip
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    (folder / "cesdash.conf").write_text(render(SITE.read_text(), ports, folder))
    # A master run as root hands requests to workers of another user, who could not read the
    # test's folders: the workers stay root, as the master is only for the test.
    user = "user root;" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(MAIN.format(folder=folder, user=user))
    nginx = [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e",
             str(folder / "error.log")]  # fmt: skip
    checked = subprocess.run([*nginx, "-t"], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr

    env = gunicorn_environment(f"sqlite:///{folder}/cesdash.sqlite3")
    python = sys.executable
    for command in (["migrate", "--noinput", "-v0"], ["load_articles", "-v0"]):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=300)
    log = folder / "gunicorn-access.log"
    gunicorn = subprocess.Popen(
        [str(Path(python).parent / "gunicorn"), "-c", "cesdash/gunicorn.conf.py", "cesdash.wsgi",
         "--bind", f"127.0.0.1:{ports['gunicorn']}", "--access-logfile", str(log),
         "--error-logfile", str(folder / "gunicorn.log"),
         "--access-logformat",
         "%(h)s|%({x-forwarded-for}i)s|%({x-forwarded-proto}i)s|%({host}i)s|%(r)s|%(s)s"],
        cwd=ROOT, env={**env, "PORT": str(ports["gunicorn"])},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    server = subprocess.Popen(nginx, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        assert wait_for_port(ports["gunicorn"], gunicorn), read(folder / "gunicorn.log")
        assert wait_for_port(ports["https"], server), read(folder / "error.log")
        yield {**ports, "folder": folder, "access_log": log}
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGQUIT)  # nginx's graceful stop
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        stop(gunicorn)


def get(site, path, scheme="https", method="GET", headers=(), body=None):
    """(status, headers, body) of one request to nginx, as a browser at https://HOST/ sends it."""
    if scheme == "https":
        context = ssl.create_default_context(cafile=site["folder"] / "cert.pem")
        context.check_hostname = False  # the address is 127.0.0.1; the chain is still checked
        connection = http.client.HTTPSConnection(
            "127.0.0.1", site["https"], context=context, timeout=60
        )
    else:
        connection = http.client.HTTPConnection("127.0.0.1", site["http"], timeout=60)
    connection.request(
        method, path, body=body, headers={"Host": HOST, "Accept-Language": "ko", **dict(headers)}
    )
    response = connection.getresponse()
    content = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, content


def test_nginx_checks_the_site_file(site):
    nginx = [NGINX, "-p", str(site["folder"]), "-c", str(site["folder"] / "nginx.conf"), "-e",
             str(site["folder"] / "error.log"), "-t"]  # fmt: skip
    checked = subprocess.run(nginx, capture_output=True, text=True, timeout=60)
    assert "syntax is ok" in checked.stderr and "test is successful" in checked.stderr


def test_a_page_answers_in_korean_over_https_for_the_host_asked(site):
    status, headers, body = get(site, "/cities/daegu/")
    page = body.decode()
    assert status == 200, page[:500]
    assert '<html lang="ko"' in page
    assert "대구" in page
    # The page's "printed from" line is the address Django built: https (nginx's
    # X-Forwarded-Proto) and the host the browser asked for (nginx's Host), so no redirect loop.
    assert f"https://{HOST}/cities/daegu/" in page


def logged(site, marker):
    """gunicorn's access-log line of the request whose address holds `marker`: its peer,
    X-Forwarded-For, X-Forwarded-Proto, Host, request line and status, split at |."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        lines = site["access_log"].read_text().splitlines()
        if line := next((entry for entry in lines if marker in entry), None):
            return line.split("|")
        time.sleep(0.1)
    return None


def test_the_app_sees_the_client_address_and_scheme_nginx_saw(site):
    # A client's own forwarding headers are overwritten, not passed on.
    forged = {"X-Forwarded-For": "203.0.113.66", "X-Forwarded-Proto": "http"}
    status, _headers, _body = get(site, "/sources/?from=nginx-test", headers=forged)
    assert status == 200
    entry = logged(site, "nginx-test")
    assert entry[:4] == ["127.0.0.1", "127.0.0.1", "https", HOST]
    assert entry[-1] == "200"


def test_plain_http_is_sent_to_https(site):
    status, headers, _body = get(site, "/cities/daegu/?year=2024", scheme="http")
    assert status == 301
    assert headers["location"] == f"https://{HOST}/cities/daegu/?year=2024"


def test_static_files_come_from_static_root_with_far_future_caching(site):
    _status, _headers, body = get(site, "/")
    stylesheet = re.search(r'<link[^>]+href="(/static/[^"]+\.css)"', body.decode()).group(1)
    status, headers, content = get(site, stylesheet, headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["content-type"] == "text/css"
    assert headers["content-encoding"] == "gzip"
    on_disk = (STATIC_ROOT / stylesheet.removeprefix("/static/")).read_bytes()
    assert gzip.decompress(content) == on_disk

    # The same file under its unhashed name may change: it is kept a minute only.
    manifest = json.loads((STATIC_ROOT / "staticfiles.json").read_text())["paths"]
    plain = next(name for name, hashed in manifest.items() if f"/static/{hashed}" == stylesheet)
    status, headers, content = get(site, f"/static/{plain}")
    assert status == 200
    assert headers["cache-control"] == "public, max-age=60"


def test_an_upload_of_several_megabytes_reaches_the_site(site):
    # nginx's default limit (1 MB) would answer 413; the admin's file imports need more. The
    # request reaches Django, which refuses a POST without its CSRF token (403). (It does so
    # without reading the body, so nginx may see gunicorn close early and answer 502 instead.)
    status, _headers, body = get(
        site,
        "/admin/login/?from=upload-test",
        method="POST",
        headers={"Content-Type": "application/octet-stream"},
        body=b"x" * 5_000_000,
    )
    assert status != 413, body[:300]
    entry = logged(site, "upload-test")
    assert entry[4].startswith("POST /admin/login/") and entry[-1] == "403"


def test_nginx_waits_longer_than_gunicorn(site):
    # An export that takes long is ended by gunicorn's timeout, not cut by nginx's.
    config = runpy.run_path(str(ROOT / "cesdash" / "gunicorn.conf.py"))
    nginx_timeout = int(re.search(r"proxy_read_timeout (\d+)s;", SITE.read_text()).group(1))
    assert nginx_timeout > config["timeout"]


def test_the_site_file_fits_debians_own_nginx_conf(site):
    # Included where Debian's nginx.conf includes sites-enabled/, beside what that file already
    # sets in its http block (gzip, ssl_protocols, the mime types): `nginx -t` finds no clash.
    debian = Path("/etc/nginx/nginx.conf")
    if not debian.exists():
        pytest.skip("no /etc/nginx/nginx.conf")
    folder = site["folder"]
    conf = debian.read_text()
    assert conf.count("include /etc/nginx/sites-enabled/*;") == 1
    conf = conf.replace("include /etc/nginx/sites-enabled/*;", f"include {folder}/cesdash.conf;")
    # Only its files move to the test's folder: pid, logs and the folders nginx writes in.
    conf = re.sub(r"^pid .*;$", f"pid {folder}/debian.pid;", conf, flags=re.M)
    conf = re.sub(r"(access_log|error_log) /var/log/nginx/\S+;", rf"\1 {folder}/debian-\1;", conf)
    temporary = " ".join(f"{kind}_temp_path {folder}/{kind};" for kind in
                         ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))  # fmt: skip
    conf = conf.replace("http {", "http {\n" + temporary, 1)
    (folder / "debian.conf").write_text(conf)
    checked = subprocess.run(
        [NGINX, "-p", str(folder), "-c", str(folder / "debian.conf"), "-e",
         str(folder / "error.log"), "-t"],  # fmt: skip
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr
