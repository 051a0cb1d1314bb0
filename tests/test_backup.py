"""Backups as docs/deploy.md describes them give back what was saved.

- `pg_dump -Fc` of the whole database, restored with `pg_restore` into a scratch database: every
  table of the schema (read from the catalog) has the same rows, and every sequence the same
  value (PostgreSQL only: skipped elsewhere, or without PostgreSQL's client programs).
- The CES data alone, with the `dumpdata` command the guide gives, loaded with `loaddata` into
  an emptied database: the same records, field for field and id for id, and the same pages,
  JSON twins and exports.
"""

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core import serializers
from django.core.cache import cache
from django.core.management import call_command, load_command_class
from django.db import connection

from cesdash.models import DataVersion
from companies.models import Company, Contract, Exhibit
from delegations.models import Pavilion, ReportedFigure

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "deploy.md"


def postgres_program(name):
    """PostgreSQL's own client program (the newest installed), which must not be older than
    the server: Debian's /usr/bin wrappers may pick another version."""
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[4]))
    return str(found[-1]) if found else shutil.which(name)


def real_data_and_edits():
    """The articles' data as `make run` loads it, and what staff add on top: a draft company
    with a draft exhibit, a new published contract, and a change awaiting publication."""
    call_command("load_articles", verbosity=0)
    pavilion = Pavilion.all_objects.get(edition__year=2024, slug="daegu")
    company = Company.objects.create(
        slug="backup-robotics",
        name_ko="백업로보틱스",
        name_en="Backup Robotics",
        region=pavilion.region,
        source=pavilion.source,
    )
    Exhibit.all_objects.create(
        company=company,
        edition=pavilion.edition,
        pavilion=pavilion,
        source=pavilion.source,
        showed_ko="물류 로봇",
        published=False,
    )
    Contract.all_objects.create(
        key="backup-robotics-2024",
        company=company,
        edition=pavilion.edition,
        pavilion=pavilion,
        amount=2_500_000,
        currency="USD",
        source=pavilion.source,
    )
    figure = ReportedFigure.all_objects.get(pavilion=pavilion, metric="companies")
    figure.value = 17
    figure.stage()
    User.objects.create_user("editor", password="a long enough passphrase", is_staff=True)
    DataVersion.summaries_current()


# ------------------------------------------------------------------------ pg_dump, pg_restore


def table_contents(conninfo):
    """Every table of the schema, from the catalog: its row count and a digest of its rows;
    and every sequence's value."""
    import psycopg

    with psycopg.connect(**conninfo) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
            )
        ]
        contents = {
            name: db.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), "
                f"'')) FROM \"{name}\" t"
            ).fetchone()
            for name in tables
        }
        sequences = dict(
            db.execute(
                "SELECT sequencename, last_value FROM pg_sequences "
                "WHERE schemaname = current_schema()"
            ).fetchall()
        )
    return contents, sequences


@pytest.fixture
def postgres(transactional_db):
    """The test database, committed (so that pg_dump, another session, sees its rows)."""
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump needs PostgreSQL: set DATABASE_URL to a PostgreSQL database")
    if not (postgres_program("pg_dump") and postgres_program("pg_restore")):
        pytest.skip("PostgreSQL's client programs are missing (apt-get install postgresql)")
    settings = connection.settings_dict
    conninfo = {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
        "dbname": settings["NAME"],
    }
    variables = {"PGHOST": "host", "PGPORT": "port", "PGUSER": "user", "PGPASSWORD": "password"}
    env = {**os.environ, **{v: str(conninfo[k]) for v, k in variables.items() if conninfo[k]}}
    return conninfo, env


