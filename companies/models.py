"""Companies and what they did at CES: where they exhibited, contracts, Innovation Awards.

These are itemised records: a source usually names only a few of a pavilion's companies, so they
are compared with the pavilion's reported totals (coverage), never summed in their place.
"""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from delegations.models import BilingualNameMixin, Currency, Edition, Pavilion, Region, Source


class CompanyManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Company(BilingualNameMixin):
    """A company (or institution) that took part in CES with a city's delegation."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("home region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="companies",
    )
    sector_ko = models.CharField(_("sector (Korean)"), max_length=200, blank=True)
    sector_en = models.CharField(_("sector (English)"), max_length=200, blank=True)
    programme_ko = models.CharField(
        _("support programme (Korean)"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Samsung C-Lab cohort, Daegu Star Venture."),
    )
    programme_en = models.CharField(_("support programme (English)"), max_length=200, blank=True)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="companies"
    )

    objects = CompanyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_ko"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("companies:company", args=[self.slug])


class ExhibitManager(models.Manager):
    def get_by_natural_key(self, company_slug, year):
        return self.get(company__slug=company_slug, edition__year=year)


class Exhibit(models.Model):
    """A company at one CES: in which pavilion (when the source says) and what it showed."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="exhibits"
    )
    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="exhibits"
    )
    pavilion = models.ForeignKey(
        Pavilion,
        verbose_name=_("pavilion"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exhibits",
        help_text=_("Leave empty when the source does not say where the company exhibited."),
    )
    showed_ko = models.TextField(_("what it showed (Korean)"), blank=True)
    showed_en = models.TextField(_("what it showed (English)"), blank=True)
    note_ko = models.TextField(_("note (Korean)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="exhibits"
    )

    objects = ExhibitManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["edition__year", "company__name_ko"]
        verbose_name = _("exhibit")
        verbose_name_plural = _("exhibits")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "edition"],
                name="one_exhibit_per_company_per_edition",
                violation_error_message=_("This company is already recorded at this CES."),
            ),
        ]

    def __str__(self):
        return f"{self.company} · CES {self.edition.year}"

    def natural_key(self):
        return (self.company.slug, self.edition.year)

    natural_key.dependencies = ["companies.company", "delegations.pavilion"]

    def save(self, *args, **kwargs):
        if self.pavilion_id:
            self.edition_id = self.pavilion.edition_id
        super().save(*args, **kwargs)


class ContractManager(models.Manager):
    def get_by_natural_key(self, key):
        return self.get(key=key)


class Contract(models.Model):
    """A contract a company signed at CES: with whom, for how much, about what."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="contracts"
    )
    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="contracts"
    )
    pavilion = models.ForeignKey(
        Pavilion,
        verbose_name=_("pavilion"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
    )
    counterparty_ko = models.CharField(_("counterparty (Korean)"), max_length=200, blank=True)
    counterparty_en = models.CharField(_("counterparty (English)"), max_length=200, blank=True)
    amount = models.BigIntegerField(_("amount"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    approximate = models.BooleanField(_("approximate"), default=False)
    usd_amount = models.GeneratedField(
        expression=models.Case(
            models.When(currency="USD", then=F("amount")),
            default=None,
            output_field=models.BigIntegerField(),
        ),
        output_field=models.BigIntegerField(),
        db_persist=True,
        verbose_name=_("amount in USD"),
    )
    subject_ko = models.TextField(_("subject (Korean)"), blank=True)
    subject_en = models.TextField(_("subject (English)"), blank=True)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="contracts"
    )

    objects = ContractManager()
    history = HistoricalRecords(excluded_fields=["usd_amount"])

    class Meta:
        ordering = ["edition__year", "-amount", "key"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="contract_amount_not_negative",
                violation_error_message=_("A contract amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=(Q(amount__isnull=True) & Q(currency=""))
                | (Q(amount__isnull=False) & ~Q(currency="")),
                name="contract_amount_has_currency",
                violation_error_message=_(
                    "An amount needs its currency, and a currency an amount."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.company} – {self.counterparty_en or self.counterparty_ko or '?'}"

    def natural_key(self):
        return (self.key,)

    def save(self, *args, **kwargs):
        if self.pavilion_id:
            self.edition_id = self.pavilion.edition_id
        super().save(*args, **kwargs)


class InnovationAwardManager(models.Manager):
    def get_by_natural_key(self, company_slug, year):
        return self.get(company__slug=company_slug, edition__year=year)


class InnovationAward(models.Model):
    """A company's CES Innovation Award in one year, possibly in several categories."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="awards"
    )
    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="awards"
    )
    category_count = models.PositiveSmallIntegerField(
        _("categories won"), null=True, blank=True, help_text=_("Empty when not reported.")
    )
    categories_ko = models.CharField(_("categories (Korean)"), max_length=300, blank=True)
    categories_en = models.CharField(_("categories (English)"), max_length=300, blank=True)
    streak_reported = models.PositiveSmallIntegerField(
        _("consecutive years, as reported"),
        null=True,
        blank=True,
        help_text=_("When the source says 'fifth year in a row'."),
    )
    note_ko = models.TextField(_("note (Korean)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="awards"
    )

    objects = InnovationAwardManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["edition__year", "company__name_ko"]
        verbose_name = _("CES Innovation Award")
        verbose_name_plural = _("CES Innovation Awards")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "edition"],
                name="one_award_record_per_company_per_edition",
                violation_error_message=_(
                    "This company already has an award record for this CES: add categories to it."
                ),
            ),
            models.CheckConstraint(
                condition=Q(category_count__isnull=True) | Q(category_count__gte=1),
                name="award_has_a_category",
                violation_error_message=_("An award is won in at least one category."),
            ),
        ]

    def __str__(self):
        return f"{self.company} · CES {self.edition.year}"

    def natural_key(self):
        return (self.company.slug, self.edition.year)

    natural_key.dependencies = ["companies.company", "delegations.edition"]
