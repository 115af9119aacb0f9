"""A report names each unit as it was on its date (issue 15), with the demo data: the 2024 sơ kết
of Bình Phước's scheme (Quyết định 2993/QĐ-UBND) dated 15/12/2024, then the same report dated
today; Huế before and after 1/1/2025; each party agency under its own parent line."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from docx import Document

from agencies.models import Agency
from agencies.tests.factories import AgencyFactory, province
from coordination.models import Program
from coordination.tests.factories import make_program
from reporting.reports import services
from reporting.reports.word import write_docx

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)
    return Program.objects.get(number="2993/QĐ-UBND")


def staff():
    return get_user_model().objects.get(username="canbo")


def header(report) -> tuple[list[str], str, list[str]]:
    """The issuers' lines (top left), the place and date line, and the body paragraphs."""
    doc = Document(io.BytesIO(write_docx(report)))
    left, right = doc.tables[0].rows[0].cells
    issuers = [p.text for p in left.paragraphs if p.text and not p.text.startswith("Số:")]
    place = [p.text for p in right.paragraphs if p.text][-1]
    return issuers, place, [p.text for p in doc.paragraphs]


def test_the_2024_review_dated_15_12_2024_is_issued_by_the_bodies_of_that_day(demo):
    report = services.report_generate(
        program=demo, kind="annual", year=2024, by=staff(), today=D(2024, 12, 15)
    )
    issuers, place, body = header(report)
    assert issuers == [
        "UBND TỈNH BÌNH PHƯỚC",
        "BAN DÂN TỘC",
        "LIÊN MINH HỢP TÁC XÃ TỈNH BÌNH PHƯỚC",
    ]
    assert place == "Bình Phước, ngày 15 tháng 12 năm 2024"
    assert [s.position for s in report.signatories.all()] == ["TRƯỞNG BAN", "CHỦ TỊCH"]
    note = next(p for p in body if p.startswith("Tên cơ quan, đơn vị trong báo cáo"))
    assert "tỉnh Bình Phước (nay là thành phố Đồng Nai)" in note
    assert "Ban Dân tộc tỉnh Bình Phước (nay là Sở Dân tộc và Tôn giáo thành phố Đồng Nai)" in note
    assert (
        "Liên minh Hợp tác xã tỉnh Bình Phước (nay là Liên minh Hợp tác xã thành phố Đồng Nai)"
        in note
    )


def test_the_same_report_dated_today_is_issued_by_todays_bodies(demo):
    report = services.report_generate(
        program=demo, kind="annual", year=2024, by=staff(), today=D(2024, 12, 15)
    )
    lines = report.signatories.get(order=1)
    lines.signer_name = "Nguyễn Văn Hùng"
    lines.save()
    today = timezone.localdate()
    services.report_update_header(report=report, by=staff(), issued_on=today)
    report.refresh_from_db()
    issuers, place, body = header(report)
    assert issuers == [
        "UBND THÀNH PHỐ ĐỒNG NAI",
        "SỞ DÂN TỘC VÀ TÔN GIÁO",
        "LIÊN MINH HỢP TÁC XÃ THÀNH PHỐ ĐỒNG NAI",
    ]
    assert place.startswith("Đồng Nai, ngày ")
    assert [s.position for s in report.signatories.all()] == ["GIÁM ĐỐC", "CHỦ TỊCH"]
    assert report.signatories.get(order=1).signer_name == "Nguyễn Văn Hùng"
    assert not any(p.startswith("Tên cơ quan, đơn vị trong báo cáo") for p in body)


def test_a_date_between_the_rename_and_the_merger_gives_the_renamed_board(demo):
    report = services.report_generate(
        program=demo, kind="annual", year=2024, by=staff(), today=D(2025, 4, 15)
    )
    assert header(report)[0] == [
        "UBND TỈNH BÌNH PHƯỚC",
        "SỞ DÂN TỘC VÀ TÔN GIÁO",
        "LIÊN MINH HỢP TÁC XÃ TỈNH BÌNH PHƯỚC",
    ]


def test_lines_written_by_staff_stay_when_the_date_changes(demo):
    report = services.report_generate(
        program=demo, kind="annual", year=2024, by=staff(), today=D(2024, 12, 15)
    )
    first, second = report.signatories.all()
    services.report_update_header(
        report=report,
        by=staff(),
        place="Đồng Xoài",
        issued_on=timezone.localdate(),
        signatories={first.pk: {"issuer_name": "Ban Dân tộc (cơ quan thường trực)"}},
    )
    report.refresh_from_db()
    first, second = report.signatories.all()
    assert report.place == "Đồng Xoài"
    assert first.issuer_name == "Ban Dân tộc (cơ quan thường trực)"
    assert first.parent_name == "UBND thành phố Đồng Nai"  # still the generated line: it moves
    assert second.issuer_name == "Liên minh Hợp tác xã thành phố Đồng Nai"


