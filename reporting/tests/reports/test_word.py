"""The .docx report opened with python-docx: layout as Nghị định 30 asks, and every figure equal
to the value worked out in the test from the rows the fixture created."""

import io
from decimal import Decimal

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from coordination.tests.factories import make_program
from reporting.reports import services
from reporting.reports.word import write_docx

from .conftest import counts, expected_indicator, pct, vn

pytestmark = pytest.mark.django_db
FONT = "Times New Roman"


def generate(review, **period):
    kind = "annual" if "year" in period else "phase"
    return services.report_generate(
        program=review.program, kind=kind, by=review.staff, today=review.today, **period
    )


def open_docx(report) -> Document:
    return Document(io.BytesIO(write_docx(report)))


def texts(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def table_headed(doc, *headers) -> list[list[str]]:
    """The table whose header row starts with `headers`."""
    for table in doc.tables:
        first = [cell.text for cell in table.rows[0].cells]
        if first[: len(headers)] == list(headers):
            return texts(table)
    raise AssertionError(f"no table headed {headers}")


def body_texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def headings(doc, level: int) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def percent(value: Decimal) -> str:
    return f"{vn(value)}%"


def test_page_fonts_and_the_header_blocks_follow_decree_30(review):
    doc = open_docx(generate(review, year=2024))
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert [round(m.mm, 1) for m in (section.top_margin, section.bottom_margin)] == [20, 20]
    assert round(section.left_margin.mm, 1) == 30 and round(section.right_margin.mm, 1) == 15

    normal = doc.styles["Normal"]
    assert normal.font.name == FONT and normal.font.size == Pt(14)
    for level in (1, 2, 3):
        style = doc.styles[f"Heading {level}"]
        assert style.font.name == FONT and style.font.bold
        assert str(style.font.color.rgb) == "000000"
        assert "Theme" not in style.element.rPr.rFonts.xml
    # No run anywhere picks another font.
    runs = [r for p in doc.paragraphs for r in p.runs]
    runs += [
        r
        for t in doc.tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        for r in p.runs
    ]
    assert runs and {r.font.name for r in runs} <= {FONT, None}

    issuer, motto = doc.tables[0].rows[0].cells
    left = [(p.text, p.runs[0].bold, p.runs[0].font.size) for p in issuer.paragraphs if p.text]
    assert left[:3] == [
        ("UBND TỈNH ĐỒNG NAI", False, Pt(13)),
        ("SỞ DÂN TỘC VÀ TÔN GIÁO", True, Pt(13)),
        ("LIÊN MINH HỢP TÁC XÃ TỈNH ĐỒNG NAI", True, Pt(13)),
    ]
    number = left[-1][0]
    assert number.startswith("Số:") and number.endswith("/BC-SDTTG-LMHTX")
    assert any("w:pBdr" in p._p.xml for p in issuer.paragraphs), "a rule under the agencies"
    right = [p for p in motto.paragraphs if p.text]
    assert [(p.text, p.runs[0].bold) for p in right[:2]] == [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True),
        ("Độc lập - Tự do - Hạnh phúc", True),
    ]
    assert any("w:pBdr" in p._p.xml for p in motto.paragraphs), "a rule under the motto"
    assert right[-1].text == "Đồng Nai, ngày 15 tháng 12 năm 2025"
    assert right[-1].runs[0].italic

    paragraphs = doc.paragraphs
    title = next(i for i, p in enumerate(paragraphs) if p.text == "BÁO CÁO")
    assert paragraphs[title].runs[0].bold and paragraphs[title].runs[0].font.size == Pt(14)
    assert paragraphs[title].alignment == WD_ALIGN_PARAGRAPH.CENTER
    subject = paragraphs[title + 1]
    assert subject.text == f"Sơ kết năm 2024 thực hiện {review.program.title}"
    assert subject.runs[0].bold

    body = next(p for p in paragraphs if p.text.startswith("Tổng số"))
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert round(body.paragraph_format.first_line_indent.cm, 2) == 1.27
    assert body.runs[0].font.size == Pt(14)
    assert normal.paragraph_format.space_after == Pt(6)

    # Page numbers from page 2, centred at the top; none on the first page.
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert section.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert "PAGE" not in section.first_page_header._element.xml
    assert "DỰ THẢO" in section.first_page_header.paragraphs[0].text


