"""The activity list's rows written in Python (`reporting.dashboards.rows`) are the bytes the
template loop wrote before (issue 18, fourth pass)."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from coordination.models import Activity, Program
from reporting.dashboards.forms import ActivityListForm
from reporting.dashboards.rows import activity_rows

from ..conftest import TODAY

# Today pinned to the fixture's day, the cache emptied around each test.
from .test_views import _fixed_day_and_clean_cache  # noqa: E402, F401

pytestmark = pytest.mark.django_db

# The loop of `activity_list.html` before the rows moved to Python.
TEMPLATE_ROWS = (
    "{% load i18n vn %}{% for a in page.object_list %}"
    "\n    <tr><td>{{ a.plan.year }}</td>"
    "\n      <td>{{ a.plan.program.title }}{% if a.plan.program.province %} <small>"
    "({{ a.plan.program.province.recorded_label }})</small>{% endif %}</td>"
    "\n      <td>{{ a.task_area.number }}</td>"
    "\n      <td><a href=\"{% url 'coordination:plan_detail' a.plan_id %}\">{{ a.title }}</a></td>"
    "\n      <td>{{ a.lead_agency.recorded_label }}</td>"
    '\n      <td>{{ a.end_date|date:"SHORT_DATE_FORMAT" }}{% if a.is_overdue %} '
    '<span class="badge delayed">{% translate "Quá hạn" %}</span>{% endif %}</td>'
    '\n      <td>{% if a.latest_status %}<span class="badge {{ a.latest_status }}">'
    "{% for value, label in extra.fields.status.choices %}{% if value == a.latest_status %}"
    "{{ label }}{% endif %}{% endfor %}</span> {{ a.latest_percent }}%{% else %}"
    '<span class="badge not_started">{% translate "Chưa cập nhật" %}</span>{% endif %}</td>'
    '\n      <td class="num">{{ a.planned_budget|number }}</td>'
    '\n      <td class="num">{{ a.latest_budget_spent|default:0|number }}</td></tr>'
    "\n  {% endfor %}"
)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_rows_are_the_templates_bytes(client, dash, language):
    # HTML in the names, a national program (no province), an old province's program
    # ("Bình Phước – nay là Đồng Nai"), overdue and on-time rows, every status, no update.
    Activity.objects.filter(pk=dash.activity.pk).update(title='<b>"Hội" & nghị</b>')
    Program.objects.filter(pk=dash.program.pk).update(title="Chương trình <i>&</i>")
    client.force_login(dash.central_manager)
    with translation.override(language):
        response = client.get(reverse("reporting:activities"), {"year": ""})
        assert response.status_code == 200
        page = response.context["page"]
        extra = ActivityListForm({})
        labels = dict(extra.fields["status"].choices)
        ours = activity_rows(page.object_list, status_labels=labels, today=TODAY)
        theirs = Template(TEMPLATE_ROWS).render(Context({"page": page, "extra": extra}))
    assert ours == theirs
    assert f"<tbody>{ours}</tbody>" in response.content.decode()
    shown = {a.latest_status for a in page.object_list}
    assert {None, "done", "in_progress"} <= shown
    assert {a.plan.program.province_id is None for a in page.object_list} == {True, False}
    assert {a.is_overdue(TODAY) for a in page.object_list} == {True, False}
    assert "&lt;b&gt;&quot;Hội&quot; &amp; nghị&lt;/b&gt;" in ours
    assert "nay là" in ours or "now" in ours
