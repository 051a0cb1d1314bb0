from django.apps import AppConfig


class CesdashConfig(AppConfig):
    name = "cesdash"
    verbose_name = "cesdash"

    def ready(self):
        from . import caching

        caching.connect()
