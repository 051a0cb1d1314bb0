"""What cities report: sources, cities and regions, CES editions, delegations, pavilions,
their per-region company counts and their reported figures.

A *reported figure* (`ReportedFigure`) is a total a source states ("25 companies, about 750
consultations"), with its source, its approximate flag and, for money, its currency. The itemised
records a source names (companies, contracts, agreements, awards) live in the `companies` app,
which builds on this one; this app knows nothing of it.

A figure no source states has no row: it reads as NULL ("not reported"), never as 0.
"""

import datetime
import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, Exists, F, Max, Min, OuterRef, Q, Sum, When
from django.db.models.lookups import GreaterThan
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .bilingual import BilingualNameMixin, localized


@functools.lru_cache(maxsize=8192)
def _reversed(prefix, urlconf, name, args):
    return reverse(name, urlconf=urlconf, args=args)


def page_url(name, *args):
    """`reverse()` of a record's page, remembered (for the same script prefix and URLconf): a
    page links to the same cities, CES and articles hundreds of times, once a figure."""
    return _reversed(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, name, args)


class Currency(models.TextChoices):
    USD = "USD", _("US dollars")
    KRW = "KRW", _("Korean won")


class Language(models.TextChoices):
    KOREAN = "ko", _("Korean")
    ENGLISH = "en", _("English")


# ----------------------------------------------------------------------------------- sources


class PublishedOnly:
    """A manager mixin reading only published rows: what the public pages, their JSON twins
    and the exports show (`objects`). Each publishable model's default manager, `all_objects`,
    reads drafts too: the admin, validation and loading go through it."""

    def get_queryset(self):
        return super().get_queryset().filter(published=True)


def published(manager_class):
    """`manager_class`, reading only published rows."""
    return type(f"Published{manager_class.__name__}", (PublishedOnly, manager_class), {})()


