"""Template filters for Vietnamese numbers: `{{ amount|vnd }}` → '1.250.000 đ',
`{{ value|number }}` → '1.250.000' or '2,5'. The formatting itself is `core.formatting`."""

from django import template

from core import formatting

register = template.Library()
register.filter("number", formatting.number)
register.filter("vnd", formatting.vnd)
