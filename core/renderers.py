"""The project's form renderer (`FORM_RENDERER`): Django's own form templates, except that a
select list, a field group (label, help text, errors, widget) and the plain input and textarea
widgets are written here in Python, to the byte what Django's templates write.

Why: Django renders each `<option>` by including `select_option.html` and `attrs.html`, a
template context push and a dozen variable look-ups per option. The dashboards' filter form
(about 180 options: agencies, provinces, programs, years) and every form with a province or
agency list paid for that on every request: 19 ms of CPU for the filter form's widgets, about
a tenth of a page's time (docs/benchmarks.md, "Throughput per core"). Every value goes through
the same functions a template uses (`render_value_in_context`, the `stringformat` filter), so
escaping and localisation are Django's; `core/tests/test_renderers.py` compares the output
with Django's templates. A select whose options use another template falls back to them.

The field group came next (issue 18, fifth pass): the progress form on the activity page and
its own page renders eight fields, each through `field.html`, `label.html`, the error list's
two templates and the widget's two or three (an `include` per input and its attributes):
about a fifth of the activity page's CPU and a third of the progress form's. A field set out
as a `<fieldset>` (radio and checkbox lists), a file input showing its current file and any
template not named here still go through Django's templates.
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
FIELD_TEMPLATE = "django/forms/field.html"
LABEL_TEMPLATE = "django/forms/label.html"
ERROR_LIST_TEMPLATES = {
    "django/forms/errors/list/default.html",
    "django/forms/errors/list/ul.html",
}
# Every widget template of Django's that is `{% include "django/forms/widgets/input.html" %}`.
INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        *("checkbox", "color", "date", "datetime", "email", "file", "hidden", "number"),
        *("password", "search", "tel", "text", "time", "url"),
    )
}
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
CLEARABLE_FILE_TEMPLATE = "django/forms/widgets/clearable_file_input.html"

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


def input_html(widget: Mapping[str, Any]) -> str:
    """django/forms/widgets/input.html (and the templates that only include it)."""
    value = widget["value"]
    # `{% if widget.value != None %}`: the template's own comparison, not `is not None`.
    shown = f' value="{_formatted(value)}"' if value != None else ""  # noqa: E711
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}'
        f"{attrs_html(widget['attrs'])}>"
    )


def textarea_html(widget: Mapping[str, Any]) -> str:
    """django/forms/widgets/textarea.html."""
    value = _text(widget["value"]) if widget["value"] else ""
    attrs = attrs_html(widget["attrs"])
    return f'<textarea name="{_text(widget["name"])}"{attrs}>\n{value}</textarea>'


def clearable_file_html(widget: Mapping[str, Any]) -> str | None:
    """django/forms/widgets/clearable_file_input.html without a current file (None with one)."""
    if widget["is_initial"]:
        return None
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{attrs_html(widget['attrs'])}>"
    )


def label_html(context: Mapping[str, Any]) -> str:
    """django/forms/label.html (`BoundField.label_tag`'s context)."""
    label = _text(context["label"])
    if not context["use_tag"]:
        return label
    tag = _text(context["tag"])
    return f"<{tag}{attrs_html(context['attrs'] or {})}>{label}</{tag}>"


def error_list_html(context: Mapping[str, Any]) -> str:
    """django/forms/errors/list/ul.html (and default.html, which includes it)."""
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    shown_id = f' id="{_text(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{_text(error)}</li>" for error in errors)
    return f'<ul class="{_text(context["error_class"])}"{shown_id}>{items}</ul>'


def field_html(field) -> str | None:
    """django/forms/field.html (`BoundField.as_field_group`); None for a field set out as a
    `<fieldset>`."""
    if field.use_fieldset:
        return None
    label = field.label_tag() if field.label else ""
    help_text = ""
    if field.help_text:
        help_id = f' id="{_text(field.auto_id)}_helptext"' if field.auto_id else ""
        help_text = f'<div class="helptext"{help_id}>{field.help_text}</div>'
    html = f"\n  {_text(label)}\n\n{help_text}\n{_text(field.errors)}\n{_text(field)}\n"
    return html.strip()  # as the renderer strips every template's output


class FormRenderer(DjangoTemplates):
    """Django's template form renderer, with select lists, field groups, labels, error lists
    and plain inputs written in Python (the functions above)."""

    def render(self, template_name, context, request=None):
        html = None
        if template_name == SELECT_TEMPLATE:
            html = select_html(context["widget"])
        elif template_name == FIELD_TEMPLATE:
            html = field_html(context["field"])
        elif template_name in INPUT_TEMPLATES:
            html = input_html(context["widget"])
        elif template_name == LABEL_TEMPLATE:
            html = label_html(context)
        elif template_name in ERROR_LIST_TEMPLATES:
            html = error_list_html(context)
        elif template_name == TEXTAREA_TEMPLATE:
            html = textarea_html(context["widget"])
        elif template_name == CLEARABLE_FILE_TEMPLATE:
            html = clearable_file_html(context["widget"])
        if html is not None:
            return html
        return super().render(template_name, context, request=request)
