"""Bulk entry of a pavilion's companies, or of its contracts, from a CSV or XLSX file
(django-import-export).

Staff choose the pavilion and the article in the upload form; each row names a company and,
for companies, what it showed where the article says, for contracts the counterparty and the
amount. A company not yet on record is created with the row's names. The admin shows a
preview of every row (new, changed, unchanged) with its errors, and writes nothing unless
every row is right: the whole file goes in one transaction.

Column headers may be in Korean or English (기업명 or name_ko, ...), as a city's own list has them.
"""

import uuid

from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.widgets import BooleanWidget, ForeignKeyWidget

from .models import Company, Contract, Exhibit

#: Accepted column headers (lower case, spaces trimmed) and the column each one means.
HEADERS = {
    "name_ko": "name_ko",
    "기업명": "name_ko",
    "기업명(한글)": "name_ko",
    "company": "name_ko",
    "name_en": "name_en",
    "영문명": "name_en",
    "기업명(영문)": "name_en",
    "sector_ko": "sector_ko",
    "업종": "sector_ko",
    "분야": "sector_ko",
    "sector_en": "sector_en",
    "showed_ko": "showed_ko",
    "전시 내용": "showed_ko",
    "전시품": "showed_ko",
    "showed_en": "showed_en",
    "counterparty_ko": "counterparty_ko",
    "상대방": "counterparty_ko",
    "계약 상대": "counterparty_ko",
    "counterparty_en": "counterparty_en",
    "amount": "amount",
    "금액": "amount",
    "계약액": "amount",
    "currency": "currency",
    "통화": "currency",
    "approximate": "approximate",
    "약": "approximate",
    "subject_ko": "subject_ko",
    "내용": "subject_ko",
}


def unique_slug(name_en, name_ko):
    base = slugify(name_en)[:60] or f"company-{uuid.uuid4().hex[:8]}"
    slug, n = base, 2
    while Company.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class CompanyWidget(ForeignKeyWidget):
    """A row's company: found by id (the resource puts it there), shown in the preview by its
    name, marked where this file creates it."""

    def __init__(self):
        super().__init__(Company)
        self.created = set()

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if value.pk in self.created:
            return _("%(name)s (new company)") % {"name": value.name_ko}
        return value.name_ko


class Diff(resources.Diff):
    """A preview row's changes without diff-match-patch's style attributes, which the
    Content-Security-Policy blocks; the admin's stylesheets colour <ins> and <del>. (Its text
    has < and > escaped, so these tags are the only ones in it.)"""

    TAGS = {
        '<ins style="background:#e6ffe6;">': "<ins>",
        '<del style="background:#ffe6e6;">': "<del>",
    }

    def as_html(self):
        cells = []
        for html in super().as_html():
            for styled, plain in self.TAGS.items():
                html = html.replace(styled, plain)
            cells.append(mark_safe(html))
        return cells


class PavilionFileResource(resources.ModelResource):
    """What both files share: headers in Korean or English, each row's company found by its
    Korean name or created, and the pavilion, its CES and the article from the upload form."""

    company = fields.Field(attribute="company", column_name="company", widget=CompanyWidget())
    #: Columns a file may leave out (filled in empty).
    optional = ()

    @classmethod
    def get_diff_class(cls):
        return Diff

    def __init__(self, pavilion=None, source=None, **kwargs):
        super().__init__(**kwargs)
        self.pavilion = pavilion
        self.source = source
        self.created = self.fields["company"].widget.created

    def before_import(self, dataset, **kwargs):
        dataset.headers = [
            HEADERS.get(str(h or "").strip().lower(), str(h or "").strip()) for h in dataset.headers
        ]
        if "name_ko" not in dataset.headers:
            raise ValueError(
                _("The file needs a column of company names in Korean (기업명 or name_ko).")
            )
        for column in ("company", *self.optional):
            if column not in dataset.headers:
                dataset.append_col([""] * len(dataset), header=column)

    def before_import_row(self, row, **kwargs):
        name = str(row.get("name_ko") or "").strip()
        if not name:
            raise ValueError(_("This row has no company name (기업명)."))
        company = Company.objects.filter(name_ko=name).first()
        if company is None:
            name_en = str(row.get("name_en") or "").strip()
            if not name_en:
                raise ValueError(
                    _("%(name)s is not on record yet: give its English name (영문명) to add it.")
                    % {"name": name}
                )
            company = Company(
                name_ko=name,
                name_en=name_en,
                slug=unique_slug(name_en, name),
                region=self.pavilion.region,
                sector_ko=str(row.get("sector_ko") or "").strip(),
                sector_en=str(row.get("sector_en") or "").strip(),
                source=self.source,
            )
            company.full_clean()
            company.save()
            self.created.add(company.pk)
        row["company"] = company.pk

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        instance.edition = self.pavilion.edition
        instance.pavilion = self.pavilion
        if not instance.source_id:
            instance.source = self.source

    def do_instance_save(self, instance, is_create):
        # As in the admin: a new record is a draft, a change to a published one waits for the
        # city's CES to be published again.
        if is_create:
            instance.published = False
        instance.stage()
        instance.with_pending()  # the preview shows what the next publication will


class PavilionCompaniesResource(PavilionFileResource):
    """One row per company that exhibited in the chosen pavilion."""

    optional = ("showed_ko", "showed_en")

    class Meta:
        model = Exhibit
        fields = ["company", "showed_ko", "showed_en"]
        import_id_fields = ["company"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    @classmethod
    def get_display_name(cls):
        return _("Companies of a pavilion")

    def get_instance(self, instance_loader, row):
        exhibit = Exhibit.all_objects.filter(
            company_id=row["company"], edition=self.pavilion.edition
        ).first()
        return exhibit and exhibit.with_pending()


class PavilionContractsResource(PavilionFileResource):
    """One row per contract a company of the chosen pavilion signed: the same company and
    counterparty at the same CES is the same contract."""

    optional = ("counterparty_ko", "counterparty_en", "currency", "approximate", "subject_ko")
    approximate = fields.Field(
        attribute="approximate", column_name="approximate", widget=BooleanWidget()
    )

    class Meta:
        model = Contract
        fields = [
            "company",
            "counterparty_ko",
            "counterparty_en",
            "amount",
            "currency",
            "approximate",
            "subject_ko",
        ]
        import_id_fields = ["company"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    @classmethod
    def get_display_name(cls):
        return _("Contracts of a pavilion")

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        if row.get("amount") not in (None, "") and not str(row.get("currency") or "").strip():
            row["currency"] = "USD"  # the articles' contract amounts are in dollars
        row["approximate"] = str(row.get("approximate") or "").strip().lower() in {
            "1", "true", "yes", "y", "o", "약", "예",
        }  # fmt: skip

    def get_instance(self, instance_loader, row):
        contract = Contract.all_objects.filter(
            company_id=row["company"],
            edition=self.pavilion.edition,
            counterparty_ko=str(row.get("counterparty_ko") or "").strip(),
        ).first()
        return contract and contract.with_pending()

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if not instance.key:
            base = slugify(f"{self.pavilion.edition.year}-{instance.company.slug}")[:70]
            key, n = base, 2
            while Contract.objects.filter(key=key).exists():
                key, n = f"{base}-{n}", n + 1
            instance.key = key