def test_sections_recipients_and_one_signature_block_per_party_agency(review):
    doc = open_docx(generate(review, year=2024))
    assert headings(doc, 1) == [
        "I. TÌNH HÌNH TRIỂN KHAI THỰC HIỆN",
        "II. KẾT QUẢ THỰC HIỆN",
        "III. ĐÁNH GIÁ CHUNG",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2025",
        "V. KIẾN NGHỊ, ĐỀ XUẤT",
    ]
    assert headings(doc, 2) == [
        "1. Kết quả thực hiện các nội dung phối hợp",
        "2. Kết quả thực hiện các chỉ tiêu",
        "3. Hợp tác xã được hỗ trợ",
        "4. Kinh phí thực hiện",
        "5. Công tác thi đua, khen thưởng",
        "1. Những kết quả đạt được",
        "2. Tồn tại, hạn chế và nguyên nhân",
        "3. Bài học kinh nghiệm",
    ]
    areas = [f"{a.number}) {a.title}" for a in review.program.task_areas.all()]
    assert headings(doc, 3) == areas
    signing = texts(doc.tables[-1])
    blocks = [cell for row in signing for cell in row if "CHỦ TỊCH" in cell or "GIÁM ĐỐC" in cell]
    assert len(blocks) == 2 == review.program.parties.count()
    assert any(
        cell.startswith("Nơi nhận:") and "Lưu: VT." in cell for row in signing for cell in row
    )


def test_annual_figures_equal_the_values_of_the_rows(review):
    doc = open_docx(generate(review, year=2024))
    rows = [r for r in review.rows if r.year == 2024]
    total = counts(rows)
    assert (
        f"Tổng số {total['total']} hoạt động: hoàn thành {total['done']} "
        f"({percent(pct(total['done'], total['total']))}); đang thực hiện {total['in_progress']}; "
        f"chậm tiến độ {total['delayed']}; chưa thực hiện {total['not_started']}; hủy "
        f"{total['cancelled']}; quá hạn chưa hoàn thành {total['overdue']}."
    ) in body_texts(doc)

    by_area = table_headed(doc, "STT", "Nội dung phối hợp", "Số hoạt động")
    areas = list(review.program.task_areas.all())
    assert len(by_area) == 1 + len(areas) + 1
    for area, line in zip(areas, by_area[1:], strict=False):
        c = counts([r for r in rows if r.area == area.number])
        assert line == [
            str(area.number),
            area.title,
            *(
                vn(c[k])
                for k in ("total", "done", "in_progress", "delayed", "not_started", "cancelled")
            ),
        ]
    assert by_area[-1][2:] == [
        vn(total[k])
        for k in ("total", "done", "in_progress", "delayed", "not_started", "cancelled")
    ]

    budget = table_headed(doc, "STT", "Nội dung phối hợp", "Dự kiến (đồng)")
    for area, line in zip(areas, budget[1:], strict=False):
        c = counts([r for r in rows if r.area == area.number])
        assert line[2:] == [
            vn(c["planned"]),
            vn(c["spent"]),
            percent(pct(c["spent"], c["planned"])),
        ]
    assert budget[-1][2:] == [
        vn(total["planned"]),
        vn(total["spent"]),
        percent(pct(total["spent"], total["planned"])),
    ]
    assert (
        f"Tổng kinh phí dự kiến {vn(total['planned'])} đồng; đã sử dụng {vn(total['spent'])} "
        f"đồng, đạt {percent(pct(total['spent'], total['planned']))}."
    ) in body_texts(doc)

    indicators = table_headed(doc, "STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch năm 2024")
    phase_years = list(review.phase1.years)
    for line, (key, target_min, target_text) in zip(
        indicators[1:], [("sum", 3, "≥ 3"), ("latest", 80, "80–100")], strict=True
    ):
        indicator = review.indicators[key]
        yearly, so_far = expected_indicator(
            review.rows, indicator, [y for y in phase_years if y <= 2024], aggregation=key
        )
        targets = [r.target for r in rows if r.indicator_id == indicator.pk]
        planned = sum(targets) if key == "sum" else max(targets)
        assert line == [
            line[0],
            f"{indicator.code}. {indicator.name}",
            indicator.unit,
            vn(planned),
            vn(yearly[2024]),
            target_text,
            vn(so_far),
            percent(pct(so_far, target_min)),
        ]

    supported = {pk for r in rows for pk in r.coop_ids}
    coops = [c for c in review.coops if c.pk in supported]
    sectors = table_headed(doc, "STT", "Ngành nghề, lĩnh vực", "Số HTX")
    assert {line[1]: line[2] for line in sectors[1:-1]} == {
        sector: vn(sum(1 for c in coops if c.sector == sector))
        for sector in {c.sector for c in coops}
    }
    assert sectors[-1][2] == vn(len(coops))
    members = sum(c.members for c in coops)
    ethnic = sum(c.ethnic_minority_members for c in coops)
    assert any(
        f"đã hỗ trợ {len(coops)} hợp tác xã với {members} thành viên, trong đó {ethnic} thành viên"
        in text
        for text in body_texts(doc)
    )

    awards = table_headed(doc, "STT", "Đối tượng được khen thưởng")
    mine = [c for c in review.commendations if c.year == 2024]
    assert [line[4] for line in awards[1:]] == [
        f"{c.decision_number}, {c.decision_date:%d/%m/%Y}" for c in mine
    ]
    assert awards[1][1].startswith(mine[0].cooperative.name)
    assert "99/QĐ-UBND" not in "".join(cell for line in awards for cell in line)


