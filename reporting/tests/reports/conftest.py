"""A program with two years of activities, indicators, cooperatives and commendations, and the
figures each report must show worked out here from the rows created (never by the code under
test): `review.rows` holds one record per activity of the Bình Phước program."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

import pytest

from cooperatives.tests.factories import CooperativeFactory
from coordination import services
from coordination.models import Indicator
from coordination.tests.factories import make_activity
from reporting.models import Commendation
from reporting.reports.services import commendation_save

TODAY = datetime.date(2025, 12, 15)
STATUSES = ["done", "in_progress", "delayed", "not_started", "cancelled"]


@dataclass
class Row:
    id: int
    title: str
    year: int
    area: int
    planned: int
    status: str
    spent: int
    end: datetime.date
    indicator_id: int | None = None
    target: Decimal | None = None
    actual: Decimal | None = None
    note: str = ""
    coop_ids: set = field(default_factory=set)

    @property
    def overdue(self) -> bool:
        return self.end < TODAY and self.status not in ("done", "cancelled")


def counts(rows) -> dict:
    """Status counts, overdue and budget of `rows`, as the report must show them."""
    by_status = Counter(r.status for r in rows)
    return {
        **{status: by_status[status] for status in STATUSES},
        "total": len(rows),
        "overdue": sum(r.overdue for r in rows),
        "planned": sum(r.planned for r in rows),
        "spent": sum(r.spent for r in rows),
    }


def vn(value) -> str:
    """Vietnamese number writing, done independently of the app: 1.250.000 and 66,7."""
    if isinstance(value, Decimal):
        value = value.normalize()
        whole, _dot, fraction = format(value, "f").partition(".")
        return vn(int(whole)) + ("," + fraction if fraction else "")
    return f"{value:,}".replace(",", ".")


def pct(part, whole) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1")) if whole else Decimal(0)


@pytest.fixture
def review(world):
    w = world
    program = w.program
    phase1 = program.phases.get(number=1)
    areas = {a.number: a for a in program.task_areas.all()}
    new_coops = services.indicator_create(
        program=program,
        code="CT1",
        name="HTX thành lập mới vùng DTTS và MN",
        unit="HTX",
        aggregation=Indicator.Aggregation.SUM,
        task_area=areas[4],
        targets={phase1: "≥ 3"},
    )
    trained = services.indicator_create(
        program=program,
        code="CT2",
        name="Tỷ lệ cán bộ quản lý HTX được đào tạo",
        unit="%",
        aggregation=Indicator.Aggregation.LATEST,
        task_area=areas[3],
        targets={phase1: "80–100"},
    )
    coop_a = CooperativeFactory(
        registration_code="0100000001",
        name="HTX Nông nghiệp Bù Gia Mập",
        sector="Nông nghiệp",
        members=40,
        ethnic_minority_members=30,
    )
    coop_b = CooperativeFactory(
        name="HTX Dệt thổ cẩm Bù Đăng", sector="Dệt thổ cẩm", members=20, ethnic_minority_members=20
    )
    coop_c = CooperativeFactory(name="HTX Điều hữu cơ Phú Nghĩa", sector="Nông nghiệp")
    plan24 = w.plan
    plan24.document_number, plan24.issued_on = "116/KH-UBND", datetime.date(2024, 3, 29)
    plan24.save()
    plan25 = services.plan_create(
        program=program,
        year=2025,
        document_number="20/KH-BDT-LMHTX",
        issued_on=datetime.date(2025, 2, 10),
    )
    rows: list[Row] = []
    d = datetime.date

    def add(
        plan, area, title, planned, updates, *, end=None, indicator=None, target=None, coops=()
    ):
        activity = make_activity(
            plan,
            lead_agency=w.ethnic_old if plan.year == 2024 else w.ethnic,
            area_number=area,
            title=title,
            planned_budget=planned,
            end_date=end or d(plan.year, 6, 30),
            indicator=indicator,
            target_value=target,
            cooperatives=coops,
        )
        for reported_on, status, percent, actual, spent, note in updates:
            services.progress_record(
                activity=activity,
                reported_on=reported_on,
                status=status,
                percent=percent,
                actual_value=actual,
                budget_spent=spent,
                note=note,
                author=w.staff,
            )
        last = updates[-1] if updates else None
        rows.append(
            Row(
                id=activity.pk,
                title=title,
                year=plan.year,
                area=area,
                planned=planned,
                status=last[1] if last else "not_started",
                spent=last[4] if last else 0,
                end=activity.end_date,
                indicator_id=indicator.pk if indicator else None,
                target=target,
                actual=last[3] if last else None,
                note=last[5] if last else "",
                coop_ids={c.pk for c in coops},
            )
        )
        return activity

    # The activity `world` made: area 1, 10.000.000 planned, never reported (so overdue).
    rows.append(
        Row(
            id=w.activity.pk,
            title=w.activity.title,
            year=2024,
            area=1,
            planned=w.activity.planned_budget,
            status="not_started",
            spent=0,
            end=w.activity.end_date,
        )
    )
    add(
        plan24,
        2,
        "Hội nghị tuyên truyền phát triển HTX",
        35_000_000,
        [
            (d(2024, 5, 1), "in_progress", 50, None, 10_000_000, ""),
            (d(2024, 6, 20), "done", 100, None, 33_500_000, "Tổ chức 04 hội nghị"),
        ],
        coops=[coop_a],
    )
    add(
        plan24,
        3,
        "Đào tạo cán bộ quản lý HTX năm 2024",
        90_000_000,
        [(d(2024, 10, 1), "in_progress", 60, Decimal(60), 50_000_000, "")],
        end=d(2024, 12, 31),
        indicator=trained,
        target=Decimal(100),
    )
    add(
        plan24,
        4,
        "Vận động thành lập HTX vùng đồng bào DTTS",
        60_000_000,
        [
            (
                d(2024, 11, 1),
                "delayed",
                50,
                Decimal(1),
                20_000_000,
                "Chậm do thiếu kinh phí đối ứng",
            )
        ],
        end=d(2024, 11, 30),
        indicator=new_coops,
        target=Decimal(2),
        coops=[coop_a, coop_b],
    )
    add(
        plan24,
        4,
        "Hỗ trợ HTX chuyển đổi số",
        40_000_000,
        [(d(2024, 9, 1), "done", 100, Decimal(1), 38_000_000, "")],
        end=d(2024, 8, 31),
        indicator=new_coops,
        target=Decimal(1),
        coops=[coop_b],
    )
    add(
        plan24,
        5,
        "Kiểm tra tình hình hoạt động của HTX",
        5_000_000,
        [(d(2024, 3, 1), "cancelled", 0, None, 0, "Lồng ghép với đoàn kiểm tra của tỉnh")],
    )
    add(
        plan25,
        4,
        "Vận động thành lập HTX năm 2025",
        70_000_000,
        [(d(2025, 10, 1), "done", 100, Decimal(2), 65_000_000, "")],
        end=d(2025, 9, 30),
        indicator=new_coops,
        target=Decimal(2),
        coops=[coop_c],
    )
    add(
        plan25,
        3,
        "Đào tạo cán bộ quản lý HTX năm 2025",
        50_000_000,
        [(d(2025, 9, 1), "done", 100, Decimal(85), 48_000_000, "")],
        end=d(2025, 8, 31),
        indicator=trained,
        target=Decimal(100),
    )
    # Another province's work, which no report of this program may count.
    services.progress_record(
        activity=w.other_activity,
        reported_on=d(2024, 6, 1),
        status="done",
        percent=100,
        budget_spent=9_000_000,
        author=w.other_staff,
    )

    def commend(**fields):
        return commendation_save(commendation=Commendation(**fields), by=w.staff)

    # Abbreviations as the agencies write them (the symbol "BC-SDTTG-LMHTX" is made of them).
    w.alliance.short_name = "LMHTX"
    w.alliance.save()
    commendations = [
        commend(
            program=program,
            year=2024,
            recipient_kind="cooperative",
            cooperative=coop_a,
            form="bang_khen",
            authority="Chủ tịch UBND tỉnh Bình Phước",
            decision_number="2718/QĐ-UBND",
            decision_date=d(2024, 12, 20),
        ),
        commend(
            program=program,
            year=2025,
            recipient_kind="person",
            person_name="Điểu Thị Nhung",
            person_position="Giám đốc HTX Nông nghiệp Bù Gia Mập",
            form="giay_khen",
            authority="Giám đốc Sở Dân tộc và Tôn giáo tỉnh Đồng Nai",
            decision_number="15/QĐ-SDTTG",
            decision_date=d(2025, 12, 1),
        ),
    ]
    commend(
        program=w.other_program,
        year=2024,
        recipient_kind="agency",
        agency=w.other_alliance,
        form="bang_khen",
        authority="Chủ tịch UBND tỉnh Quảng Ngãi",
        decision_number="99/QĐ-UBND",
        decision_date=d(2024, 12, 1),
    )
    return SimpleNamespace(
        **vars(w),
        phase1=phase1,
        rows=rows,
        indicators={"sum": new_coops, "latest": trained},
        coops=[coop_a, coop_b, coop_c],
        commendations=commendations,
        plan25=plan25,
        today=TODAY,
    )


def expected_indicator(rows, indicator, years, *, aggregation: str):
    """Yearly achieved values (sum of the year's activities' latest actual values) and their
    combination over `years`, as the report's counting rules say."""
    yearly = {}
    for year in years:
        values = [
            r.actual
            for r in rows
            if r.year == year and r.indicator_id == indicator.pk and r.actual is not None
        ]
        yearly[year] = sum(values, Decimal(0)) if values else None
    reported = [(y, v) for y, v in yearly.items() if v is not None]
    if not reported:
        total = None
    elif aggregation == "sum":
        total = sum((v for _y, v in reported), Decimal(0))
    elif aggregation == "latest":
        total = max(reported)[1]
    else:
        total = max(v for _y, v in reported)
    return yearly, total
