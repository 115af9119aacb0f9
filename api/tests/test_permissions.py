"""Every endpoint as anonymous, as each role, as another province's users, and with a revoked
or expired token: the exact outcome, and nothing of another province in any list.

The ids each user may see come from the apps' QuerySet methods (the pages' rules); the test
also pins them by hand for the two provinces, so a rule changed by mistake on both sides
still fails."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api import services as token_services
from coordination.models import Activity, Program, ProgressUpdate, YearlyPlan
from reporting.models import Report

from .conftest import token_client

pytestmark = pytest.mark.django_db

# Every endpoint that lists, with the model whose `visible_to` decides what it shows.
LISTS = {
    "api:program-list": Program,
    "api:plan-list": YearlyPlan,
    "api:activity-list": Activity,
    "api:progress-update-list": ProgressUpdate,
    "api:report-list": Report,
}
REFERENCE_LISTS = ["api:province-list", "api:agency-list", "api:cooperative-list"]
ROLES = [
    "staff", "manager", "alliance_staff", "alliance_manager", "department_staff",
    "other_staff", "other_manager", "central_manager", "admin", "outsider",
]  # fmt: skip
# Who reads Đồng Nai's program (through old Bình Phước) and Quảng Ngãi's, by hand.
READS_DONG_NAI = {"staff", "manager", "alliance_staff", "alliance_manager", "central_manager",
                  "admin"}  # fmt: skip
READS_QUANG_NGAI = {"other_staff", "other_manager", "central_manager", "admin"}
# Who may record progress on Đồng Nai's activity (party members); the others who read it get
# 403, those who do not read it a 400 'no such activity' (as for one that does not exist).
WRITES_DONG_NAI = {"staff", "manager", "alliance_staff", "alliance_manager"}


def post_progress(client, activity_id: int, **given):
    """POST a progress update of 1 June 2024 (40 %, in progress) on `activity_id`."""
    body = {"activity": activity_id, "reported_on": "2024-06-01", "status": "in_progress",
            "percent": 40, **given}  # fmt: skip
    return client.post(reverse("api:progress-update-list"), body, format="json")


def all_ids(client, url) -> list[int]:
    """Every id of a list, following its pages."""
    ids, page = [], f"{url}?page_size=100"
    while page:
        response = client.get(page)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        body = response.json()
        ids += [row["id"] for row in body["results"]]
        page = body["next"]
    return ids


def detail_urls(w) -> dict[str, tuple[str, str]]:
    """Each detail endpoint with a Đồng Nai record and a Quảng Ngãi one."""
    return {
        "program": (
            reverse("api:program-detail", args=[w.program.pk]),
            reverse("api:program-detail", args=[w.other_program.pk]),
        ),
        "plan": (
            reverse("api:plan-detail", args=[w.plan.pk]),
            reverse("api:plan-detail", args=[w.other_plan.pk]),
        ),
        "activity": (
            reverse("api:activity-detail", args=[w.activity.pk]),
            reverse("api:activity-detail", args=[w.other_activity.pk]),
        ),
        "progress": (
            reverse("api:progress-update-detail", args=[w.progress.pk]),
            reverse("api:progress-update-detail", args=[w.other_progress.pk]),
        ),
        "report": (
            reverse("api:report-detail", args=[w.report.pk]),
            reverse("api:report-detail", args=[w.other_report.pk]),
        ),
        "indicator": (
            reverse("api:indicator-progress", args=[w.indicator.pk]),
            reverse("api:indicator-progress", args=[w.other_indicator.pk]),
        ),
    }


@pytest.fixture
def sweep_world(api_world):
    from coordination import services

    other_indicator = services.indicator_create(
        program=api_world.other_program, code="QN1", name="Chỉ số Quảng Ngãi", unit="HTX"
    )
    api_world.other_indicator = other_indicator
    return api_world


def every_url(w) -> list[str]:
    urls = [reverse(name) for name in [*LISTS, *REFERENCE_LISTS]]
    for own, other in detail_urls(w).values():
        urls += [own, other]
    urls.append(reverse("api:cooperative-list"))
    return urls


def test_anonymous_gets_401_everywhere_and_posts_change_nothing(sweep_world):
    client = APIClient()
    for url in every_url(sweep_world):
        response = client.get(url)
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert response.json()["detail"]
    before = ProgressUpdate.objects.count()
    response = post_progress(client, sweep_world.activity.pk)
    assert response.status_code == 401
    assert ProgressUpdate.objects.count() == before


@pytest.mark.parametrize("how", ["revoked", "expired", "wrong"])
def test_a_revoked_expired_or_wrong_token_gets_401_with_its_reason(sweep_world, how):
    client, token = token_client(sweep_world.manager)
    if how == "revoked":
        token_services.token_revoke(token=token)
        reason = "Mã truy cập API này đã bị thu hồi."
    elif how == "expired":
        token.expires_on = timezone.localdate() - datetime.timedelta(days=1)
        token.save()
        reason = "Mã truy cập API này đã hết hạn."
    else:
        client.credentials(HTTP_AUTHORIZATION="Bearer hl_notarealtoken")
        reason = "Mã truy cập API không đúng."
    for url in every_url(sweep_world):
        response = client.get(url)
        assert response.status_code == 401, url
        assert response.json() == {"detail": reason}
    response = post_progress(client, sweep_world.activity.pk)
    assert response.status_code == 401
    assert not ProgressUpdate.objects.filter(reported_on="2024-06-01").exists()


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_exactly_what_the_pages_show(sweep_world, role):
    w = sweep_world
    user = getattr(w, role)
    client, _token = token_client(user)
    for name, model in LISTS.items():
        expected = set(model.objects.visible_to(user).values_list("pk", flat=True))
        if name == "api:report-list":
            expected = set(
                Report.objects.visible_to(user)
                .filter(status="finalised")
                .values_list("pk", flat=True)
            )
        shown = all_ids(client, reverse(name))
        assert sorted(shown) == sorted(expected), name
    # Pinned by hand: the two provinces' records.
    programs = set(all_ids(client, reverse("api:program-list")))
    assert (w.program.pk in programs) == (role in READS_DONG_NAI)
    assert (w.other_program.pk in programs) == (role in READS_QUANG_NGAI)
    # Reference data: everyone signed in.
    for name in REFERENCE_LISTS:
        assert client.get(reverse(name)).status_code == 200
    # Details: 200 for what they read, 404 (as a missing record) for the rest.
    for kind, (own, other) in detail_urls(w).items():
        assert client.get(own).status_code == (200 if role in READS_DONG_NAI else 404), kind
        assert client.get(other).status_code == (200 if role in READS_QUANG_NGAI else 404), kind


@pytest.mark.parametrize("role", ["other_staff", "other_manager"])
def test_another_provinces_user_gets_nothing_of_dong_nai_in_any_list(sweep_world, role):
    w = sweep_world
    client, _token = token_client(getattr(w, role))
    # Texts only Đồng Nai's records have (both provinces' first activity share a title).
    markers = [w.program.title, w.second_activity.title, "Đã thành lập 2", w.indicator.name]
    dong_nai_ids = {
        "api:program-list": {w.program.pk},
        "api:plan-list": {w.plan.pk},
        "api:activity-list": {w.activity.pk, w.second_activity.pk},
        "api:progress-update-list": {w.progress.pk},
        "api:report-list": {w.report.pk},
    }
    for name in LISTS:
        response = client.get(f"{reverse(name)}?page_size=100")
        body = response.content.decode()
        assert not [m for m in markers if m in body], name
        assert not dong_nai_ids[name] & set(all_ids(client, reverse(name))), name
    # Not even with a filter naming Đồng Nai: it is not among their provinces (a 400).
    response = client.get(f"{reverse('api:activity-list')}?province={w.dong_nai.pk}")
    assert response.status_code == 400
    assert "province" in response.json()


@pytest.mark.parametrize("role", ROLES)
def test_recording_progress_follows_the_pages_write_rule(sweep_world, role):
    w = sweep_world
    client, _token = token_client(getattr(w, role))
    before = ProgressUpdate.objects.count()
    response = post_progress(client, w.activity.pk)
    if role in WRITES_DONG_NAI:
        assert response.status_code == 201, response.content
        assert ProgressUpdate.objects.count() == before + 1
        return
    if role in READS_DONG_NAI:
        assert response.status_code == 403
        assert response.json() == {
            "detail": "Chỉ cơ quan chủ trì, phối hợp thực hiện hoặc tham gia chương trình mới được "
            "cập nhật tiến độ hoạt động này."
        }
    else:
        # The same answer as for an activity that does not exist: its existence never leaks.
        assert response.status_code == 400
        missing = post_progress(client, 99_999_999)
        assert response.json() == {"activity": [f"Không tìm thấy hoạt động mã {w.activity.pk}."]}
        assert missing.json() == {"activity": ["Không tìm thấy hoạt động mã 99999999."]}
    assert ProgressUpdate.objects.count() == before


def test_a_supporting_agency_records_progress_through_the_api_as_on_the_page(sweep_world):
    """A department listed as supporting the activity, not a party: it may report progress
    (issue 14: it may not edit or delete the activity, which the API does not offer)."""
    w = sweep_world
    w.activity.supporting_agencies.add(w.department)
    client, _token = token_client(w.department_staff)
    before = ProgressUpdate.objects.count()
    response = post_progress(client, w.activity.pk)
    assert response.status_code == 201, response.content
    assert ProgressUpdate.objects.count() == before + 1


def test_the_session_works_and_needs_the_csrf_token_to_write(sweep_world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(sweep_world.staff)
    assert client.get(reverse("api:activity-list")).status_code == 200
    response = post_progress(client, sweep_world.activity.pk)
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not ProgressUpdate.objects.filter(reported_on="2024-06-01").exists()
