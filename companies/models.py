"""The itemised records: companies, where they exhibited, contracts, MOUs and agreements,
Innovation Awards.

A source usually names only a few of the companies, contracts or agreements it counts, so these
are compared with the reported totals of the `delegations` app (coverage), never summed in their
place. This app builds on `delegations`; nothing there refers back here.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import NullIf
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from delegations.bilingual import BilingualNameMixin, localized
from delegations.models import (
    Currency,
    Edition,
    Pavilion,
    Publishable,
    Region,
    Source,
    page_url,
    published,
)
from delegations.subqueries import count_of


def took_part(**record):
    """Whether a company took part in a CES: a source records it there with an exhibit, an
    Innovation Award, a contract or an agreement it signed. `record` names the company and the
    CES (`company=OuterRef("pk")`, `edition__year=2024` ...). The one definition of
    participation: the company page and the company summaries behind the companies and
    participation tables (`cesdash.models.CompanyYear`) count by it."""
    return (
        Exists(Exhibit.objects.filter(**record))
        | Exists(InnovationAward.objects.filter(**record))
        | Exists(Contract.objects.filter(**record))
        | Exists(Agreement.objects.filter(company__isnull=False, **record))
    )


class CompanyQuerySet(models.QuerySet):
    def public(self):
        """Companies the dashboard may name: those with a published record, and those with no
        record at all; not a company whose every record is a draft (it is news not yet out)."""
        company = OuterRef("pk")
        drafts_only = ~took_part(company=company) & (
            Exists(Exhibit.all_objects.filter(company=company))
            | Exists(InnovationAward.all_objects.filter(company=company))
            | Exists(Contract.all_objects.filter(company=company))
            | Exists(Agreement.all_objects.filter(company=company))
        )
        return self.exclude(drafts_only)

    def for_company_page(self, slug):
        """The company page (/companies/<slug>/): every CES it exhibited at, its awards in
        year order (for their streaks), contracts and agreements."""
        return (
            self.public()
            .select_related("region", "source")
            .prefetch_related(
                models.Prefetch(
                    "exhibits",
                    Exhibit.objects.select_related("edition", "pavilion__edition", "source"),
                ),
                models.Prefetch(
                    "awards",
                    InnovationAward.objects.select_related("edition", "source").order_by(
                        "edition__year"
                    ),
                ),
                models.Prefetch(
                    "contracts", Contract.objects.select_related("edition", "pavilion", "source")
                ),
                models.Prefetch(
                    "agreements", Agreement.objects.select_related("edition", "region", "source")
                ),
            )
            .get(slug=slug)
        )


class CompanyManager(models.Manager.from_queryset(CompanyQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Company(BilingualNameMixin):
    """A company (or institution) that took part in CES with a city's delegation."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_en_from_source = models.BooleanField(
        _("English name from a source"),
        default=False,
        help_text=_(
            "Tick when an article gives the English name; otherwise it is a romanisation of "
            "ours, never presented as the company's own."
        ),
    )
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
        indexes = [
            # The first companies by name at one CES (the edition page's preview) are found by
            # walking this index rather than sorting the CES's 10,000 exhibits.
            models.Index(fields=["name_ko"], name="company_by_name"),
            # The participation table sorted by a year, those absent that year first: by name,
            # read down this index (empty names last, `cesdash.exports.nulls_last`).
            models.Index(NullIf("name_ko", Value("")), name="company_by_name_ko"),
        ]

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return page_url("company", self.slug)

    def ces_record(self):
        """Every CES the company took part in (`took_part`), latest first, with what the
        sources record of it there: year, exhibit, award, contracts, agreements. Reads the
        records `for_company_page()` fetched."""
        years = {}

        def at(year):
            empty = {"exhibit": None, "award": None, "contracts": [], "agreements": []}
            return years.setdefault(year, empty)

        for exhibit in self.exhibits.all():
            at(exhibit.edition.year)["exhibit"] = exhibit
        for award in self.awards.all():
            at(award.edition.year)["award"] = award
        for contract in self.contracts.all():
            at(contract.edition.year)["contracts"].append(contract)
        for agreement in self.agreements.all():
            at(agreement.edition.year)["agreements"].append(agreement)
        return [{"year": year, **years[year]} for year in sorted(years, reverse=True)]

    def award_streaks(self):
        """(award, run) for each award in year order: how many years in a row it ends."""
        streaks = []
        run, last = 0, None
        for award in self.awards.all():
            year = award.edition.year
            run = run + 1 if last is not None and year == last + 1 else 1
            last = year
            streaks.append((award, run))
        return streaks


