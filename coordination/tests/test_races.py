"""Two requests at once, replayed one step at a time: each loser gets a message, never a 500."""

import pytest
from django.urls import reverse

from coordination import services
from coordination.models import Activity, ProgressUpdate, YearlyPlan

pytestmark = pytest.mark.django_db


def test_a_plan_created_meanwhile_for_the_same_year_gets_the_forms_message(
    client, world, monkeypatch
):
    """Two people add the program's 2025 plan at once: both pass the checks, the other one is
    saved first; the second sees the year's message on the form, not an error page."""
    check = YearlyPlan.full_clean

    def other_request_saves_first(plan, *args, **kwargs):
        check(plan, *args, **kwargs)
        if not YearlyPlan.objects.filter(program=plan.program, year=plan.year).exists():
            YearlyPlan.objects.bulk_create([YearlyPlan(program=plan.program, year=plan.year)])

    monkeypatch.setattr(YearlyPlan, "full_clean", other_request_saves_first)
    client.force_login(world.staff)
    response = client.post(
        reverse("coordination:plan_create", args=[world.program.pk]), {"year": "2025"}
    )
    assert response.status_code == 200
    assert "Chương trình đã có kế hoạch năm 2025." in response.content.decode()


def test_a_progress_update_for_an_activity_deleted_meanwhile_gets_a_message(
    client, world, monkeypatch
):
    """The activity's page is open, someone deletes the activity, then the progress form is
    sent: the form says the activity is gone (the database would refuse the update)."""
    record = services.progress_record

    def deleted_meanwhile(*, activity, **kwargs):
        Activity.objects.filter(pk=activity.pk).delete()
        return record(activity=activity, **kwargs)

    monkeypatch.setattr(services, "progress_record", deleted_meanwhile)
    client.force_login(world.staff)
    response = client.post(
        reverse("coordination:progress_create", args=[world.activity.pk]),
        {
            "reported_on": "10/05/2024",
            "status": "in_progress",
            "percent": "40",
            "budget_spent": "0",
        },
    )
    assert response.status_code == 200
    assert "Hoạt động này vừa bị xóa nên không ghi nhận được tiến độ." in response.content.decode()
    assert not ProgressUpdate.objects.exists()
