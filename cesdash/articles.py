"""The articles' data (fixtures/ces_articles.json) and the database staff edit.

Starting the site never writes to the data: `load_articles` loads the fixture into an empty
database only. `update_articles` brings a changed fixture into a database in use, and never
overwrites what staff changed: a row with a history record other than this module's own (an
edit in the admin, say) keeps its values, and the update lists what it left alone.

Rows the fixture loads have no history (loaddata saves raw), so a row without any history, or
with only this module's, still holds what an earlier fixture put there and may be updated.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.db import transaction

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "ces_articles.json"
REASON = "update_articles: from fixtures/ces_articles.json"
CES_MODELS = ("delegations.source", "delegations.edition", "delegations.region")


def has_ces_data():
    """Whether the database holds any CES data (then loading the fixture is not starting up)."""
    return any(apps.get_model(label).objects.exists() for label in CES_MODELS)


def describe(obj):
    return f"{obj._meta.label} {obj}"


@dataclass
class Change:
    """A row of the fixture that differs from the database: field -> (database, fixture)."""

    row: str  # the row, described while it exists (a dry run rolls back)
    fields: dict

    def __str__(self):
        what = "; ".join(f"{name}: {old!r} → {new!r}" for name, (old, new) in self.fields.items())
        return f"{self.row}: {what}"


@dataclass
class Plan:
    created: list = field(default_factory=list)  # new rows, described
    updated: list = field(default_factory=list)  # Changes to rows staff never touched
    kept: list = field(default_factory=list)  # Changes refused: staff changed these rows
    unchanged: int = 0


def differences(current, incoming):
    """Field by field, what the fixture would change in a row."""
    changed = {}
    for f in incoming._meta.concrete_fields:
        if f.primary_key:
            continue
        old, new = getattr(current, f.attname), getattr(incoming, f.attname)
        if old != new:
            changed[f.name] = (old, new)
    return changed


def staff_changed(obj):
    """Whether anyone but this module saved the row (the admin, a script, an import)."""
    history = getattr(type(obj), "history", None)
    if history is None:
        return False
    return obj.history.exclude(history_change_reason=REASON).exists()


def update(path=FIXTURE, dry_run=False):
    """Bring the fixture into the database, as one transaction (rolled back for a dry run):
    new rows are added and rows staff never touched are updated, each save with a history
    record saying where it came from; rows staff changed are left as they are."""
    result = Plan()
    deferred = []
    with transaction.atomic(), open(path, encoding="utf-8") as stream:
        for item in serializers.deserialize("json", stream, handle_forward_references=True):
            incoming = item.object
            model = type(incoming)
            current = model._default_manager.filter(pk=incoming.pk).first() if incoming.pk else None
            new = current is None
            if not new:
                changed = differences(current, incoming)
                if not changed:
                    result.unchanged += 1
                    continue
                if staff_changed(current):
                    result.kept.append(Change(describe(current), changed))
                    continue
                result.updated.append(Change(describe(current), changed))
            incoming._change_reason = REASON
            incoming.save()
            if new:
                result.created.append(describe(incoming))
            if item.deferred_fields:
                deferred.append(item)
        for item in deferred:
            item.save_deferred_fields()
        if dry_run:
            transaction.set_rollback(True)
    return result