class Publishable(models.Model):
    """A record of a city's CES: entered as a draft, shown once the city's CES is published.

    A change to a published record waits in `pending` (field name -> value as text) and the
    record keeps its published values until the city's CES is published again.
    """

    published = models.BooleanField(
        _("published"),
        default=True,
        editable=False,  # set by publishing a city's CES, never by a form
        help_text=_("Shown on the dashboard. Records entered in the admin start as drafts."),
    )
    pending = models.JSONField(
        _("changes awaiting publication"), null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True

    @property
    def publication_status(self):
        if not self.published:
            return _("draft")
        return _("changed, awaiting publication") if self.pending else _("published")

    def with_pending(self):
        """The record as its next publication will show it (what staff edit)."""
        fields = {f.attname: f for f in self._meta.concrete_fields}
        for attname, text in (self.pending or {}).items():
            setattr(self, attname, None if text is None else fields[attname].to_python(text))
        return self

    def stage(self):
        """Save an edit: a draft directly; a published record's changes into `pending`, its
        published values left as they are."""
        if not self.pk or not self.published:
            return self.save()
        saved = type(self).all_objects.get(pk=self.pk)
        changes = {
            f.attname: (None if getattr(self, f.attname) is None else f.value_to_string(self))
            for f in self._meta.concrete_fields
            if not f.primary_key
            and f.name not in ("published", "pending")
            and not getattr(f, "generated", False)
            and getattr(self, f.attname) != getattr(saved, f.attname)
        }
        for attname in changes:
            setattr(self, attname, getattr(saved, attname))
        # The record as edited already held the waiting changes (`with_pending`): what now
        # differs from the published values is the whole of what waits.
        self.pending = changes or None
        return self.save()

    def publish(self):
        """Make the record and its waiting changes public."""
        self.with_pending()
        self.published, self.pending = True, None
        self.save()


class SourceManager(models.Manager):
    def get_by_natural_key(self, key):
        return self.get(key=key)


class Source(models.Model):
    """An article (press release, news story) that figures and records are taken from."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    publisher_ko = models.CharField(_("publisher (Korean)"), max_length=200, blank=True)
    publisher_en = models.CharField(_("publisher (English)"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=300)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    date_note_ko = models.CharField(
        _("date note (Korean)"),
        max_length=200,
        blank=True,
        help_text=_("What the article says of its date when it gives no exact one."),
    )
    date_note_en = models.CharField(_("date note (English)"), max_length=200, blank=True)
    placed_on = models.DateField(
        _("placed on"),
        null=True,
        blank=True,
        help_text=_(
            "For an undated article only: the date its content places it at (the day CES "
            "closed, the day before a trip). Orders the sources list; never shown as the "
            "publication date."
        ),
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    url = models.URLField(_("address"), blank=True)
    seed_file = models.CharField(
        _("archived copy"),
        max_length=100,
        blank=True,
        help_text=_("File name of the archived article text."),
    )
    summary_ko = models.TextField(_("summary (Korean)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)

    objects = SourceManager()
    history = HistoricalRecords()

    class Meta:
        # Undated articles last on PostgreSQL and SQLite alike.
        ordering = [F("published_on").asc(nulls_last=True), "key"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.key,)

    def get_absolute_url(self):
        return page_url("source", self.key)

    @property
    def publisher(self):
        return localized(self, "publisher")


# ------------------------------------------------------------------------------------ regions


class RegionQuerySet(models.QuerySet):
    def at_ces(self):
        """Cities that went to CES at least once (a published delegation, pavilion or figure):
        the home page's city choice and every chart's legend, in a fixed order."""
        # EXISTS, not joins: OR-ed joins multiply a city's rows by one another.
        city = OuterRef("pk")
        return self.filter(
            Exists(Delegation.objects.filter(region=city))
            | Exists(Pavilion.objects.filter(region=city))
            | Exists(ReportedFigure.objects.filter(region=city))
        ).order_by("pk")

    def years_at_ces(self):
        """(city, year) for every CES these cities are on record at, by a delegation, a pavilion
        or a figure: which years the home and city pages span, and which city has the most."""
        cities = self.order_by().values("pk")
        on_record = [
            model.objects.filter(region__in=cities)
            .order_by()
            .values_list("region", "edition__year")
            for model in (Delegation, Pavilion, ReportedFigure)
        ]
        return on_record[0].union(*on_record[1:]).order_by()


class RegionManager(models.Manager.from_queryset(RegionQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Region(BilingualNameMixin):
    """A city, county or province: runs delegations and pavilions, or is a company's home."""

    class Kind(models.TextChoices):
        METROPOLITAN_CITY = "metropolitan_city", _("metropolitan city")
        PROVINCE = "province", _("province")
        SPECIAL_PROVINCE = "special_province", _("special self-governing province")
        CITY = "city", _("city")

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    objects = RegionManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_ko"]
        verbose_name = _("city or region")
        verbose_name_plural = _("cities and regions")

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return page_url("city", self.slug)


# ----------------------------------------------------------------------------------- editions


class EditionManager(models.Manager):
    def get_by_natural_key(self, year):
        return self.get(year=year)


class Edition(models.Model):
    """One CES show, held every January in Las Vegas."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    anniversary = models.PositiveSmallIntegerField(
        _("years since the first CES"), null=True, blank=True
    )
    theme_ko = models.CharField(_("theme (Korean)"), max_length=200, blank=True)
    theme_en = models.CharField(_("theme (English)"), max_length=200, blank=True)
    korean_exhibitors = models.PositiveIntegerField(
        _("Korean companies exhibiting"), null=True, blank=True
    )
    korean_exhibitors_approximate = models.BooleanField(_("approximate"), default=False)
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="editions",
        help_text=_("The article that gives the dates and figures above."),
    )

    objects = EditionManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["year"]
        verbose_name = _("CES edition")
        verbose_name_plural = _("CES editions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="edition_ends_after_start",
                violation_error_message=_("The show cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1967, year__lte=2100),
                name="edition_year_plausible",
                violation_error_message=_("CES has been held since 1967: check the year."),
            ),
        ]

    def __str__(self):
        return f"CES {self.year}"

    #: How far from the show a trip or an agreement of it can be dated.
    DATE_MARGIN = datetime.timedelta(days=31)

    def date_error(self, value):
        """Why `value` cannot be a date of this CES's trips and agreements (more than a month
        from the show, or from January where the show's dates are not on record), or None."""
        if value is None or not self.year:
            return None
        first = self.starts_on or datetime.date(self.year, 1, 1)
        last = self.ends_on or datetime.date(self.year, 1, 31)
        if first - self.DATE_MARGIN <= value <= last + self.DATE_MARGIN:
            return None
        if self.starts_on and self.ends_on:
            held = _("CES %(year)s was held from %(start)s to %(end)s") % {
                "year": self.year,
                "start": formats.date_format(self.starts_on),
                "end": formats.date_format(self.ends_on),
            }
        else:
            held = _("CES %(year)s was held in January %(year)s") % {"year": self.year}
        return _("%(held)s: %(date)s is more than a month from it. Check the year and month.") % {
            "held": held,
            "date": formats.date_format(value),
        }

    def natural_key(self):
        return (self.year,)

    def get_absolute_url(self):
        return page_url("edition", self.year)


# -------------------------------------------------------------------------------- delegations


class DelegationManager(models.Manager):
    def get_by_natural_key(self, year, region_slug):
        return self.get(edition__year=year, region__slug=region_slug)


class Delegation(Publishable):
    """A city's or province's trip to one CES: who led it, when, and what it set out to do."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="delegations"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("city or region"),
        on_delete=models.PROTECT,
        related_name="delegations",
    )
    leader_ko = models.CharField(_("led by (Korean)"), max_length=200, blank=True)
    leader_en = models.CharField(_("led by (English)"), max_length=200, blank=True)
    leader_source = models.ForeignKey(
        Source,
        verbose_name=_("source of the leader"),
        on_delete=models.PROTECT,
        related_name="led_delegations",
        null=True,
        blank=True,
        help_text=_(
            "Only when an article other than the delegation's source places the leader there "
            "(a later article's photo caption, say)."
        ),
    )
    departs_on = models.DateField(_("departs on"), null=True, blank=True)
    returns_on = models.DateField(_("returns on"), null=True, blank=True)
    summary_ko = models.TextField(_("summary (Korean)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="delegations"
    )
    implied = models.BooleanField(
        _("implied"),
        default=False,
        help_text=_(
            "No article reports this trip itself: it follows from what one says "
            "(“six consecutive years since 2013”)."
        ),
    )

    all_objects = DelegationManager()
    objects = published(DelegationManager)
    history = HistoricalRecords()

    class Meta:
        ordering = ["edition__year", "region__name_ko"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "region"],
                name="one_delegation_per_region_per_edition",
                violation_error_message=_("This city already has a delegation at this CES."),
            ),
            models.CheckConstraint(
                condition=Q(returns_on__gte=F("departs_on")),
                name="delegation_returns_after_departure",
                violation_error_message=_("A delegation cannot return before it departs."),
            ),
        ]

    def __str__(self):
        return f"{self.region} · CES {self.edition.year}" if self.edition_id else str(self.region)

    def clean(self):
        super().clean()
        if self.edition_id:
            errors = {
                name: error
                for name in ("departs_on", "returns_on")
                if (error := self.edition.date_error(getattr(self, name)))
            }
            if errors:
                raise ValidationError(errors)

    def natural_key(self):
        return (self.edition.year, self.region.slug)

    natural_key.dependencies = ["delegations.edition", "delegations.region"]


# ---------------------------------------------------------------------------------- pavilions


class PavilionQuerySet(models.QuerySet):
    def with_reported_figures(self):
        """Each pavilion with its reported figures as columns (NULL where no source states one):
        what the pavilion table, the city and edition pages and the pavilion page show of it.

        Money is in US dollars, as the source states it or as the source itself converted it,
        and also as the source states it: in its currency, with the source's own conversion.
        Each figure carries its flags (`<figure>_approximate`, `_preview`, `_mixed_kinds`);
        `preview` and `mixed_kinds` say whether any of the pavilion's figures is so flagged.

        One join on the figures, grouped by pavilion: a pavilion has at most one figure of each
        kind (a constraint), so each conditional MAX picks that figure's field.
        """

        def reported(metric, field):
            return Max(
                f"figures__{field}", filter=Q(figures__metric=metric, figures__published=True)
            )

        def flagged(field, metric=None):
            # MAX over booleans is not portable (PostgreSQL has none): count the true ones.
            condition = Q(**{f"figures__{field}": True, "figures__published": True})
            if metric is not None:
                condition &= Q(figures__metric=metric)
            return GreaterThan(Count("figures", filter=condition), 0)

        columns = {
            name: flagged(field, metric) if field in FIGURE_FLAGS else reported(metric, field)
            for name, metric, field in reported_columns()
        }
        return self.select_related("edition", "region", "source").annotate(**columns)


# A figure's flags, each a column of a pavilion's figures (`reported_columns`).
FIGURE_FLAGS = ("approximate", "preview", "mixed_kinds")


def reported_columns():
    """(column, figure, field) of each column of a pavilion's reported figures: the field of
    its figure of that kind (money in US dollars, and as the source states it), or whether a
    flag is set on it (`FIGURE_FLAGS`); with no figure named, whether any figure is so
    flagged. What `PavilionQuerySet.with_reported_figures` annotates and
    `add_reported_figures` reads."""
    for metric in HEADLINE_METRICS:
        if metric in MONEY_METRICS:
            yield f"{metric}_usd", metric, "usd_value"
        else:
            yield str(metric), metric, "value"
        for flag in FIGURE_FLAGS:
            yield f"{metric}_{flag}", metric, flag
    for metric in sorted(MONEY_METRICS):
        for field in ("value", "currency", "converted_value", "converted_currency"):
            yield f"{metric}_{field}", metric, field
    for flag in ("preview", "mixed_kinds"):
        yield flag, None, flag


FIGURE_FIELDS = ("value", "usd_value", "currency", "converted_value", "converted_currency")


def add_reported_figures(pavilions, figures=None):
    """Give each of `pavilions` the columns `PavilionQuerySet.with_reported_figures()`
    annotates, from one read of their published figures (or from `figures`, those published
    figures already read): for a page of rows already found, where building and compiling
    those 34 aggregates took longer than the query ran."""
    names = FIGURE_FIELDS + FIGURE_FLAGS
    if figures is None:
        rows = ReportedFigure.objects.filter(pavilion__in=[p.pk for p in pavilions])
        rows = rows.values_list("pavilion", "metric", *names)
    else:
        rows = ((f.pavilion_id, f.metric, *(getattr(f, name) for name in names)) for f in figures)
    figures = {}
    for pavilion, metric, *values in rows:
        figures.setdefault(pavilion, {})[metric] = dict(zip(names, values, strict=True))
    columns = list(reported_columns())
    for p in pavilions:
        reported = figures.get(p.pk, {})
        for name, metric, field in columns:
            if metric is None:
                value = any(figure[field] for figure in reported.values())
            elif field in FIGURE_FLAGS:
                value = bool(reported.get(metric, {}).get(field))
            else:
                value = reported[metric][field] if metric in reported else None
            setattr(p, name, value)
    return pavilions


class PavilionManager(models.Manager.from_queryset(PavilionQuerySet)):
    def get_by_natural_key(self, year, slug):
        return self.get(edition__year=year, slug=slug)


class Pavilion(BilingualNameMixin, Publishable):
    """A joint pavilion (공동관) a city or province runs at one CES for its companies."""

    class Kind(models.TextChoices):
        MAIN = "main", _("main pavilion")
        SPORTS = "sports", _("sports pavilion")
        OTHER = "other", _("other")

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="pavilions"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("run by"),
        on_delete=models.PROTECT,
        related_name="pavilions",
    )
    slug = models.SlugField(_("slug"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MAIN)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        related_name="pavilions",
        help_text=_("The article that tells of this pavilion."),
    )

    all_objects = PavilionManager()
    objects = published(PavilionManager)
    history = HistoricalRecords()

    class Meta:
        ordering = ["edition__year", "region__name_ko", "kind", "name_ko"]
        verbose_name = _("pavilion")
        verbose_name_plural = _("pavilions")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "name_ko"],
                name="pavilion_korean_name_unique_per_edition",
                violation_error_message=_("A pavilion of this name already exists at this CES."),
            ),
            models.UniqueConstraint(
                fields=["edition", "name_en"],
                name="pavilion_english_name_unique_per_edition",
                violation_error_message=_("A pavilion of this name already exists at this CES."),
            ),
            models.UniqueConstraint(
                fields=["edition", "slug"],
                name="pavilion_slug_unique_per_edition",
                violation_error_message=_("A pavilion with this slug already exists at this CES."),
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.edition.year, self.slug)

    natural_key.dependencies = ["delegations.edition", "delegations.region"]

    def get_absolute_url(self):
        return page_url("pavilion", self.edition.year, self.slug)


class RegionalCompanyCountManager(models.Manager):
    def get_by_natural_key(self, year, pavilion_slug, region_slug):
        return self.get(
            pavilion__edition__year=year, pavilion__slug=pavilion_slug, region__slug=region_slug
        )


class RegionalCompanyCount(Publishable):
    """How many of a pavilion's companies came from one region (e.g. 21 from Daegu, 3 from
    Gyeongbuk): a pavilion can host companies from outside the city that runs it."""

    pavilion = models.ForeignKey(
        Pavilion,
        verbose_name=_("pavilion"),
        on_delete=models.CASCADE,
        related_name="regional_counts",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    companies = models.PositiveIntegerField(_("companies"))
    approximate = models.BooleanField(_("approximate"), default=False)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="regional_counts"
    )
    quote = models.TextField(_("quote"), blank=True)

    all_objects = RegionalCompanyCountManager()
    objects = published(RegionalCompanyCountManager)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pavilion", "-companies"]
        verbose_name = _("companies by region")
        verbose_name_plural = _("companies by region")
        constraints = [
            models.UniqueConstraint(
                fields=["pavilion", "region"],
                name="one_regional_count_per_pavilion",
                violation_error_message=_("This pavilion already has a count for this region."),
            ),
            models.CheckConstraint(
                condition=Q(companies__gte=0),
                name="regional_count_not_negative",
                violation_error_message=_("A company count cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.pavilion} · {self.region}: {self.companies}"

    def natural_key(self):
        return self.pavilion.natural_key() + (self.region.slug,)

    natural_key.dependencies = ["delegations.pavilion"]


# ---------------------------------------------------------------------------- reported figures


class Metric(models.TextChoices):
    COMPANIES = "companies", _("companies")
    CONSULTATIONS = "consultations", _("business consultations")
    CONSULTATION_VALUE = "consultation_value", _("consultation value")
    CONTRACT_VALUE = "contract_value", _("contract value")
    MOUS = "mous", _("MOUs and agreements")
    AWARD_WINNERS = "award_winners", _("Innovation Award winners")
    YOUTH_TEAM = "youth_team", _("youth team members")


# Consultation value and contract value are different stages of a deal: separate metrics,
# separate columns and charts, never added together.
MONEY_METRICS = frozenset({Metric.CONSULTATION_VALUE, Metric.CONTRACT_VALUE})

# What a count counts, for exports and the JSON twins (money is in its currency instead).
METRIC_UNITS = {
    Metric.COMPANIES: "companies",
    Metric.CONSULTATIONS: "consultations",
    Metric.MOUS: "agreements",
    Metric.AWARD_WINNERS: "companies",
    Metric.YOUTH_TEAM: "people",
}

# The figures every results view shows, in this order.
HEADLINE_METRICS = [
    Metric.COMPANIES,
    Metric.CONSULTATIONS,
    Metric.CONSULTATION_VALUE,
    Metric.CONTRACT_VALUE,
    Metric.MOUS,
    Metric.AWARD_WINNERS,
]


class ReportedFigureQuerySet(models.QuerySet):
    def counted_in_totals(self):
        """The figures a city's total is made of: a city-wide figure (no pavilion) of its CES
        and metric wins; where there is none, its pavilions' figures are added up."""
        city_wide = ReportedFigure.objects.filter(
            edition=OuterRef("edition"),
            region=OuterRef("region"),
            metric=OuterRef("metric"),
            pavilion__isnull=True,
        )
        return self.filter(Q(pavilion__isnull=True) | ~Exists(city_wide))

    def city_totals(self):
        """One row per city, CES and figure: the totals of the home, city and edition pages, of
        their charts and of the results table (/results/).

        A city-wide figure (no pavilion) is the source's own total and wins; where there is none,
        the city's pavilions are added up: `<kind>_pavilions` says how many of each kind and
        `<kind>_value` what they add up to, so the scope of a total is always known. Amounts are
        added only in one currency (`value` is NULL across currencies) and in USD only when every
        figure has a USD value.

        The earlier totals each is shown against are found from these rows by
        `cesdash.totals.Results.build`: window functions over the grouped rows took most of
        the time of a page.
        """
        rows = (
            self.counted_in_totals()
            .order_by()
            .values(
                "region",
                "metric",
                year=F("edition__year"),
                city_slug=F("region__slug"),
                city_ko=F("region__name_ko"),
                city_en=F("region__name_en"),
            )
            .annotate(
                figures=Count("pk"),
                # The source a total cites: its own, or the first by key of those added up.
                source_key=Min("source__key"),
                pavilions=Count("pavilion"),
                currencies=Count("currency", distinct=True),
                currency=Max("currency"),
                approximate=Max(Case(When(approximate=True, then=1), default=0)),
                preview=Max(Case(When(preview=True, then=1), default=0)),
                mixed_kinds=Max(Case(When(mixed_kinds=True, then=1), default=0)),
                first_figure=Min("pk"),
                conversion_currency=Max("converted_currency"),
                **{
                    f"{kind}_pavilions": Count("pavilion", filter=Q(pavilion__kind=kind))
                    for kind in Pavilion.Kind
                },
            )
            .annotate(
                # What each kind of pavilion adds up to, in the one currency (else unknown).
                **{
                    f"{kind}_value": Case(
                        When(currencies__lte=1, then=Sum("value", filter=Q(pavilion__kind=kind)))
                    )
                    for kind in Pavilion.Kind
                },
                value=Case(When(currencies__lte=1, then=Sum("value"))),
                usd=Case(When(figures=Count("usd_value"), then=Sum("usd_value"))),
                converted_value=Case(
                    When(
                        Q(currencies__lte=1, figures=Count("converted_value")),
                        then=Sum("converted_value"),
                    )
                ),
            )
        )
        return rows.order_by("region", "year", "metric")


