"""Starting the site never writes to the data; updating from a changed fixture keeps staff's
edits. (`make run` runs `load_articles` on every start.)"""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

from cesdash.articles import FIXTURE
from delegations.models import ReportedFigure

ROOT = Path(__file__).resolve().parent.parent


def daegu_2019_main_pavilion_companies():
    return ReportedFigure.objects.get(
        edition__year=2019, pavilion__slug="daegu", metric="companies"
    )


def staff_edit(figure, value):
    """An edit as the admin saves it: a plain save, recorded in the history."""
    figure.value = value
    figure._change_reason = "corrected in the admin"
    figure.save()


def output(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_starting_up_loads_an_empty_database_and_then_never_again(db):
    assert "Installed" in output("load_articles")
    figure = daegu_2019_main_pavilion_companies()
    staff_edit(figure, 26)

    said = output("load_articles")

    assert "nothing loaded" in said
    figure.refresh_from_db()
    assert figure.value == 26
    assert [h.value for h in figure.history.order_by("history_date")] == [26]


def test_make_run_start_up_keeps_an_edit(tmp_path):
    """`make run`'s own set-up (`make fixtures`: migrate, then load the articles) run twice
    against a database file, with a figure edited between the runs: the edit stays."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}"}

    def run(*command):
        return subprocess.run(
            command, cwd=ROOT, env=env, check=True, capture_output=True, text=True
        ).stdout

    def manage(code):
        return run(sys.executable, "manage.py", "shell", "--no-imports", "-c", code)

    run("make", "-s", "fixtures")
    manage(
        "from delegations.models import ReportedFigure as F; "
        "f = F.objects.get(edition__year=2019, pavilion__slug='daegu', metric='companies'); "
        "f.value = 26; f.save()"
    )
    again = run("make", "-s", "fixtures")

    value = manage(
        "from delegations.models import ReportedFigure as F; "
        "print(F.objects.get(edition__year=2019, pavilion__slug='daegu', metric='companies').value)"
    )
    assert value.strip() == "26"
    assert "nothing loaded" in again


def changed_fixture(tmp_path, **values):
    """The fixture with Daegu's 2019 main-pavilion companies and CES 2019's anniversary set."""
    data = json.loads(FIXTURE.read_text())
    for obj in data:
        fields = obj["fields"]
        if obj["model"] == "delegations.reportedfigure" and fields["pavilion"] == [2019, "daegu"]:
            fields["value"] = (
                values["companies"] if fields["metric"] == "companies" else fields["value"]
            )
        if obj["model"] == "delegations.edition" and fields["year"] == 2019:
            fields["anniversary"] = values["anniversary"]
    data.append(
        {
            "model": "delegations.edition",
            "fields": {**data[[o["model"] for o in data].index("delegations.edition")]["fields"],
                       "year": 2025},
        }
    )  # fmt: skip
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(data, ensure_ascii=False))
    return path


def test_an_update_adds_and_corrects_untouched_rows_and_keeps_staff_edits(db, tmp_path):
    call_command("load_articles", verbosity=0)
    staff_edit(daegu_2019_main_pavilion_companies(), 26)
    fixture = changed_fixture(tmp_path, companies=27, anniversary=53)

    preview = output("update_articles", "--fixture", str(fixture), "--dry-run")
    from delegations.models import Edition

    assert not Edition.objects.filter(year=2025).exists()
    assert Edition.objects.get(year=2019).anniversary == 52
    said = output("update_articles", "--fixture", str(fixture))

    assert preview.replace("would add", "added").replace("would update", "updated") == said
    assert "+ delegations.Edition CES 2025" in said
    assert "~ delegations.Edition CES 2019: anniversary: 52 → 53" in said
    assert "! kept, edited by staff: delegations.ReportedFigure" in said
    assert "value: 26 → 27" in said
    assert said.strip().endswith(
        "added 1, updated 1, left 94 unchanged; 1 row(s) edited by staff kept as they are."
    )
    assert daegu_2019_main_pavilion_companies().value == 26
    assert Edition.objects.get(year=2019).anniversary == 53
    assert (
        Edition.objects.get(year=2025)
        .history.get()
        .history_change_reason.startswith("update_articles")
    )
    # Run again: the rows it wrote itself are not mistaken for staff's edits.
    again = output("update_articles", "--fixture", str(fixture))
    assert again.strip().endswith(
        "added 0, updated 0, left 96 unchanged; 1 row(s) edited by staff kept as they are."
    )
