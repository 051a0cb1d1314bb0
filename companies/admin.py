"""Admin for companies and their itemised records, and the pavilion page with them inline."""

from django.contrib import admin

from delegations import admin as delegations_admin
from delegations.models import Edition, Pavilion

from .models import Agreement, Company, Contract, Exhibit, InnovationAward


class CompanyExhibitInline(delegations_admin.CesInline):
    model = Exhibit
    fields = ["edition", "pavilion", "showed_ko", "showed_en", "source"]
    autocomplete_fields = ["edition", "pavilion", "source"]
    extra = 0


class InnovationAwardInline(delegations_admin.CesInline):
    model = InnovationAward
    fields = ["edition", "category_count", "categories_ko", "streak_reported", "source"]
    autocomplete_fields = ["edition", "source"]
    extra = 0


@admin.register(Company)
class CompanyAdmin(delegations_admin.CesAdmin):
    list_display = ["name_ko", "name_en", "region", "sector_ko"]
    list_filter = ["region"]
    search_fields = ["name_ko", "name_en", "slug", "sector_ko", "sector_en"]
    autocomplete_fields = ["region", "source"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [CompanyExhibitInline, InnovationAwardInline]


@admin.register(Exhibit)
class ExhibitAdmin(delegations_admin.CesAdmin):
    list_display = ["company", "edition", "pavilion"]
    list_filter = ["edition", "pavilion__region"]
    search_fields = ["company__name_ko", "company__name_en", "showed_ko", "showed_en"]
    autocomplete_fields = ["company", "edition", "pavilion", "source"]
    list_select_related = ["company", "edition", "pavilion"]


@admin.register(Contract)
class ContractAdmin(delegations_admin.CesAdmin):
    list_display = ["company", "counterparty_ko", "amount", "currency", "edition", "pavilion"]
    list_filter = ["edition", "currency"]
    search_fields = ["company__name_ko", "company__name_en", "counterparty_ko", "counterparty_en"]
    autocomplete_fields = ["company", "edition", "pavilion", "source"]
    list_select_related = ["company", "edition", "pavilion"]


@admin.register(InnovationAward)
class InnovationAwardAdmin(delegations_admin.CesAdmin):
    list_display = ["company", "edition", "category_count", "streak_reported"]
    list_filter = ["edition"]
    search_fields = ["company__name_ko", "company__name_en", "categories_ko", "categories_en"]
    autocomplete_fields = ["company", "edition", "source"]
    list_select_related = ["company", "edition"]


# ------------------------------------------------------------------ a pavilion's records


class ExhibitInline(delegations_admin.CesInline):
    model = Exhibit
    formfield_overrides = delegations_admin.COMPACT_TEXT
    fields = ["company", "showed_ko", "showed_en", "source"]
    autocomplete_fields = ["company", "source"]
    extra = 0


class ContractInline(delegations_admin.CesInline):
    model = Contract
    fields = ["key", "company", "counterparty_ko", "amount", "currency", "approximate", "source"]
    autocomplete_fields = ["company", "source"]
    extra = 0


class AgreementInline(delegations_admin.CesInline):
    model = Agreement
    fields = ["key", "kind", "status", "company", "partner_ko", "signed_on", "source"]
    autocomplete_fields = ["company", "source"]
    extra = 0


admin.site.unregister(Pavilion)


@admin.register(Pavilion)
class PavilionAdmin(delegations_admin.PavilionAdmin):
    """The pavilion page with everything about it: its reported figures and per-region counts
    (from `delegations`), then the companies, contracts and agreements the sources name."""

    inlines = [
        *delegations_admin.PavilionAdmin.inlines,
        ExhibitInline,
        ContractInline,
        AgreementInline,
    ]


@admin.register(Agreement)
class AgreementAdmin(delegations_admin.CesAdmin):
    list_display = ["__str__", "kind", "status", "signed_on", "edition", "region"]
    list_filter = ["edition", "region", "kind", "status"]
    search_fields = ["partner_ko", "partner_en", "subject_ko", "subject_en", "company__name_ko"]
    autocomplete_fields = ["edition", "region", "pavilion", "company", "source"]
    list_select_related = ["edition", "region", "company"]


# ------------------------------------------------------------------ an edition's records


class EditionAwardInline(delegations_admin.CesInline):
    model = InnovationAward
    fields = ["company", "category_count", "categories_ko", "categories_en", "implied", "source"]
    autocomplete_fields = ["company", "source"]


class EditionAgreementInline(delegations_admin.CesInline):
    model = Agreement
    fields = ["key", "region", "kind", "status", "company", "partner_ko", "signed_on", "source"]
    autocomplete_fields = ["region", "company", "source"]


admin.site.unregister(Edition)


@admin.register(Edition)
class EditionAdmin(delegations_admin.EditionAdmin):
    inlines = [*delegations_admin.EditionAdmin.inlines, EditionAwardInline, EditionAgreementInline]