def test_pg_restore_gives_back_every_row_of_every_table(postgres, tmp_path):
    conninfo, env = postgres
    real_data_and_edits()
    dump, scratch = tmp_path / "cesdash.dump", f"{conninfo['dbname']}_restored"
    subprocess.run(
        [postgres_program("pg_dump"), "-Fc", "-f", dump, "-d", conninfo["dbname"]],
        env=env, check=True, timeout=120,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{scratch}"')
    try:
        subprocess.run(
            [postgres_program("pg_restore"), "--no-owner", "--exit-on-error", "-d", scratch, dump],
            env=env, check=True, timeout=120,
        )  # fmt: skip
        saved, saved_sequences = table_contents(conninfo)
        restored, restored_sequences = table_contents({**conninfo, "dbname": scratch})
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')

    counts = {name: count for name, (count, _digest) in saved.items()}
    # Every model's table is there, and the data, the edits and the derived tables have rows.
    for model in apps.get_models():
        assert model._meta.db_table in saved, model._meta.label
    for table in ("delegations_reportedfigure", "companies_exhibit", "companies_contract",
                  "companies_historicalcontract", "cesdash_companysummary", "auth_user",
                  "django_migrations"):  # fmt: skip
        assert counts[table] > 0, table
    assert {name: count for name, (count, _) in restored.items()} == counts
    assert restored == saved  # the same rows, not only as many
    assert restored_sequences == saved_sequences


# ------------------------------------------------------------------------ dumpdata, loaddata


def documented_dumpdata():
    """The guide's `cesdash-manage dumpdata` command (one shell command, perhaps continued over
    several lines), parsed as dumpdata parses it."""
    text = GUIDE.read_text().replace("\\\n", " ")
    line = next(line for line in text.splitlines() if "cesdash-manage dumpdata" in line)
    words = shlex.split(line)
    parser = load_command_class("django.core", "dumpdata").create_parser("manage.py", "dumpdata")
    return parser.parse_args(words[words.index("dumpdata") + 1 :])


def ces_models():
    """The models holding the CES data: every model of `delegations` and `companies` but the
    history simple_history keeps of them."""
    return [
        model
        for label in ("delegations", "companies")
        for model in apps.get_app_config(label).get_models()
        if not model._meta.object_name.startswith("Historical")
    ]


def records():
    """Each CES model's rows, every field and the id."""
    return {
        model._meta.label: sorted(
            (
                repr(row)
                for row in serializers.serialize(
                    "python",
                    model._default_manager.all(),
                    use_natural_foreign_keys=True,
                )
            ),
        )
        for model in ces_models()
    }


SHOWN = [
    "/index.json",
    "/cities/daegu.json",
    "/editions/2024/daegu.json",
    "/sources.json",
    "/results/?_export=csv",
    "/contracts/?_export=csv",
    "/exhibits/?_export=csv",
]


def what_the_site_shows(client):
    """The JSON twins and exports of the pages showing the data, as the public gets them."""
    shown = {}
    for path in SHOWN:
        cache.clear()
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="ko")
        assert response.status_code == 200, path
        shown[path] = b"".join(response) if response.streaming else response.content
    return shown


# Committed rows, as in production: `flush` empties the database as it would a real one.
def test_dumpdata_of_the_ces_data_loads_back_into_an_empty_database(
    transactional_db, client, tmp_path
):
    command = documented_dumpdata()
    # Every model of the CES data is in the guide's command, whatever is added later. Each
    # record keeps its id: the pages link a figure by it (`/sources/<key>/?figure=<id>`).
    assert sorted(command.args) == sorted(model._meta.label_lower for model in ces_models())
    assert command.use_natural_foreign_keys and not command.use_natural_primary_keys
    real_data_and_edits()
    saved, shown = records(), what_the_site_shows(client)
    assert all(saved.values()), "every CES model has rows"
    assert "백업로보틱스" in shown["/contracts/?_export=csv"].decode()

    output = tmp_path / "ces-data.json"
    call_command(
        "dumpdata",
        *command.args,
        use_natural_foreign_keys=command.use_natural_foreign_keys,
        use_natural_primary_keys=command.use_natural_primary_keys,
        indent=command.indent,
        output=str(output),
        verbosity=0,
    )
    call_command("flush", interactive=False, verbosity=0)
    assert not any(records().values()), "the database is empty"
    call_command("loaddata", str(output), verbosity=0)

    restored = records()
    assert {label: len(rows) for label, rows in restored.items()} == {
        label: len(rows) for label, rows in saved.items()
    }
    assert restored == saved
    # The draft stays a draft and the waiting change waits: the pages show what they showed.
    assert Exhibit.all_objects.get(company__slug="backup-robotics").published is False
    figure = ReportedFigure.all_objects.get(
        edition__year=2024, pavilion__slug="daegu", metric="companies"
    )
    assert (figure.value, figure.pending) == (16, {"value": "17"})
    assert what_the_site_shows(client) == shown
