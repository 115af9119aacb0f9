"""Demo commendations, the provinces' reports sent up to the national program, and a reopened
reporting period, loaded by `manage.py load_demo` (coordination's command calls each app's
`demo.load`). Idempotent: each row is found first (commendations by decision number and
recipient, reports by period, the reopening by program)."""

import datetime

from django.utils import timezone

from coordination import periods
from coordination.models import Program
from coordination.services import period_reopen, program_update
from reporting.models import Commendation
from reporting.reports import services


def load(*, agencies, users, cooperatives, **_ignored) -> None:
    _commendations(agencies=agencies, users=users, cooperatives=cooperatives)
    _sent_up(users=users)
    _reopened_period(users=users)


def _commendations(*, agencies, users, cooperatives) -> None:
    binh_phuoc = Program.objects.filter(number="2993/QĐ-UBND").first()
    kien_giang = Program.objects.filter(title__contains="tỉnh Kiên Giang").first()
    rows = []
    if binh_phuoc:
        rows += [
            dict(
                program=binh_phuoc,
                year=2024,
                recipient_kind=Commendation.RecipientKind.COOPERATIVE,
                cooperative=cooperatives["bugiamap"],
                form=Commendation.Form.BANG_KHEN,
                authority="Chủ tịch UBND tỉnh Bình Phước",
                decision_number="2718/QĐ-UBND",
                decision_date=datetime.date(2024, 12, 20),
                reason="Đã có thành tích xuất sắc trong xây dựng chuỗi liên kết sản xuất điều "
                "hữu cơ vùng đồng bào DTTS năm 2024",
                created_by=users["canbo"],
            ),
            dict(
                program=binh_phuoc,
                year=2024,
                recipient_kind=Commendation.RecipientKind.PERSON,
                person_name="Điểu Thị Nhung",
                person_position="Giám đốc HTX Nông nghiệp Bù Gia Mập",
                form=Commendation.Form.GIAY_KHEN,
                authority="Trưởng Ban Dân tộc tỉnh Bình Phước",
                decision_number="145/QĐ-BDT",
                decision_date=datetime.date(2024, 12, 26),
                reason="Tích cực vận động đồng bào DTTS tham gia HTX",
                created_by=users["canbo"],
            ),
        ]
    if kien_giang:
        rows.append(
            dict(
                program=kien_giang,
                year=2024,
                recipient_kind=Commendation.RecipientKind.AGENCY,
                agency=agencies["lm_kiengiang"],
                form=Commendation.Form.BANG_KHEN,
                authority="Chủ tịch Liên minh Hợp tác xã Việt Nam",
                decision_number="1502/QĐ-LMHTXVN",
                decision_date=datetime.date(2024, 11, 28),
                reason="Hoàn thành xuất sắc nhiệm vụ phối hợp phát triển KTTT vùng đồng bào Khmer",
                created_by=users["canbo.angiang"],
            )
        )
    for fields in rows:
        exists = Commendation.objects.filter(
            program=fields["program"],
            decision_number=fields["decision_number"],
            recipient_kind=fields["recipient_kind"],
        ).exists()
        if not exists:
            item = Commendation(**fields)
            item.full_clean()
            item.save()


# The provincial coordination programs that carry out the national one (issue 16).
CARRYING_OUT = ["tỉnh Kiên Giang giai đoạn", "tỉnh Quảng Ngãi giai đoạn", "tỉnh Đồng Nai giai đoạn"]
SENT_UP_YEAR = 2025


def _sent_up(*, users) -> None:
    """Kiên Giang's, Quảng Ngãi's and Đồng Nai's programs carry out the national program.
    Đồng Nai's 2025 review is finalised by both of its parties' managers (so it is sent up),
    Quảng Ngãi's stays a draft and Kiên Giang has none: the national 2025 review, started as a
    draft by `trunguong`, compiles Đồng Nai's and lists the other two as not reported."""
    national = Program.objects.filter(level="central", title__contains="Ủy ban Dân tộc").first()
    if national is None:
        return
    for words in CARRYING_OUT:
        program = Program.objects.filter(level="provincial", title__contains=words).first()
        if program is not None and program.national_program_id != national.pk:
            program_update(program=program, by=None, national_program=national)
    dong_nai = national.provincial_programs.filter(title__contains="Đồng Nai").first()
    quang_ngai = national.provincial_programs.filter(title__contains="Quảng Ngãi").first()
    if dong_nai and not dong_nai.reports.filter(year=SENT_UP_YEAR).exists():
        report = _review(dong_nai, users["canbo"])
        report = services.report_update_section(
            report=report,
            section="proposals",
            text="Đề nghị Bộ Dân tộc và Tôn giáo bố trí kinh phí hỗ trợ HTX vùng đồng bào DTTS "
            "chuyển đổi số năm 2026.",
            by=users["canbo"],
        )
        for manager in ("lanhdao", "lanhdao.lmhtx"):
            report = services.report_finalise(report=report, by=users[manager])
    if quang_ngai and not quang_ngai.reports.filter(year=SENT_UP_YEAR).exists():
        _review(quang_ngai, users["canbo.quangngai"])
    if not national.reports.filter(year=SENT_UP_YEAR).exists():
        _review(national, users["trunguong"])


def _review(program, by):
    return services.report_generate(
        program=program,
        kind="annual",
        year=SENT_UP_YEAR,
        by=by,
        today=datetime.date(SENT_UP_YEAR, 12, 15),
    )


def _reopened_period(*, users) -> None:
    """Bình Phước's scheme closes its periods; its 2025 annual period, past its deadline, was
    reopened by a manager, as the program's calendar history shows."""
    binh_phuoc = Program.objects.filter(number="2993/QĐ-UBND").first()
    if binh_phuoc and binh_phuoc.closes_periods and not binh_phuoc.period_reopenings.exists():
        annual = periods.period_for(binh_phuoc, periods.ANNUAL, 2025)
        if annual.is_past_deadline(timezone.localdate()):
            period_reopen(
                program=binh_phuoc,
                kind=periods.ANNUAL,
                year=2025,
                reason="Bổ sung kết quả hỗ trợ HTX chuyển đổi số chưa kịp cập nhật trước hạn",
                by=users["lanhdao"],
            )
