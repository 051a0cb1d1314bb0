"""The editors group: staff in it add, change and delete CES data (and see its history); they
cannot manage users or groups. Staff in no group see nothing to change."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "editors"
CES_APPS = ["delegations", "companies"]


def create_editors(apps, schema_editor=None):
    """Also run by tests whose database was flushed (a browser test's live server)."""
    # On a fresh database the permissions are created after the last migration: make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _created = Group.objects.get_or_create(name=GROUP)
    editors.permissions.set(Permission.objects.filter(content_type__app_label__in=CES_APPS))


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("cesdash", "0001_initial"),
        ("delegations", "0005_source_placed_on"),
        ("companies", "0005_null_ordering"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]
