"""gunicorn settings, from the environment; `make run` starts
`gunicorn -c cesdash/gunicorn.conf.py cesdash.wsgi`.

Threaded workers (gthread): a client slowly downloading an export holds one thread, not a whole
process, and a worker busy with a long request still reports itself alive, so `timeout` only
kills a worker that is truly stuck.
"""

import os


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value else default


# Loopback by default: a proxy in front (nginx) faces the network. GUNICORN_BIND names other
# addresses, comma-separated: "0.0.0.0:8000", "[::]:8000", "unix:/run/cesdash/gunicorn.sock".
bind = [
    address.strip()
    for address in os.environ.get("GUNICORN_BIND", f"127.0.0.1:{env_int('PORT', 8000)}").split(",")
    if address.strip()
]

# One process per CPU this process may run on, each with a few threads. Every thread keeps its
# own database connection: workers x threads per app server counts against PostgreSQL's
# max_connections.
worker_class = "gthread"
workers = env_int(
    "WEB_CONCURRENCY",
    len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
)
threads = env_int("GUNICORN_THREADS", 4)

timeout = env_int("GUNICORN_TIMEOUT", 30)
# On HUP or TERM, requests under way get this long to finish before their worker is stopped.
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Seconds an idle keep-alive connection is kept: above gunicorn's 2 s default, as its docs advise
# behind a proxy. A proxy that reuses its connections to gunicorn must drop idle ones sooner
# (nginx: keepalive_timeout in the upstream block), or a request may meet one gunicorn is closing.
keepalive = env_int("GUNICORN_KEEPALIVE", 5)
# Each worker is replaced after about this many requests (staggered by the jitter, so they do not
# all restart at once), which bounds the memory a long-lived process can grow to. High, because
# a new worker starts with an empty page cache and imports everything again: at 1,000 a busy
# server replaced each worker every few seconds and served the home page at half the rate.
# The page cache itself is bounded (CESDASH_CACHED_PAGES).
max_requests = env_int("GUNICORN_MAX_REQUESTS", 50_000)
max_requests_jitter = max_requests // 10

# gunicorn's control socket (for `gunicornc`) is at one path per user by default, which a second
# instance on the same machine takes over; it is on only where GUNICORN_CONTROL_SOCKET names one.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

# Access log on stdout, errors on stderr, for the service manager to collect; %(L)s is the time
# the request took, in seconds.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(L)s'
