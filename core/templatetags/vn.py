"""Vietnamese number formatting for templates: `{{ amount|vnd }}` → '1.250.000 đ',
`{{ value|number }}` → '1.250.000' or '2,5'."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def number(value):
    """Group thousands and drop trailing zeros of decimals, in the active language's format."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
        places = max(0, -value.as_tuple().exponent)
        return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
    return number_format(value, use_l10n=True, force_grouping=True)


@register.filter
def vnd(value):
    """An amount of money in đồng."""
    if value is None or value == "":
        return ""
    return f"{number(int(value))} đ"
