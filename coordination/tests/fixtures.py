from types import SimpleNamespace

import pytest

from coordination import services

from .factories import make_activity, make_program


@pytest.fixture
def world(agencies_world):
    """`agencies_world` plus a program in each province with a 2024 plan and one activity.

    `program` (Đồng Nai) was signed by the old Ban Dân tộc Bình Phước and the Đồng Nai alliance,
    so its staff reach it through succession; `other_program` belongs to Quảng Ngãi."""
    w = agencies_world
    program = make_program(
        title="Chương trình phối hợp Bình Phước",
        parties=[w.ethnic_old, w.alliance],
        province=w.binh_phuoc,
    )
    plan = services.plan_create(program=program, year=2024)
    activity = make_activity(plan, lead_agency=w.ethnic_old, supporting_agencies=[w.alliance])
    other_program = make_program(
        title="Chương trình phối hợp Quảng Ngãi",
        parties=[w.other_ethnic, w.other_alliance],
        province=w.quang_ngai,
    )
    other_plan = services.plan_create(program=other_program, year=2024)
    other_activity = make_activity(other_plan, lead_agency=w.other_ethnic)
    return SimpleNamespace(
        **vars(w),
        program=program,
        plan=plan,
        activity=activity,
        other_program=other_program,
        other_plan=other_plan,
        other_activity=other_activity,
    )
