"""Admin for companies and their itemised records, and the pavilion page with them inline."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportMixin
from import_export.forms import ConfirmImportForm, ImportForm

from delegations import admin as delegations_admin
from delegations.models import (
    Delegation,
    Edition,
    Pavilion,
    Region,
    ReportedFigure,
    Source,
)

from . import publishing
from .models import Agreement, Company, Contract, Exhibit, InnovationAward
from .resources import PavilionCompaniesResource, PavilionContractsResource


class CompanyExhibitInline(delegations_admin.CesInline):
    model = Exhibit
    fields = ["edition", "pavilion", "showed_ko", "showed_en", "source"]
    autocomplete_fields = ["edition", "pavilion", "source"]
    extra = 0


class InnovationAwardInline(delegations_admin.CesInline):
    model = InnovationAward
    fields = [
        "edition", "category_count", "categories_ko", "streak_reported", "implied", "source"
    ]  # fmt: skip
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


class PavilionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, pavilion):
        return f"CES {pavilion.edition.year} · {pavilion.region.name} · {pavilion.name}"


class PavilionFileForm(ImportForm):
    """The upload: the file, and the pavilion and article its rows belong to."""

    # Searched as the pavilion is typed (the admin's autocomplete): a list of every pavilion
    # of every city and year would run to thousands.
    pavilion = PavilionChoiceField(
        queryset=Pavilion.objects.select_related("edition", "region"),
        label=_("Pavilion"),
        widget=AutocompleteSelect(Exhibit._meta.get_field("pavilion"), admin.site),
    )
    source = forms.ModelChoiceField(
        queryset=Source.objects.order_by("-published_on", "title"),
        label=_("Source"),
        help_text=_("The article the list comes from."),
    )


class PavilionFileConfirmForm(ConfirmImportForm):
    pavilion = forms.ModelChoiceField(queryset=Pavilion.objects.all(), widget=forms.HiddenInput)
    source = forms.ModelChoiceField(queryset=Source.objects.all(), widget=forms.HiddenInput)


class PavilionFileImport(ImportMixin):
    """Bulk entry from a CSV or XLSX file for one pavilion: a preview of every row with its
    errors, then all rows or none (see `companies.resources`)."""

    import_form_class = PavilionFileForm
    confirm_form_class = PavilionFileConfirmForm

    def get_import_form_initial(self, request):
        # The pavilion page links here with its own pavilion chosen (?pavilion=<id>).
        return {name: request.GET[name] for name in ("pavilion", "source") if name in request.GET}

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        if form is not None and form.is_bound and form.is_valid():
            return {
                "pavilion": form.cleaned_data["pavilion"],
                "source": form.cleaned_data["source"],
            }
        return {}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["pavilion"] = import_form.cleaned_data["pavilion"].pk
            initial["source"] = import_form.cleaned_data["source"].pk
        return initial

    def get_import_data_kwargs(self, **kwargs):
        # A row that fails validation at the final import undoes the whole file.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}


@admin.register(Exhibit)
class ExhibitAdmin(PavilionFileImport, delegations_admin.CesAdmin):
    list_display = ["company", "edition", "pavilion"]
    list_filter = ["edition", "pavilion__region"]
    search_fields = ["company__name_ko", "company__name_en", "showed_ko", "showed_en"]
    autocomplete_fields = ["company", "edition", "pavilion", "source"]
    list_select_related = ["company", "edition", "pavilion"]
    resource_classes = [PavilionCompaniesResource]


@admin.register(Contract)
class ContractAdmin(PavilionFileImport, delegations_admin.CesAdmin):
    resource_classes = [PavilionContractsResource]
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
    change_form_template = "admin/delegations/pavilion/change_form.html"


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
    """The edition page with its awards and agreements, and the page that publishes each
    city's CES: what waits for publication, city by city, and a button for each."""

    inlines = [*delegations_admin.EditionAdmin.inlines, EditionAwardInline, EditionAgreementInline]
    change_form_template = "admin/delegations/edition/change_form.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.publish_view)
        return [
            path("<path:object_id>/publish/", view, name="delegations_edition_publish"),
            *super().get_urls(),
        ]

    def publish_view(self, request, object_id):
        edition = self.get_object(request, object_id)
        if edition is None or not self.has_change_permission(request, edition):
            raise PermissionDenied
        # The cities with any record of this CES, drafts included.
        city = OuterRef("pk")
        cities = Region.objects.filter(
            Exists(Delegation.all_objects.filter(region=city, edition=edition))
            | Exists(Pavilion.all_objects.filter(region=city, edition=edition))
            | Exists(ReportedFigure.all_objects.filter(region=city, edition=edition))
            | Exists(Agreement.all_objects.filter(region=city, edition=edition))
            | Exists(InnovationAward.all_objects.filter(company__region=city, edition=edition))
            | Exists(Exhibit.all_objects.filter(company__region=city, edition=edition))
            | Exists(Contract.all_objects.filter(company__region=city, edition=edition))
        )
        if request.method == "POST":
            region = get_object_or_404(cities, pk=request.POST.get("region"))
            changed = publishing.publish(edition, region, request.user)
            self.message_user(
                request,
                ngettext(
                    "CES %(year)s of %(city)s is published: %(n)d record changed.",
                    "CES %(year)s of %(city)s is published: %(n)d records changed.",
                    changed,
                )
                % {"year": edition.year, "city": region.name, "n": changed},
                messages.SUCCESS,
            )
            return redirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": edition,
            "title": _("Publish CES %(year)s") % {"year": edition.year},
            "cities": [(city, publishing.waiting(edition, city)) for city in cities],
        }
        return TemplateResponse(request, "admin/delegations/edition/publish.html", context)
