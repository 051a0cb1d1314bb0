"""How figures read on a page: Korean units (만, 억, 조) in Korean, millions in English.

Exports never go through here: they carry raw numbers.
"""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from delegations.bilingual import is_english

KOREAN_UNITS = [(10**12, "조"), (10**8, "억"), (10**4, "만")]
CURRENCY_KO = {"USD": "달러", "KRW": "원"}
CURRENCY_EN = {"USD": "$", "KRW": "₩"}


def group(value):
    """1234567 -> '1,234,567'. Korean and English both group thousands with a comma (Django's
    ko and en formats); a whole number is grouped here rather than by number_format(), which
    looks the format up again for each of a page's hundreds of figures."""
    if type(value) is int:
        return f"{value:,}"
    return number_format(value, force_grouping=True)


def korean_amount(value):
    """188180000000 -> '1,881억 8,000만'; 7280000 -> '728만'; 9500 -> '9,500'."""
    if value < 10**4:
        return group(value)
    parts = []
    rest = value
    for size, unit in KOREAN_UNITS:
        if rest >= size:
            parts.append(f"{group(rest // size)}{unit}")
            rest %= size
    if rest:
        parts.append(group(rest))
    return " ".join(parts)


def english_amount(value):
    """140000000 -> '140 million'; 188180000000 -> '188.18 billion'; 150000 -> '150,000'."""
    for size, word in [(10**12, "trillion"), (10**9, "billion"), (10**6, "million")]:
        if value >= size:
            number = f"{value / size:,.2f}".rstrip("0").rstrip(".")
            return f"{number} {word}"
    return group(value)


def about(text, approximate):
    if not approximate:
        return text
    return _("about %(figure)s") % {"figure": text}


def format_count(value, approximate=False):
    """A count, or 'not reported' when no source states it."""
    if value is None:
        return _("not reported")
    return about(group(value), approximate)


def format_money(value, currency, approximate=False):
    """An amount in its own currency, in the active language's units."""
    if value is None:
        return _("not reported")
    if is_english():
        text = f"{CURRENCY_EN.get(currency, currency + ' ')}{english_amount(value)}"
    else:
        text = f"{korean_amount(value)} {CURRENCY_KO.get(currency, currency)}"
    return about(text, approximate)


def short_amount(usd):
    """A compact US-dollar amount for a chart's axis, where the axis title names the currency:
    '$150M' in English, '1.5억' or '5,000만' in Korean."""
    if is_english():
        if usd >= 10**6:
            return f"${usd / 10**6:,.2f}".rstrip("0").rstrip(".") + "M"
        return f"${group(usd)}"
    if usd >= 10**8:
        return f"{usd / 10**8:,.2f}".rstrip("0").rstrip(".") + "억"
    if usd >= 10**4:
        return f"{usd / 10**4:,.2f}".rstrip("0").rstrip(".") + "만"
    return group(usd)


def short_money(usd):
    """A compact USD amount for a chart's bar labels and hover: '$7.28M' in English, '728만
    달러' or '1.4억 달러' in Korean (the axis shows the same numbers without the currency)."""
    if is_english():
        return short_amount(usd)
    return f"{short_amount(usd)} 달러"