class ReportedFigureManager(models.Manager.from_queryset(ReportedFigureQuerySet)):
    def get_by_natural_key(self, year, region_slug, pavilion_slug, metric):
        return self.get(
            edition__year=year,
            region__slug=region_slug,
            pavilion__slug=pavilion_slug or None,
            metric=metric,
        )


class ReportedFigure(Publishable):
    """A total a source states: for one pavilion, or for a city's whole delegation when the source
    ties it to no pavilion (pavilion left empty).

    Money stays in the currency the source used; where the source gives its own conversion
    ("USD 140 million, about KRW 188.18 billion") that is kept too, never one of ours.
    """

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="figures"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("city or region"), on_delete=models.PROTECT, related_name="figures"
    )
    pavilion = models.ForeignKey(
        Pavilion,
        verbose_name=_("pavilion"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="figures",
        help_text=_("Leave empty when the source gives the figure for the whole delegation."),
    )
    metric = models.CharField(_("figure"), max_length=20, choices=Metric.choices)
    value = models.BigIntegerField(_("value"))
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    approximate = models.BooleanField(
        _("approximate"), default=False, help_text=_("The source says 'about' (약, 여).")
    )
    converted_value = models.BigIntegerField(
        _("source's conversion"),
        null=True,
        blank=True,
        help_text=_("The same amount in another currency, as the source itself converted it."),
    )
    converted_currency = models.CharField(
        _("conversion currency"), max_length=3, choices=Currency.choices, blank=True
    )
    converted_approximate = models.BooleanField(_("conversion approximate"), default=True)
    preview = models.BooleanField(
        _("preview"),
        default=False,
        help_text=_(
            "The source was written before the trip: a plan or an announcement, not a result."
        ),
    )
    mixed_kinds = models.BooleanField(
        _("mixes kinds"),
        default=False,
        help_text=_(
            "The count covers more than companies (e.g. 기업·기관, companies and institutions)."
        ),
    )
    usd_value = models.GeneratedField(
        expression=models.Case(
            models.When(currency="USD", then=F("value")),
            models.When(converted_currency="USD", then=F("converted_value")),
            default=None,
            output_field=models.BigIntegerField(),
        ),
        output_field=models.BigIntegerField(),
        db_persist=True,
        verbose_name=_("value in USD"),
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="figures"
    )
    quote = models.TextField(_("quote"), blank=True, help_text=_("The source's own words."))
    note_ko = models.TextField(_("note (Korean)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)

    all_objects = ReportedFigureManager()
    objects = published(ReportedFigureManager)
    history = HistoricalRecords(excluded_fields=["usd_value"])

    class Meta:
        # City-wide figures first on PostgreSQL and SQLite alike.
        # A city's figures at one CES, pavilions' and city-wide alike: which cities an edition
        # page lists, and their company counts (the unique constraint covers city-wide only).
        indexes = [
            models.Index(fields=["region", "edition", "metric"], name="figure_city_ces_metric"),
            # An article's published figures, counted from the index alone (the sources page),
            # and those of its latest CES (the figures its page shows first).
            models.Index(
                fields=["source", "published", "edition"], name="figure_source_published_ces"
            ),
            # How many totals each CES has (the results table's count), in index order.
            models.Index(
                fields=["edition", "published", "metric", "region"], name="figure_ces_totals"
            ),
        ]
        ordering = [
            "edition__year",
            "region__name_ko",
            F("pavilion").asc(nulls_first=True),
            "metric",
        ]
        verbose_name = _("reported figure")
        verbose_name_plural = _("reported figures")
        constraints = [
            models.UniqueConstraint(
                fields=["pavilion", "metric"],
                condition=Q(pavilion__isnull=False),
                name="one_figure_per_pavilion_and_metric",
                violation_error_message=_("This pavilion already has this figure."),
            ),
            models.UniqueConstraint(
                fields=["edition", "region", "metric"],
                condition=Q(pavilion__isnull=True),
                name="one_city_figure_per_edition_and_metric",
                violation_error_message=_(
                    "This delegation already has this figure for the whole city."
                ),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="figure_not_negative",
                violation_error_message=_("A reported figure cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(converted_value__isnull=True) | Q(converted_value__gte=0),
                name="figure_conversion_not_negative",
                violation_error_message=_("A converted amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=(Q(metric__in=MONEY_METRICS) & ~Q(currency=""))
                | (~Q(metric__in=MONEY_METRICS) & Q(currency="")),
                name="figure_currency_only_for_money",
                violation_error_message=_(
                    "Amounts of money need a currency; counts must not have one."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(converted_value__isnull=True) & Q(converted_currency=""))
                | (
                    Q(converted_value__isnull=False)
                    & ~Q(converted_currency="")
                    & ~Q(converted_currency=F("currency"))
                ),
                name="figure_conversion_complete",
                violation_error_message=_(
                    "A conversion needs both an amount and a currency other than the figure's own."
                ),
            ),
        ]

    def __str__(self):
        where = self.pavilion or f"{self.region} · CES {self.edition.year}"
        return f"{where}: {self.get_metric_display()} {self.value}"

    def natural_key(self):
        return (
            self.edition.year,
            self.region.slug,
            self.pavilion.slug if self.pavilion_id else "",
            self.metric,
        )

    natural_key.dependencies = ["delegations.pavilion"]

    @property
    def usd(self):
        """The amount in US dollars, as the source states or converts it (`usd_value` before
        the row is saved)."""
        if self.currency == "USD":
            return self.value
        return self.converted_value if self.converted_currency == "USD" else None

    def same_scope(self):
        """Figures covering what this one covers: the same kind of pavilion of the same city,
        or the same city's whole delegation."""
        figures = ReportedFigure.objects.filter(region_id=self.region_id).exclude(pk=self.pk)
        if self.pavilion_id:
            return figures.filter(pavilion__kind=self.pavilion.kind)
        return figures.filter(pavilion__isnull=True)

    def warnings(self):
        """What looks wrong without being impossible, for the editor to check and confirm:
        a change of more than tenfold against the last CES, a contract value above the
        consultation value it came from, no quote from the article."""
        said = []
        if not (self.edition_id and self.region_id and self.metric and self.value is not None):
            return said
        earlier = (
            self.same_scope()
            .filter(metric=self.metric, edition__year__lt=self.edition.year)
            .select_related("edition")
            .order_by("-edition__year")
            .first()
        )
        mine = self.usd if self.metric in MONEY_METRICS else self.value
        theirs = earlier and (earlier.usd_value if self.metric in MONEY_METRICS else earlier.value)
        if mine and theirs and not (theirs / 10 <= mine <= theirs * 10):
            said.append(
                _(
                    "%(figure)s at CES %(year)s was %(earlier)s: %(value)s is more than ten "
                    "times that, or less than a tenth. Check for a missing or extra zero."
                )
                % {
                    "figure": capfirst(self.get_metric_display()),
                    "year": earlier.edition.year,
                    "earlier": f"{theirs:,}",
                    "value": f"{mine:,}",
                }
            )
        stages = {Metric.CONTRACT_VALUE: Metric.CONSULTATION_VALUE}
        stages |= {consulted: signed for signed, consulted in stages.items()}
        if self.metric in stages and self.usd is not None:
            other = (
                self.same_scope()
                .filter(metric=stages[self.metric], edition_id=self.edition_id)
                .values_list("usd_value", flat=True)
                .first()
            )
            contract, consulted = (
                (self.usd, other) if self.metric == Metric.CONTRACT_VALUE else (other, self.usd)
            )
            if contract is not None and consulted is not None and contract > consulted:
                said.append(
                    _(
                        "The contract value (USD %(contract)s) is larger than the consultation "
                        "value (USD %(consulted)s) it came from. Check that the two are not "
                        "swapped."
                    )
                    % {"contract": f"{contract:,}", "consulted": f"{consulted:,}"}
                )
        if not self.quote.strip():
            said.append(
                _(
                    "No words from the article are quoted: quote the sentence the figure comes "
                    "from, so that readers can check it."
                )
            )
        return said

    def clean(self):
        super().clean()
        if self.pavilion_id and (
            (self.edition_id and self.pavilion.edition_id != self.edition_id)
            or (self.region_id and self.pavilion.region_id != self.region_id)
        ):
            raise ValidationError(
                {"pavilion": _("The pavilion belongs to another edition or city.")}
            )

    def save(self, *args, **kwargs):
        # A pavilion's figure always sits in that pavilion's edition and city.
        if self.pavilion_id:
            self.edition_id = self.pavilion.edition_id
            self.region_id = self.pavilion.region_id
        super().save(*args, **kwargs)
