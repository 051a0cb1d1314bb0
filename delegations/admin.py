"""Admin for staff who enter each year's figures from press releases: what cities report.

The pavilion page here holds the reported figures and per-region counts; `companies.admin` adds
the pavilion's itemised records (exhibits, contracts, agreements) to the same page.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Delegation,
    Edition,
    Pavilion,
    Publishable,
    Region,
    RegionalCompanyCount,
    ReportedFigure,
    Source,
)


def latest_change(obj):
    """The row's newest history record, or None for a row nobody has saved since it was loaded."""
    return obj.history.order_by("-history_id").select_related("history_user").first()


class EditConflictForm(forms.ModelForm):
    """A change form that refuses to save over someone else's save.

    The form carries the id of the record's newest history entry as it was when the page was
    opened; if another save has come in since, this save is refused with a message naming who
    saved and when, and the other editor's values stay.
    """

    edited_from = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            latest = latest_change(self.instance)
            self.initial["edited_from"] = str(latest.history_id) if latest else ""

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        latest = latest_change(self.instance)
        if latest and str(latest.history_id) != (cleaned.get("edited_from") or ""):
            raise forms.ValidationError(
                _(
                    "%(user)s saved this record at %(time)s, while you were editing it. Your "
                    "changes were not saved, so that theirs are not lost: open the record again "
                    "to see what they changed, then make your changes once more."
                ),
                code="edit_conflict",
                params={
                    "user": latest.history_user or _("someone"),
                    "time": formats.date_format(
                        timezone.localtime(latest.history_date), "DATETIME_FORMAT"
                    ),
                },
            )
        return cleaned


def inherit_from_parent(obj, parent):
    """A pavilion's inline rows take their edition, and city where they have one, from the
    pavilion: the inline form does not ask for them. (A per-region count keeps its own region:
    that is what it counts.)"""
    if not isinstance(parent, Pavilion):
        return
    if hasattr(obj, "edition_id"):
        obj.edition_id = parent.edition_id
    if hasattr(obj, "region_id") and not isinstance(obj, RegionalCompanyCount):
        obj.region_id = parent.region_id


class SharedChoicesAutocomplete(AutocompleteSelect):
    """An autocomplete box that shows its chosen record from `known`, when the formset has
    fetched the chosen records of all its rows at once, instead of one query per row."""

    known = None  # {str(pk): record}

    def optgroups(self, name, value, attr=None):
        chosen = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if self.known is None or not chosen <= self.known.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        for key in sorted(chosen):
            record = self.known[key]
            label = self.choices.field.label_from_instance(record)
            options.append(self.create_option(name, record.pk, label, chosen, len(options)))
        return [(None, options, 0)]


class CesInlineFormSet(forms.BaseInlineFormSet):
    """Inline rows checked against every constraint before anything is saved, those on the
    fields the row form does not show included (the link to the page's record, what the row
    takes from it): a clash is a form error on its row, never a database error.

    The records chosen in the rows' autocomplete boxes are fetched once per field for all the
    rows, so a pavilion with 500 exhibits opens with as many queries as one with 5.
    """

    def get_queryset(self):
        # The rows as staff edit them: drafts included, waiting changes applied.
        if not hasattr(self, "_rows"):
            rows = list(super().get_queryset())
            self._rows = [r.with_pending() if isinstance(r, Publishable) else r for r in rows]
        return self._rows

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.base_fields.items():
            if isinstance(getattr(field.widget, "widget", field.widget), SharedChoicesAutocomplete):
                self.share_choices(name, field)

    def share_choices(self, name, field):
        chosen = {form[name].value() for form in self.forms} - {None, ""}
        known = {str(record.pk): record for record in field.queryset.filter(pk__in=chosen)}
        for form in self.forms:
            widget = form.fields[name].widget
            getattr(widget, "widget", widget).known = known

    def clean(self):
        super().clean()
        rows = [f for f in self.forms if f.is_valid() and f.has_changed() or f.instance.pk]
        rows = [f for f in rows if not self._should_delete_form(f)]
        for constraint in self.model._meta.constraints:
            # Rows of this page among themselves, e.g. two 'companies' figures of one pavilion.
            fields = getattr(constraint, "fields", ())
            if self.fk.name not in fields:
                continue
            others = [name for name in fields if name != self.fk.name]
            seen = set()
            for form in rows:
                key = tuple(form.cleaned_data.get(name) for name in others)
                if key in seen:
                    form.add_error(None, constraint.violation_error_message)
                seen.add(key)
        for form in rows:
            inherit_from_parent(form.instance, self.instance)
            if isinstance(form, ConfirmWarnings) and form.has_changed():
                form.check_warnings()
        if self.instance.pk is None:
            return  # no saved row can clash with the rows of a record not yet saved
        for form in rows:
            if form.errors:
                continue
            try:
                form.instance.validate_constraints()
            except forms.ValidationError as error:
                form.add_error(None, error)


