"""While the database cannot be reached, pages say so with a 503 instead of failing with a 500.

A restart of PostgreSQL, a failover or a full connection pool is an outage of a few seconds: the
request that meets it gets a short page in the reader's language and a `Retry-After`, and the
next request after the database returns is served as usual (Django drops a connection that
failed at the end of its request, and checks a kept one before reusing it).
"""

import logging

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait: a restart or a failover takes about this long.
RETRY_AFTER = 10


def is_database_unavailable(error):
    """Whether `error` says the database could not be reached or used just now.

    Django raises its own OperationalError and InterfaceError for what the driver raises (psycopg:
    connection refused or closed, the server shutting down or starting up, a pool timeout;
    SQLite: a file that cannot be opened, a lock held too long), and the driver's own classes
    are caught too for code that uses a raw connection. A query that is wrong is a
    ProgrammingError or a DataError, and stays a 500.
    """
    drivers = {connection.Database for connection in connections.all()}
    raw = tuple(kind for db in drivers for kind in (db.OperationalError, db.InterfaceError))
    return isinstance(error, (OperationalError, InterfaceError, *raw))


def unavailable(request):
    """The 503 page (for a JSON twin, the same words as JSON). It needs neither the database
    nor a session, and is never cached."""
    if request.path.endswith(".json"):
        message = {"error": _("The dashboard is briefly unavailable")}
        response = JsonResponse(message, status=503, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Answer a view that failed on an unreachable database with `unavailable()`.

    The page cache reads the data version before any page (`cesdash.caching`), so on a public
    page this is where an outage shows first; the admin meets it reading the session. Errors
    raised outside a view go to `cesdash.views.server_error`, which answers the same way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        logger.warning("Database unavailable on %s: %s", request.path, exception)
        return unavailable(request)
