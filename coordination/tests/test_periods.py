"""The reporting calendar (coordination/periods.py): Decree 09 windows, deadlines in working
days across Tết, and closed periods refusing progress changes until a manager reopens them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from coordination import periods, services
from coordination.models import DeadlineRule, PeriodReopening, ProgressUpdate

from .factories import make_progress

D = datetime.date


def calendar(**fields):
    """A program-like calendar (the functions only read these attributes)."""
    values = {
        "half_year_review": True,
        "annual_deadline_rule": DeadlineRule.DAY_OF_MONTH,
        "annual_deadline_value": 20,
        "half_deadline_rule": DeadlineRule.DAY_OF_MONTH,
        "half_deadline_value": 20,
        "start_year": 2021,
        "end_year": 2030,
    }
    values.update(fields)
    program = type("Calendar", (), values)()
    program.years = range(values["start_year"], values["end_year"] + 1)
    return program


def test_annual_window_ends_on_14_december_and_15_december_opens_the_next_year():
    program = calendar()
    this_year = periods.period_containing(program, D(2026, 12, 14))
    next_year = periods.period_containing(program, D(2026, 12, 15))
    assert (this_year.year, this_year.start, this_year.end) == (
        2026,
        D(2025, 12, 15),
        D(2026, 12, 14),
    )
    assert (next_year.year, next_year.start, next_year.end) == (
        2027,
        D(2026, 12, 15),
        D(2027, 12, 14),
    )
    assert this_year.window_label == "từ 15/12/2025 đến 14/12/2026"
    assert this_year.key == "annual-2026"
    assert periods.parse_key("half-2026") == ("half", 2026)
    assert periods.parse_key("annual-2026x") is None


def test_six_month_window_runs_from_15_december_to_14_june():
    program = calendar()
    half = periods.period_for(program, periods.HALF, 2026)
    assert (half.start, half.end, half.deadline) == (
        D(2025, 12, 15),
        D(2026, 6, 14),
        D(2026, 6, 20),
    )
    assert periods.period_containing(program, D(2026, 6, 14), periods.HALF) == half
    assert not half.contains(D(2026, 6, 15))
    # 15/06 to 14/12 lies in no six-month window: only the annual review holds it.
    assert [p.kind for p in periods.periods_containing(program, D(2026, 6, 15))] == ["annual"]
    assert [p.kind for p in periods.periods_containing(program, D(2026, 1, 5))] == [
        "half",
        "annual",
    ]
    assert [p.key for p in periods.periods_of(program, 2026)] == ["half-2026", "annual-2026"]
    assert [p.key for p in periods.periods_of(calendar(half_year_review=False), 2026)] == [
        "annual-2026"
    ]


def test_working_days_skip_weekends_and_tet_2026():
    # Tết 2026: 16–20/02 (Monday to Friday) are holidays; 14–15 and 21–22 are weekends.
    assert not periods.is_working_day(D(2026, 2, 16))
    assert not periods.is_working_day(D(2026, 2, 20))
    assert periods.is_working_day(D(2026, 2, 13))
    assert periods.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    assert periods.add_working_days(D(2026, 2, 12), 3) == D(2026, 2, 24)
    assert periods.add_working_days(D(2026, 2, 13), 0) == D(2026, 2, 13)
    # 14/12/2026 is a Monday: five working days later is Monday 21/12.
    program = calendar(annual_deadline_rule=DeadlineRule.WORKING_DAYS, annual_deadline_value=5)
    assert periods.period_for(program, periods.ANNUAL, 2026).deadline == D(2026, 12, 21)


def test_a_day_of_the_month_deadline_is_the_first_such_day_after_the_cut_off():
    assert periods.deadline_after(D(2026, 12, 14), DeadlineRule.DAY_OF_MONTH, 20) == D(2026, 12, 20)
    assert periods.deadline_after(D(2026, 12, 14), DeadlineRule.DAY_OF_MONTH, 10) == D(2027, 1, 10)
    assert periods.deadline_after(D(2026, 6, 14), DeadlineRule.DAY_OF_MONTH, 31) == D(2026, 6, 30)


@pytest.mark.django_db
def test_a_working_day_deadline_above_thirty_is_refused_on_its_field(world):
    world.program.annual_deadline_rule = DeadlineRule.WORKING_DAYS
    world.program.annual_deadline_value = 31
    with pytest.raises(ValidationError) as error:
        world.program.full_clean()
    assert "annual_deadline_value" in error.value.message_dict


def closing(world):
    services.program_update(program=world.program, by=world.manager, closes_periods=True)
    world.program.refresh_from_db()


@pytest.mark.django_db
def test_progress_dated_in_a_closed_period_is_refused_by_page_service_and_api(world):
    """The 2024 annual review was due 20/12/2024: progress dated in its window is closed."""
    from api.tests.conftest import token_client

    closing(world)
    before = ProgressUpdate.objects.count()
    with pytest.raises(ValidationError) as error:
        make_progress(world.activity, author=world.staff, reported_on=D(2024, 6, 30))
    assert "Sơ kết năm 2024" in error.value.message_dict["reported_on"][0]
    assert "đã khóa" in error.value.message_dict["reported_on"][0]

    page = Client()
    page.force_login(world.staff)
    response = page.post(
        reverse("coordination:progress_create", args=[world.activity.pk]),
        {"reported_on": "30/06/2024", "status": "in_progress", "percent": 50, "budget_spent": "0"},
    )
    assert response.status_code == 200
    assert "đã khóa sau hạn báo cáo 20/12/2024" in response.content.decode()

    api, _token = token_client(world.staff)
    response = api.post(
        "/api/v1/progress-updates/",
        {"activity": world.activity.pk, "reported_on": "2024-06-30", "status": "in_progress",
         "percent": 50, "budget_spent": 0},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert "đã khóa" in str(response.json())
    assert ProgressUpdate.objects.count() == before


@pytest.mark.django_db
def test_an_existing_update_in_a_closed_period_can_be_neither_changed_nor_deleted(world):
    update = make_progress(world.activity, author=world.staff, reported_on=D(2024, 6, 30))
    closing(world)
    update.reported_on = D(2026, 1, 5)  # moving it out of the closed window is a change too
    with pytest.raises(ValidationError):
        update.full_clean()
    with pytest.raises(ValidationError):
        ProgressUpdate.objects.get(pk=update.pk).delete()
    assert ProgressUpdate.objects.get(pk=update.pk).reported_on == D(2024, 6, 30)


@pytest.mark.django_db
def test_a_program_that_does_not_close_its_periods_takes_old_progress(world):
    assert not world.program.closes_periods
    make_progress(world.activity, author=world.staff, reported_on=D(2024, 6, 30))


@pytest.mark.django_db
def test_a_manager_reopens_a_closed_period_with_a_reason_kept_in_the_history(world):
    closing(world)
    page = Client()
    page.force_login(world.manager)
    url = reverse("coordination:period_reopen", args=[world.program.pk])
    # Without a reason: refused on the field, nothing recorded.
    response = page.post(url, {"period": "annual-2024", "reason": "  "})
    assert response.status_code == 200
    assert "Nhập lý do mở lại kỳ báo cáo." in response.content.decode()
    assert not PeriodReopening.objects.exists()

    response = page.post(
        url, {"period": "annual-2024", "reason": "Bổ sung số liệu hội nghị", "until": "31/12/2099"}
    )
    assert response.status_code == 302
    reopening = PeriodReopening.objects.get()
    assert (reopening.kind, reopening.year, reopening.reopened_by) == (
        "annual",
        2024,
        world.manager,
    )
    assert reopening.until == D(2099, 12, 31)
    update = make_progress(world.activity, author=world.staff, reported_on=D(2024, 6, 30))

    setup = page.get(reverse("coordination:program_setup", args=[world.program.pk]))
    body = setup.content.decode()
    assert "Bổ sung số liệu hội nghị" in body and "đến hết 31/12/2099" in body

    # Closed again: the record stays, the period refuses again.
    response = page.post(
        reverse("coordination:period_close", args=[world.program.pk, reopening.pk])
    )
    assert response.status_code == 302
    reopening.refresh_from_db()
    assert reopening.closed_by == world.manager and reopening.closed_at is not None
    with pytest.raises(ValidationError):
        ProgressUpdate.objects.get(pk=update.pk).delete()
    assert (
        "Khóa lại:"
        in page.get(reverse("coordination:program_setup", args=[world.program.pk])).content.decode()
    )


@pytest.mark.django_db
def test_staff_and_other_provinces_may_not_reopen_a_period(world):
    closing(world)
    url = reverse("coordination:period_reopen", args=[world.program.pk])
    data = {"period": "annual-2024", "reason": "Lý do"}
    for user, status in ((world.staff, 403), (world.other_manager, 404)):
        client = Client()
        client.force_login(user)
        assert client.post(url, data).status_code == status
    assert not PeriodReopening.objects.exists()
    reopening = services.period_reopen(
        program=world.program, kind="annual", year=2024, reason="Lý do", by=world.manager
    )
    client = Client()
    client.force_login(world.staff)
    close = reverse("coordination:period_close", args=[world.program.pk, reopening.pk])
    assert client.post(close).status_code == 403
    reopening.refresh_from_db()
    assert reopening.closed_at is None


@pytest.mark.django_db
def test_a_period_not_yet_due_or_already_open_is_not_reopened(world):
    closing(world)
    with pytest.raises(ValidationError):
        services.period_reopen(
            program=world.program, kind="annual", year=2030, reason="Lý do", by=world.manager
        )
    services.period_reopen(
        program=world.program, kind="annual", year=2024, reason="Lý do", by=world.manager
    )
    with pytest.raises(ValidationError):
        services.period_reopen(
            program=world.program, kind="annual", year=2024, reason="Lần nữa", by=world.manager
        )
    with pytest.raises(ValidationError):  # no six-month review in this program
        services.period_reopen(
            program=world.program, kind="half", year=2024, reason="Lý do", by=world.manager
        )
    assert PeriodReopening.objects.count() == 1
