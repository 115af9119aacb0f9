"""Provincial reports sent up and compiled into the national report (issue 16): three provinces
carry out the national program; Đồng Nai finalises its 2026 review on time, Quảng Ngãi (whose
task areas have their own wording and order) late, Hà Tĩnh not at all. Every expected figure is
worked out here from the rows the test creates, never by the code under test."""

import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from agencies.models import Agency, Membership
from agencies.tests.factories import AgencyFactory, MembershipFactory, UserFactory, province
from cooperatives.tests.factories import CooperativeFactory
from coordination import services as coordination_services
from coordination.models import Indicator, StandardArea
from coordination.tests.factories import make_activity, make_program
from notifications.models import Notification
from reporting.models import Report
from reporting.reports import services
from reporting.reports.appendix import write_xlsx
from reporting.reports.rollup import key_points
from reporting.reports.word import write_docx

pytestmark = pytest.mark.django_db
YEAR = 2026
TODAY = datetime.date(YEAR, 12, 16)
MANAGER = Membership.Role.MANAGER


def member(username, agency, role=MANAGER):
    return MembershipFactory(user=UserFactory(username=username), agency=agency, role=role).user


@pytest.fixture
def nation(agencies_world):
    w = agencies_world
    national = make_program(
        title="Chương trình phối hợp giữa Bộ Dân tộc và Tôn giáo và Liên minh HTX Việt Nam",
        parties=[w.central, w.vca],
    )
    ha_tinh = province("42")
    ht_ethnic = AgencyFactory(name="Sở Dân tộc và Tôn giáo tỉnh Hà Tĩnh", province=ha_tinh)
    ht_alliance = AgencyFactory(
        name="Liên minh Hợp tác xã tỉnh Hà Tĩnh",
        kind=Agency.Kind.COOPERATIVE_ALLIANCE,
        province=ha_tinh,
    )
    dong_nai = make_program(
        title="Chương trình phối hợp tỉnh Đồng Nai",
        parties=[w.ethnic, w.alliance],
        province=w.dong_nai,
        national_program=national,
    )
    # Quảng Ngãi's own wording and order: area 1 is communication, area 2 is something else.
    quang_ngai = make_program(
        title="Kế hoạch phối hợp tỉnh Quảng Ngãi",
        parties=[w.other_ethnic, w.other_alliance],
        province=w.quang_ngai,
        national_program=national,
        task_areas=[
            "Tăng cường tuyên truyền về kinh tế tập thể, HTX kiểu mới",
            "Củng cố, đổi mới tổ chức và hoạt động của Liên minh HTX tỉnh",
        ],
    )
    ha_tinh_program = make_program(
        title="Chương trình phối hợp tỉnh Hà Tĩnh",
        parties=[ht_ethnic, ht_alliance],
        province=ha_tinh,
        national_program=national,
    )
    people = SimpleNamespace(
        qn_alliance_manager=member("qn_alliance_manager", w.other_alliance),
        vca_manager=member("vca_manager", w.vca),
        vca_staff=member("vca_staff", w.vca, Membership.Role.STAFF),
        ht_staff=member("ht_staff", ht_ethnic, Membership.Role.STAFF),
    )
    shared = CooperativeFactory(name="HTX Nông nghiệp Liên tỉnh", sector="Nông nghiệp", members=30)
    dn_coop = CooperativeFactory(name="HTX Điều Bù Gia Mập", sector="Nông nghiệp", members=20)
    qn_coop = CooperativeFactory(name="HTX Dệt Ba Tơ", sector="Dệt may", members=10)
    rows = []

    def indicator(program, code):
        phase = program.phases.get(number=2)
        return coordination_services.indicator_create(
            program=program,
            code=code,
            name="HTX thành lập mới vùng DTTS và MN",
            unit="HTX",
            aggregation=Indicator.Aggregation.SUM,
            targets={phase: "≥ 1"},
        )

    def add(program, area, planned, status, spent, *, lead, coops=(), indicator=None, actual=None):
        plan = program.plans.filter(year=YEAR).first() or coordination_services.plan_create(
            program=program, year=YEAR
        )
        activity = make_activity(
            plan,
            lead_agency=lead,
            area_number=area,
            title=f"Hoạt động {len(rows) + 1}",
            planned_budget=planned,
            end_date=datetime.date(YEAR, 11, 30),
            cooperatives=coops,
            indicator=indicator,
            target_value=Decimal(1) if indicator else None,
        )
        coordination_services.progress_record(
            activity=activity,
            reported_on=datetime.date(YEAR, 11, 1),
            status=status,
            percent=100 if status == "done" else 40,
            budget_spent=spent,
            actual_value=Decimal(actual) if actual is not None else None,
            author=w.staff,
        )
        rows.append(
            SimpleNamespace(
                program=program,
                standard=program.task_areas.get(number=area).standard_area,
                planned=planned,
                spent=spent,
                done=status == "done",
            )
        )

    dn_new = indicator(dong_nai, "CT1")
    qn_new = indicator(quang_ngai, "QN1")
    add(dong_nai, 2, 10_000_000, "done", 9_000_000, lead=w.ethnic, coops=[shared, dn_coop])
    add(dong_nai, 3, 20_000_000, "in_progress", 5_000_000, lead=w.alliance)
    add(dong_nai, 4, 30_000_000, "done", 30_000_000, lead=w.ethnic, indicator=dn_new, actual=2)
    add(quang_ngai, 1, 7_000_000, "done", 7_000_000, lead=w.other_ethnic, coops=[shared, qn_coop])
    add(quang_ngai, 2, 4_000_000, "in_progress", 1_000_000, lead=w.other_alliance)
    add(
        quang_ngai, 1, 3_000_000, "done", 3_000_000, lead=w.other_ethnic, indicator=qn_new, actual=3
    )
    add(ha_tinh_program, 2, 50_000_000, "done", 50_000_000, lead=ht_ethnic)
    return SimpleNamespace(
        w=w,
        national=national,
        dong_nai=dong_nai,
        quang_ngai=quang_ngai,
        ha_tinh=ha_tinh_program,
        rows=rows,
        coops={shared.pk, dn_coop.pk, qn_coop.pk},
        **vars(people),
    )


