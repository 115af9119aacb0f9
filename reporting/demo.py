"""Demo commendations and reports, loaded by `manage.py load_demo` (coordination's command calls
each app's `demo.load`). Idempotent: each row is found by its decision number and recipient
first; a report only when its period has none."""

import datetime

from django.utils import timezone

from coordination import periods
from coordination.models import Program
from coordination.services import period_reopen
from reporting.models import Commendation, Report
from reporting.reports.services import report_finalise, report_generate


def load(*, agencies, users, cooperatives, **_ignored) -> None:
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
    _load_commendations(rows)
    dong_nai = Program.objects.filter(number="01/CTr-SDTTG-LMHTX").first()
    if dong_nai and not dong_nai.reports.filter(kind=Report.Kind.ANNUAL, year=2025).exists():
        # "Who has reported" shows one finalised annual review beside the late ones.
        report = report_generate(
            program=dong_nai, kind=Report.Kind.ANNUAL, year=2025, by=users["canbo"]
        )
        for manager in ("lanhdao", "lanhdao.lmhtx"):
            report = report_finalise(report=report, by=users[manager])
    if binh_phuoc and binh_phuoc.closes_periods and not binh_phuoc.period_reopenings.exists():
        # A closed period reopened by a manager, kept in the program's calendar history.
        annual = periods.period_for(binh_phuoc, periods.ANNUAL, 2025)
        if annual.is_past_deadline(timezone.localdate()):
            period_reopen(
                program=binh_phuoc,
                kind=periods.ANNUAL,
                year=2025,
                reason="Bổ sung kết quả hỗ trợ HTX chuyển đổi số chưa kịp cập nhật trước hạn",
                by=users["lanhdao"],
            )


def _load_commendations(rows: list[dict]) -> None:
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
