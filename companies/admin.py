"""Admin for companies and their itemised records."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Company, Contract, Exhibit, InnovationAward


class ExhibitInline(admin.TabularInline):
    model = Exhibit
    fields = ["edition", "pavilion", "showed_ko", "showed_en", "source"]
    autocomplete_fields = ["edition", "pavilion", "source"]
    extra = 0


class InnovationAwardInline(admin.TabularInline):
    model = InnovationAward
    fields = ["edition", "category_count", "categories_ko", "streak_reported", "source"]
    autocomplete_fields = ["edition", "source"]
    extra = 0


@admin.register(Company)
class CompanyAdmin(SimpleHistoryAdmin):
    list_display = ["name_ko", "name_en", "region", "sector_ko"]
    list_filter = ["region"]
    search_fields = ["name_ko", "name_en", "slug", "sector_ko", "sector_en"]
    autocomplete_fields = ["region", "source"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [ExhibitInline, InnovationAwardInline]


@admin.register(Exhibit)
class ExhibitAdmin(SimpleHistoryAdmin):
    list_display = ["company", "edition", "pavilion"]
    list_filter = ["edition", "pavilion__region"]
    search_fields = ["company__name_ko", "company__name_en", "showed_ko", "showed_en"]
    autocomplete_fields = ["company", "edition", "pavilion", "source"]
    list_select_related = ["company", "edition", "pavilion"]


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ["company", "counterparty_ko", "amount", "currency", "edition", "pavilion"]
    list_filter = ["edition", "currency"]
    search_fields = ["company__name_ko", "company__name_en", "counterparty_ko", "counterparty_en"]
    autocomplete_fields = ["company", "edition", "pavilion", "source"]
    list_select_related = ["company", "edition", "pavilion"]


@admin.register(InnovationAward)
class InnovationAwardAdmin(SimpleHistoryAdmin):
    list_display = ["company", "edition", "category_count", "streak_reported"]
    list_filter = ["edition"]
    search_fields = ["company__name_ko", "company__name_en", "categories_ko", "categories_en"]
    autocomplete_fields = ["company", "edition", "source"]
    list_select_related = ["company", "edition"]
