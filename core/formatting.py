"""Vietnamese number formatting, for services, documents and templates alike: `number(1250000)`
→ '1.250.000' (in English '1,250,000'), `number(Decimal("2.50"))` → '2,5', `vnd(1250000)` →
'1.250.000 đ'. The template filters in `core/templatetags/vn.py` only register these."""

from decimal import Decimal

from django.utils.formats import number_format


def number(value: int | Decimal | float | str | None) -> str:
    """Group thousands and drop trailing zeros of decimals, in the active language's format."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
        places = max(0, -value.as_tuple().exponent)
        return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
    return number_format(value, use_l10n=True, force_grouping=True)


def vnd(value: int | Decimal | None) -> str:
    """An amount of money in đồng."""
    if value is None or value == "":
        return ""
    return f"{number(int(value))} đ"
