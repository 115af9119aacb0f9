"""Form fields shared by every app's forms."""

from django import forms
from django.core.exceptions import ValidationError

# The largest id a row can have: a 64-bit signed integer (PostgreSQL's bigint; SQLite cannot
# even be asked about a larger number).
MAX_ID = 2**63 - 1


class IdField(forms.IntegerField):
    """The id of a record given in a query string or a hidden field: a whole number from 1 to
    MAX_ID. A larger one is refused like any other invalid value instead of reaching the
    database. (Model choice fields need no such bound: `core.db.IntegerFieldIn` and Django's own
    integer lookups answer "no such row".)"""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError next to the form's fields (others go on top)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
