"""A small data set for the dashboard tests, with the expected figures kept beside the rows.

`dash.expected` lists one record per activity (its program's current province, year, task area,
budget, and the status / spending / achieved value of its latest update, worked out here from
the updates the fixture records, not by the code under test)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

import pytest

from cooperatives.tests.factories import CooperativeFactory
from coordination import services
from coordination.models import Indicator, YearlyPlan
from coordination.tests.factories import make_activity, make_program

TODAY = datetime.date(2025, 12, 15)


@dataclass
class Expected:
    activity_id: int
    program_id: int
    province_id: int | None  # current unit
    year: int
    area: int
    end_date: datetime.date
    planned: int
    status: str
    spent: int
    actual: Decimal | None
    indicator_id: int | None
    cooperative_ids: set[int] = field(default_factory=set)
    agency_ids: set[int] = field(default_factory=set)

    @property
    def overdue(self) -> bool:
        return self.end_date < TODAY and self.status not in ("done", "cancelled")


def set_status(plan: YearlyPlan, status: str) -> YearlyPlan:
    plan.status = status
    plan.save(update_fields=["status"])
    return plan


@pytest.fixture
def dash(world):
    w = world
    expected: list[Expected] = []
    author = w.staff
    dong_nai_program = make_program(
        title="Chương trình phối hợp tỉnh Đồng Nai 2025–2030",
        parties=[w.ethnic, w.alliance],
        province=w.dong_nai,
        start_year=2025,
        end_year=2030,
        phases=[(2025, 2025), (2026, 2030)],
    )
    national = make_program(
        title="Chương trình phối hợp trung ương", parties=[w.central, w.vca], province=None
    )
    phase1 = w.program.phases.get(number=1)
    new_coops = services.indicator_create(
        program=w.program,
        code="01",
        name="HTX thành lập mới",
        unit="HTX",
        aggregation=Indicator.Aggregation.SUM,
        task_area=w.program.task_areas.get(number=4),
        targets={phase1: "≥ 3"},
    )
    trained = services.indicator_create(
        program=w.program,
        code="02",
        name="Tỷ lệ cán bộ HTX được đào tạo",
        unit="%",
        aggregation=Indicator.Aggregation.LATEST,
        task_area=w.program.task_areas.get(number=3),
        targets={phase1: "80–100"},
    )
    peak = services.indicator_create(
        program=w.program,
        code="03",
        name="HTX ứng dụng công nghệ cao",
        unit="HTX",
        aggregation=Indicator.Aggregation.MAXIMUM,
        targets={phase1: "2–3"},
    )
    coops = [
        CooperativeFactory(province=w.dong_nai, sector="Nông nghiệp", ocop_stars=3),
        CooperativeFactory(
            province=w.dong_nai, sector="Nông nghiệp", members=40, ethnic_minority_members=30
        ),
        CooperativeFactory(province=w.dong_nai, sector="Dệt thổ cẩm", ocop_stars=4),
        CooperativeFactory(province=w.quang_ngai, sector="Dược liệu", ocop_stars=5, members=None),
    ]

    plans = {
        (w.program.pk, 2024): set_status(w.plan, "approved"),
        (w.program.pk, 2025): set_status(
            services.plan_create(program=w.program, year=2025), "submitted"
        ),
        (dong_nai_program.pk, 2025): services.plan_create(program=dong_nai_program, year=2025),
        (dong_nai_program.pk, 2026): services.plan_create(program=dong_nai_program, year=2026),
        (w.other_program.pk, 2024): set_status(w.other_plan, "approved"),
        (national.pk, 2025): set_status(
            services.plan_create(program=national, year=2025), "approved"
        ),
    }
    current = {
        w.program.pk: w.dong_nai.pk,
        dong_nai_program.pk: w.dong_nai.pk,
        w.other_program.pk: w.quang_ngai.pk,
        national.pk: None,
    }

    def record(activity, updates, cooperatives=(), supporting=()):
        latest = updates[-1] if updates else None  # updates are given oldest first
        for reported_on, status, percent, actual, spent in updates:
            services.progress_record(
                activity=activity,
                reported_on=reported_on,
                status=status,
                percent=percent,
                author=author,
                actual_value=None if actual is None else Decimal(actual),
                budget_spent=spent,
            )
        activity.cooperatives.set(cooperatives)
        program_id = activity.plan.program_id
        expected.append(
            Expected(
                activity_id=activity.pk,
                program_id=program_id,
                province_id=current[program_id],
                year=activity.plan.year,
                area=activity.task_area.number,
                end_date=activity.end_date,
                planned=activity.planned_budget,
                status=latest[1] if latest else "not_started",
                spent=latest[4] if latest else 0,
                actual=None if not latest or latest[3] is None else Decimal(latest[3]),
                indicator_id=activity.indicator_id,
                cooperative_ids={c.pk for c in cooperatives},
                agency_ids={activity.lead_agency_id, *(a.pk for a in supporting)},
            )
        )
        return activity

    d = datetime.date
    # The two activities `world` created: never reported, so not started (and overdue).
    record(w.activity, [], supporting=[w.alliance])
    record(w.other_activity, [])

    def add(
        plan_key,
        area,
        updates,
        *,
        lead,
        planned=10_000_000,
        end=None,
        cooperatives=(),
        indicator=None,
        supporting=(),
    ):
        plan = plans[plan_key]
        activity = make_activity(
            plan,
            lead_agency=lead,
            area_number=area,
            planned_budget=planned,
            end_date=end or d(plan.year, 6, 30),
            indicator=indicator,
            supporting_agencies=supporting,
            title=f"Hoạt động {len(expected) + 1}",
        )
        return record(activity, updates, cooperatives, supporting)

    p24, p25 = (w.program.pk, 2024), (w.program.pk, 2025)
    # 2024, old Bình Phước program (counted under Đồng Nai).
    add(
        p24,
        1,
        [
            (d(2024, 3, 1), "in_progress", 40, None, 2_000_000),
            (d(2024, 6, 1), "done", 100, None, 9_000_000),
        ],
        lead=w.ethnic_old,
    )
    add(
        p24,
        4,
        [(d(2024, 5, 1), "done", 100, "1", 15_000_000)],
        lead=w.ethnic_old,
        planned=20_000_000,
        indicator=new_coops,
        cooperatives=[coops[0], coops[1]],
    )
    add(
        p24,
        4,
        [(d(2024, 9, 1), "in_progress", 50, "1", 3_000_000)],
        lead=w.alliance,
        planned=30_000_000,
        indicator=new_coops,
        end=d(2024, 12, 31),
        cooperatives=[coops[1]],
    )
    add(
        p24,
        3,
        [(d(2024, 9, 1), "done", 100, "60", 1_000_000)],
        lead=w.ethnic_old,
        indicator=trained,
    )
    add(
        p24,
        2,
        [(d(2024, 4, 1), "delayed", 10, None, 0), (d(2024, 4, 1), "cancelled", 0, None, 500_000)],
        lead=w.ethnic_old,
        supporting=[w.department],
    )
    add(p24, 1, [(d(2024, 4, 1), "in_progress", 30, "2", 0)], lead=w.ethnic_old, indicator=peak)
    # 2025, same program.
    add(p25, 3, [(d(2025, 10, 1), "done", 100, "85", 4_000_000)], lead=w.ethnic, indicator=trained)
    add(
        p25,
        4,
        [(d(2025, 11, 1), "in_progress", 60, "1", 6_000_000)],
        lead=w.ethnic,
        indicator=new_coops,
        planned=25_000_000,
        end=d(2025, 12, 31),
        cooperatives=[coops[2]],
    )
    add(
        p25,
        2,
        [(d(2025, 3, 1), "delayed", 20, None, 1_000_000)],
        lead=w.alliance,
        supporting=[w.ethnic],
    )
    add(p25, 1, [(d(2025, 4, 1), "not_started", 0, None, 0)], lead=w.ethnic, planned=0)
    add(p25, 1, [(d(2025, 4, 1), "in_progress", 50, "1", 0)], lead=w.ethnic, indicator=peak)
    # 2025, the new Đồng Nai program.
    add(
        (dong_nai_program.pk, 2025),
        5,
        [(d(2025, 8, 1), "done", 100, None, 7_000_000)],
        lead=w.ethnic,
        planned=8_000_000,
        cooperatives=[coops[0], coops[2]],
    )
    add((dong_nai_program.pk, 2025), 2, [], lead=w.alliance, end=d(2025, 12, 31))
    # 2026 (phase 2 of that program), not due yet.
    add((dong_nai_program.pk, 2026), 1, [], lead=w.ethnic)
    # Quảng Ngãi 2024.
    add(
        (w.other_program.pk, 2024),
        3,
        [(d(2024, 7, 1), "done", 100, None, 5_000_000)],
        lead=w.other_ethnic,
        cooperatives=[coops[3]],
    )
    # National 2025.
    add(
        (national.pk, 2025),
        4,
        [(d(2025, 6, 1), "in_progress", 70, None, 12_000_000)],
        lead=w.central,
        planned=40_000_000,
        end=d(2025, 12, 31),
        supporting=[w.alliance],
    )
    return SimpleNamespace(
        **vars(w),
        expected=expected,
        today=TODAY,
        dong_nai_program=dong_nai_program,
        national=national,
        phase1=phase1,
        indicators={"sum": new_coops, "latest": trained, "max": peak},
        coops=coops,
        plans=plans,
    )
