import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from coordination import services
from coordination.models import Activity, PhaseTarget, Program, ProgressUpdate, YearlyPlan

from . import files
from .factories import make_activity, make_program, make_progress

pytestmark = pytest.mark.django_db


def test_program_gets_the_standard_five_task_areas_by_default(agencies_world):
    program = make_program(parties=[agencies_world.ethnic, agencies_world.alliance])
    assert [a.number for a in program.task_areas.all()] == [1, 2, 3, 4, 5]
    assert program.task_areas.get(number=2).title == "Thông tin, tuyên truyền"


def test_program_may_have_its_own_task_areas(agencies_world):
    program = make_program(
        parties=[agencies_world.ethnic, agencies_world.alliance],
        task_areas=["Một", "Hai", "Ba", "Bốn"],
    )
    assert program.task_areas.count() == 4


def test_coordination_program_with_one_party_is_refused(agencies_world):
    with pytest.raises(ValidationError) as error:
        make_program(parties=[agencies_world.ethnic])
    assert error.value.message_dict == {
        "parties": ["Chương trình phối hợp phải có ít nhất hai cơ quan tham gia."]
    }
    assert not Program.objects.exists()


def test_scheme_may_have_a_single_party(agencies_world):
    program = make_program(parties=[agencies_world.ethnic], kind=Program.Kind.SCHEME)
    assert program.parties.count() == 1


def test_program_years_reversed_are_refused_by_validation_and_database(agencies_world):
    with pytest.raises(ValidationError) as error:
        make_program(
            parties=[agencies_world.ethnic, agencies_world.alliance], start_year=2030, end_year=2021
        )
    assert error.value.message_dict == {"end_year": ["Năm kết thúc phải từ năm bắt đầu trở đi."]}
    with pytest.raises(IntegrityError):
        Program.objects.create(title="x", level="central", start_year=2030, end_year=2021)


def test_phases_may_not_overlap_or_leave_the_program(agencies_world):
    program = make_program(
        parties=[agencies_world.ethnic, agencies_world.alliance], phases=[(2021, 2025)]
    )
    with pytest.raises(ValidationError) as overlap:
        services.phase_add(program=program, number=2, start_year=2025, end_year=2030)
    assert overlap.value.message_dict == {
        "start_year": ["Giai đoạn trùng thời gian với Giai đoạn 2021–2025."]
    }
    with pytest.raises(ValidationError) as outside:
        services.phase_add(program=program, number=2, start_year=2026, end_year=2031)
    assert outside.value.message_dict == {
        "end_year": ["Giai đoạn phải nằm trong thời gian của chương trình (2021–2030)."]
    }
    assert program.phases.count() == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01", (Decimal(1), None)),
        ("≥ 1", (Decimal(1), None)),
        ("2–3", (Decimal(2), Decimal(3))),
        ("2-3", (Decimal(2), Decimal(3))),
        ("1.000", (Decimal(1000), None)),
        ("2,5", (Decimal("2.5"), None)),
    ],
)
def test_phase_target_text_is_parsed(text, expected):
    assert PhaseTarget.parse(text) == expected


@pytest.mark.parametrize("text", ["", "nhiều", "3–2", "1-2-3"])
def test_phase_target_nonsense_is_refused(text):
    # A parse error, not a model's: no field, the message says what is expected.
    with pytest.raises(ValidationError) as error:
        PhaseTarget.parse(text)
    assert error.value.messages == ["Chỉ tiêu phải là một số hoặc một khoảng như 2–3."]


def test_phase_target_shows_range_or_minimum(world):
    phase = world.program.phases.get(number=1)
    indicator = services.indicator_create(
        program=world.program,
        code="CT2",
        name="HTX công nghệ cao",
        unit="HTX",
        targets={phase: "2–3"},
    )
    assert indicator.targets.get().display == "2–3"
    other = services.indicator_create(
        program=world.program, code="CT1", name="HTX mới", unit="HTX", targets={phase: "01"}
    )
    assert other.targets.get().display == "≥ 1"


def test_phase_target_reversed_range_is_refused_by_the_database(world):
    phase = world.program.phases.get(number=1)
    indicator = services.indicator_create(program=world.program, code="X", name="X", unit="HTX")
    with pytest.raises(IntegrityError):
        PhaseTarget.objects.create(indicator=indicator, phase=phase, target_min=3, target_max=2)


def test_indicator_with_task_area_of_another_program_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.indicator_create(
            program=world.program,
            code="X",
            name="X",
            unit="HTX",
            task_area=world.other_program.task_areas.first(),
        )
    assert error.value.message_dict == {
        "task_area": ["Nội dung phối hợp không thuộc chương trình này."]
    }


