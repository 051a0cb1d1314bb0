"""WSGI entry point, served by gunicorn (see cesdash/gunicorn.conf.py).

The application is loaded whole before the first request: the URLconf, and through it every
view, table and model module. What loading allocated lives as long as the process, so it is then
moved out of the garbage collector's sight (`gc.freeze()`): a full collection walked all of it,
about 120,000 objects, and took 60-110 ms of whichever request it fell in, about one in ten.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cesdash.settings")

application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 (imports the URLconf and every view it names)
gc.freeze()