class ExhibitQuerySet(models.QuerySet):
    def for_exhibits_table(self):
        """The exhibits table (/exhibits/): one row a company at one CES."""
        return self.select_related(
            "edition", "company__region", "pavilion__edition", "pavilion__region", "source"
        )


class ExhibitManager(models.Manager.from_queryset(ExhibitQuerySet)):
    def get_by_natural_key(self, company_slug, year):
        return self.get(company__slug=company_slug, edition__year=year)


class Exhibit(Publishable):
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

    all_objects = ExhibitManager()
    objects = published(ExhibitManager)
    history = HistoricalRecords()

    class Meta:
        ordering = ["edition__year", "company__name_ko"]
        verbose_name = _("exhibit")
        verbose_name_plural = _("exhibits")
        # How many published records an article or a CES has (the sources, source and edition
        # pages, a table's rows counted a CES at a time: cesdash.tables.RowsByKey.year_counts),
        # counted from the index alone; and which of a few companies exhibit at a CES.
        indexes = [
            models.Index(fields=["source", "published"], name="exhibit_source_published"),
            models.Index(fields=["edition", "published", "company"], name="exhibit_ces_company"),
            # A page of the pavilion table's coverage (`cesdash.models.coverage_parts`): the
            # companies named in each pavilion, and which won an award there, from the index.
            models.Index(
                fields=["pavilion", "published", "company", "edition"],
                name="exhibit_pavilion_coverage",
            ),
        ]
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


class ContractQuerySet(models.QuerySet):
    def for_contracts_table(self):
        """The contracts table (/contracts/): one row a contract."""
        return self.select_related(
            "edition", "company", "pavilion__edition", "pavilion__region", "source"
        )

    def signed_by_city(self):
        """(city, year, signed): how many contracts companies from each city signed at each
        CES, beside the reported contract value on the home, city and edition pages."""
        return (
            self.order_by()
            .values("company__region", year=F("edition__year"))
            .annotate(signed=Count("pk"))
        )

    def totals_by_currency(self):
        """The sums shown above the contracts table: one a currency, never added across."""
        return (
            self.exclude(currency="")
            .order_by("currency")
            .values("currency")
            .annotate(total=Sum("amount"), contracts=Count("*"))
        )


class ContractManager(models.Manager.from_queryset(ContractQuerySet)):
    def get_by_natural_key(self, key):
        return self.get(key=key)


