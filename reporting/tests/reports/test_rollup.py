"""Old provinces rolled up: a 2025 review of new An Giang includes Kiên Giang's records, labelled,
and leaves out programs of other agencies or provinces."""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from agencies.models import Agency, Membership
from agencies.tests.factories import AgencyFactory, MembershipFactory, UserFactory, province
from cooperatives.tests.factories import CooperativeFactory
from coordination import services as coordination_services
from coordination.tests.factories import make_activity, make_program
from reporting.models import Report
from reporting.reports import services
from reporting.reports.appendix import write_xlsx
from reporting.reports.word import write_docx

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 12, 20)


@pytest.fixture
def an_giang(agencies_world):
    an_giang, kien_giang, old_an_giang = (
        province("91"),
        province("91", current=False),
        province("89", current=False),
    )
    coop = Agency.Kind.COOPERATIVE_ALLIANCE
    sdt = AgencyFactory(name="Sở Dân tộc và Tôn giáo tỉnh An Giang", province=an_giang)
    lm = AgencyFactory(
        name="Liên minh Hợp tác xã tỉnh An Giang", short_name="LMHTX", kind=coop, province=an_giang
    )
    bdt_kg = AgencyFactory(
        name="Ban Dân tộc tỉnh Kiên Giang",
        short_name="BDT",
        province=kien_giang,
        active=False,
        successor=sdt,
    )
    lm_kg = AgencyFactory(
        name="Liên minh Hợp tác xã tỉnh Kiên Giang",
        kind=coop,
        province=kien_giang,
        active=False,
        successor=lm,
    )
    ubnd = AgencyFactory(
        name="Ủy ban nhân dân tỉnh An Giang", kind=Agency.Kind.PEOPLES_COMMITTEE, province=an_giang
    )
    ubnd_old = AgencyFactory(
        name="Ủy ban nhân dân tỉnh An Giang",
        kind=Agency.Kind.PEOPLES_COMMITTEE,
        province=old_an_giang,
        active=False,
        successor=ubnd,
    )
    kien_giang_program = make_program(
        title="Chương trình phối hợp tỉnh Kiên Giang 2021–2030",
        parties=[bdt_kg, lm_kg],
        province=kien_giang,
    )
    new_program = make_program(
        title="Chương trình phối hợp tỉnh An Giang 2025–2030",
        parties=[sdt, lm],
        province=an_giang,
        start_year=2025,
        phases=[(2025, 2025), (2026, 2030)],
    )
    committee_plan = make_program(
        title="Kế hoạch thực hiện Kết luận 70-KL/TW tỉnh An Giang",
        kind="plan",
        parties=[ubnd_old, lm_kg],
        province=old_an_giang,
    )
    staff = MembershipFactory(
        user=UserFactory(username="canbo.ag"), agency=sdt, role=Membership.Role.STAFF
    ).user
    coop_kg = CooperativeFactory(
        name="HTX Nông nghiệp Hòn Đất", province=an_giang, province_as_written="Kiên Giang"
    )
    activities = {}

    def plan_with(program, year, title, *, lead, coops=(), done=True):
        plan = program.plans.filter(year=year).first() or coordination_services.plan_create(
            program=program, year=year
        )
        activity = make_activity(
            plan, lead_agency=lead, title=title, area_number=2, cooperatives=coops
        )
        if done:
            coordination_services.progress_record(
                activity=activity,
                reported_on=datetime.date(year, 7, 1),
                status="done",
                percent=100,
                budget_spent=8_000_000,
                author=staff,
            )
        activities[title] = activity
        return activity

    plan_with(
        kien_giang_program, 2025, "Hội nghị tuyên truyền tại Hòn Đất", lead=bdt_kg, coops=[coop_kg]
    )
    plan_with(kien_giang_program, 2024, "Tập huấn HTX năm 2024 tại Kiên Giang", lead=lm_kg)
    plan_with(new_program, 2025, "Khảo sát HTX vùng đồng bào Khmer", lead=sdt, done=False)
    plan_with(committee_plan, 2025, "Tuyên truyền Kết luận 70", lead=ubnd_old)
    plan_with(
        agencies_world_program(agencies_world),
        2025,
        "Hoạt động ở Quảng Ngãi",
        lead=agencies_world.other_ethnic,
    )
    return SimpleNamespace(
        kien_giang_program=kien_giang_program,
        new_program=new_program,
        committee_plan=committee_plan,
        staff=staff,
        activities=activities,
        sdt=sdt,
    )