def review(program, by):
    return services.report_generate(program=program, kind="annual", year=YEAR, by=by, today=TODAY)


def finalise(report, *managers):
    for manager in managers:
        report = services.report_finalise(report=report, by=manager)
    assert report.status == "finalised"
    return report


def send_up(n, *, dong_nai_text="Hoàn thành tập huấn cho 20 HTX."):
    w = n.w
    dn = review(n.dong_nai, w.staff)
    dn = services.report_update_section(
        report=dn, section="achievements", text=dong_nai_text, by=w.staff
    )
    dn = finalise(dn, w.manager, w.alliance_manager)
    qn = review(n.quang_ngai, w.other_staff)
    qn = services.report_update_section(
        report=qn, section="proposals", text="Đề nghị bổ sung kinh phí.", by=w.other_staff
    )
    qn = finalise(qn, w.other_manager, n.qn_alliance_manager)
    # Quảng Ngãi finalised after the deadline of 20/12 (the time a finalisation records is now).
    late = timezone.make_aware(datetime.datetime(YEAR, 12, 28, 9, 0))
    Report.objects.filter(pk=qn.pk).update(finalised_at=late)
    review(n.ha_tinh, n.ht_staff)  # a draft only: Hà Tĩnh has not reported
    return dn, qn


def test_the_national_report_adds_up_the_finalised_provincial_reports(nation):
    n = nation
    send_up(n)
    report = review(n.national, n.w.central_manager)
    rollup = report.data["rollup"]

    counted = [r for r in n.rows if r.program in (n.dong_nai, n.quang_ngai)]
    totals = rollup["totals"]
    assert totals["total"] == len(counted) == 6
    assert totals["done"] == sum(r.done for r in counted)
    assert totals["planned_budget"] == sum(r.planned for r in counted) == 74_000_000
    assert totals["spent"] == sum(r.spent for r in counted)
    by_area = {a["standard"]: a["tally"] for a in rollup["areas"]}
    for standard in {r.standard for r in counted}:
        mine = [r for r in counted if r.standard == standard]
        assert by_area[standard]["total"] == len(mine)
        assert by_area[standard]["planned_budget"] == sum(r.planned for r in mine)
    # Quảng Ngãi's area 1 counts as communication beside Đồng Nai's area 2; its area 2 is other.
    assert by_area[StandardArea.COMMUNICATION]["total"] == 3
    assert by_area[StandardArea.OTHER]["total"] == 1
    assert [a["standard"] for a in rollup["areas"]][-1] == StandardArea.OTHER

    (indicator,) = rollup["indicators"]
    assert indicator["value"] == "5" and len(indicator["provinces"]) == 2
    coops = rollup["cooperatives"]
    assert coops["total"] == 3  # the cooperative both provinces supported counts once
    assert dict(coops["by_sector"]) == {"Nông nghiệp": 2, "Dệt may": 1}

    states = {row["province"]: (row["state"], row["late"]) for row in rollup["provinces"]}
    assert states == {
        "TP Đồng Nai": ("finalised", False),
        "Quảng Ngãi": ("finalised", True),
        "Hà Tĩnh": ("draft", False),
    }
    assert rollup["missing"] == ["Hà Tĩnh"] and rollup["late"] == ["Quảng Ngãi"]
    # The national program has no activities of its own: its achievements open with the
    # provinces' totals, then each province's own words, attributed.
    opening = report.achievements.split("\n")
    assert opening[0] == "Tổng hợp từ báo cáo của 2 tỉnh, thành phố đã hoàn thành:"
    assert opening[1].startswith(
        f"Tổng số {totals['total']} hoạt động: hoàn thành {totals['done']} "
    )
    assert "Tổng số 0 hoạt động" not in report.achievements
    assert "- TP Đồng Nai: Hoàn thành tập huấn cho 20 HTX." in report.achievements
    assert "- Quảng Ngãi: Đề nghị bổ sung kinh phí." in report.proposals


