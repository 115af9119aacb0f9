"""The progress form written by the project's form renderer (fields in Python) is, to the byte,
what Django's form templates write: unbound, with errors on every field, with a file kept out,
in Vietnamese and English (issue 18, fifth pass)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.renderers import DjangoTemplates
from django.utils import translation

from coordination.forms import ProgressForm
from core.renderers import FormRenderer

BAD = {
    "reported_on": "31/02/2026",
    "status": "khong-co",
    "percent": "150",
    "actual_value": "abc",
    "result_text": '<b>2 lớp</b> & "80"',
    "budget_spent": "-5",
    "note": "Dòng 1\r\nDòng <2>",
}


def _html(renderer, activity, data=None, files=None) -> str:
    form = ProgressForm(data, files, activity=activity, renderer=renderer)
    if data is not None:
        assert not form.is_valid()
    return "".join([str(form.non_field_errors()), *(field.as_field_group() for field in form)])


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("case", ["unbound", "errors", "file-not-kept"])
def test_the_progress_form_is_written_as_djangos_templates_write_it(world, language, case):
    data = files = None
    if case != "unbound":
        data = BAD
    with translation.override(language):
        results = []
        for renderer in (DjangoTemplates(), FormRenderer()):
            if case == "file-not-kept":
                files = {"attachment": SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 x")}
            results.append(_html(renderer, world.activity, data, files))
    theirs, ours = results
    assert ours == theirs
    if case != "unbound":
        assert 'class="errorlist" id="id_percent_error"' in ours
    if case == "file-not-kept":
        assert "bao-cao.pdf" in ours
