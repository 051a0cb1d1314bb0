"""Admin for staff who enter each year's figures from press releases: what cities report.

The pavilion page here holds the reported figures and per-region counts; `companies.admin` adds
the pavilion's itemised records (exhibits, contracts, agreements) to the same page.
"""

from django import forms
from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Delegation,
    Edition,
    Pavilion,
    Region,
    RegionalCompanyCount,
    ReportedFigure,
    Source,
)


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "publisher_ko", "published_on", "language"]
    list_filter = ["language", "publisher_ko"]
    search_fields = ["title", "publisher_ko", "publisher_en", "key", "url"]
    prepopulated_fields = {"key": ["title"]}


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["name_ko", "name_en", "kind", "parent", "slug"]
    list_filter = ["kind"]
    search_fields = ["name_ko", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Edition)
class EditionAdmin(SimpleHistoryAdmin):
    list_display = ["year", "starts_on", "ends_on", "korean_exhibitors", "source"]
    search_fields = ["year", "theme_ko", "theme_en"]
    autocomplete_fields = ["source"]


@admin.register(Delegation)
class DelegationAdmin(SimpleHistoryAdmin):
    list_display = ["edition", "region", "leader_ko", "departs_on", "returns_on"]
    list_filter = ["edition", "region"]
    search_fields = ["region__name_ko", "region__name_en", "leader_ko", "leader_en"]
    autocomplete_fields = ["edition", "region", "source"]
    list_select_related = ["edition", "region"]


# Quotes and notes in a table row: small boxes, so the row fits the screen.
COMPACT_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 28})}}


class ReportedFigureInline(admin.TabularInline):
    model = ReportedFigure
    formfield_overrides = COMPACT_TEXT
    fields = [
        "metric",
        "value",
        "currency",
        "approximate",
        "converted_value",
        "converted_currency",
        "converted_approximate",
        "source",
        "quote",
    ]
    autocomplete_fields = ["source"]
    extra = 0


class RegionalCompanyCountInline(admin.TabularInline):
    model = RegionalCompanyCount
    formfield_overrides = COMPACT_TEXT
    fields = ["region", "companies", "approximate", "source", "quote"]
    autocomplete_fields = ["region", "source"]
    extra = 0


@admin.register(Pavilion)
class PavilionAdmin(SimpleHistoryAdmin):
    list_display = ["name_ko", "name_en", "edition", "region", "kind"]
    list_filter = ["edition", "region", "kind"]
    search_fields = ["name_ko", "name_en", "slug"]
    autocomplete_fields = ["edition", "region", "source"]
    list_select_related = ["edition", "region"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [ReportedFigureInline, RegionalCompanyCountInline]

    def save_formset(self, request, form, formset, change):
        # Inline rows take their edition (and city, where they have one) from the pavilion.
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for obj in instances:
            if hasattr(obj, "edition_id"):
                obj.edition_id = form.instance.edition_id
            if hasattr(obj, "region_id") and not isinstance(obj, RegionalCompanyCount):
                obj.region_id = form.instance.region_id
            obj.save()
        formset.save_m2m()


@admin.register(RegionalCompanyCount)
class RegionalCompanyCountAdmin(SimpleHistoryAdmin):
    list_display = ["pavilion", "region", "companies", "approximate"]
    list_filter = ["pavilion__edition", "region"]
    search_fields = ["pavilion__name_ko", "pavilion__name_en", "region__name_ko"]
    autocomplete_fields = ["pavilion", "region", "source"]
    list_select_related = ["pavilion__edition", "region"]


@admin.register(ReportedFigure)
class ReportedFigureAdmin(SimpleHistoryAdmin):
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