def test_plan_year_outside_program_and_second_plan_for_a_year_are_refused(world):
    with pytest.raises(ValidationError) as outside:
        services.plan_create(program=world.program, year=2031)
    assert outside.value.message_dict == {
        "year": ["Năm kế hoạch phải nằm trong thời gian của chương trình (2021–2030)."]
    }
    with pytest.raises(ValidationError) as second:
        services.plan_create(program=world.program, year=2024)
    assert second.value.message_dict == {"year": ["Chương trình đã có kế hoạch năm 2024."]}
    with pytest.raises(IntegrityError), transaction.atomic():
        YearlyPlan.objects.create(program=world.program, year=2024)
    assert world.program.plans.count() == 1


def test_activity_dates_outside_the_plan_year_are_refused(world):
    with pytest.raises(ValidationError) as error:
        make_activity(world.plan, lead_agency=world.ethnic, start_date=datetime.date(2023, 12, 1))
    assert error.value.message_dict == {"start_date": ["Ngày phải nằm trong năm kế hoạch 2024."]}
    assert world.plan.activities.count() == 1


def test_activity_ending_before_it_starts_is_refused_by_validation_and_database(world):
    with pytest.raises(ValidationError) as error:
        make_activity(
            world.plan,
            lead_agency=world.ethnic,
            start_date=datetime.date(2024, 5, 1),
            end_date=datetime.date(2024, 4, 1),
        )
    assert error.value.message_dict == {
        "end_date": ["Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."]
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=world.activity.pk).update(end_date=datetime.date(2024, 1, 1))


def test_negative_budget_is_refused(world):
    with pytest.raises(ValidationError) as error:
        make_activity(world.plan, lead_agency=world.ethnic, planned_budget=-1)
    # Django's own minimum-value message comes first; ours names the rule.
    assert list(error.value.message_dict) == ["planned_budget"]
    assert "Kinh phí không được âm." in error.value.message_dict["planned_budget"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=world.activity.pk).update(planned_budget=-5)


def test_a_budget_entered_without_its_source_is_refused_by_the_services(world):
    """The rule is the model's (`Activity.clean`), so a service call cannot skip it: nothing is
    written, and the error names the field with the form's message."""
    activities, history = Activity.objects.count(), Activity.history.count()
    with pytest.raises(ValidationError) as refused:
        services.activity_create(
            plan=world.plan,
            task_area=world.plan.program.task_areas.get(number=1),
            title="Tập huấn",
            lead_agency=world.ethnic,
            start_date=datetime.date(2024, 3, 1),
            end_date=datetime.date(2024, 3, 2),
            planned_budget=5_000_000,
            by=world.staff,
        )
    assert refused.value.message_dict == {"budget_source": ["Chọn nguồn kinh phí."]}
    assert (Activity.objects.count(), Activity.history.count()) == (activities, history)

    sourced = make_activity(world.plan, lead_agency=world.ethnic, by=world.staff)
    with pytest.raises(ValidationError) as refused:
        services.activity_update(
            activity=sourced, by=world.staff, expected_version=1, budget_source=""
        )
    assert refused.value.message_dict == {"budget_source": ["Chọn nguồn kinh phí."]}
    # The world's activity was recorded without a source: changing it asks for one too.
    with pytest.raises(ValidationError) as refused:
        services.activity_update(
            activity=world.activity, by=world.staff, expected_version=1, title="Tên mới"
        )
    assert refused.value.message_dict == {"budget_source": ["Chọn nguồn kinh phí."]}
    unchanged = Activity.objects.get(pk=sourced.pk)
    assert (unchanged.budget_source, unchanged.version) == ("central", 1)
    assert Activity.objects.get(pk=world.activity.pk).title == "Hội nghị tuyên truyền"
    assert sourced.history.count() == world.activity.history.count() == 1


def test_past_records_may_keep_a_budget_without_a_source(world):
    """Loaders (no `by`) and copies record past plans as they were; no budget, no source."""
    assert world.activity.planned_budget and not world.activity.budget_source
    free = make_activity(
        world.plan, lead_agency=world.ethnic, title="Họp", planned_budget=0, by=world.staff
    )
    free = services.activity_update(
        activity=free, by=world.staff, expected_version=1, budget_source=""
    )
    assert (free.planned_budget, free.budget_source) == (0, "")
    plan = services.plan_copy_from_previous_year(program=world.program, year=2025, by=world.staff)
    copied = plan.activities.get(title=world.activity.title)
    assert (copied.planned_budget, copied.budget_source) == (10_000_000, "")