class ConfirmWarnings(forms.ModelForm):
    """A figure's form that stops at what looks wrong (`ReportedFigure.warnings()`) until the
    editor ticks that they have checked it."""

    confirm_warnings = forms.BooleanField(
        label=_("Checked"),
        required=False,
        help_text=_("Tick after checking the warnings shown for this figure, then save again."),
    )

    def check_warnings(self):
        if self.errors or self.cleaned_data.get("confirm_warnings"):
            return
        said = self.instance.warnings()
        if said:
            self.add_error(
                None,
                [*said, _("If the figure is right, tick “Checked” and save again.")],
            )


class FigureForm(ConfirmWarnings):
    """A reported figure in the pavilion's inline table (its edition and city come from the
    pavilion: the formset fills them in before the warnings are worked out)."""


class FigureAdminForm(ConfirmWarnings, EditConflictForm):
    def _post_clean(self):
        super()._post_clean()
        self.check_warnings()


class CesInline(admin.TabularInline):
    """An inline table of a CES record's rows: checked as a whole (`CesInlineFormSet`), its
    rows read with their related records in one query, its autocomplete boxes filled from one
    query per field."""

    formset = CesInlineFormSet
    extra = 0

    def get_queryset(self, request):
        related = [f.name for f in self.model._meta.concrete_fields if f.is_relation]
        return super().get_queryset(request).select_related(*related)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SharedChoicesAutocomplete(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def save_entry(obj):
    """Save a record as staff entered it: a new record of a city's CES as a draft, a change to
    a published one as waiting for publication (`Publishable.stage`)."""
    if not isinstance(obj, Publishable):
        return obj.save()
    if obj.pk is None:
        obj.published = False
    return obj.stage()


class CesAdmin(SimpleHistoryAdmin):
    """Every CES record's admin: its history with revert (django-simple-history), no silent
    last-write-wins between two editors (`EditConflictForm`), and records of a city's CES
    entered as drafts or as changes waiting for publication, shown as such."""

    form = EditConflictForm

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        if issubclass(self.model, Publishable):
            return [*shown, "publication_status"]
        return shown

    def get_form(self, request, obj=None, **kwargs):
        # The history page's older version, too, is edited as it was to be published.
        if isinstance(obj, Publishable):
            obj.with_pending()
        return super().get_form(request, obj, **kwargs)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        # Staff edit the record as it will be published, its waiting changes included.
        return obj.with_pending() if isinstance(obj, Publishable) else obj

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        save_entry(obj)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for obj in instances:
            inherit_from_parent(obj, form.instance)
            save_entry(obj)
        formset.save_m2m()


@admin.register(Source)
class SourceAdmin(CesAdmin):
    list_display = ["title", "publisher_ko", "published_on", "language"]
    list_filter = ["language", "publisher_ko"]
    search_fields = ["title", "publisher_ko", "publisher_en", "key", "url"]
    prepopulated_fields = {"key": ["title"]}


@admin.register(Region)
class RegionAdmin(CesAdmin):
    list_display = ["name_ko", "name_en", "kind", "parent", "slug"]
    list_filter = ["kind"]
    search_fields = ["name_ko", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Delegation)
class DelegationAdmin(CesAdmin):
    list_display = ["edition", "region", "leader_ko", "departs_on", "returns_on"]
    list_filter = ["edition", "region"]
    search_fields = ["region__name_ko", "region__name_en", "leader_ko", "leader_en"]
    autocomplete_fields = ["edition", "region", "source"]
    list_select_related = ["edition", "region"]


# Quotes and notes in a table row: small boxes, so the row fits the screen.
COMPACT_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 28})}}