def test_phase_summary_shows_each_year_and_the_phase_total_against_the_target(review):
    doc = open_docx(generate(review, phase=review.phase1))
    years = list(review.phase1.years)
    rows = [r for r in review.rows if r.year in years]
    assert headings(doc, 1)[3] == "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ GIAI ĐOẠN 2026–2030"
    indicators = table_headed(doc, "STT", "Chỉ tiêu", "Đơn vị tính", *map(str, years))
    for line, (key, target_min, target_text) in zip(
        indicators[1:], [("sum", 3, "≥ 3"), ("latest", 80, "80–100")], strict=True
    ):
        yearly, total = expected_indicator(
            review.rows, review.indicators[key], years, aggregation=key
        )
        assert line[3 : 3 + len(years)] == [
            vn(yearly[y]) if yearly[y] is not None else "" for y in years
        ]
        assert line[3 + len(years) :] == [
            vn(total),
            target_text,
            "Đạt" if total >= target_min else "Chưa đạt",
        ]
    by_year = table_headed(doc, "Năm", "Số hoạt động", "Hoàn thành")
    for line in by_year[1:-1]:
        c = counts([r for r in rows if r.year == int(line[0])])
        assert line[1:3] == [vn(c["total"]), vn(c["done"])]
        assert line[4:6] == [vn(c["planned"]), vn(c["spent"])]
    assert by_year[-1][1] == vn(len(rows))
    awards = table_headed(doc, "STT", "Đối tượng được khen thưởng")
    assert len(awards) - 1 == len(review.commendations)


def test_a_scheme_of_one_agency_signs_beside_the_recipients_even_with_no_activity(review):
    scheme = make_program(
        title="Đề án phát triển HTX tỉnh Đồng Nai",
        kind="scheme",
        parties=[review.ethnic],
        province=review.dong_nai,
    )
    report = services.report_generate(
        program=scheme, kind="annual", year=2024, by=review.staff, today=review.today
    )
    doc = open_docx(report)
    signing = doc.tables[-1]
    assert len(signing.rows) == 1
    recipients, signature = (cell.text for cell in signing.rows[0].cells)
    assert recipients.startswith("Nơi nhận:")
    assert signature.startswith("GIÁM ĐỐC") and "SỞ DÂN TỘC" not in signature
    assert (
        "Tổng số 0 hoạt động: hoàn thành 0 (0%); đang thực hiện 0; chậm tiến độ 0; chưa thực hiện 0; hủy 0; quá hạn chưa hoàn thành 0."
        in body_texts(doc)
    )
    assert "Chưa có kế hoạch năm nào trong kỳ báo cáo." in body_texts(doc)
