"""A sơ kết counts its Nghị định 09 window, not the calendar year: progress dated 14/12 counts
in this year's annual review, progress dated 15/12 in next year's; the six-month review ends
on 14/06. The report (page, .docx, .xlsx) says which window it covers."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from coordination import services as coordination_services
from coordination.tests.factories import make_activity, make_progress
from reporting.reports import services
from reporting.reports.appendix import write_xlsx
from reporting.reports.word import write_docx

pytestmark = pytest.mark.django_db
D = datetime.date


def generate(world, kind, year):
    return services.report_generate(
        program=world.program, kind=kind, year=year, by=world.staff, today=D(2026, 11, 30)
    )


def rows_by_title(report) -> dict[str, dict]:
    return {row["title"]: row for row in report.data["activities"]}


@pytest.fixture
def cut_off(world):
    """Two activities of the 2025 plan: one reported done on 14/12/2025 (the last day of the
    2025 window), one reported done on 15/12/2025 (the first day of 2026's), each with a
    first update in June."""
    plan = coordination_services.plan_create(program=world.program, year=2025)
    on_14 = make_activity(plan, lead_agency=world.ethnic, title="Hội nghị chốt 14/12")
    on_15 = make_activity(plan, lead_agency=world.ethnic, title="Hội nghị chốt 15/12")
    for activity, last in ((on_14, D(2025, 12, 14)), (on_15, D(2025, 12, 15))):
        make_progress(activity, author=world.staff, reported_on=D(2025, 6, 1), budget_spent=1_000)
        make_progress(
            activity, author=world.staff, reported_on=last, status="done", percent=100,
            budget_spent=9_000_000,
        )  # fmt: skip
    return world


def test_progress_on_14_december_counts_in_this_years_review_and_15_in_the_next(cut_off):
    review_2025 = rows_by_title(generate(cut_off, "annual", 2025))
    assert review_2025["Hội nghị chốt 14/12"]["status"] == "done"
    assert review_2025["Hội nghị chốt 14/12"]["spent"] == 9_000_000
    # As of 14/12/2025 the other one was still in progress, with its June spending.
    assert review_2025["Hội nghị chốt 15/12"]["status"] == "in_progress"
    assert review_2025["Hội nghị chốt 15/12"]["spent"] == 1_000

    report_2026 = generate(cut_off, "annual", 2026)
    review_2026 = rows_by_title(report_2026)
    # Reported on inside 2026's window: counted there, done; the other is not in it at all.
    assert review_2026["Hội nghị chốt 15/12"]["status"] == "done"
    assert "Hội nghị chốt 14/12" not in review_2026
    assert report_2026.data["totals"]["done"] == 1
    assert report_2026.data["totals"]["spent"] == 9_000_000
    period = report_2026.data["period"]
    assert (period["window_start"], period["window_end"]) == ("2025-12-15", "2026-12-14")


def test_the_report_says_which_window_it_covers(cut_off):
    report = generate(cut_off, "annual", 2026)
    sentence = "Số liệu báo cáo từ 15/12/2025 đến 14/12/2026."
    client = Client()
    client.force_login(cut_off.staff)
    assert sentence in client.get(report.get_absolute_url()).content.decode()
    document = Document(io.BytesIO(write_docx(report)))
    assert any(sentence in p.text for p in document.paragraphs)
    workbook = load_workbook(io.BytesIO(write_xlsx(report)))
    assert sentence in workbook.worksheets[0]["A3"].value


def test_the_six_month_review_ends_on_14_june(world):
    coordination_services.program_update(
        program=world.program, by=world.manager, half_year_review=True
    )
    plan = coordination_services.plan_create(program=world.program, year=2026)
    first = make_activity(plan, lead_agency=world.ethnic, title="Tập huấn quý II")
    late = make_activity(plan, lead_agency=world.ethnic, title="Tập huấn quý III",
                         start_date=D(2026, 7, 1), end_date=D(2026, 9, 30))  # fmt: skip
    make_progress(first, author=world.staff, reported_on=D(2026, 6, 14), status="done", percent=100)
    make_progress(first, author=world.staff, reported_on=D(2026, 6, 15), status="cancelled",
                  percent=0)  # fmt: skip
    report = generate(world, "half", 2026)
    assert report.title == "Sơ kết 6 tháng đầu năm 2026"
    rows = rows_by_title(report)
    assert rows["Tập huấn quý II"]["status"] == "done"
    # Starting after 14/06 and not reported on in the window: not in the six-month review.
    assert late.title not in rows
    assert (report.data["period"]["window_start"], report.data["period"]["window_end"]) == (
        "2025-12-15",
        "2026-06-14",
    )
    # The annual review of the same year sees the later update.
    assert rows_by_title(generate(world, "annual", 2026))["Tập huấn quý II"]["status"] == (
        "cancelled"
    )


def test_a_program_without_six_month_reviews_refuses_one(world):
    with pytest.raises(ValidationError):
        generate(world, "half", 2026)
    client = Client()
    client.force_login(world.staff)
    from django.urls import reverse

    page = client.get(reverse("reporting:report_program", args=[world.program.pk]))
    assert "half:2026" not in page.content.decode()
