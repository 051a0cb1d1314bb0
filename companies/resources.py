"""Bulk entry of a pavilion's companies from a CSV or XLSX file (django-import-export).

Staff choose the pavilion and the article in the upload form; each row names a company and,
where the article says, what it showed. A company not yet on record is created with the row's
names. The admin shows a preview of every row (new, changed, unchanged) with its errors, and
writes nothing unless every row is right: the whole file goes in one transaction.

Column headers may be in Korean or English (기업명 or name_ko, ...), as a city's own list has them.
"""

import uuid

from django.utils.text import slugify
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from .models import Company, Exhibit

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


class PavilionCompaniesResource(resources.ModelResource):
    """One row per company that exhibited in the chosen pavilion."""

    company = fields.Field(attribute="company", column_name="company", widget=CompanyWidget())

    class Meta:
        model = Exhibit
        fields = ["company", "showed_ko", "showed_en"]
        import_id_fields = ["company"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(self, pavilion=None, source=None, **kwargs):
        super().__init__(**kwargs)
        self.pavilion = pavilion
        self.source = source
        self.created = self.fields["company"].widget.created

    @classmethod
    def get_display_name(cls):
        return _("Companies of a pavilion")

    def before_import(self, dataset, **kwargs):
        dataset.headers = [
            HEADERS.get(str(h or "").strip().lower(), str(h or "").strip()) for h in dataset.headers
        ]
        if "name_ko" not in dataset.headers:
            raise ValueError(
                _("The file needs a column of company names in Korean (기업명 or name_ko).")
            )
        for column in ("company", "showed_ko", "showed_en"):
            if column not in dataset.headers:
                dataset.append_col([""] * len(dataset), header=column)

    def before_import_row(self, row, **kwargs):
        name = str(row.get("name_ko") or "").strip()
        if not name:
            raise ValueError(_("This row has no company name (기업명)."))
        company = Company.objects.filter(name_ko=name).first()
        if company is None:
            name_en = str(row.get("name_en") or "").strip()
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

    def get_instance(self, instance_loader, row):
        return Exhibit.objects.filter(
            company_id=row["company"], edition=self.pavilion.edition
        ).first()

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        instance.edition = self.pavilion.edition
        instance.pavilion = self.pavilion
        if not instance.source_id:
            instance.source = self.source
