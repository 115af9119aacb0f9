"""The yearly plan pages through the test client: with and without htmx, bad input, edit
conflicts, progress with attachments, the lists and the plan page's query budget."""

import datetime
from urllib.parse import quote

import pytest
from django.urls import reverse

import config.urls
from agencies.models import Agency
from coordination import services
from coordination.models import Activity, NtpProject, ProgressUpdate, YearlyPlan

from . import files
from .factories import make_activity, make_progress

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def activity_data(world, **overrides) -> dict:
    data = {
        "task_area": world.program.task_areas.get(number=3).pk,
        "title": "Lớp bồi dưỡng cán bộ quản lý HTX",
        "description": "",
        "lead_agency": world.ethnic.pk,
        "supporting_agencies": [world.alliance.pk],
        "start_date": "01/05/2024",
        "end_date": "31/05/2024",
        "planned_budget": "45.000.000",
        "budget_source": "local",
        "ntp_projects": [NtpProject.objects.get(number=5).pk],
        "indicator": "",
        "target_value": "",
        "cooperatives": [],
    }
    data.update(overrides)
    return data


def edit_data(activity, **overrides) -> dict:
    data = {
        "task_area": activity.task_area_id,
        "title": activity.title,
        "description": activity.description,
        "lead_agency": activity.lead_agency_id,
        "supporting_agencies": [a.pk for a in activity.supporting_agencies.all()],
        "start_date": activity.start_date.isoformat(),
        "end_date": activity.end_date.isoformat(),
        "planned_budget": str(activity.planned_budget),
        "budget_source": activity.budget_source or "local",
        "ntp_projects": [p.pk for p in activity.ntp_projects.all()],
        "indicator": activity.indicator_id or "",
        "target_value": "",
        "cooperatives": [],
        "version": activity.version,
    }
    data.update(overrides)
    return data


def create_url(plan):
    return reverse("coordination:activity_create", args=[plan.pk])


def test_plan_page_shows_activities_totals_by_source_and_projects(client, world):
    make_activity(
        world.plan,
        lead_agency=world.ethnic,
        area_number=4,
        title="Chuỗi giá trị điều",
        planned_budget=250_000_000,
        budget_source="central",
        ntp_projects=NtpProject.objects.filter(number=3),
    )
    make_activity(
        world.plan,
        lead_agency=world.alliance,
        area_number=4,
        title="Hỗ trợ OCOP",
        planned_budget=50_000_000,
        budget_source="mobilised",
    )
    client.force_login(world.staff)
    page = client.get(world.plan.get_absolute_url()).content.decode()
    assert "Chuỗi giá trị điều" in page and "DA3" in page
    assert "Ngân sách trung ương" in page and "Huy động" in page
    assert "300.000.000" in page  # task area 4
    assert "310.000.000" in page  # the plan (world's activity has 10.000.000, no source)
    assert "Chưa xác định nguồn" in page
    assert "Cộng: 2 hoạt động" in page


def test_staff_adds_an_activity_without_javascript(client, world):
    client.force_login(world.staff)
    form = client.get(
        create_url(world.plan) + f"?noi_dung={world.program.task_areas.get(number=3).pk}"
    )
    assert form.status_code == 200 and "<html" in form.content.decode()
    response = client.post(create_url(world.plan), activity_data(world))
    assert response.status_code == 302 and response.url == world.plan.get_absolute_url()
    activity = Activity.objects.get(title="Lớp bồi dưỡng cán bộ quản lý HTX")
    assert (activity.planned_budget, activity.budget_source) == (45_000_000, "local")
    assert activity.start_date == datetime.date(2024, 5, 1)  # dd/mm/yyyy
    assert activity.history.get().history_user == world.staff
    assert "Đã thêm hoạt động" in client.get(response.url).content.decode()


