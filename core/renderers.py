"""The project's form renderer (`FORM_RENDERER`): Django's own form templates, except that a
select list is written here in Python, to the byte what Django's templates write.

Why: Django renders each `<option>` by including `select_option.html` and `attrs.html`, a
template context push and a dozen variable look-ups per option. The dashboards' filter form
(about 180 options: agencies, provinces, programs, years) and every form with a province or
agency list paid for that on every request: 19 ms of CPU for the filter form's widgets, about
a tenth of a page's time (docs/benchmarks.md, "Throughput per core"). Every value goes through
the same functions a template uses (`render_value_in_context`, the `stringformat` filter), so
escaping and localisation are Django's; `core/tests/test_renderers.py` compares the output
with Django's templates. A select whose options use another template falls back to them.
"""

from collections.abc import Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.safestring import SafeData, mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"

# What a template renders a value with: autoescape on; localisation and time zone as the
# settings say (the defaults of a Context, as for a form template).
_CONTEXT = Context()


def _text(value: Any) -> str:
    """`{{ value }}` in a template."""
    return render_value_in_context(value, _CONTEXT)


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}` in a template (the filter keeps safe text safe)."""
    result = stringformat(value, "s")
    if isinstance(value, SafeData):
        result = mark_safe(result)  # noqa: S308 - only what was already safe stays so
    return render_value_in_context(result, _CONTEXT)


def attrs_html(attrs: Mapping[str, Any]) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a bare ` name` for True, nothing for
    False."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def select_html(widget: Mapping[str, Any]) -> str | None:
    """django/forms/widgets/select.html with its options, from the widget's context; None when
    an option has a template of its own (or a value the template would call)."""
    parts = [f'<select name="{_text(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            value, label = option["value"], option["label"]
            if option["template_name"] != OPTION_TEMPLATE or callable(value) or callable(label):
                return None
            parts.append(
                f'\n  <option value="{_formatted(value)}"{attrs_html(option["attrs"])}>'
                f"{_text(label)}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    """Django's template form renderer, with select lists written by `select_html`."""

    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            html = select_html(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request=request)
