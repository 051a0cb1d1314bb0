from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CesdashConfig(AppConfig):
    name = "cesdash"
    verbose_name = "cesdash"

    def ready(self):
        from . import caching

        caching.connect()


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the site of `cesdash.admin`, whose changelists answer only the
    lookups they offer."""

    default_site = "cesdash.admin.AdminSite"
