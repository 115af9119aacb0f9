"""The signed plan decision (PDF) attached to a yearly plan: who may attach it, what is
accepted, and who may download it."""

import pytest
from django.urls import reverse

from coordination.models import YearlyPlan

from . import files

pytestmark = pytest.mark.django_db


def upload_url(plan):
    return reverse("coordination:plan_decision_upload", args=[plan.pk])


def download_url(plan):
    return reverse("coordination:plan_decision", args=[plan.pk])


def stored(settings) -> list:
    root = settings.MEDIA_ROOT / "plans"
    return sorted(root.iterdir()) if root.exists() else []


def post(client, user, plan, name="QĐ kế hoạch 2024.pdf", content=files.PDF_BYTES):
    client.force_login(user)
    return client.post(upload_url(plan), {"decision": files.upload(name, content)})


def test_a_party_leader_attaches_the_decision_and_readers_download_it(client, world, settings):
    response = post(client, world.manager, world.plan)
    assert response.status_code == 302 and response.url == world.plan.get_absolute_url()
    plan = YearlyPlan.objects.get(pk=world.plan.pk)
    assert plan.decision.name.startswith("plans/") and plan.decision_name == "QĐ kế hoạch 2024.pdf"
    assert plan.history.first().history_change_reason == "Đính kèm quyết định ký"
    page = client.get(plan.get_absolute_url()).content.decode()
    assert download_url(plan) in page and "QĐ kế hoạch 2024.pdf" in page
    # A reader of the plan (a party's staff) sees the link and downloads the PDF.
    client.force_login(world.staff)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert download_url(plan) in page and upload_url(plan) not in page
    download = client.get(download_url(plan))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == files.PDF_BYTES
    assert "attachment" in download["Content-Disposition"]
    # Other provinces and anonymous users do not get it.
    client.force_login(world.other_staff)
    assert client.get(download_url(plan)).status_code == 404
    client.logout()
    assert client.get(download_url(plan)).status_code == 302
    # Replacing it keeps one file.
    assert post(client, world.alliance_manager, plan, name="moi.pdf").status_code == 302
    assert YearlyPlan.objects.get(pk=plan.pk).decision_name == "moi.pdf"
    assert len(stored(settings)) == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [("staff", 403), ("alliance_staff", 403), ("other_manager", 404), ("other_staff", 404)],
)
def test_only_the_party_leaders_may_attach_it(client, world, settings, who, status):
    assert post(client, getattr(world, who), world.plan).status_code == status
    plan = YearlyPlan.objects.get(pk=world.plan.pk)
    assert not plan.decision and plan.decision_name == ""
    assert stored(settings) == []


def test_anonymous_users_are_sent_to_login_and_nothing_changes(client, world, settings):
    response = client.post(upload_url(world.plan), {"decision": files.upload("a.pdf", b"")})
    assert response.status_code == 302 and "/dang-nhap/" in response.url
    assert not YearlyPlan.objects.get(pk=world.plan.pk).decision


@pytest.mark.parametrize(
    ("name", "content"),
    [("quyet-dinh.pdf", files.png_bytes()), ("quyet-dinh.pdf", b"<html>not a pdf</html>")],
)
def test_a_file_that_is_not_a_pdf_is_refused_on_the_field(client, world, settings, name, content):
    response = post(client, world.manager, world.plan, name=name, content=content)
    assert response.status_code == 200
    errors = response.context["form"].errors["decision"]
    assert errors and all("PDF" in error or "Chỉ nhận" in error for error in errors)
    assert not YearlyPlan.objects.get(pk=world.plan.pk).decision
    assert stored(settings) == []


def test_a_word_file_is_refused_as_not_a_pdf(client, world, settings):
    response = post(client, world.manager, world.plan, name="qd.docx", content=files.docx_bytes())
    assert response.context["form"].errors["decision"] == ["Quyết định ký phải là tệp PDF."]
    assert stored(settings) == []


def test_without_a_decision_the_download_is_not_found(client, world):
    client.force_login(world.staff)
    assert client.get(download_url(world.plan)).status_code == 404
