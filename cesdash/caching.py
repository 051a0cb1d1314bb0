"""Rendered pages, cached until the data changes.

Every change to the CES data bumps one number in the database (`DataVersion`): a save or delete of
any record of `delegations` or `companies` (admin, import, publication, `update_articles`), and
the bulk writes of `generate_synthetic`, which call `DataVersion.bump()` themselves. A public
page is cached under its address, its language and that number, so staff see a change at once,
on every app server sharing the database, and entries of older versions simply age out of the
cache. Each request reads the number (one query); a cached page costs nothing more.

The threads of one process that ask for the same page while it is not cached wait for the first
of them to render it (`first_render`), rather than each rendering it: after every change of the
data, a busy page's first visitors would otherwise render it once per thread, all at once.

A cached page carries an ETag, so a browser's repeat view is a 304 with no body. It is
compressed once, for the first visitor who asks for gzip, and kept compressed as well, so gzip
costs nothing per request either. Staff, who are logged in, get pages rendered for them.

The pages read tables derived from the records (`cesdash.models.SUMMARIES`: the company
summaries, the counts of records, the cities' totals), rebuilt when the data version moves.
Before any page is served or rendered, the number read tells whether they are current; where
not, they are rebuilt first (`DataVersion.summaries_current`), so no view has to remember to.
"""

import gzip
import hashlib
import threading
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from .models import DataVersion

# The apps whose records the pages show: a change to any of them is a change of the data.
DATA_APPS = {"delegations", "companies"}
# A page is kept until its version is superseded; this only bounds an idle entry's life.
TIMEOUT = 24 * 60 * 60
# Bigger pages are not worth a cache slot (no page is meant to be near this).
MAX_BYTES = 2_000_000

_version = ContextVar("data_version", default=None)


def data_version():
    """The data version the current request reads, else the database's."""
    version = _version.get()
    return DataVersion.current() if version is None else version


_sources = {}


def sources_by_key(keys):
    """The articles with these keys: read once per data version in each process (a page's
    totals cite a handful of them, and they change only with the data)."""
    from delegations.models import Source

    version = data_version()
    if _sources.get("version") != version:
        _sources.clear()
        _sources["version"] = version
    missing = [key for key in keys if key not in _sources]
    if missing:
        _sources.update(Source.objects.in_bulk(missing, field_name="key"))
        _sources.update((key, None) for key in missing if key not in _sources)
    return {key: _sources[key] for key in keys if _sources[key] is not None}


def bump_on_change(sender, raw=False, **kwargs):
    """Signal receiver: a record of the data changed (history rows are not data)."""
    meta = sender._meta
    if meta.app_label in DATA_APPS and not meta.object_name.startswith("Historical"):
        DataVersion.bump()


def connect():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(bump_on_change, dispatch_uid=f"cesdash-data-version-{signal}")


def page_key(request, version):
    path = request.get_full_path()
    digest = hashlib.sha256(f"{version}|{request.LANGUAGE_CODE}|{path}".encode()).hexdigest()
    return f"page:{digest[:40]}"


_rendering = {}  # page key -> the lock its first render holds
_rendering_guard = threading.Lock()


@contextmanager
def first_render(key):
    """Held while a thread renders the page under `key`: another thread of this process
    that misses the same page waits here, then finds it cached. One lock a page being
    rendered, dropped when its render ends."""
    with _rendering_guard:
        lock = _rendering.setdefault(key, threading.Lock())
    with lock:
        try:
            yield
        finally:
            with _rendering_guard:
                if _rendering.get(key) is lock:
                    del _rendering[key]


def cached_page(view):
    """Serve the view's page from the cache while the data version is unchanged."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or "_export" in request.GET:
            DataVersion.summaries_current()
            return view(request, *args, **kwargs)
        version, summarised = DataVersion.state()
        if not summarised:
            DataVersion.summaries_current()
        token = _version.set(version)
        try:
            if request.user.is_authenticated:
                return view(request, *args, **kwargs)
            key = page_key(request, version)
            entry = cache.get(key)
            if entry is None:
                with first_render(key):
                    entry = cache.get(key)  # rendered while this thread waited
                    if entry is None:
                        response = view(request, *args, **kwargs)
                        if response.status_code != 200 or response.streaming:
                            return response
                        entry = (response.content, None, response["Content-Type"])
                        if len(entry[0]) <= MAX_BYTES:
                            cache.set(key, entry, TIMEOUT)
            if accepts_gzip(request) and entry[1] is None:
                # Compressed once, for the first visitor who asks for it, and kept so.
                entry = (entry[0], gzip.compress(entry[0], 6), entry[2])
                if len(entry[0]) <= MAX_BYTES:
                    cache.set(key, entry, TIMEOUT)
            return served(request, entry, key)
        finally:
            _version.reset(token)

    return wrapper


def accepts_gzip(request):
    return "gzip" in request.headers.get("Accept-Encoding", "")


def served(request, entry, key):
    content, compressed, content_type = entry
    gzipped = accepts_gzip(request)
    response = HttpResponse(compressed if gzipped else content, content_type=content_type)
    if gzipped:
        response["Content-Encoding"] = "gzip"
    # The same page for everyone: revalidated on every view, a 304 while unchanged.
    response["ETag"] = f'"{key[5:]}"'
    response["Cache-Control"] = "no-cache"
    patch_vary_headers(response, ("Accept-Encoding", "Accept-Language", "Cookie"))
    return response
