"""Builders for coordination data. They go through the services, so test data obeys the same
rules as real data."""

import datetime
from decimal import Decimal

from coordination import services
from coordination.models import Program


def make_program(
    *, parties, province=None, title="Chương trình phối hợp thử nghiệm", **kwargs
) -> Program:
    fields = {
        "kind": Program.Kind.COORDINATION,
        "level": "provincial" if province else "central",
        "start_year": 2021,
        "end_year": 2030,
        "phases": [(2021, 2025), (2026, 2030)],
    }
    fields.update(kwargs)
    return services.program_create(title=title, parties=parties, province=province, **fields)


def make_activity(plan, *, lead_agency, area_number=1, title="Hội nghị tuyên truyền", **kwargs):
    fields = {
        "start_date": datetime.date(plan.year, 3, 1),
        "end_date": datetime.date(plan.year, 6, 30),
        "planned_budget": 10_000_000,
    }
    if kwargs.get("by") is not None:
        # A person entering a budget names its source; loaders (no `by`) may leave it out.
        fields["budget_source"] = "central"
    fields.update(kwargs)
    return services.activity_create(
        plan=plan,
        task_area=plan.program.task_areas.get(number=area_number),
        title=title,
        lead_agency=lead_agency,
        **fields,
    )


def make_progress(activity, *, author, status="in_progress", percent=50, **kwargs):
    fields = {"reported_on": activity.end_date, "actual_value": None, "budget_spent": 0}
    fields.update(kwargs)
    if fields["actual_value"] is not None:
        fields["actual_value"] = Decimal(fields["actual_value"])
    return services.progress_record(
        activity=activity, status=status, percent=percent, author=author, **fields
    )