class ReportedFigureInline(CesInline):
    model = ReportedFigure
    form = FigureForm
    formfield_overrides = COMPACT_TEXT
    fields = [
        "metric",
        "value",
        "currency",
        "approximate",
        "converted_value",
        "converted_currency",
        "converted_approximate",
        "preview",
        "mixed_kinds",
        "source",
        "quote",
        "confirm_warnings",
    ]
    autocomplete_fields = ["source"]
    extra = 0


class RegionalCompanyCountInline(CesInline):
    model = RegionalCompanyCount
    formfield_overrides = COMPACT_TEXT
    fields = ["region", "companies", "approximate", "source", "quote"]
    autocomplete_fields = ["region", "source"]
    extra = 0


class DelegationInline(CesInline):
    model = Delegation
    formfield_overrides = COMPACT_TEXT
    fields = ["region", "leader_ko", "leader_en", "departs_on", "returns_on", "source", "implied"]
    autocomplete_fields = ["region", "source"]


class PavilionInline(CesInline):
    """The edition's pavilions, each linked to its own page for its figures and records."""

    model = Pavilion
    fields = ["region", "name_ko", "name_en", "slug", "kind", "source"]
    autocomplete_fields = ["region", "source"]
    show_change_link = True


class CityWideFigureInline(CesInline):
    """Figures a source gives for a city's whole delegation, not for one pavilion."""

    model = ReportedFigure
    form = FigureForm
    verbose_name = _("figure for a whole delegation")
    verbose_name_plural = _("figures for whole delegations (not for one pavilion)")
    formfield_overrides = COMPACT_TEXT
    fields = ["region", *ReportedFigureInline.fields]
    autocomplete_fields = ["region", "source"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pavilion__isnull=True)


@admin.register(Edition)
class EditionAdmin(CesAdmin):
    """A CES with everything about it on one page: delegations, pavilions (each opening its
    own page for its figures and records), city-wide figures; `companies.admin` adds the
    awards and agreements."""

    list_display = ["year", "starts_on", "ends_on", "korean_exhibitors", "source"]
    search_fields = ["year", "theme_ko", "theme_en"]
    autocomplete_fields = ["source"]
    inlines = [DelegationInline, PavilionInline, CityWideFigureInline]


@admin.register(Pavilion)
class PavilionAdmin(CesAdmin):
    list_display = ["name_ko", "name_en", "edition", "region", "kind"]
    list_filter = ["edition", "region", "kind"]
    search_fields = ["name_ko", "name_en", "slug"]
    autocomplete_fields = ["edition", "region", "source"]
    list_select_related = ["edition", "region"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [ReportedFigureInline, RegionalCompanyCountInline]


@admin.register(RegionalCompanyCount)
class RegionalCompanyCountAdmin(CesAdmin):
    list_display = ["pavilion", "region", "companies", "approximate"]
    list_filter = ["pavilion__edition", "region"]
    search_fields = ["pavilion__name_ko", "pavilion__name_en", "region__name_ko"]
    autocomplete_fields = ["pavilion", "region", "source"]
    list_select_related = ["pavilion__edition", "region"]


@admin.register(ReportedFigure)
class ReportedFigureAdmin(CesAdmin):
    form = FigureAdminForm
    list_display = [
        "edition",
        "region",
        "pavilion",
        "metric",
        "value",
        "currency",
        "approximate",
        "source",
    ]
    list_filter = ["edition", "region", "metric", "approximate", "currency"]
    search_fields = ["region__name_ko", "region__name_en", "pavilion__name_ko", "quote"]
    autocomplete_fields = ["edition", "region", "pavilion", "source"]
    list_select_related = ["edition", "region", "pavilion", "source"]
