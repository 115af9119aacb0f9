"""The yearly plan workflow through the services: submission, approval by every party, return,
reopening, locking, copying last year's plan, edit conflicts and the audit trail."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coordination import services
from coordination.history import plan_history
from coordination.models import Activity, NtpProject, PlanApproval, YearlyPlan

from .factories import make_activity, make_progress

pytestmark = pytest.mark.django_db


def submitted(world):
    return services.plan_submit(plan=world.plan, by=world.staff)


def test_the_ten_projects_of_program_1719_are_reference_data():
    assert list(NtpProject.objects.values_list("number", flat=True)) == list(range(1, 11))
    assert "chuỗi giá trị" in NtpProject.objects.get(number=3).name
    assert NtpProject.objects.get(number=3).label == "DA3"


def test_submitting_a_draft_opens_a_new_round(world):
    plan = submitted(world)
    assert (plan.status, plan.submission_round) == ("submitted", 1)
    assert plan.history.first().history_change_reason == "Trình duyệt"
    assert plan.history.first().history_user == world.staff


def test_an_empty_plan_cannot_be_submitted(world):
    plan = services.plan_create(program=world.program, year=2025)
    with pytest.raises(ValidationError, match="chưa có hoạt động"):
        services.plan_submit(plan=plan, by=world.staff)
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_plan_is_approved_only_when_a_manager_of_each_party_has_approved(world):
    submitted(world)
    plan = services.plan_approve(plan=world.plan, by=world.manager)
    assert plan.status == "submitted"
    # The manager of today's Sở approves on behalf of the old party it carries on.
    approval = PlanApproval.objects.get()
    assert (approval.agency, approval.decided_by, approval.round) == (
        world.ethnic_old,
        world.manager,
        1,
    )
    plan = services.plan_approve(plan=world.plan, by=world.alliance_manager)
    assert plan.status == "approved"
    assert set(plan.approvals.values_list("agency", flat=True)) == {
        world.ethnic_old.pk,
        world.alliance.pk,
    }


def test_a_party_cannot_approve_twice_and_staff_cannot_approve(world):
    submitted(world)
    services.plan_approve(plan=world.plan, by=world.manager)
    with pytest.raises(ValidationError, match="đã cho ý kiến"):
        services.plan_approve(plan=world.plan, by=world.manager)
    with pytest.raises(ValidationError, match="Chỉ lãnh đạo"):
        services.plan_approve(plan=world.plan, by=world.staff)
    with pytest.raises(ValidationError, match="Chỉ lãnh đạo"):
        services.plan_approve(plan=world.plan, by=world.central_manager)
    assert PlanApproval.objects.count() == 1


def test_a_draft_cannot_be_approved(world):
    with pytest.raises(ValidationError, match="đang trình duyệt"):
        services.plan_approve(plan=world.plan, by=world.manager)
    assert not PlanApproval.objects.exists()


def test_return_needs_a_reason_and_sends_the_plan_back_to_draft(world):
    submitted(world)
    with pytest.raises(ValidationError) as error:
        services.plan_return(plan=world.plan, by=world.alliance_manager, reason="  ")
    assert error.value.message_dict == {"reason": ["Cần nêu lý do."]}
    assert YearlyPlan.objects.get(pk=world.plan.pk).status == "submitted"
    plan = services.plan_return(
        plan=world.plan, by=world.alliance_manager, reason="Thiếu kinh phí đối ứng"
    )
    assert plan.status == "draft"
    returned = plan.approvals.get()
    assert (returned.decision, returned.reason, returned.agency) == (
        "returned",
        "Thiếu kinh phí đối ứng",
        world.alliance,
    )
    assert plan.history.first().history_change_reason == "Trả lại: Thiếu kinh phí đối ứng"


def test_approvals_of_an_earlier_round_no_longer_count(world):
    submitted(world)
    services.plan_approve(plan=world.plan, by=world.manager)
    services.plan_return(plan=world.plan, by=world.alliance_manager, reason="Sửa ngày")
    services.plan_submit(plan=world.plan, by=world.staff)
    plan = services.plan_approve(plan=world.plan, by=world.alliance_manager)
    assert (plan.status, plan.submission_round) == ("submitted", 2)
    plan = services.plan_approve(plan=world.plan, by=world.manager)
    assert plan.status == "approved"


def approved(world):
    submitted(world)
    services.plan_approve(plan=world.plan, by=world.manager)
    return services.plan_approve(plan=world.plan, by=world.alliance_manager)


def test_approved_plan_locks_its_activities_but_progress_goes_on(world):
    approved(world)
    activity = Activity.objects.get(pk=world.activity.pk)
    with pytest.raises(ValidationError, match="đã bị khóa"):
        services.activity_update(
            activity=activity, by=world.staff, expected_version=1, title="Đổi tên"
        )
    with pytest.raises(ValidationError, match="đã bị khóa"):
        services.activity_delete(activity=activity, by=world.staff)
    with pytest.raises(ValidationError, match="đã bị khóa"):
        make_activity(world.plan, lead_agency=world.ethnic, by=world.staff)
    assert Activity.objects.get(pk=activity.pk).title == "Hội nghị tuyên truyền"
    assert world.plan.activities.count() == 1
    update = make_progress(activity, author=world.staff, status="in_progress", percent=30)
    assert update.pk


def test_submitted_plan_is_locked_too(world):
    submitted(world)
    with pytest.raises(ValidationError, match="đã bị khóa"):
        services.activity_update(
            activity=world.activity, by=world.staff, expected_version=1, title="Đổi tên"
        )


def test_reopen_needs_a_reason_kept_in_history_and_approval_again(world):
    approved(world)
    with pytest.raises(ValidationError) as error:
        services.plan_reopen(plan=world.plan, by=world.manager, reason="")
    assert error.value.message_dict == {"reason": ["Cần nêu lý do."]}
    with pytest.raises(ValidationError, match="Chỉ lãnh đạo"):
        services.plan_reopen(plan=world.plan, by=world.staff, reason="Bổ sung")
    plan = services.plan_reopen(
        plan=world.plan, by=world.manager, reason="Bổ sung hoạt động theo chỉ đạo của UBND tỉnh"
    )
    assert plan.status == "draft"
    reasons = list(plan.history.values_list("history_change_reason", flat=True))
    assert reasons[0] == "Mở lại: Bổ sung hoạt động theo chỉ đạo của UBND tỉnh"
    services.activity_update(
        activity=world.activity,
        by=world.staff,
        expected_version=1,
        title="Đã bổ sung",
        budget_source="central",  # the world's activity was recorded without one
    )
    services.plan_submit(plan=plan, by=world.staff)
    plan = services.plan_approve(plan=plan, by=world.manager)
    assert plan.status == "submitted"


def test_reopen_only_an_approved_plan(world):
    with pytest.raises(ValidationError, match="đã phê duyệt"):
        services.plan_reopen(plan=world.plan, by=world.manager, reason="x")


def test_copy_moves_activities_a_year_and_leaves_progress_behind(world):
    projects = NtpProject.objects.filter(number__in=[3, 10])
    source = make_activity(
        world.plan,
        lead_agency=world.ethnic_old,
        area_number=4,
        title="Hỗ trợ chuỗi giá trị",
        start_date=datetime.date(2024, 2, 29),
        end_date=datetime.date(2024, 12, 31),
        planned_budget=250_000_000,
        budget_source="central",
        ntp_projects=projects,
        supporting_agencies=[world.alliance],
        target_value=Decimal(2),
    )
    make_progress(source, author=world.staff, status="done", percent=100)
    plan = services.plan_copy_from_previous_year(
        program=world.program, year=2025, by=world.staff, document_number="05/KH"
    )
    assert (plan.year, plan.status, plan.document_number) == (2025, "draft", "05/KH")
    copy = plan.activities.get(title="Hỗ trợ chuỗi giá trị")
    assert (copy.start_date, copy.end_date) == (
        datetime.date(2025, 2, 28),
        datetime.date(2025, 12, 31),
    )
    assert (copy.planned_budget, copy.budget_source, copy.target_value) == (
        250_000_000,
        "central",
        Decimal(2),
    )
    assert set(copy.ntp_projects.all()) == set(projects)
    assert list(copy.supporting_agencies.all()) == [world.alliance]
    # The old Ban Dân tộc Bình Phước is carried on by today's Sở: the copy names the Sở.
    assert copy.lead_agency == world.ethnic
    assert plan.activities.count() == 2
    assert not copy.progress_updates.exists()
    assert plan.history.first().history_change_reason == "Sao chép từ kế hoạch năm 2024"
    assert copy.history.count() == 1


def test_copy_without_last_years_plan_or_onto_an_existing_year_is_refused(world):
    with pytest.raises(ValidationError, match="Chưa có kế hoạch năm 2025"):
        services.plan_copy_from_previous_year(program=world.program, year=2026, by=world.staff)
    services.plan_create(program=world.program, year=2025)
    with pytest.raises(ValidationError) as error:
        services.plan_copy_from_previous_year(program=world.program, year=2025, by=world.staff)
    assert error.value.message_dict == {"year": ["Chương trình đã có kế hoạch năm 2025."]}
    assert world.program.plans.count() == 2


def test_second_save_from_a_stale_version_is_refused_and_says_what_changed(world):
    first_view = Activity.objects.get(pk=world.activity.pk)
    second_view = Activity.objects.get(pk=world.activity.pk)
    services.activity_update(
        activity=first_view,
        by=world.alliance_staff,
        expected_version=first_view.version,
        planned_budget=12_000_000,
        budget_source="local",
        supporting_agencies=[world.alliance, world.department],
    )
    with pytest.raises(services.EditConflict) as conflict:
        services.activity_update(
            activity=second_view,
            by=world.staff,
            expected_version=second_view.version,
            title="Tên mới của cán bộ thứ hai",
        )
    error = conflict.value
    assert error.changed_by == world.alliance_staff
    changes = {change.label: (change.old, change.new) for change in error.changes}
    assert changes["Kinh phí dự kiến (đồng)"] == ("10.000.000", "12.000.000")
    assert changes["Đơn vị phối hợp"] == (
        "Liên minh Hợp tác xã tỉnh Đồng Nai",
        "Liên minh Hợp tác xã tỉnh Đồng Nai; Sở Công Thương tỉnh Đồng Nai",
    )
    current = Activity.objects.get(pk=world.activity.pk)
    assert (current.title, current.planned_budget, current.version) == (
        "Hội nghị tuyên truyền",
        12_000_000,
        2,
    )
    # Having seen the change, the second editor saves from the current version.
    services.activity_update(
        activity=current, by=world.staff, expected_version=2, title="Tên mới của cán bộ thứ hai"
    )
    assert Activity.objects.get(pk=world.activity.pk).version == 3


def test_a_save_that_changes_nothing_leaves_version_and_history_alone(world):
    before = world.activity.history.count()
    activity = services.activity_update(
        activity=world.activity, by=world.staff, expected_version=1, title="Hội nghị tuyên truyền"
    )
    assert activity.version == 1 and world.activity.history.count() == before


def test_each_change_is_one_history_entry_with_who_and_what(world):
    activity = make_activity(
        world.plan,
        lead_agency=world.ethnic,
        supporting_agencies=[world.alliance],
        ntp_projects=NtpProject.objects.filter(number=3),
        by=world.staff,
    )
    assert activity.history.count() == 1
    created = activity.history.get()
    assert (created.history_type, created.history_user) == ("+", world.staff)
    assert list(created.ntp_projects.values_list("ntpproject__number", flat=True)) == [3]
    services.activity_update(
        activity=activity,
        by=world.alliance_staff,
        expected_version=1,
        end_date=datetime.date(2024, 7, 31),
        ntp_projects=NtpProject.objects.filter(number__in=[3, 5]),
    )
    assert activity.history.count() == 2
    entries = [e for e in plan_history(world.plan) if e.subject.startswith("Hoạt động")]
    latest = entries[0]
    assert latest.user == world.alliance_staff and latest.kind == "changed"
    changes = {c.label: (c.old, c.new) for c in latest.changes}
    assert changes["Ngày kết thúc"] == ("30/06/2024", "31/07/2024")
    assert "Dự án thuộc Chương trình MTQG 1719" not in changes  # many-to-many: activity page


def test_delete_keeps_a_history_entry_and_refuses_activities_with_progress(world):
    spare = make_activity(world.plan, lead_agency=world.ethnic, title="Tọa đàm", by=world.staff)
    spare_id = spare.pk
    services.activity_delete(activity=spare, by=world.staff)
    deleted = Activity.history.filter(id=spare_id, history_type="-").get()
    assert deleted.history_user == world.staff
    make_progress(world.activity, author=world.staff)
    with pytest.raises(ValidationError, match="đã có cập nhật tiến độ"):
        services.activity_delete(activity=world.activity, by=world.staff)
    assert Activity.objects.filter(pk=world.activity.pk).exists()
    subjects = [e.subject for e in plan_history(world.plan)]
    assert "Hoạt động “Tọa đàm”" in subjects
