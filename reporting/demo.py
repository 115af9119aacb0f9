"""Demo commendations, loaded by `manage.py load_demo` (coordination's command calls each app's
`demo.load`). Idempotent: each row is found by its decision number and recipient first."""

import datetime

from coordination.models import Program
from reporting.models import Commendation


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
