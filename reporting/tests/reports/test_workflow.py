"""Draft → finalised by a manager of each party agency; a finalised report is frozen; versions."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from docx import Document
from openpyxl import load_workbook

from coordination import services as coordination_services
from coordination.tests.factories import make_activity
from reporting.models import AnnualReview, PhaseSummary, Report
from reporting.reports import services
from reporting.reports.appendix import write_xlsx
from reporting.reports.word import write_docx

from .conftest import counts

pytestmark = pytest.mark.django_db


def annual(review, year=2024) -> Report:
    return services.report_generate(
        program=review.program, kind="annual", year=year, by=review.staff, today=review.today
    )


def test_the_first_version_is_a_draft_prefilled_with_the_facts(review):
    report = annual(review)
    assert (report.version, report.status) == (1, "draft")
    assert "116/KH-UBND" in report.situation
    # The delayed activity and the cause its latest update gave are in the limitations.
    delayed = next(r for r in review.rows if r.status == "delayed")
    assert delayed.title in report.limitations and delayed.note in report.limitations
    done = [r for r in review.rows if r.year == 2024 and r.status == "done"]
    assert all(r.title in report.achievements for r in done)
    assert "năm 2025" in report.directions
    assert report.lessons == ""
    # One signatory per party agency, named after the agency that carries it on today.
    signatories = list(report.signatories.all())
    assert {s.agency_id for s in signatories} == set(
        review.program.parties.values_list("pk", flat=True)
    )
    assert [s.issuer_name for s in signatories] == [
        "Sở Dân tộc và Tôn giáo",
        "Liên minh Hợp tác xã tỉnh Đồng Nai",
    ]
    assert report.place == "Đồng Nai" and report.issued_on == review.today


def test_a_second_draft_of_the_same_period_is_refused(review):
    annual(review)
    with pytest.raises(ValidationError, match="đang có bản dự thảo"):
        annual(review)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            program=review.program,
            kind="annual",
            year=2024,
            version=9,
            generated_at=datetime.datetime.now(datetime.UTC),
            doc_symbol="BC",
            place="Đồng Nai",
            issued_on=review.today,
            recipients="Lưu: VT.",
        )


def test_each_party_agencys_manager_finalises_and_then_the_report_is_frozen(review):
    report = annual(review)
    report = services.report_update_section(
        report=report,
        section="lessons",
        text="Phối hợp chặt chẽ ngay từ khâu lập kế hoạch.",
        by=review.staff,
    )
    not_a_manager = "Chỉ lãnh đạo cơ quan tham gia chưa xác nhận mới xác nhận được báo cáo này."
    with pytest.raises(ValidationError) as error:
        services.report_finalise(report=report, by=review.staff)
    assert error.value.messages == [not_a_manager]
    with pytest.raises(ValidationError) as error:
        services.report_finalise(report=report, by=review.other_manager)
    assert error.value.messages == [not_a_manager]

    report = services.report_finalise(report=report, by=review.manager)
    assert report.status == "draft"
    done = {s.agency_id: s.is_finalised for s in report.signatories.all()}
    assert done == {review.ethnic_old.pk: True, review.alliance.pk: False}
    with pytest.raises(ValidationError) as error:  # the same manager cannot finalise twice
        services.report_finalise(report=report, by=review.manager)
    assert error.value.messages == [not_a_manager]

    report = services.report_finalise(report=report, by=review.alliance_manager)
    assert report.status == "finalised" and report.finalised_at is not None
    signers = [s.signer_name for s in report.signatories.all()]
    assert all(signers), "the finalising managers' names fill empty signature blocks"

    frozen_data, frozen_docx, frozen_xlsx = report.data, write_docx(report), write_xlsx(report)
    # Later changes to the plans change nothing in the finalised report...
    activity = make_activity(
        review.plan,
        lead_agency=review.ethnic,
        title="Hoạt động bổ sung",
        planned_budget=999_000_000,
    )
    coordination_services.progress_record(
        activity=activity,
        reported_on=datetime.date(2024, 12, 30),
        status="done",
        percent=100,
        budget_spent=900_000_000,
        author=review.staff,
    )
    report.refresh_from_db()
    assert report.data == frozen_data
    assert (
        report.data["totals"]["total"]
        == counts([r for r in review.rows if r.year == 2024])["total"]
    )
    assert _cells(write_xlsx(report)) == _cells(frozen_xlsx)
    assert _docx_text(write_docx(report)) == _docx_text(frozen_docx)
    # ...and nothing in it can be changed.
    for change in (
        lambda: services.report_update_section(
            report=report, section="lessons", text="x", by=review.staff
        ),
        lambda: services.report_refresh(report=report, by=review.staff),
        lambda: services.report_finalise(report=report, by=review.manager),
    ):
        with pytest.raises(ValidationError, match="đã hoàn thành"):
            change()

    # A new version starts from fresh data and carries the text on; versions are listed.
    second = annual(review)
    assert (second.version, second.status) == (2, "draft")
    assert second.data["totals"]["total"] == report.data["totals"]["total"] + 1
    assert (
        second.data["totals"]["planned_budget"]
        == report.data["totals"]["planned_budget"] + 999_000_000
    )
    assert second.lessons == "Phối hợp chặt chẽ ngay từ khâu lập kế hoạch."
    assert not any(s.is_finalised for s in second.signatories.all())
    assert list(second.same_period().values_list("version", "status")) == [
        (2, "draft"),
        (1, "finalised"),
    ]


def test_changing_a_draft_after_one_manager_finalised_asks_for_finalisation_again(review):
    report = services.report_finalise(report=annual(review), by=review.manager)
    report = services.report_update_section(
        report=report, section="proposals", text="Đề nghị bố trí kinh phí.", by=review.staff
    )
    assert report.finalisations_reset == 1
    assert not any(s.is_finalised for s in report.signatories.all())


def test_refreshing_a_draft_takes_todays_data(review):
    report = annual(review)
    make_activity(
        review.plan, lead_agency=review.ethnic, title="Hoạt động mới", planned_budget=1_000_000
    )
    report = services.report_refresh(report=report, by=review.staff, today=review.today)
    assert (
        report.data["totals"]["total"]
        == counts([r for r in review.rows if r.year == 2024])["total"] + 1
    )
    assert "Hoạt động mới" in [a["title"] for a in report.data["activities"]]


def test_a_year_outside_the_program_is_refused(review):
    with pytest.raises(ValidationError) as error:
        annual(review, year=2019)
    assert error.value.message_dict == {
        "year": ["Năm sơ kết phải nằm trong thời gian của chương trình (2021–2030)."]
    }


def _docx_text(content: bytes) -> list[str]:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return [p.text for p in doc.paragraphs] + cells


def _cells(content: bytes) -> list[list]:
    book = load_workbook(io.BytesIO(content))
    return [[c.value for row in sheet.iter_rows() for c in row] for sheet in book]


def test_annual_reviews_and_phase_summaries_are_the_two_kinds_of_report(review):
    annual(review)
    services.report_generate(
        program=review.program, kind="phase", phase=review.phase1, by=review.staff
    )
    assert list(AnnualReview.objects.values_list("kind", "year")) == [("annual", 2024)]
    assert list(PhaseSummary.objects.values_list("kind", "phase")) == [("phase", review.phase1.pk)]
    assert Report.objects.count() == 2