def agencies_world_program(w):
    return make_program(
        title="Chương trình phối hợp Quảng Ngãi",
        parties=[w.other_ethnic, w.other_alliance],
        province=w.quang_ngai,
    )


def test_the_2025_review_of_new_an_giang_includes_kien_giangs_records_labelled(an_giang):
    report = services.report_generate(
        program=an_giang.new_program, kind="annual", year=2025, by=an_giang.staff, today=TODAY
    )
    data = report.data
    assert [p["id"] for p in data["programs"]] == [
        an_giang.new_program.pk,
        an_giang.kien_giang_program.pk,
    ]
    titles = {a["title"]: a["origin"] for a in data["activities"]}
    assert titles == {
        "Khảo sát HTX vùng đồng bào Khmer": "",
        "Hội nghị tuyên truyền tại Hòn Đất": "Kiên Giang (cũ)",
    }
    assert data["totals"]["total"] == 2 and data["totals"]["done"] == 1
    assert data["cooperatives"]["total"] == 1
    assert [(row["province"], row["tally"]["total"]) for row in data["by_origin"]] == [
        ("An Giang", 1),
        ("Kiên Giang (cũ)", 1),
    ]

    doc = Document(io.BytesIO(write_docx(report)))
    origin = next(
        t for t in doc.tables if [c.text for c in t.rows[0].cells][2:3] == ["Nơi ghi nhận"]
    )
    assert [row.cells[2].text for row in origin.rows[1:]] == [
        "An Giang",
        "Kiên Giang (cũ), nay thuộc An Giang",
    ]
    paragraphs = "\n".join(p.text for p in doc.paragraphs)
    assert (
        "Hội nghị tuyên truyền tại Hòn Đất (Ban Dân tộc tỉnh Kiên Giang; Kiên Giang (cũ)"
        in paragraphs
    )
    assert "Kết luận 70" not in paragraphs and "Quảng Ngãi" not in paragraphs

    book = load_workbook(io.BytesIO(write_xlsx(report)))
    sheet = next(s for s in book.worksheets if s.title.startswith("2. "))  # task area 2
    header = [c.value for c in sheet[5]]
    rows = [
        dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(min_row=6)
    ][:-1]
    assert {r["Hoạt động"]: r["Nơi ghi nhận"] for r in rows} == {
        "Khảo sát HTX vùng đồng bào Khmer": None,
        "Hội nghị tuyên truyền tại Hòn Đất": "Kiên Giang (cũ)",
    }


def test_kien_giangs_phase_summary_is_written_by_todays_an_giang_agencies(client, an_giang):
    client.force_login(an_giang.staff)
    program = an_giang.kien_giang_program
    phase = program.phases.get(number=1)
    response = client.post(
        reverse("reporting:report_program", args=[program.pk]), {"period": f"phase:{phase.pk}"}
    )
    assert response.status_code == 302
    report = Report.objects.get(program=program, phase=phase)
    assert report.place == "An Giang"
    assert [s.issuer_name for s in report.signatories.all()] == [
        "Sở Dân tộc và Tôn giáo",
        "Liên minh Hợp tác xã tỉnh An Giang",
    ]
    assert report.signatories.first().parent_name == "UBND tỉnh An Giang"
    # Kiên Giang's 2024 and 2025 records, and new An Giang's 2025 one.
    assert sorted(a["title"] for a in report.data["activities"]) == [
        "Hội nghị tuyên truyền tại Hòn Đất",
        "Khảo sát HTX vùng đồng bào Khmer",
        "Tập huấn HTX năm 2024 tại Kiên Giang",
    ]
    assert "nay cùng thuộc An Giang" in report.situation
    doc = Document(io.BytesIO(write_docx(report)))
    issuer = [p.text for p in doc.tables[0].rows[0].cells[0].paragraphs if p.text]
    assert issuer[:2] == ["UBND TỈNH AN GIANG", "SỞ DÂN TỘC VÀ TÔN GIÁO"]
    assert issuer[-1].endswith("/BC-SDTTG-LMHTX")
