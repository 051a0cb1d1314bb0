"""A real PostgreSQL server stops, and restarts under load, behind a real gunicorn.

The test starts a cluster of its own (initdb into a temporary folder, a free port on 127.0.0.1)
and gunicorn in production mode against it. It runs once, in the PostgreSQL pass of the suite;
the SQLite pass takes a SQLite file away instead (test_faults.py).
"""

import itertools
import os
import threading
import time

import pytest
from fault_servers import (
    UNAVAILABLE,
    assert_unavailable,
    get,
    gunicorn,
    postgres_bin,
    prepare_database,
    scratch_postgres,
)

PG_BIN = postgres_bin()

pytestmark = [
    pytest.mark.skipif(
        PG_BIN is None,
        reason="PostgreSQL's server binaries are not installed (/usr/lib/postgresql/*/bin)",
    ),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="runs once, in the PostgreSQL pass (DATABASE_URL=postgres://…); it starts a "
        "PostgreSQL server of its own",
    ),
]

# Cached pages (each still reads the data version: one query), and pages whose query string
# changes with every request, so the page cache never has them and the table is read.
PAGES = ["/", "/index.json", "/cities/daegu/", "/sources/"]
LOAD = ["/readyz", "/exhibits/?page={n}", "/", "/contracts/?page={n}", "/cities/daegu/"]


@pytest.fixture(scope="module")
def site():
    with scratch_postgres(PG_BIN) as postgres:
        prepare_database(postgres.url)
        with gunicorn(postgres.url) as base:
            yield postgres, base


def test_while_postgresql_is_down_pages_answer_503_and_recover_by_themselves(site):
    postgres, base = site
    for page in PAGES:
        assert get(base + page).status == 200, page

    postgres.pg_ctl("stop", "-m", "fast")
    try:
        assert_unavailable(base, PAGES)
    finally:
        postgres.pg_ctl("start")

    # The first requests after the start are served: on every worker, with no restart of ours.
    for _ in range(4):
        assert get(base + "/readyz").status == 200
        for page in PAGES:
            assert get(base + page).status == 200, page


def test_after_a_restart_while_idle_the_first_requests_are_served(site):
    # Every worker holds a connection from before the restart: each must notice it is dead
    # (CONN_HEALTH_CHECKS) rather than fail the first request that uses it.
    postgres, base = site
    for _ in range(8):
        assert get(base + "/readyz").status == 200
        assert get(base + "/").status == 200

    postgres.pg_ctl("restart", "-m", "fast")

    answers = [(page, get(base + page)) for _ in range(4) for page in ["/readyz", *PAGES]]
    assert [(page, answer) for page, answer in answers if answer.status != 200] == []


def test_a_postgresql_restart_under_load_loses_no_request(site):
    postgres, base = site
    answers = []  # (started, finished, path, answer), from every client
    counter = itertools.count(1)
    done = threading.Event()
    give_up = time.monotonic() + 30  # the whole test is bounded, whatever happens

    def client():
        while not done.is_set() and time.monotonic() < give_up:
            n = next(counter)
            page = LOAD[n % len(LOAD)].format(n=n)
            started = time.monotonic()
            answer = get(base + page, timeout=10)
            answers.append((started, time.monotonic(), page, answer))

    clients = [threading.Thread(target=client) for _ in range(4)]
    for thread in clients:
        thread.start()
    try:
        time.sleep(3)
        restarting = time.monotonic()
        postgres.pg_ctl("restart", "-m", "fast")  # returns once the server accepts connections
        restarted = time.monotonic()
        assert postgres.accepts_connections()
        time.sleep(5)
    finally:
        done.set()
        for thread in clients:
            thread.join(timeout=20)

    before = [answer for _, finished, _, answer in answers if finished < restarting]
    after = [(page, answer) for started, _, page, answer in answers if started >= restarted]
    during = [
        (page, answer)
        for started, finished, page, answer in answers
        if finished >= restarting and started < restarted
    ]
    assert len(before) > 10 and len(after) > 10, (len(before), len(after))
    assert {answer.status for answer in before} == {200}
    # While it restarts a page may say the database is unavailable, and nothing worse.
    assert [(page, a) for page, a in during if a.status not in (200, 503)] == []
    unavailable = [(page, a) for page, a in during if a.status == 503]
    assert all(
        ("database unavailable" if page == "/readyz" else UNAVAILABLE["en"]) in a.text
        for page, a in unavailable
    ), unavailable
    # Once it accepts connections again, no request fails.
    assert [(page, a) for page, a in after if a.status != 200] == []
    print(f"{len(answers)} requests, {len(unavailable)} answered 503 while PostgreSQL restarted")