def test_hue_reports_before_and_after_1_january_2025(world):
    hue = province("46")
    ban = AgencyFactory(name="Ban Dân tộc thành phố Huế", province=hue, short_name="BDT")
    alliance = AgencyFactory(
        name="Liên minh Hợp tác xã thành phố Huế",
        province=hue,
        kind=Agency.Kind.COOPERATIVE_ALLIANCE,
        short_name="LMHTX",
    )
    program = make_program(title="Chương trình phối hợp Huế", parties=[ban, alliance], province=hue)
    report = services.report_generate(
        program=program, kind="annual", year=2024, by=world.staff, today=D(2024, 12, 15)
    )
    issuers, place, _body = header(report)
    assert issuers == [
        "UBND TỈNH THỪA THIÊN HUẾ",
        "BAN DÂN TỘC",
        "LIÊN MINH HỢP TÁC XÃ TỈNH THỪA THIÊN HUẾ",
    ]
    assert place == "Thừa Thiên Huế, ngày 15 tháng 12 năm 2024"
    services.report_update_header(report=report, by=world.staff, issued_on=D(2025, 1, 15))
    report.refresh_from_db()
    issuers, place, _body = header(report)
    assert issuers == ["UBND THÀNH PHỐ HUẾ", "BAN DÂN TỘC", "LIÊN MINH HỢP TÁC XÃ THÀNH PHỐ HUẾ"]
    assert place == "Huế, ngày 15 tháng 01 năm 2025"


@pytest.mark.parametrize(
    ("code", "name", "last_day_as_province"),
    [
        ("22", "Quảng Ninh", D(2026, 8, 31)),  # Nghị quyết 36/2026/QH16
        ("24", "Bắc Ninh", D(2026, 9, 19)),  # Nghị quyết 39/2026/QH16
    ],
)
def test_reports_dated_either_side_of_a_2026_city_resolution(
    world, code, name, last_day_as_province
):
    # Đồng Nai's (30/4/2026) is covered by the demo's reports above and the joint report below.
    unit = province(code)
    department = AgencyFactory(
        name=f"Sở Dân tộc và Tôn giáo tỉnh {name}", province=unit, short_name="SDTTG"
    )
    alliance = AgencyFactory(
        name=f"Liên minh Hợp tác xã tỉnh {name}",
        province=unit,
        kind=Agency.Kind.COOPERATIVE_ALLIANCE,
        short_name="LMHTX",
    )
    program = make_program(
        title=f"Chương trình phối hợp {name}", parties=[department, alliance], province=unit
    )
    report = services.report_generate(
        program=program, kind="annual", year=2026, by=world.staff, today=last_day_as_province
    )
    upper = name.upper()
    assert header(report)[0] == [
        f"UBND TỈNH {upper}",
        "SỞ DÂN TỘC VÀ TÔN GIÁO",
        f"LIÊN MINH HỢP TÁC XÃ TỈNH {upper}",
    ]
    services.report_update_header(
        report=report, by=world.staff, issued_on=last_day_as_province + datetime.timedelta(days=1)
    )
    report.refresh_from_db()
    assert header(report)[0] == [
        f"UBND THÀNH PHỐ {upper}",
        "SỞ DÂN TỘC VÀ TÔN GIÁO",
        f"LIÊN MINH HỢP TÁC XÃ THÀNH PHỐ {upper}",
    ]


def test_each_party_of_a_joint_report_has_its_own_parent_line(world):
    department = world.department  # Sở Công Thương tỉnh Đồng Nai, under the committee too
    program = make_program(
        title="Chương trình phối hợp ba bên",
        parties=[world.ethnic, world.alliance, department],
        province=world.dong_nai,
    )
    report = services.report_generate(
        program=program, kind="annual", year=2025, by=world.staff, today=D(2025, 12, 15)
    )
    assert header(report)[0] == [
        "UBND TỈNH ĐỒNG NAI",
        "SỞ DÂN TỘC VÀ TÔN GIÁO",
        "LIÊN MINH HỢP TÁC XÃ TỈNH ĐỒNG NAI",
        "UBND TỈNH ĐỒNG NAI",
        "SỞ CÔNG THƯƠNG",
    ]
    # The alliance's own data says it has no parent: nothing above it, whatever its neighbours.
    assert report.signatories.get(agency=world.alliance).parent_name == ""