def test_htmx_add_opens_in_place_and_redraws_the_plan_body(client, world):
    client.force_login(world.staff)
    fragment = client.get(create_url(world.plan), **HTMX).content.decode()
    assert "<html" not in fragment and 'hx-post="' in fragment
    response = client.post(create_url(world.plan), activity_data(world), **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#plan-body"
    body = response.content.decode()
    assert body.startswith('<div id="plan-body"') and "Lớp bồi dưỡng cán bộ quản lý HTX" in body
    assert "Đã thêm hoạt động" in body


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"start_date": "2023-12-20"}, "start_date", "Ngày phải nằm trong năm kế hoạch 2024."),
        ({"end_date": "01/04/2024"}, "end_date", "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."),
        ({"planned_budget": "-5.000"}, "planned_budget", "Số tiền không được âm."),
        ({"planned_budget": "năm triệu"}, "planned_budget", "Nhập số tiền bằng chữ số"),
        ({"budget_source": ""}, "budget_source", "Chọn nguồn kinh phí."),
        ({"target_value": "hai"}, "target_value", "Chỉ tiêu phải là một số"),
        ({"title": ""}, "title", "Nhập tên hoạt động."),
        ({"start_date": "32/13/2024"}, "start_date", "Ngày không hợp lệ"),
    ],
)
def test_bad_activity_input_gets_a_message_next_to_the_field_and_changes_nothing(
    client, world, overrides, field, message
):
    client.force_login(world.staff)
    response = client.post(create_url(world.plan), activity_data(world, **overrides), **HTMX)
    assert response.status_code == 200
    assert "HX-Retarget" not in response
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html  # rendered with the field
    assert world.plan.activities.count() == 1


def test_activity_can_take_a_decimal_target_written_the_vietnamese_way(client, world):
    client.force_login(world.staff)
    client.post(create_url(world.plan), activity_data(world, target_value="2,5"))
    assert str(Activity.objects.get(title__startswith="Lớp bồi").target_value) == "2.50"


def test_edit_in_place_then_save(client, world):
    client.force_login(world.staff)
    url = reverse("coordination:activity_edit", args=[world.activity.pk])
    row = client.get(url, **HTMX).content.decode()
    assert row.startswith(f'<tr id="activity-{world.activity.pk}"') and 'name="version"' in row
    assert 'value="01/03/2024"' in row
    response = client.post(url, edit_data(world.activity, planned_budget="12.500.000"), **HTMX)
    assert response["HX-Retarget"] == "#plan-body"
    assert "12.500.000" in response.content.decode()
    activity = Activity.objects.get(pk=world.activity.pk)
    assert (activity.planned_budget, activity.version) == (12_500_000, 2)


