"""Korean and English text side by side: which one a page reads, with the other as fallback.

Every bilingual field comes in a pair, `<field>_ko` and `<field>_en`. The page's language picks
one; when that one is blank (an English name no article gives), the other language stands in,
so a page never shows an empty name.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def is_english():
    return (get_language() or "ko").startswith("en")


def language_order():
    """The language codes in the order the page reads them: its own first, the other second."""
    return ("en", "ko") if is_english() else ("ko", "en")


def localized(obj, field):
    """`obj.<field>_ko` or `obj.<field>_en`, whichever the page reads, else the other."""
    first, second = language_order()
    return getattr(obj, f"{field}_{first}", "") or getattr(obj, f"{field}_{second}", "")


def localized_fields(prefix):
    """`region__name` -> ["region__name_ko", "region__name_en"] in the page's reading order:
    what a sort by a bilingual name orders by."""
    return [f"{prefix}_{code}" for code in language_order()]


class BilingualNameMixin(models.Model):
    """Korean and English names; `name` gives the one for the active language."""

    name_ko = models.CharField(_("name (Korean)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    @property
    def name(self):
        return localized(self, "name")

    def __str__(self):
        return self.name