class Contract(Publishable):
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

    all_objects = ContractManager()
    objects = published(ContractManager)
    history = HistoricalRecords(excluded_fields=["usd_amount"])

    class Meta:
        ordering = ["edition__year", "-amount", "key"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        indexes = [
            # An article's published records counted from the index alone (the sources page).
            models.Index(fields=["source", "published"], name="contract_source_published"),
            # A table's rows counted a CES at a time (cesdash.tables.RowsByKey.year_counts).
            models.Index(fields=["edition", "published"], name="contract_ces_published"),
            # The contracts table by amount, the largest first, empty amounts last: SQLite's
            # NULLs sort first, so last down a descending index (PostgreSQL has its own,
            # companies/migrations/0011). With the key, for ties, and whether it is published:
            # a page of keys read from the index alone, without sorting each amount's ties.
            models.Index(
                F("amount").desc(), F("id").desc(), F("published"), name="contract_by_amount_key"
            ),
            # The sums above the contracts table, a currency at a time (`totals_by_currency`),
            # read from the index alone.
            models.Index(fields=["currency", "published", "amount"], name="contract_totals"),
            # A page of the pavilion table's coverage: each pavilion's contracts counted and
            # their amounts in US dollars added up, from the index alone.
            models.Index(
                fields=["pavilion", "published", "usd_amount"], name="contract_pavilion_coverage"
            ),
        ]
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
        return f"{self.company} – {localized(self, 'counterparty') or '?'}"

    def natural_key(self):
        return (self.key,)

    def save(self, *args, **kwargs):
        if self.pavilion_id:
            self.edition_id = self.pavilion.edition_id
        super().save(*args, **kwargs)


class InnovationAwardQuerySet(models.QuerySet):
    def for_awards_table(self):
        """The awards table (/awards/): one row a company's awards in one year."""
        return self.select_related("edition", "company__region", "source")

    def winners_by_city(self):
        """(city, year, winners): how many companies from each city won an Innovation Award at
        each CES. The named winners beside a city's reported total on the home, city and edition
        pages. A city's winners are the companies from it (their home region); a pavilion's, in
        `winners_named()`, the companies that exhibited in it."""
        return (
            self.order_by()
            .values("company__region", year=F("edition__year"))
            .annotate(winners=Count("company", distinct=True))
        )


def winners_named(pavilion):
    """How many companies that exhibited in `pavilion` (an `OuterRef` allowed) won an Innovation
    Award at that CES: the named winners beside a pavilion's reported total, as
    `InnovationAwardQuerySet.winners_by_city()` counts them beside a city's."""
    return count_of(
        Exhibit,
        pavilion=pavilion,
        company__awards__edition=F("edition"),
        company__awards__published=True,
    )


class InnovationAwardManager(models.Manager.from_queryset(InnovationAwardQuerySet)):
    def get_by_natural_key(self, company_slug, year):
        return self.get(company__slug=company_slug, edition__year=year)


class InnovationAward(Publishable):
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
    implied = models.BooleanField(
        _("implied"),
        default=False,
        help_text=_(
            "Derived from a statement rather than stated (the earlier years of 'five years in a "
            "row')."
        ),
    )
    note_ko = models.TextField(_("note (Korean)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="awards"
    )

    all_objects = InnovationAwardManager()
    objects = published(InnovationAwardManager)
    history = HistoricalRecords()

    class Meta:
        ordering = ["edition__year", "company__name_ko"]
        verbose_name = _("CES Innovation Award")
        verbose_name_plural = _("CES Innovation Awards")
        indexes = [
            # An article's published records counted from the index alone (the sources page).
            models.Index(fields=["source", "published"], name="award_source_published"),
            # A table's rows counted a CES at a time (cesdash.tables.RowsByKey.year_counts).
            models.Index(fields=["edition", "published"], name="award_ces_published"),
        ]
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


class AgreementQuerySet(models.QuerySet):
    def for_agreements_table(self):
        """The agreements table (/agreements/): one row a signing."""
        return self.select_related("edition", "region", "company", "pavilion__edition", "source")

    def signed_by_city(self):
        """(city, year, signed): how many agreements each city's delegation signed at each CES,
        beside the reported MOU totals on the home, city and edition pages."""
        return (
            self.filter(status=Agreement.Status.SIGNED)
            .order_by()
            .values("region", year=F("edition__year"))
            .annotate(signed=Count("pk"))
        )


class AgreementManager(models.Manager.from_queryset(AgreementQuerySet)):
    def get_by_natural_key(self, key):
        return self.get(key=key)


class Agreement(Publishable):
    """An MOU or other agreement signed during a CES trip, by a city or by one of its companies."""

    class Kind(models.TextChoices):
        MOU = "mou", _("memorandum of understanding")
        AGREEMENT = "agreement", _("agreement")
        BUSINESS = "business", _("business agreement")
        TECHNOLOGY = "technology", _("technology exchange agreement")
        INVESTMENT = "investment", _("investment support agreement")
        FRIENDSHIP = "friendship", _("friendship and cooperation agreement")

    class Status(models.TextChoices):
        SIGNED = "signed", _("signed")
        PLANNED = "planned", _("planned")

    key = models.SlugField(_("key"), max_length=80, unique=True)
    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="agreements"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("city or region"),
        on_delete=models.PROTECT,
        related_name="agreements",
        help_text=_("The city whose delegation the agreement belongs to."),
    )
    pavilion = models.ForeignKey(
        Pavilion,
        verbose_name=_("pavilion"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("signed by company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        help_text=_("Leave empty when the city itself signed."),
    )
    signers_ko = models.CharField(
        _("signed by others (Korean)"),
        max_length=200,
        blank=True,
        help_text=_(
            "When neither the city nor one company on record signs: who does, as the source "
            "says (e.g. 'three medical and bio exhibitors')."
        ),
    )
    signers_en = models.CharField(_("signed by others (English)"), max_length=200, blank=True)
    signer_count = models.PositiveSmallIntegerField(
        _("number of signers"), null=True, blank=True, help_text=_("Where the source counts them.")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SIGNED
    )
    partner_ko = models.CharField(_("partner (Korean)"), max_length=200)
    partner_en = models.CharField(_("partner (English)"), max_length=200)
    partner_country = models.CharField(_("partner's country"), max_length=60, blank=True)
    partner_count = models.PositiveSmallIntegerField(
        _("number of partners"),
        default=1,
        help_text=_("When one signing covers several partners ('LinkOne and two others')."),
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    place_ko = models.CharField(_("place (Korean)"), max_length=200, blank=True)
    place_en = models.CharField(_("place (English)"), max_length=200, blank=True)
    subject_ko = models.TextField(_("subject (Korean)"))
    subject_en = models.TextField(_("subject (English)"))
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="agreements"
    )

    all_objects = AgreementManager()
    objects = published(AgreementManager)
    history = HistoricalRecords()

    class Meta:
        # Empty dates last on PostgreSQL and SQLite alike, so pages read the same on both.
        ordering = ["edition__year", F("signed_on").asc(nulls_last=True), "key"]
        verbose_name = _("MOU or agreement")
        verbose_name_plural = _("MOUs and agreements")
        indexes = [
            # A city's agreements at one CES: which cities an edition page lists, and counts.
            models.Index(fields=["region", "edition"], name="agreement_city_ces"),
            # An article's published agreements, counted from the index alone (the sources page).
            models.Index(fields=["source", "published"], name="agreement_source_published"),
            # A table's rows counted a CES at a time (cesdash.tables.RowsByKey.year_counts).
            models.Index(fields=["edition", "published"], name="agreement_ces_published"),
            # A page of the pavilion table's coverage: each pavilion's signed agreements.
            models.Index(
                fields=["pavilion", "published", "status"], name="agreement_pavilion_coverage"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(partner_count__gte=1),
                name="agreement_has_a_partner",
                violation_error_message=_("An agreement has at least one partner."),
            ),
        ]

    @property
    def signers(self):
        """Who signs, as a page reads it: the company on record, the others the source names,
        or else the city."""
        return self.company or localized(self, "signers") or self.region

    def __str__(self):
        signer = self.signers
        return f"{signer} – {localized(self, 'partner')} (CES {self.edition.year})"

    def natural_key(self):
        return (self.key,)

    def clean(self):
        super().clean()
        if self.pavilion_id and self.edition_id and self.pavilion.edition_id != self.edition_id:
            raise ValidationError({"pavilion": _("The pavilion belongs to another edition.")})
        if self.edition_id and (error := self.edition.date_error(self.signed_on)):
            raise ValidationError({"signed_on": error})
