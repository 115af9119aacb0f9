"""POST /api/v1/progress-updates/ records exactly what the activity page's form records: the
same service, so the same validation, history and latest flag; bad input is a 400 with the
field's message and changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coordination.models import ProgressUpdate

from .conftest import token_client

pytestmark = pytest.mark.django_db

URL = "/api/v1/progress-updates/"
# The smallest valid PDF header the attachment check recognises by content.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
COMPARED = ["reported_on", "status", "percent", "actual_value", "budget_spent", "note",
            "attachment_name", "author_id", "is_latest"]  # fmt: skip


def row(update: ProgressUpdate) -> dict:
    return {name: getattr(update, name) for name in COMPARED}


def history(update: ProgressUpdate) -> list[tuple]:
    return [
        (h.history_type, h.history_user_id, h.status, h.percent, h.note)
        for h in update.history.all()
    ]


def test_an_update_through_the_api_equals_one_through_the_form(api_world):
    w = api_world
    values = {"reported_on": "2024-07-15", "status": "done", "percent": 100,
              "actual_value": "3", "budget_spent": 8_500_000, "note": "Đã hoàn thành hội nghị"}  # fmt: skip

    page = Client()
    page.force_login(w.staff)
    response = page.post(
        reverse("coordination:progress_create", args=[w.activity.pk]),
        {**values, "reported_on": "15/07/2024", "budget_spent": "8.500.000"},
    )
    assert response.status_code == 302
    by_form = ProgressUpdate.objects.get(activity=w.activity, reported_on="2024-07-15")

    api, _token = token_client(w.staff)
    response = api.post(URL, {"activity": w.second_activity.pk, **values}, format="json")
    assert response.status_code == 201, response.content
    by_api = ProgressUpdate.objects.get(pk=response.json()["id"])

    assert row(by_api) == row(by_form)
    assert by_api.is_latest and by_form.is_latest
    assert history(by_api) == history(by_form) == [("+", w.staff.pk, "done", 100, values["note"])]
    assert response.json() == {
        "id": by_api.pk, "activity": w.second_activity.pk, "reported_on": "2024-07-15",
        "status": "done", "percent": 100, "actual_value": "3.00", "budget_spent": 8_500_000,
        "note": values["note"], "attachment": None, "attachment_name": "",
        "author": response.json()["author"], "created_at": response.json()["created_at"],
        "is_latest": True,
    }  # fmt: skip
    # The activity's previous update is no longer its latest; its state is the new one.
    w.progress.refresh_from_db()
    assert not w.progress.is_latest
    activity = api.get(reverse("api:activity-detail", args=[w.activity.pk])).json()
    assert activity["latest_progress"]["id"] == by_form.pk
    assert activity["latest_progress"]["status"] == "done"


def test_an_older_update_does_not_become_the_latest(api_world):
    w = api_world
    api, _token = token_client(w.staff)
    response = api.post(
        URL,
        {"activity": w.activity.pk, "reported_on": "2024-01-10", "status": "in_progress",
         "percent": 10},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201
    assert response.json()["is_latest"] is False
    w.progress.refresh_from_db()
    assert w.progress.is_latest


def test_an_attachment_by_multipart_is_checked_and_served_through_the_app(api_world):
    w = api_world
    api, _token = token_client(w.staff)
    response = api.post(
        URL,
        {"activity": w.activity.pk, "reported_on": "2024-07-01", "status": "in_progress",
         "percent": 60, "attachment": SimpleUploadedFile("Biên bản.pdf", PDF)},
        format="multipart",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["attachment_name"] == "Biên bản.pdf"
    download = reverse("coordination:progress_attachment", args=[body["id"]])
    assert body["attachment"] == f"http://testserver{download}"

    fake = api.post(
        URL,
        {"activity": w.activity.pk, "reported_on": "2024-07-01", "status": "in_progress",
         "percent": 60, "attachment": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00not a pdf")},
        format="multipart",
    )  # fmt: skip
    assert fake.status_code == 400
    assert list(fake.json()) == ["attachment"]
    assert ProgressUpdate.objects.filter(reported_on="2024-07-01").count() == 1


TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({"status": "done", "percent": 50}, "percent", "Hoạt động hoàn thành phải đạt 100%."),
        ({"reported_on": TOMORROW}, "reported_on", None),
        ({"percent": 101}, "percent", None),
        ({"status": "finished"}, "status", None),
        ({"reported_on": "15/07/2024"}, "reported_on", None),
        ({"budget_spent": -1}, "budget_spent", None),
        ({"actual_value": "nhiều"}, "actual_value", None),
        ({"percent": None}, "percent", None),
        ({"activity": "abc"}, "activity", "Mã hoạt động phải là một số nguyên."),
    ],
)
def test_bad_input_is_a_400_with_the_fields_message_and_changes_nothing(
    api_world, given, field, message
):
    w = api_world
    api, _token = token_client(w.staff)
    before = (ProgressUpdate.objects.count(), ProgressUpdate.history.count())
    body = {"activity": w.activity.pk, "reported_on": "2024-07-15", "status": "in_progress",
            "percent": 50, **given}  # fmt: skip
    response = api.post(URL, body, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()
    assert list(errors) == [field]
    assert errors[field] and all(isinstance(m, str) and m for m in errors[field])
    if message:
        assert errors[field] == [message]
    assert (ProgressUpdate.objects.count(), ProgressUpdate.history.count()) == before
    w.progress.refresh_from_db()
    assert w.progress.is_latest


def test_a_future_date_gets_the_forms_own_message(api_world):
    """The rule is the model's (`clean()`), so the page and the API say the same words."""
    w = api_world
    page = Client()
    page.force_login(w.staff)
    future = timezone.localdate() + datetime.timedelta(days=1)
    response = page.post(
        reverse("coordination:progress_create", args=[w.activity.pk]),
        {"reported_on": future.strftime("%d/%m/%Y"), "status": "in_progress", "percent": "5",
         "budget_spent": "0"},
    )  # fmt: skip
    form_errors = response.context["form"].errors["reported_on"]
    api, _token = token_client(w.staff)
    response = api.post(
        URL,
        {"activity": w.activity.pk, "reported_on": future.isoformat(), "status": "in_progress",
         "percent": 5},
        format="json",
    )  # fmt: skip
    assert response.json() == {"reported_on": list(form_errors)}


def test_errors_speak_the_callers_language(api_world):
    """Django's LocaleMiddleware picks the language from Accept-Language: DRF's own messages
    come in English or Vietnamese (ours are Vietnamese source text with English in locale/)."""
    api, _token = token_client(api_world.staff)
    english = api.post(URL, {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    vietnamese = api.post(URL, {}, format="json", HTTP_ACCEPT_LANGUAGE="vi")
    assert english.status_code == vietnamese.status_code == 400
    assert english.json()["status"] == ["This field is required."]
    assert vietnamese.json()["status"] != english.json()["status"]
    assert english["Content-Language"] == "en"


def test_money_is_an_integer_and_values_are_exact(api_world):
    api, _token = token_client(api_world.staff)
    response = api.post(
        URL,
        {"activity": api_world.activity.pk, "reported_on": "2024-08-01",
         "status": "in_progress", "percent": 70, "budget_spent": 1_250_000_000,
         "actual_value": "2.5"},
        format="json",
    )  # fmt: skip
    assert response.json()["budget_spent"] == 1_250_000_000
    assert response.json()["actual_value"] == "2.50"
    assert ProgressUpdate.objects.get(pk=response.json()["id"]).actual_value == Decimal("2.5")
