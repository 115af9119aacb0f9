"""The project's form renderer writes select lists in Python: the HTML must be Django's, to
the byte, for every kind of select the forms use."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from agencies.models import Province
from core.renderers import FormRenderer, select_html

DJANGO = DjangoTemplates()
OURS = FormRenderer()

CHOICES = [
    ("", _("Tất cả tỉnh, thành phố")),
    (1, "An Giang"),
    ("a&b", "Tên có <thẻ> & \"ngoặc kép\" và 'nháy'"),
    (2026, 2026),
    (Decimal("2.5"), Decimal("2.5")),
    (datetime.date(2026, 11, 30), datetime.date(2026, 11, 30)),
    (None, None),
    ((1, 2), "một bộ"),
    (mark_safe("<b>"), mark_safe("<i>an toàn</i>")),  # noqa: S308 - the test's own text
    (
        _("Nhóm"),
        [(10, "Trong nhóm"), (11, _("Được chọn"))],
    ),
    ("", [(12, "Nhóm không tên")]),
]


def _both(widget: forms.Widget, value, attrs=None) -> tuple[str, str]:
    return (
        widget.render("ten", value, attrs=attrs, renderer=DJANGO),
        widget.render("ten", value, attrs=attrs, renderer=OURS),
    )


@pytest.mark.parametrize("value", [None, "", 1, "a&b", 2026, 11, True, "false", ("1", "11")])
@pytest.mark.parametrize(
    "widget",
    [
        forms.Select(choices=CHOICES),
        forms.Select(choices=CHOICES, attrs={"class": "x", "data-ok": True, "hidden": False}),
        forms.SelectMultiple(choices=CHOICES),
        forms.NullBooleanSelect(),
    ],
    ids=["select", "select-attrs", "multiple", "null-boolean"],
)
def test_a_select_is_written_as_djangos_templates_write_it(widget, value):
    theirs, ours = _both(widget, value, attrs={"id": "id_ten", "required": True, "n": None})
    assert ours == theirs


def test_every_value_is_escaped_and_a_safe_value_left_alone():
    html = select_html(
        forms.Select(choices=CHOICES).get_context("ten", "a&b", {"title": '"x"'})["widget"]
    )
    assert 'value="a&amp;b" selected' in html
    assert "Tên có &lt;thẻ&gt; &amp; &quot;ngoặc kép&quot; và &#x27;nháy&#x27;" in html
    assert 'title="&quot;x&quot;"' in html
    assert '<option value="<b>"><i>an toàn</i></option>' in html


@pytest.mark.django_db
def test_a_model_choice_list_and_a_whole_form_match_djangos():
    assert Province.objects.filter(name="Hà Nội").exists()  # the reference data's provinces

    class Form(forms.Form):
        province = forms.ModelChoiceField(Province.objects.order_by("code"), label=_("Tỉnh"))
        provinces = forms.ModelMultipleChoiceField(Province.objects.all(), required=False)
        year = forms.TypedChoiceField(choices=[(2025, "2025"), (2026, "2026")], coerce=int)
        name = forms.CharField()

    form = Form({"province": "x", "year": "2026"})
    form.is_valid()
    theirs = form.render(renderer=DJANGO)
    form.renderer = OURS
    assert form.render() == theirs
    assert "Hà Nội" in theirs


def test_an_option_template_of_its_own_is_rendered_by_the_templates():
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/select_option.html "  # not Django's

    context = Custom(choices=[(1, "a")]).get_context("ten", 1, {})
    assert select_html(context["widget"]) is None


def test_the_renderer_is_the_projects():
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FormRenderer)