def test_the_compiled_report_writes_docx_and_xlsx_with_the_provinces_table(nation):
    n = nation
    dn, _qn = send_up(n)
    report = review(n.national, n.w.central_manager)
    doc = Document(io.BytesIO(write_docx(report)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Kết quả của các tỉnh, thành phố" in text
    assert "Chưa báo cáo: Hà Tĩnh." in text and "Báo cáo sau hạn: Quảng Ngãi." in text
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "Thông tin, tuyên truyền" in cells and "Nội dung khác" in cells
    assert f"Phiên bản {dn.version}, {timezone.localdate(dn.finalised_at):%d/%m/%Y}" in cells
    assert "Đã báo cáo (sau hạn 20/12/2026)" in cells

    workbook = load_workbook(io.BytesIO(write_xlsx(report)))
    sheet = workbook["Báo cáo các tỉnh"]
    values = [list(row) for row in sheet.iter_rows(min_row=6, values_only=True)]
    by_province = {row[1]: row for row in values if row[1]}
    assert by_province["TP Đồng Nai"][9] == reverse("reporting:report_detail", args=[dn.pk])
    assert by_province["Hà Tĩnh"][3] == "Chưa báo cáo (đang dự thảo)"
    assert by_province["Tổng cộng"][7] == 74_000_000


def test_a_later_provincial_version_changes_only_the_next_national_version(nation):
    n = nation
    w = n.w
    dn, _qn = send_up(n)
    national = finalise(review(n.national, w.central_manager), w.central_manager, n.vca_manager)
    before = national.data["rollup"]
    # Đồng Nai adds an activity and finalises version 2 of its review.
    plan = n.dong_nai.plans.get(year=YEAR)
    make_activity(plan, lead_agency=w.ethnic, area_number=2, planned_budget=1_000_000)
    dn2 = finalise(review(n.dong_nai, w.staff), w.manager, w.alliance_manager)
    assert dn2.version == 2

    national.refresh_from_db()
    assert national.data["rollup"] == before
    pinned = {r["province"]: r["version"] for r in before["provinces"]}
    assert pinned["TP Đồng Nai"] == 1
    second = review(n.national, w.central_manager)
    assert second.version == 2
    assert second.data["rollup"]["totals"]["total"] == before["totals"]["total"] + 1
    again = {r["province"]: r["version"] for r in second.data["rollup"]["provinces"]}
    assert again["TP Đồng Nai"] == 2


def test_finalising_sends_the_report_up_to_the_national_managers(nation, client):
    n = nation
    dn, _qn = send_up(n)
    notified = Notification.objects.filter(key=f"report-sent-up:{dn.pk}")
    assert {x.user.username for x in notified} == {"central_manager", "vca_manager"}
    client.force_login(n.vca_manager)
    response = client.get(reverse("reporting:report_program", args=[n.national.pk]))
    html = response.content.decode()
    assert 'id="received"' in html and "2/3 đã báo cáo" in html
    assert reverse("reporting:report_detail", args=[dn.pk]) in html
    assert "sau hạn" in html


def test_a_reader_of_the_received_list_gets_links_only_to_reports_they_may_open(nation, client):
    n = nation
    dn, qn = send_up(n)
    # Quảng Ngãi's ethnic affairs board leads an activity of the national program, so its
    # manager reads the national program and its received list; not Đồng Nai's report.
    plan = coordination_services.plan_create(program=n.national, year=YEAR)
    make_activity(plan, lead_agency=n.w.other_ethnic)
    client.force_login(n.w.other_manager)
    html = client.get(reverse("reporting:report_program", args=[n.national.pk])).content.decode()
    assert 'id="received"' in html
    assert reverse("reporting:report_detail", args=[qn.pk]) in html  # their own province's
    assert reverse("reporting:report_detail", args=[dn.pk]) not in html  # would be a 404
    assert f"Phiên bản {dn.version}, {timezone.localdate(dn.finalised_at):%d/%m/%Y}" in html
    assert client.get(reverse("reporting:report_detail", args=[dn.pk])).status_code == 404


def test_the_received_list_costs_a_bounded_number_of_queries(
    nation, client, django_assert_max_num_queries
):
    send_up(nation)
    client.force_login(nation.vca_manager)
    url = reverse("reporting:report_program", args=[nation.national.pk])
    with django_assert_max_num_queries(30):
        assert client.get(url).status_code == 200


def test_who_reads_and_builds_what(nation, client):
    n = nation
    w = n.w
    dn, qn = send_up(n)
    ht_draft = Report.objects.get(program=n.ha_tinh)

    def status(user, report):
        client.force_login(user)
        return client.get(reverse("reporting:report_detail", args=[report.pk])).status_code

    assert status(w.other_manager, dn) == 404  # another province's report
    assert status(n.vca_staff, dn) == 200  # sent up to the national program's people
    assert status(n.vca_staff, qn) == 200
    assert status(n.vca_staff, ht_draft) == 404  # a draft stays the province's own
    assert status(w.manager, dn) == 200

    # Nobody outside the national program's parties builds the national report.
    url = reverse("reporting:report_program", args=[n.national.pk])
    for outsider in (w.other_manager, w.manager, w.outsider):
        client.force_login(outsider)
        response = client.post(url, {"period": f"annual:{YEAR}"})
        assert response.status_code in (403, 404)
    assert not Report.objects.filter(program=n.national).exists()


def test_an_old_provinces_program_rolls_up_under_the_unit_carrying_it_on(nation):
    n = nation
    w = n.w
    old = make_program(
        title="Chương trình phối hợp tỉnh Bình Phước",
        parties=[w.ethnic_old, w.alliance],
        province=w.binh_phuoc,
        national_program=n.national,
        end_year=2026,
        phases=[(2021, 2025), (2026, 2026)],
    )
    send_up(n)
    report = review(n.national, w.central_manager)
    provinces = [row["province"] for row in report.data["rollup"]["provinces"]]
    # Bình Phước's program is covered by new Đồng Nai's review (same agencies today).
    assert "Bình Phước (cũ)" in provinces
    row = next(r for r in report.data["rollup"]["provinces"] if r["program_id"] == old.pk)
    assert row["state"] == "included" and row["included_in"] == n.dong_nai.title
    assert provinces.index("Bình Phước (cũ)") == provinces.index("TP Đồng Nai") + 1
    assert "Bình Phước (cũ)" not in report.data["rollup"]["missing"]


def test_two_finalised_reports_covering_each_other_count_once(nation):
    """Old Bình Phước's program and new Đồng Nai's have the same agencies today: each review
    covers the other's records, so only the current unit's counts."""
    n = nation
    w = n.w
    old = make_program(
        title="Chương trình phối hợp tỉnh Bình Phước",
        parties=[w.ethnic_old, w.alliance],
        province=w.binh_phuoc,
        national_program=n.national,
    )
    dn, _qn = send_up(n)
    finalise(review(old, w.staff), w.manager, w.alliance_manager)
    rollup = review(n.national, w.central_manager).data["rollup"]
    states = {row["program_id"]: row["state"] for row in rollup["provinces"]}
    assert states[n.dong_nai.pk] == "finalised" and states[old.pk] == "included"
    assert rollup["totals"]["total"] == 6  # Đồng Nai's three activities counted once


def test_a_provinces_long_section_is_cut_to_its_key_points():
    text = "\n".join(f"Dòng {i}" for i in range(1, 10))
    assert key_points(text).split("\n") == [
        "Dòng 1",
        "Dòng 2",
        "Dòng 3",
        "Dòng 4",
        "(… xem báo cáo của tỉnh)",
    ]
    assert key_points("Một dòng\n\nHai dòng") == "Một dòng\nHai dòng"
