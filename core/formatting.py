"""Vietnamese number formatting, for services, documents and templates alike: `number(1250000)`
→ '1.250.000' (in English '1,250,000'), `number(Decimal("2.50"))` → '2,5', `vnd(1250000)` →
'1.250.000 đ'. The template filters in `core/templatetags/vn.py` only register these."""

from collections.abc import Callable
from decimal import Decimal

from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import get_language


def number_formatter() -> Callable[[int | Decimal | float | str | None], str]:
    """`number` for many values in the active language: its separators are looked up once.
    A national dashboard writes about 3,000 numbers, and looking the format up for each cost
    more than the formatting itself. What `number` returns, value for value."""
    language = get_language()
    decimal_separator = get_format("DECIMAL_SEPARATOR", language, use_l10n=True)
    grouping = get_format("NUMBER_GROUPING", language, use_l10n=True)
    thousand_separator = get_format("THOUSAND_SEPARATOR", language, use_l10n=True)
    separators = str.maketrans({",": thousand_separator, ".": decimal_separator})

    def formatted(value: int | Decimal | float | str | None) -> str:
        if value is None or value == "":
            return ""
        if type(value) is int and grouping == 3:
            # Django's `numberformat.format` groups an int's digits in threes the same way.
            return f"{value:,}".replace(",", thousand_separator)
        places = None
        if isinstance(value, Decimal):
            value = value.normalize()
            _sign, digits, exponent = value.as_tuple()
            if grouping == 3 and value.is_finite() and abs(exponent) + len(digits) <= 200:
                # What `numberformat.format` writes (a zero without its sign), grouped by
                # `format` as an int is: the dashboards' tables show some 1,400 decimals.
                return f"{value:,f}".translate(separators) if value else "0"
            places = max(0, -exponent)
        return numberformat.format(
            value,
            decimal_separator,
            places,
            grouping,
            thousand_separator,
            force_grouping=True,
            use_l10n=True,
        )

    return formatted


def number(value: int | Decimal | float | str | None) -> str:
    """Group thousands and drop trailing zeros of decimals, in the active language's format."""
    return number_formatter()(value)


def vnd(value: int | Decimal | None) -> str:
    """An amount of money in đồng."""
    if value is None or value == "":
        return ""
    return f"{number(int(value))} đ"