def test_second_editor_is_refused_with_what_the_first_changed(client, world):
    url = reverse("coordination:activity_edit", args=[world.activity.pk])
    stale = edit_data(world.activity)
    client.force_login(world.alliance_staff)
    client.post(url, edit_data(world.activity, end_date="2024-07-15"))
    client.force_login(world.staff)
    response = client.post(url, {**stale, "title": "Hội nghị của cán bộ thứ hai"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Người khác đã sửa hoạt động này" in page
    assert "Ngày kết thúc: 30/06/2024 → <strong>15/07/2024</strong>" in page
    activity = Activity.objects.get(pk=world.activity.pk)
    assert (activity.title, activity.end_date) == (
        "Hội nghị tuyên truyền",
        datetime.date(2024, 7, 15),
    )
    # The form now carries the current version: saving again is a deliberate choice.
    assert 'name="version" value="2"' in page
    client.post(url, {**stale, "title": "Hội nghị của cán bộ thứ hai", "version": 2})
    assert Activity.objects.get(pk=world.activity.pk).title == "Hội nghị của cán bộ thứ hai"


def test_delete_asks_first_without_javascript_and_in_place_with_htmx(client, world):
    spare = make_activity(world.plan, lead_agency=world.ethnic, title="Tọa đàm")
    client.force_login(world.staff)
    url = reverse("coordination:activity_delete", args=[spare.pk])
    assert "Xóa hoạt động “Tọa đàm”" in client.get(url).content.decode()
    assert Activity.objects.filter(pk=spare.pk).exists()
    response = client.post(url, **HTMX)
    assert response["HX-Retarget"] == "#plan-body"
    assert not Activity.objects.filter(pk=spare.pk).exists()


def test_locked_plan_offers_no_edit_and_refuses_one_with_a_message(client, world):
    world.plan.status = YearlyPlan.Status.APPROVED
    world.plan.save()
    client.force_login(world.staff)
    page = client.get(world.plan.get_absolute_url()).content.decode()
    assert "Thêm hoạt động" not in page and ">Sửa<" not in page
    assert "Cập nhật tiến độ" in page
    response = client.post(
        reverse("coordination:activity_edit", args=[world.activity.pk]),
        edit_data(world.activity, title="Không được"),
        follow=True,
    )
    assert "hoạt động đã bị khóa" in response.content.decode()
    assert Activity.objects.get(pk=world.activity.pk).title == "Hội nghị tuyên truyền"


def test_submit_approve_and_who_has_not_approved(client, world):
    client.force_login(world.staff)
    client.post(reverse("coordination:plan_submit", args=[world.plan.pk]))
    client.force_login(world.manager)
    response = client.post(reverse("coordination:plan_approve", args=[world.plan.pk]), follow=True)
    page = response.content.decode()
    assert "Đã ghi nhận phê duyệt" in page
    decisions = page.split('id="decisions"')[1].split("</ul>")[0]
    # The party as it signed and, since it was succeeded, today's body (issue 15).
    old = "Ban Dân tộc tỉnh Bình Phước – nay là Sở Dân tộc và Tôn giáo tỉnh Đồng Nai"
    assert f'{old}</strong>:\n      <span class="badge approved">' in decisions
    assert "Liên minh Hợp tác xã tỉnh Đồng Nai</strong>:" in decisions
    assert "Chưa phê duyệt" in decisions
    assert 'id="approve-plan"' not in page  # this manager's agency has decided
    client.force_login(world.alliance_manager)
    page = client.get(world.plan.get_absolute_url()).content.decode()
    assert 'id="approve-plan"' in page
    client.post(reverse("coordination:plan_approve", args=[world.plan.pk]))
    assert YearlyPlan.objects.get(pk=world.plan.pk).status == "approved"


def test_return_and_reopen_need_a_reason_shown_in_the_history(client, world):
    services.plan_submit(plan=world.plan, by=world.staff)
    client.force_login(world.alliance_manager)
    url = reverse("coordination:plan_return", args=[world.plan.pk])
    response = client.post(url, {"reason": ""})
    assert "Cần nêu lý do." in response.content.decode()
    assert YearlyPlan.objects.get(pk=world.plan.pk).status == "submitted"
    client.post(url, {"reason": "Thiếu đơn vị phối hợp"})
    page = client.get(world.plan.get_absolute_url()).content.decode()
    assert "Trả lại: Thiếu đơn vị phối hợp" in page  # history
    assert "<q>Thiếu đơn vị phối hợp</q>" in page  # the party's decision


def test_creating_a_plan_refuses_a_year_outside_the_program_or_taken(client, world):
    client.force_login(world.staff)
    url = reverse("coordination:plan_create", args=[world.program.pk])
    response = client.post(url, {"year": "2031"})
    assert "Năm kế hoạch phải nằm trong thời gian của chương trình (2021–2030)." in (
        response.content.decode()
    )
    response = client.post(url, {"year": "2024"})
    assert "Chương trình đã có kế hoạch năm 2024." in response.content.decode()
    response = client.post(url, {"year": "hai nghìn"})
    assert "Nhập năm bằng chữ số" in response.content.decode()
    response = client.post(url, {"year": "2026", "copy_previous": "on"})
    assert "Chưa có kế hoạch năm 2025 để sao chép." in response.content.decode()
    assert world.program.plans.count() == 1
    response = client.post(url, {"year": "2025", "copy_previous": "on"})
    plan = YearlyPlan.objects.get(program=world.program, year=2025)
    assert response.url == plan.get_absolute_url()
    assert plan.activities.get().start_date == datetime.date(2025, 3, 1)


def test_program_page_offers_a_new_plan_to_party_staff_only(client, world):
    client.force_login(world.staff)
    assert 'id="create-plan"' in client.get(world.program.get_absolute_url()).content.decode()
    client.force_login(world.central_manager)
    assert 'id="create-plan"' not in client.get(world.program.get_absolute_url()).content.decode()


# --- progress and attachments -----------------------------------------------------------------
def progress_url(activity):
    return reverse("coordination:progress_create", args=[activity.pk])


def progress_data(**overrides) -> dict:
    data = {
        "reported_on": "2024-05-10",
        "status": "in_progress",
        "percent": "40",
        "actual_value": "",
        "budget_spent": "4.000.000",
        "note": "Đã tổ chức 1 hội nghị",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"percent": "150"}, "percent", "Tỷ lệ hoàn thành phải từ 0 đến 100."),
        ({"percent": "-1"}, "percent", "Tỷ lệ hoàn thành phải từ 0 đến 100."),
        ({"percent": "nhiều"}, "percent", "Tỷ lệ hoàn thành là một số nguyên"),
        ({"budget_spent": "abc"}, "budget_spent", "Nhập số tiền bằng chữ số"),
        ({"actual_value": "hai"}, "actual_value", "Kết quả đạt được phải là một số"),
        ({"reported_on": "2099-01-01"}, "reported_on", "không được sau hôm nay"),
        ({"status": "done", "percent": "60"}, "percent", "Hoạt động hoàn thành phải đạt 100%."),
    ],
)
def test_bad_progress_input_is_refused_next_to_the_field(client, world, overrides, field, message):
    client.force_login(world.staff)
    response = client.post(progress_url(world.activity), progress_data(**overrides))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bao-cao.pdf", b"MZ\x90\x00 this is a program", "Chỉ nhận tệp PDF"),
        ("bao-cao.docx", files.zip_bytes(["[Content_Types].xml", "other.xml"]), "Chỉ nhận tệp PDF"),
        ("trang.png", b"<html><script>alert(1)</script></html>", "Chỉ nhận tệp PDF"),
        ("rong.pdf", b"", "Tệp rỗng"),
        ("lon.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "Tệp lớn hơn 10 MB"),
    ],
)
def test_attachment_of_the_wrong_kind_or_size_is_refused(client, world, name, content, message):
    client.force_login(world.staff)
    response = client.post(
        progress_url(world.activity), {**progress_data(), "attachment": files.upload(name, content)}
    )
    assert message in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_progress_with_attachment_is_recorded_and_served_only_to_readers(client, world):
    client.force_login(world.staff)
    content = files.docx_bytes()
    response = client.post(
        progress_url(world.activity),
        {**progress_data(), "attachment": files.upload("Biên bản hội nghị.docx", content)},
    )
    assert response.status_code == 302 and response.url == world.activity.get_absolute_url()
    update = ProgressUpdate.objects.get()
    assert update.author == world.staff and update.budget_spent == 4_000_000
    assert update.attachment_name == "Biên bản hội nghị.docx"
    assert update.attachment.name.endswith(".docx") and "Biên" not in update.attachment.name
    page = client.get(world.activity.get_absolute_url()).content.decode()
    assert update.get_attachment_url() in page and "Biên bản hội nghị.docx" in page
    download = client.get(update.get_attachment_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert "attachment;" in download["Content-Disposition"]
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(world.other_staff)
    assert client.get(update.get_attachment_url()).status_code == 404
    client.logout()
    assert client.get(update.get_attachment_url()).status_code == 302
    # Never from the media folder, whatever DEBUG says.
    assert client.get(f"/media/{update.attachment.name}").status_code == 404
    assert not any("media" in str(pattern.pattern) for pattern in config.urls.urlpatterns)


def test_activity_page_lists_updates_and_history(client, world):
    make_progress(world.activity, author=world.staff, status="in_progress", percent=40)
    client.force_login(world.manager)
    page = client.get(world.activity.get_absolute_url()).content.decode()
    assert "Đang thực hiện" in page and 'id="progress-updates"' in page
    assert "Lịch sử thay đổi" in page


# --- lists ------------------------------------------------------------------------------------
def test_my_plans_lists_the_plans_of_my_programs_only(client, world):
    client.force_login(world.staff)
    page = client.get(reverse("coordination:my_plans")).content.decode()
    assert world.program.title in page and world.other_program.title not in page
    client.force_login(world.central_manager)  # reads everything, works on none of these
    page = client.get(reverse("coordination:my_plans")).content.decode()
    assert world.program.title not in page


def test_plans_waiting_for_my_approval(client, world):
    url = reverse("coordination:plans_awaiting_approval")
    client.force_login(world.manager)
    assert world.program.title not in client.get(url).content.decode()
    services.plan_submit(plan=world.plan, by=world.staff)
    assert world.program.title in client.get(url).content.decode()
    services.plan_approve(plan=world.plan, by=world.manager)
    assert world.program.title not in client.get(url).content.decode()
    client.force_login(world.alliance_manager)
    assert world.program.title in client.get(url).content.decode()
    client.force_login(world.staff)
    assert world.program.title not in client.get(url).content.decode()


def test_overdue_activities_are_past_their_end_and_not_done(client, world):
    done = make_activity(world.plan, lead_agency=world.ethnic, title="Đã xong")
    make_progress(done, author=world.staff, status="done", percent=100)
    client.force_login(world.staff)
    page = client.get(reverse("coordination:overdue_activities")).content.decode()
    assert world.activity.title in page and "Đã xong" not in page
    assert world.other_activity.get_absolute_url() not in page


# --- query budget -----------------------------------------------------------------------------
def fill(plan, world, count: int) -> None:
    for number in range(count):
        activity = make_activity(
            plan,
            lead_agency=world.ethnic,
            area_number=number % 5 + 1,
            title=f"Hoạt động {number}",
            supporting_agencies=[world.alliance],
            ntp_projects=NtpProject.objects.filter(number=number % 10 + 1),
            budget_source="local",
        )
        make_progress(activity, author=world.staff, percent=number % 100)


def queries_for_plan_page(client, plan, django_assert_max_num_queries, limit: int) -> int:
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(plan.get_absolute_url()).status_code == 200
    return len(captured)


def test_plan_page_runs_the_same_number_of_queries_for_10_and_200_activities(
    client, world, django_assert_max_num_queries, settings
):
    settings.PLAN_FOLD_AT = None  # every activity shown, however many
    small = services.plan_create(program=world.program, year=2025)
    large = services.plan_create(program=world.program, year=2026)
    fill(small, world, 10)
    fill(large, world, 200)
    client.force_login(world.staff)
    client.get(small.get_absolute_url())  # warm the session
    few = queries_for_plan_page(client, small, django_assert_max_num_queries, 30)
    many = queries_for_plan_page(client, large, django_assert_max_num_queries, 30)
    assert few == many, (few, many)


def test_a_large_plan_opens_folded_and_shows_one_task_area_at_a_time(
    client, world, settings, django_assert_max_num_queries
):
    settings.PLAN_FOLD_AT = 5
    plan = services.plan_create(program=world.program, year=2025)
    fill(plan, world, 12)
    areas = {a.pk: a for a in world.program.task_areas.all()}
    by_area: dict[int, list[str]] = {}
    for activity in plan.activities.all():
        by_area.setdefault(activity.task_area_id, []).append(activity.title)
    client.force_login(world.staff)

    folded = client.get(plan.get_absolute_url()).content.decode()
    assert 'id="plan-folded"' in folded
    assert "Kế hoạch có 12 hoạt động" in folded
    assert folded.count('class="activity-row"') == 0
    # Totals still count every activity.
    assert '<tfoot><tr><th>Cộng</th><th class="num">12</th>' in folded
    area_id, titles = max(by_area.items(), key=lambda item: len(item[1]))
    assert f'href="?noi_dung={area_id}#area-{area_id}"' in folded

    opened = client.get(plan.get_absolute_url(), {"noi_dung": area_id}).content.decode()
    assert opened.count('class="activity-row"') == len(titles)
    assert all(title in opened for title in titles)
    assert areas[area_id].title in opened

    everything = client.get(plan.get_absolute_url(), {"noi_dung": "tat-ca"}).content.decode()
    assert everything.count('class="activity-row"') == 12

    # With htmx the link opens the task area in place: only its section comes back.
    section = client.get(
        plan.get_absolute_url(), {"noi_dung": area_id}, HTTP_HX_TARGET=f"area-{area_id}", **HTMX
    ).content.decode()
    assert section.startswith(f'<section class="task-area" id="area-{area_id}">')
    assert section.count('class="activity-row"') == len(titles)
    assert 'id="plan-totals"' not in section


def test_a_change_in_a_folded_plan_comes_back_with_its_task_area_open(client, world, settings):
    settings.PLAN_FOLD_AT = 0
    client.force_login(world.staff)
    area = world.activity.task_area
    url = reverse("coordination:activity_edit", args=[world.activity.pk])
    data = edit_data(world.activity)
    data["title"] = "Hội nghị đã đổi tên"
    response = client.post(url, data)
    assert response.status_code == 302
    assert (
        response["Location"] == f"{world.plan.get_absolute_url()}?noi_dung={area.pk}#area-{area.pk}"
    )
    body = client.post(
        url,
        {**data, "version": world.activity.version + 1, "title": "Hội nghị đổi tên lần hai"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{world.plan.get_absolute_url()}",
    ).content.decode()
    assert 'id="plan-body"' in body and "Hội nghị đổi tên lần hai" in body


@pytest.mark.parametrize(
    "name, content, served, content_type",
    [
        ("page.html", files.PDF_BYTES, "page.pdf", "application/pdf"),
        ("Báo cáo.exe", files.docx_bytes(), "Báo cáo.docx", "application/vnd.openxmlformats"),
        ("anh.jpeg", b"\xff\xd8\xff\xe0" + b"0" * 32, "anh.jpeg", "image/jpeg"),
        ("bien-ban.pdf", files.PDF_BYTES, "bien-ban.pdf", "application/pdf"),
    ],
)
def test_an_attachment_is_served_under_the_extension_of_its_checked_kind(
    client, world, name, content, served, content_type
):
    """The uploader's name is kept, but its extension is the one of the kind the content was
    checked to be: a PDF uploaded as page.html downloads as page.pdf."""
    client.force_login(world.staff)
    response = client.post(
        progress_url(world.activity), {**progress_data(), "attachment": files.upload(name, content)}
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    download = client.get(update.get_attachment_url())
    assert download["Content-Type"].startswith(content_type)
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert quote(served) in disposition or f'"{served}"' in disposition, disposition
    assert ".html" not in disposition and ".exe" not in disposition
    page = client.get(world.activity.get_absolute_url()).content.decode()
    assert f">{served}</a>" in page


def test_a_returned_plan_says_so_with_its_reason_on_the_plan_and_in_my_plans(client, world):
    services.plan_submit(plan=world.plan, by=world.staff)
    client.force_login(world.staff)
    page = client.get(world.plan.get_absolute_url()).content.decode()
    assert '<span class="badge submitted" id="plan-status">Chờ phê duyệt</span>' in page
    services.plan_return(plan=world.plan, by=world.manager, reason="Thiếu kinh phí huy động")
    page = client.get(world.plan.get_absolute_url()).content.decode()
    assert '<span class="badge returned" id="plan-status">Bị trả lại</span>' in page
    assert "Bị trả lại: Thiếu kinh phí huy động" in page
    mine = client.get(reverse("coordination:my_plans")).content.decode()
    assert "Bị trả lại" in mine and "Thiếu kinh phí huy động" in mine
    # Submitted again, the reason is history, not the plan's state.
    services.plan_submit(plan=world.plan, by=world.staff)
    mine = client.get(reverse("coordination:my_plans")).content.decode()
    assert "Chờ phê duyệt" in mine and "Thiếu kinh phí huy động" not in mine


def test_a_reopened_plan_says_so_with_its_reason(client, world):
    services.plan_submit(plan=world.plan, by=world.staff)
    services.plan_approve(plan=world.plan, by=world.manager)
    services.plan_approve(plan=world.plan, by=world.alliance_manager)
    services.plan_reopen(plan=world.plan, by=world.manager, reason="Bổ sung hoạt động quý IV")
    client.force_login(world.staff)
    page = client.get(world.plan.get_absolute_url()).content.decode()
    assert '<span class="badge reopened" id="plan-status">Mở lại</span>' in page
    assert "Mở lại: Bổ sung hoạt động quý IV" in page


def test_staff_withdraw_a_submitted_plan_until_a_party_decides(client, world):
    url = reverse("coordination:plan_withdraw", args=[world.plan.pk])
    services.plan_submit(plan=world.plan, by=world.staff)
    client.force_login(world.outsider)
    assert client.post(url).status_code == 404
    client.force_login(world.staff)
    assert 'id="withdraw-plan"' in client.get(world.plan.get_absolute_url()).content.decode()
    page = client.post(url, follow=True).content.decode()
    assert "Đã rút lại kế hoạch" in page
    plan = YearlyPlan.objects.get(pk=world.plan.pk)
    assert plan.status == "draft"
    assert plan.history.first().history_change_reason == "Rút lại để chỉnh sửa"
    # Once a party has approved, the submission can no longer be taken back.
    services.plan_submit(plan=plan, by=world.staff)
    services.plan_approve(plan=plan, by=world.manager)
    assert 'id="withdraw-plan"' not in client.get(plan.get_absolute_url()).content.decode()
    page = client.post(url, follow=True).content.decode()
    assert "Chỉ rút lại được kế hoạch đang chờ phê duyệt" in page
    assert YearlyPlan.objects.get(pk=plan.pk).status == "submitted"


@pytest.mark.parametrize(
    ("language", "message"),
    [("vi", "Tỷ lệ hoàn thành phải từ 0 đến 100."), ("en", "between 0 and 100")],
)
def test_an_out_of_range_percent_is_said_once(client, world, language, message):
    client.force_login(world.staff)
    client.cookies["django_language"] = language
    response = client.post(progress_url(world.activity), progress_data(percent="150"))
    errors = response.context["form"].errors["percent"]
    assert len(errors) == 1 and message in errors[0]
    assert response.content.decode().count(message) == 1


def test_a_progress_result_is_a_number_and_words_shown_on_the_activity(client, world):
    client.force_login(world.staff)
    response = client.post(
        progress_url(world.activity),
        progress_data(actual_value="2", result_text="  2 lớp tập huấn,\n80 học viên  "),
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert update.actual_value == 2 and update.result_text == "2 lớp tập huấn,\n80 học viên"
    page = client.get(world.activity.get_absolute_url()).content.decode()
    assert "2 lớp tập huấn,<br>80 học viên" in page


def test_a_chosen_attachment_is_not_lost_silently_after_another_error(client, world):
    client.force_login(world.staff)
    response = client.post(
        progress_url(world.activity),
        {
            **progress_data(percent="150"),
            "attachment": files.upload("Biên bản.pdf", b"%PDF-1.4\n%%EOF\n"),
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "percent" in errors
    assert errors["attachment"] == [
        "Tệp “Biên bản.pdf” chưa được lưu vì biểu mẫu còn lỗi: hãy chọn lại tệp."
    ]
    assert not ProgressUpdate.objects.exists()


def test_the_activity_form_lists_agencies_and_cooperatives_in_vietnamese_order(client, world):
    from agencies.tests.factories import AgencyFactory
    from cooperatives.tests.factories import CooperativeFactory

    province = world.program.province.current_unit()
    for name in ("Trung tâm Đào tạo", "Trung tâm Dạy nghề", "Trung tâm Hỗ trợ"):
        AgencyFactory(name=name, province=province)
    for name in ("HTX Đồng Xoài", "HTX Dâu tằm", "HTX Hòa Bình"):
        CooperativeFactory(name=name, province=province)
    client.force_login(world.staff)
    page = client.get(reverse("coordination:activity_create", args=[world.plan.pk]))
    content = page.content.decode()
    # Code-point order would put Đ after H; Vietnamese order puts it right after D.
    assert content.index("Trung tâm Dạy nghề") < content.index("Trung tâm Đào tạo")
    assert content.index("Trung tâm Đào tạo") < content.index("Trung tâm Hỗ trợ")
    assert (
        content.index("HTX Dâu tằm")
        < content.index("HTX Đồng Xoài")
        < content.index("HTX Hòa Bình")
    )


def test_copying_last_years_plan_moves_years_in_titles_and_says_which(client, world):
    world.activity.title = "Sơ kết năm 2024 thực hiện giai đoạn 2021–2025"
    world.activity.save()
    make_activity(world.plan, lead_agency=world.ethnic, title="Hội nghị tập huấn")
    client.force_login(world.staff)
    url = reverse("coordination:plan_create", args=[world.program.pk])
    response = client.post(
        url, {"year": "2025", "copy_previous": "on", "move_years": "on"}, follow=True
    )
    plan = YearlyPlan.objects.get(program=world.program, year=2025)
    titles = set(plan.activities.values_list("title", flat=True))
    assert titles == {"Sơ kết năm 2025 thực hiện giai đoạn 2021–2025", "Hội nghị tập huấn"}
    page = response.content.decode()
    assert "Đã chuyển năm trong tên 1 hoạt động" in page
    assert "“Sơ kết năm 2024 thực hiện giai đoạn 2021–2025” → “Sơ kết năm 2025" in page


def test_copying_without_moving_years_keeps_titles_as_they_were(world):
    world.activity.title = "Sơ kết năm 2024"
    world.activity.save()
    plan = services.plan_copy_from_previous_year(program=world.program, year=2025, by=world.staff)
    assert plan.activities.get().title == "Sơ kết năm 2024" and plan.titles_moved == []


def test_the_plan_downloads_as_a_decree_30_docx_and_as_xlsx_for_its_readers_only(client, world):
    import io

    from docx import Document
    from openpyxl import load_workbook

    client.force_login(world.staff)
    page = client.get(world.plan.get_absolute_url()).content.decode()
    docx_url = reverse("coordination:plan_docx", args=[world.plan.pk])
    xlsx_url = reverse("coordination:plan_xlsx", args=[world.plan.pk])
    assert docx_url in page and xlsx_url in page
    response = client.get(docx_url)
    assert response["Content-Disposition"].endswith('.docx"')
    assert "," not in response["Content-Disposition"] and "(" not in response["Content-Disposition"]
    doc = Document(io.BytesIO(response.content))
    text = [p.text for p in doc.paragraphs]
    assert "KẾ HOẠCH" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in [
        p.text for cell in doc.tables[0].rows[0].cells for p in cell.paragraphs
    ]
    assert f"Thực hiện {world.program.title} năm 2024" in text
    cells = [c.text for table in doc.tables[1:] for row in table.rows for c in row.cells]
    assert world.activity.title in cells
    sheet = load_workbook(io.BytesIO(client.get(xlsx_url).content)).active
    row = next(r for r in sheet.iter_rows(values_only=True) if r[2] == world.activity.title)
    assert row[0] == world.activity.task_area.number and row[1] == world.activity.task_area.title
    assert row[5].date() == world.activity.start_date and row[7] == world.activity.planned_budget
    client.force_login(world.outsider)
    assert client.get(docx_url).status_code == 404 and client.get(xlsx_url).status_code == 404


def test_an_open_task_area_reads_the_activities_the_queryset_reads(
    client, world, settings, django_assert_max_num_queries
):
    """The task area opened in place reads its activities and their supporting agencies by
    prepared SQL (`core.prepared.PreparedModels`): the same instances, fields, latest progress,
    lead agencies with their successors and supporting agencies in the same order as
    `plan_activities(plan).filter(task_area_id=…)` with its prefetch, in as many queries."""
    from decimal import Decimal

    from coordination.models import Indicator
    from coordination.selectors import plan_activities, plan_overview
    from core.tests.helpers import instance_snapshot

    settings.PLAN_FOLD_AT = 5
    plan = services.plan_create(program=world.program, year=2025)
    fill(plan, world, 12)
    indicator = Indicator.objects.create(
        program=world.program, code="CS9", name="Số lớp", unit="lớp", baseline=Decimal("1.50")
    )
    area = world.program.task_areas.get(number=1)
    make_activity(
        plan,
        lead_agency=world.ethnic_old,
        title="Lớp <b>tập huấn</b>",
        supporting_agencies=[world.department, world.alliance, world.ethnic_old],
        indicator=indicator,
        target_value=Decimal("7.25"),
        budget_source="local",
    )

    def seen(activities):
        def agency(a):
            # The prefetch and the prepared read name the row's activity differently.
            kind, fields, *rest = instance_snapshot(a)
            fields.pop("_prefetch_related_val_activity_id", None)
            fields.pop("supported_activity_id", None)
            return kind, fields, *rest

        def row(activity):
            # A prefetch leaves its instances an empty cache (`to_attr` fills none of it).
            kind, fields, *rest = instance_snapshot(activity)
            fields.pop("_prefetched_objects_cache", None)
            return kind, fields, *rest

        return [
            (
                row(activity),
                [agency(a) for a in activity.supporting_agency_list],
                [a.recorded_label for a in activity.supporting_agency_list],
            )
            for activity in activities
        ]

    [group] = [g for g in plan_overview(plan, fold_at=5, open_area=area.pk).groups if g.activities]
    expected = list(plan_activities(plan).filter(task_area_id=area.pk))
    for activity in group.activities:  # set by the plan overview, not read from the database
        del activity.cooperative_list, activity.ntp_project_list
    assert len(expected) == 4 and seen(group.activities) == seen(expected)
    mixed = next(a for a in group.activities if a.indicator_id)
    assert [a.name for a in mixed.supporting_agency_list] == sorted(
        [world.department.name, world.alliance.name, world.ethnic_old.name],
        key=lambda name: (Agency.objects.get(name=name).level, name),
    )
    assert mixed.lead_agency.successor == world.ethnic and mixed.latest_status is None
    # No task area, another program's, an id out of range: no row, and no error.
    client.force_login(world.staff)
    for value in ["0", str(2**63), str(2**64), str(world.other_activity.task_area_id)]:
        response = client.get(plan.get_absolute_url(), {"noi_dung": value})
        assert response.status_code == 200
        assert 'class="activity-row"' not in response.content.decode()
    client.get(plan.get_absolute_url(), {"noi_dung": area.pk}, **HTMX)
    with django_assert_max_num_queries(12):
        section = client.get(plan.get_absolute_url(), {"noi_dung": area.pk}, **HTMX)
    assert section.content.decode().count('class="activity-row"') == 4