def test_progress_dated_after_today_in_vietnam_is_refused_by_the_service(world, settings):
    """Today is Vietnam's date (TIME_ZONE), and nothing is written: no row, no file."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.progress_record(
            activity=world.activity,
            reported_on=tomorrow,
            status="in_progress",
            percent=50,
            author=world.staff,
            attachment=files.upload("Biên bản.pdf", files.PDF_BYTES),
        )
    assert refused.value.message_dict == {"reported_on": ["Ngày cập nhật không được sau hôm nay."]}
    assert not ProgressUpdate.objects.exists()
    assert not ProgressUpdate.history.exists()
    assert not [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def test_today_is_the_date_in_vietnam_not_in_utc(world, monkeypatch):
    """At 20:00 UTC on 30 November it is already 1 December in Vietnam (UTC+7)."""
    evening_utc = datetime.datetime(2026, 11, 30, 20, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: evening_utc)
    update = make_progress(
        world.activity, author=world.staff, reported_on=datetime.date(2026, 12, 1)
    )
    assert update.reported_on == datetime.date(2026, 12, 1)
    with pytest.raises(ValidationError) as refused:
        make_progress(world.activity, author=world.staff, reported_on=datetime.date(2026, 12, 2))
    assert list(refused.value.message_dict) == ["reported_on"]


def test_activity_task_area_must_belong_to_the_plan_program(world):
    with pytest.raises(ValidationError) as error:
        services.activity_create(
            plan=world.plan,
            task_area=world.other_program.task_areas.first(),
            title="x",
            lead_agency=world.ethnic,
            start_date=datetime.date(2024, 1, 1),
            end_date=datetime.date(2024, 1, 2),
        )
    assert error.value.message_dict == {
        "task_area": ["Nội dung phối hợp không thuộc chương trình của kế hoạch."]
    }


def test_progress_percent_outside_0_100_is_refused(world):
    with pytest.raises(ValidationError) as error:
        make_progress(world.activity, author=world.staff, percent=101)
    assert list(error.value.message_dict) == ["percent"]
    assert "Tỷ lệ hoàn thành phải từ 0 đến 100." in error.value.message_dict["percent"]
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdate.objects.create(
            activity=world.activity,
            reported_on=datetime.date(2024, 5, 1),
            status="done",
            percent=120,
        )


def test_latest_progress_is_the_newest_report(world):
    make_progress(
        world.activity,
        author=world.staff,
        status="in_progress",
        percent=40,
        reported_on=datetime.date(2024, 4, 1),
    )
    make_progress(
        world.activity,
        author=world.staff,
        status="done",
        percent=100,
        reported_on=datetime.date(2024, 6, 1),
    )
    activity = Activity.objects.with_latest_progress().get(pk=world.activity.pk)
    assert (activity.latest_status, activity.latest_percent) == ("done", 100)


def test_overdue_means_past_end_date_and_not_done(world):
    today = datetime.date(2024, 7, 15)
    assert list(Activity.objects.filter(plan=world.plan).overdue(today)) == [world.activity]
    make_progress(world.activity, author=world.staff, status="done", percent=100)
    assert not Activity.objects.filter(plan=world.plan).overdue(today).exists()


@pytest.mark.parametrize(
    ("status", "days_past_end", "expected"),
    [
        (None, 1, True),  # never reported = not started
        ("in_progress", 1, True),
        ("delayed", 1, True),
        ("done", 1, False),
        ("cancelled", 1, False),
        ("in_progress", 0, False),  # due today is not yet overdue
        (None, -5, False),
    ],
)
def test_overdue_rule_is_the_same_in_sql_in_python_and_in_counts(
    world, status, days_past_end, expected
):
    """`overdue()`, `with_overdue()` and `Activity.is_overdue()` give one answer per case."""
    if status:
        percent = 100 if status == "done" else 10
        make_progress(world.activity, author=world.staff, status=status, percent=percent)
    today = world.activity.end_date + datetime.timedelta(days=days_past_end)
    activities = Activity.objects.filter(pk=world.activity.pk)
    assert activities.overdue(today).exists() is expected
    assert activities.with_overdue(today).get().overdue is expected
    assert activities.with_latest_progress().get().is_overdue(today) is expected
    assert Activity.objects.get(pk=world.activity.pk).is_overdue(today) is expected


def test_changes_to_plans_and_activities_are_kept_in_history(world):
    before = world.activity.history.count()
    world.activity.title = "Hội nghị đã đổi tên"
    world.activity.save()
    assert world.activity.history.count() == before + 1
    latest = world.activity.history.first()
    assert latest.title == "Hội nghị đã đổi tên" and latest.history_type == "~"


def test_a_provincial_program_may_carry_out_a_national_one(agencies_world):
    w = agencies_world
    national = make_program(parties=[w.central, w.vca], title="Chương trình UBDT–VCA")
    provincial = make_program(parties=[w.ethnic, w.alliance], province=w.dong_nai)
    provincial.national_program = national
    provincial.full_clean()
    provincial.save()
    assert list(national.provincial_programs.all()) == [provincial]


def test_only_a_provincial_program_carries_out_a_national_one(agencies_world):
    w = agencies_world
    national = make_program(parties=[w.central, w.vca], title="Chương trình UBDT–VCA")
    provincial = make_program(parties=[w.ethnic, w.alliance], province=w.dong_nai)
    refusal = {
        "national_program": ["Chỉ chương trình cấp tỉnh mới thực hiện một chương trình trung ương."]
    }
    for program, carried in ((national, national), (provincial, provincial)):
        program.national_program = carried
        with pytest.raises(ValidationError) as error:
            program.full_clean()
        assert error.value.message_dict == refusal
