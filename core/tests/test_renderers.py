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


# --- field groups, labels, error lists and plain inputs (issue 18, fifth pass) ---------------


class EveryKind(forms.Form):
    """A field of each kind the renderer writes itself, and some it leaves to the templates."""

    required_css_class = "bat-buoc"
    error_css_class = "loi"

    name = forms.CharField(label=_("Tên"), max_length=20, help_text=_("Ví dụ: <b>An</b> & Bình"))
    email = forms.EmailField(required=False, label="Thư điện tử?")
    count = forms.IntegerField(min_value=0, localize=True, initial=1250000)
    share = forms.DecimalField(max_digits=5, decimal_places=2, required=False)
    day = forms.DateField(
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        initial=datetime.date(2026, 11, 30),
    )
    moment = forms.DateTimeField(required=False)
    at = forms.TimeField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput, required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False, initial='a "b" <c>')
    again = forms.CharField(required=False, show_hidden_initial=True, initial="x")
    agree = forms.BooleanField(required=False, label="")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    boxes = forms.MultipleChoiceField(
        choices=[("a", "A")], widget=forms.CheckboxSelectMultiple, required=False
    )
    file = forms.FileField(required=False, help_text="PDF")
    kept = forms.FileField(required=False, widget=forms.ClearableFileInput)
    status = forms.ChoiceField(choices=[("", "—"), ("x", "X & Y")])


BAD = {
    "name": "<script>quá dài quá dài quá dài quá dài</script>",
    "email": "không phải thư",
    "count": "-3",
    "share": "1,234",
    "day": "31/02/2026",
    "moment": "x",
    "at": "25:00",
    "hidden": "<b>",
    "initial-again": "x",
    "again": "y",
    "agree": "on",
    "note": 'Dòng 1\r\n<Dòng 2> & "3"',
    "url": "không phải địa chỉ",
    "choice": "z",
    "status": "x",
}


class _File:
    """A stored file as a model's FileField gives it (`url` and `str`)."""

    url = "/tep/a&b.pdf"

    def __str__(self):
        return "a&b.pdf"


def _pair(*args, **kwargs) -> tuple[forms.Form, forms.Form]:
    return EveryKind(*args, renderer=DJANGO, **kwargs), EveryKind(*args, renderer=OURS, **kwargs)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    "data",
    [None, BAD, {**BAD, "name": "An", "count": "1.250.000"}, {}],
    ids=["unbound", "errors", "some-errors", "empty"],
)
@pytest.mark.parametrize("auto_id", ["id_%s", False, "f-%s"])
def test_a_whole_form_is_written_as_djangos_templates_write_it(language, data, auto_id):
    from django.utils import translation

    with translation.override(language):
        theirs, ours = _pair(data, auto_id=auto_id, initial={"kept": _File()})
        if data is not None:
            assert not theirs.is_valid() and not ours.is_valid()
        assert ours.render() == theirs.render()
        for mine, django in zip(ours, theirs, strict=True):
            assert mine.as_field_group() == django.as_field_group(), mine.name
            assert mine.label_tag(attrs={"class": "x"}) == django.label_tag(attrs={"class": "x"})
            assert str(mine.errors) == str(django.errors)
        assert str(ours.non_field_errors()) == str(theirs.non_field_errors())


def test_the_form_with_errors_shows_them_escaped_on_the_field():
    form = EveryKind(BAD, renderer=OURS)
    form.is_valid()
    html = form["name"].as_field_group()
    assert '<ul class="errorlist" id="id_name_error"><li>' in html
    assert '<div class="helptext" id="id_name_helptext">Ví dụ: <b>An</b> & Bình</div>' in html
    assert 'value="&lt;script&gt;' in html
    assert '<label for="id_name" class="bat-buoc">' in html


def test_fieldsets_and_a_current_file_are_left_to_the_templates():
    from core.renderers import clearable_file_html, field_html

    form = EveryKind(initial={"kept": _File()}, renderer=OURS)
    assert field_html(form["choice"]) is None
    assert (
        clearable_file_html(form["kept"].field.widget.get_context("kept", _File(), {})["widget"])
        is None
    )
    assert 'href="/tep/a&amp;b.pdf"' in form["kept"].as_field_group()
