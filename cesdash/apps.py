import contextlib
import weakref

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


def remember_signatures():
    """django-tables2 works out the signature of a column's render function (inspect) for each
    cell it renders: a fifth of a table's rows. A function's signature does not change, so it
    is worked out once a function (bound methods, whose `self` it leaves out, apart)."""
    from django_tables2 import utils

    signature = utils.signature
    remembered = {True: weakref.WeakKeyDictionary(), False: weakref.WeakKeyDictionary()}

    def remembered_signature(fn):
        function = getattr(fn, "__func__", fn)
        known = remembered[function is not fn]
        try:
            return known[function]
        except (KeyError, TypeError):  # TypeError: not weakly referable (a partial, a builtin)
            result = signature(fn)
            with contextlib.suppress(TypeError):
                known[function] = result
            return result

    utils.signature = remembered_signature


class CesdashConfig(AppConfig):
    name = "cesdash"
    verbose_name = "cesdash"

    def ready(self):
        from . import caching

        caching.connect()
        remember_signatures()


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the site of `cesdash.admin`, whose changelists answer only the
    lookups they offer."""

    default_site = "cesdash.admin.AdminSite"
