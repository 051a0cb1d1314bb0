"""The admin site: every changelist filters only by what it offers.

Django's changelist applies any lookup in its address to the queryset: `?name__regex=(` reaches
the database and fails there (a 500 on SQLite and on PostgreSQL), PostgreSQL refuses a NUL byte
(a 500), and an unknown field or a relation the list does not filter by gives a bare 400 or a
redirect that says nothing. The site below gives every ModelAdmin registered on it, ours and
those of auth and axes alike, `OfferedLookupsOnly`: a changelist address asking for more than
the list's own filters (`list_filter`, `date_hierarchy`, the `limit_choices_to` of raw-id
popups), search, sort and paging is answered with a redirect to the address without the rest,
and a message saying what was left out. A changelist only reads, so nothing can be lost. An add
form's address (`?edition=3` fills the field in) is treated alike: `?region=abc` leaves the
field empty, with a message, instead of a 500. The autocomplete boxes drop NUL bytes from what
is typed.
"""

from django.contrib import admin, messages
from django.contrib.admin.filters import FieldListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.views.main import ERROR_FLAG, IGNORED_PARAMS, PAGE_VAR
from django.contrib.admin.widgets import url_params_from_lookup_dict
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection
from django.db.models import Field, IntegerField
from django.http import HttpResponseRedirect
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .exports import without_nul

# Search, sort, paging, "show all", popups and facets: read by the changelist itself.
CONTROL_PARAMS = frozenset({*IGNORED_PARAMS, PAGE_VAR})
# How many of the names left out a message lists, and how much of each.
NAMES_SHOWN, NAME_LENGTH = 5, 40


class OfferedLookupsOnly:
    """A ModelAdmin mixin: the changelist answers only the lookups its filters offer."""

    def changelist_view(self, request, extra_context=None):
        query, dropped, had_nul = self.offered_query(request)
        if dict(query.lists()) != dict(request.GET.lists()):
            if dropped:
                names = ", ".join(Truncator(n).chars(NAME_LENGTH) for n in dropped[:NAMES_SHOWN])
                if len(dropped) > NAMES_SHOWN:
                    names += ", …"
                messages.warning(
                    request,
                    ngettext(
                        "This list cannot be filtered by %(names)s, so it is shown without it.",
                        "This list cannot be filtered by %(names)s, so it is shown without them.",
                        len(dropped),
                    )
                    % {"names": names},
                )
            if had_nul:
                messages.warning(request, _("Null characters were removed from the address."))
            if request.method in ("GET", "HEAD"):
                return HttpResponseRedirect(f"{request.path}?{query.urlencode()}".rstrip("?"))
            # A form sent from the list (an action) goes on, with the list's filters cleaned.
            request.GET = query
        return super().changelist_view(request, extra_context)

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except IncorrectLookupParameters:
            # Django answers with the list unfiltered (`?e=1`); say why.
            messages.error(
                request,
                _("The list cannot be filtered by that value, so it is shown without filters."),
            )
            raise

    def get_changeform_initial_data(self, request):
        """The add form's values from its address (`?edition=3`), less those of a relation that
        can name no row (`?region=abc`, a NUL byte, a number past the database's range): the
        form would look them up, and the database refuse them."""
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            keys = value if isinstance(value, list) else [value]  # many-to-many: a list
            if field.is_relation and not all(possible_key(field.target_field, k) for k in keys):
                del initial[name]
                messages.warning(
                    request,
                    _("The address names no %(field)s like that, so the field is left empty.")
                    % {"field": field.verbose_name},
                )
        return initial

    def offered_query(self, request):
        """The address's query without NUL bytes and without what the list does not offer:
        (query, the names left out, whether NUL bytes were removed)."""
        query = without_nul(request.GET)
        had_nul = dict(query.lists()) != dict(request.GET.lists())
        lookups = [key for key in query if key not in CONTROL_PARAMS and key != ERROR_FLAG]
        if not lookups:
            return query, [], had_nul
        offered = self.offered_lookups(request)
        dropped = [key for key in lookups if key not in offered]
        for key in dropped:
            del query[key]
        if ERROR_FLAG in query and len(lookups) > len(dropped):
            # Django sends its "filtering failed" flag alone: beside a filter it would turn a
            # bad value into a "database error" page instead of a message.
            del query[ERROR_FLAG]
        return query, dropped, had_nul

    def offered_lookups(self, request):
        """The query-string parameters the changelist's own filters read."""
        offered = set()
        for item in self.get_list_filter(request):
            offered.update(self.list_filter_spec(request, item).expected_parameters())
        if self.date_hierarchy:
            offered.update(f"{self.date_hierarchy}__{part}" for part in ("year", "month", "day"))
        for lookup in self.model._meta.related_fkey_lookups:  # raw-id popups' choices
            offered.update(url_params_from_lookup_dict(lookup() if callable(lookup) else lookup))
        return offered

    def list_filter_spec(self, request, item):
        """The filter a `list_filter` item stands for, as the changelist builds it."""
        if callable(item):  # a SimpleListFilter
            return item(request, {}, self.model, self)
        field, spec_class = item if isinstance(item, tuple | list) else (item, None)
        field_path = None
        if not isinstance(field, Field):
            field_path = field
            field = get_fields_from_path(self.model, field_path)[-1]
        spec_class = spec_class or FieldListFilter.create
        return spec_class(field, request, {}, self.model, self, field_path=field_path)


def possible_key(field, value):
    """Whether `value` could be a value of `field` in the database."""
    if "\x00" in str(value):
        return False
    try:
        value = field.to_python(value)
    except ValidationError:
        return False
    if isinstance(field, IntegerField):
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        return (low is None or value >= low) and (high is None or value <= high)
    return True


class AdminSite(admin.AdminSite):
    """The default admin site (see `cesdash.apps.AdminConfig`): every ModelAdmin registered on
    it, whoever registers it, answers changelist lookups through `OfferedLookupsOnly`."""

    def autocomplete_view(self, request):
        # The typed term goes to the database, and PostgreSQL refuses a NUL byte (a 500).
        request.GET = without_nul(request.GET)
        return super().autocomplete_view(request)

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, OfferedLookupsOnly):
            admin_class = type(
                admin_class.__name__,
                (OfferedLookupsOnly, admin_class),
                {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
            )
        super().register(model_or_iterable, admin_class, **options)
