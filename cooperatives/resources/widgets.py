"""The widgets of `CooperativeResource`: each reads a cell with one of the parsers in
`importer.values` (values as the provinces write them) and exports the plain value."""

from collections.abc import Callable
from decimal import Decimal

from django.utils import translation
from import_export import fields, widgets

from ..importer.headers import BY_FIELD
from ..importer.values import (
    CellError,
    choice_key,
    parse_amount,
    parse_choice,
    parse_text,
    parse_yes_no,
)


class ParsingWidget(widgets.Widget):
    """A widget whose `clean` is one of the parsers in `importer.values` and whose export
    value is the plain Python value (a date stays a date in .xlsx)."""

    def __init__(self, parse=parse_text):
        super().__init__(coerce_to_string=False)
        self.parse = parse

    def clean(self, value, row=None, **kwargs):
        return self.parse(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class YesNoWidget(ParsingWidget):
    def __init__(self):
        super().__init__(parse_yes_no)

    def render(self, value, obj=None, **kwargs):
        return "x" if value else ""


class AmountWidget(ParsingWidget):
    """Đồng; `scale` is set per file from the header's unit ('triệu đồng')."""

    def __init__(self):
        super().__init__()
        self.scale = Decimal(1)

    def clean(self, value, row=None, **kwargs):
        return parse_amount(value, self.scale)


class ChoiceWidget(ParsingWidget):
    """A choice written as its Vietnamese (or English) label or a usual abbreviation."""

    def __init__(self, choices, aliases: dict[str, str] | None = None):
        super().__init__()
        self.choices = choices
        self.lookup: dict[str, str] = {}
        for language in ("en", "vi"):
            with translation.override(language):
                for value, label in choices.choices:
                    self.lookup[choice_key(str(label))] = value
                    self.lookup[choice_key(value)] = value
        for alias, value in (aliases or {}).items():
            self.lookup[choice_key(alias)] = value
        # Lazy labels, translated when a message names them: `choices.labels` builds the list
        # anew on every call, once per cell.
        self.labels = choices.labels

    def clean(self, value, row=None, **kwargs):
        return parse_choice(value, self.lookup, self.labels)

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        with translation.override("vi"):
            return str(self.choices(value).label)


# Distinct values remembered per column and import: enough for the repeated words of a
# column (kinds, provinces, communes, dates, amounts) without holding a column of names.
REMEMBERED_VALUES = 5000


def remembered(clean: Callable) -> Callable:
    """`clean(value)` remembering, for the values of one column in one import, each result or
    the message of its error: a 50,000-row list repeats a few hundred communes, dates and
    amounts, and reading a cell is pure (the unit scale and the language are fixed for an
    import). Keyed by type as well, so 1, 1.0 and True stay apart."""
    results: dict[tuple, object] = {}

    def cached(value):
        key = (value.__class__, value)
        try:
            found = results[key]
        except KeyError:
            try:
                found = clean(value)
            except ValueError as error:
                found = Refused(str(error))
            if len(results) < REMEMBERED_VALUES:
                results[key] = found
        except TypeError:  # not hashable: never from a reader, but a caller may pass one
            return clean(value)
        if found.__class__ is Refused:
            raise CellError(found.message)
        return found

    return cached


class Refused:
    """A cell its column's reader refused, with the reader's message."""

    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message


def column_field(name: str, widget=None, **kwargs) -> fields.Field:
    """The resource field of model field `name` under its header in `importer.headers`."""
    return fields.Field(
        attribute=name,
        column_name=BY_FIELD[name].header,
        widget=widget or ParsingWidget(),
        **kwargs,
    )
