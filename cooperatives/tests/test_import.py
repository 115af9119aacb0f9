"""Importing the provinces' lists as they really are, through `cooperatives_import`."""

import datetime
import unicodedata
from decimal import Decimal

import pytest

from agencies.tests.factories import province
from cooperatives.importer import values
from cooperatives.importer.headers import COLUMNS
from cooperatives.models import Cooperative
from cooperatives.resources.writes import COMPARED_FIELDS
from cooperatives.services import cooperatives_export, cooperatives_import

from .factories import CooperativeFactory
from .files import MESSY_COLUMNS, csv_bytes, messy_row, messy_workbook, nfd, simple_workbook

pytestmark = pytest.mark.django_db


def run(data: bytes, name: str = "danh-sach.xlsx", **kwargs):
    return cooperatives_import(data=data, name=name, **kwargs)


def one_column(header, value, *, group=None):
    """A file with the code, the name, a province and one more column."""
    if group:
        return messy_workbook(
            [["3800100001", "HTX Một", "Đồng Nai", value, ""]],
            columns=[
                (None, "Mã số HTX"),
                (None, "Tên HTX"),
                (None, "Tỉnh"),
                (group, header),
                (group, "Cột khác"),
            ],
            title=False,
            footer=False,
        )
    return simple_workbook(
        ["Mã số HTX", "Tên HTX", "Tỉnh", header], [["3800100001", "HTX Một", "Đồng Nai", value]]
    )


# A value written the provinces' way for every field, and what it becomes.
EXAMPLES = {
    "registration_code": ("0101234567", "0101234567"),
    "name": ("HTX Dệt thổ cẩm Mường Chang", "HTX Dệt thổ cẩm Mường Chang"),
    "kind": ("Tổ hợp tác", "group"),
    "province": ("Tỉnh Kon Tum", "51"),
    "province_as_written": ("Bình Phước", "Bình Phước"),
    # The former unit a record stays filed under, as the export labels it (issue 15).
    "recorded_province": ("Bình Phước (cũ)", "70"),
    "district": ("Quang Bình", "Quang Bình"),
    "commune": ("Xuân Giang", "Xuân Giang"),
    # Today's commune by its code (Phường Trị An, Đồng Nai, a xã until 30/4/2026); its name column is export-only.
    "current_commune": ("26170", "26170"),
    "current_commune_name": ("Phường Trị An", ""),
    "address": ("Thôn Chang", "Thôn Chang"),
    "established_on": ("05/09/2016", datetime.date(2016, 9, 5)),
    "representative": ("Hoàng Thị Chang", "Hoàng Thị Chang"),
    "phone": ("0912 345 678", "0912 345 678"),
    "members": ("1.250", 1250),
    "ethnic_minority_members": ("24", 24),
    "sector": ("Dệt thổ cẩm", "Dệt thổ cẩm"),
    "charter_capital": ("1.250.000.000", 1_250_000_000),
    "revenue": ("3,400,000,000", 3_400_000_000),
    "rating": ("Trung bình", "average"),
    "ocop_stars": ("4 sao", 4),
    "ocop_products": ("Khăn thổ cẩm", "Khăn thổ cẩm"),
    "vietgap": ("x", True),
    "organic": ("có", True),
    "high_tech": ("1", True),
    "digital_transformation": ("✓", True),
    "ecommerce": ("X", True),
    "in_ethnic_minority_area": ("Có", True),
    "status": ("Đã giải thể", "dissolved"),
    "notes": ("Được hỗ trợ năm 2023", "Được hỗ trợ năm 2023"),
}
ALIASES = [
    (column.field, alias)
    for column in COLUMNS
    for alias in (column.header, *column.aliases)
    if column.field not in {"registration_code", "name", "province"}
]


def stored(coop, field):
    if field == "current_commune_name":
        return ""  # read for the header, not imported: the code says which commune
    if field == "recorded_province":
        return coop.province.code
    value = getattr(coop, field)
    return value.code if field in ("province", "current_commune") else value


@pytest.mark.parametrize(("field", "alias"), ALIASES, ids=[a for _f, a in ALIASES])
def test_every_header_alias_is_recognised(field, alias):
    raw, expected = EXAMPLES[field]
    group, _sep, header = alias.rpartition(" > ")
    # Written in capitals and with odd spacing: the match ignores both.
    header = "  ".join(header.upper().split(" "))
    report = run(one_column(header, raw, group=group or None))
    assert report.ok, report.errors
    assert stored(Cooperative.objects.get(), field) == expected


@pytest.mark.parametrize(
    "headers",
    [
        ["Mã số thuế", "Tên hợp tác xã", "Tỉnh/TP"],
        ["MST", "Tên đơn vị", "Tỉnh/thành phố"],
        ["Mã số doanh nghiệp", "TEN HTX", "tinh"],
        ["Mã HTX (*)", "Tên HTX:", "Tỉnh, thành phố"],
    ],
)
def test_code_name_and_province_aliases_without_tone_marks_or_case(headers):
    report = run(simple_workbook(headers, [["3800100001", "HTX Một", "Bình Phước"]]))
    assert report.ok, report.errors
    coop = Cooperative.objects.get()
    assert (coop.registration_code, coop.name, coop.province) == (
        "3800100001",
        "HTX Một",
        province("75"),
    )


def test_messy_provincial_file_imports_every_value():
    rows = [messy_row(1), messy_row(2, **{"Tỉnh": "Kon Tum", "Mã số thuế": 101234567})]
    report = run(messy_workbook(rows))
    assert report.ok, report.errors
    assert (report.new, report.updated, report.unchanged) == (2, 0, 0)
    # A totals row, a blank row and the two signature lines are not cooperatives.
    assert report.skipped == 4
    assert report.layout.header_rows == (4, 5)
    assert [c.header for c in report.layout.ignored] == ["STT", "Mã bưu chính"]
    first = Cooperative.objects.get(registration_code="3800100001")
    assert first.province == province("75") and first.province_as_written == "Tỉnh Bình Phước"
    assert first.commune == "Phú Nghĩa" and first.district == "Bù Gia Mập"
    assert first.members == 30 and first.ethnic_minority_members == 12
    assert first.charter_capital == 1_250_500_000  # 1.250,5 triệu đồng
    assert first.revenue == 2_500_000_000  # 2,5 tỷ đồng
    assert first.established_on == datetime.date(2019, 3, 12)
    assert first.ocop_stars == 3 and first.rating == "fair"
    assert (first.vietgap, first.organic, first.high_tech) == (True, False, True)
    assert (first.digital_transformation, first.ecommerce) == (False, True)
    assert first.in_ethnic_minority_area is True
    second = Cooperative.objects.get(registration_code="0101234567")
    assert second.province == province("51") and second.province_as_written == "Kon Tum"


def header_file(header, values):
    return simple_workbook(
        ["Mã số HTX", "Tên HTX", "Tỉnh", header],
        [[f"38001000{i:02d}", f"HTX {i}", "Đồng Nai", v] for i, v in enumerate(values)],
    )


def imported(field):
    return [getattr(c, field) for c in Cooperative.objects.order_by("registration_code")]


@pytest.mark.parametrize(
    ("header", "values", "expected"),
    [
        ("Vốn điều lệ (đồng)", ["1.250.000", "1,250,000", 1250000, 1250000.0], [1_250_000] * 4),
        ("Vốn điều lệ (nghìn đồng)", ["1.250", 1250], [1_250_000] * 2),
        (
            "Vốn điều lệ (triệu đồng)",
            ["1.250,5", "1250,5", 1250.5, "1,5"],
            [1_250_500_000] * 3 + [1_500_000],
        ),
        ("Vốn điều lệ (Tr.đ)", ["2"], [2_000_000]),
        (
            "Doanh thu (tỷ đồng)",
            ["2,5", 0.75, "1.250,25"],
            [2_500_000_000, 750_000_000, 1_250_250_000_000],
        ),
        ("Doanh thu", ["1 250 000 đ", "-", None], [1_250_000, None, None]),
    ],
)
def test_units_in_the_header_scale_numbers_written_every_way(header, values, expected):
    report = run(header_file(header, values))
    assert report.ok, report.errors
    field = "charter_capital" if header.startswith("Vốn") else "revenue"
    assert imported(field) == expected


def test_dates_in_every_form():
    values = [
        datetime.datetime(2019, 3, 12),
        "12/03/2019",
        "2/3/2019",
        "12-03-2019",
        "12.03.2019",
        43536,
    ]
    report = run(header_file("Ngày thành lập", values))
    assert report.ok, report.errors
    assert imported("established_on") == [
        datetime.date(2019, 3, 12),
        datetime.date(2019, 3, 12),
        datetime.date(2019, 3, 2),
        datetime.date(2019, 3, 12),
        datetime.date(2019, 3, 12),
        datetime.date(2019, 3, 12),
    ]


def test_yes_no_in_every_form():
    yes = ["x", "X", "có", "Có", 1, "✓"]
    no = [None, "không", 0, "Không"]
    report = run(header_file("VietGAP", yes + no))
    assert report.ok, report.errors
    assert imported("vietgap") == [True] * len(yes) + [False] * len(no)


def test_ocop_stars_in_every_form():
    report = run(header_file("Số sao OCOP", [3, "3 sao", "4*", "★★★", "5★", None]))
    assert report.ok, report.errors
    assert imported("ocop_stars") == [3, 3, 4, 3, 5, None]


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Kon Tum", "51"),
        ("Tỉnh Kiên Giang", "91"),
        ("TP. Hồ Chí Minh", "79"),
        ("Thành phố Cần Thơ", "92"),
        ("Bình Dương", "79"),
        ("tinh ha giang", "08"),
        ("TP.HCM", "79"),
        ("Quảng Ngãi", "51"),
    ],
)
def test_old_and_new_province_names_map_to_todays_unit_and_keep_the_name(written, code):
    report = run(
        simple_workbook(["Mã số HTX", "Tên HTX", "Tỉnh/TP"], [["3800100001", "HTX", written]])
    )
    assert report.ok, report.errors
    coop = Cooperative.objects.get()
    assert coop.province == province(code)
    assert coop.province_as_written == written


def test_nfd_text_is_stored_nfc_and_found_without_tone_marks():
    name = "HTX Nông nghiệp Bù Gia Mập"
    report = run(
        simple_workbook(
            ["Mã số HTX", nfd("Tên HTX"), "Tỉnh"], [["3800100001", nfd(name), nfd("Bình Phước")]]
        )
    )
    assert report.ok, report.errors
    coop = Cooperative.objects.get()
    assert coop.name == unicodedata.normalize("NFC", name)
    assert coop.province_as_written == "Bình Phước"
    assert Cooperative.objects.search("bu gia map").get() == coop


def test_codes_that_excel_turned_into_numbers_get_their_leading_zero_back():
    report = run(
        simple_workbook(
            ["Mã số HTX", "Tên HTX", "Tỉnh", "SĐT"],
            [
                [101234567, "HTX A", "Hà Nội", 912345678],
                ["0101234568-001", "HTX B", "Hà Nội", None],
            ],
        )
    )
    assert report.ok, report.errors
    assert imported("registration_code") == ["0101234567", "0101234568-001"]
    assert imported("phone") == ["0912345678", ""]


def test_header_found_below_title_rows_on_a_sheet_that_does_not_start_at_a1():
    report = run(
        simple_workbook(
            ["Mã HTX", "Tên HTX", "Tỉnh"], [["3800100001", "HTX A", "Đồng Nai"]], start_cell="C7"
        )
    )
    assert report.ok, report.errors
    assert report.layout.header_rows == (7,)
    assert [c.letter for c in report.layout.columns] == ["C", "D", "E"]


def test_same_file_read_with_openpyxl_gives_the_same_result():
    data = messy_workbook([messy_row(1), messy_row(2)])
    calamine = run(data, dry_run=True)
    openpyxl = run(data, dry_run=True, engine="openpyxl")
    assert calamine.summary == openpyxl.summary == "new=2 updated=0 unchanged=0 skipped=4 errors=0"


@pytest.mark.parametrize("bom", [True, False])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_in_utf8_with_or_without_bom(bom, delimiter):
    data = csv_bytes(
        ["Mã số HTX", "Tên HTX", "Tỉnh", "Vốn điều lệ (triệu đồng)", "Ngày thành lập"],
        [["101234567", "HTX Thổ cẩm", "Hà Giang", "1.250,5", "05/09/2016"]],
        bom=bom,
        delimiter=delimiter,
    )
    report = run(data, name="danh-sach.csv")
    assert report.ok, report.errors
    coop = Cooperative.objects.get()
    assert coop.registration_code == "0101234567"
    assert coop.charter_capital == 1_250_500_000
    assert coop.province == province("08")


def test_totals_blank_rows_and_signature_are_skipped_not_imported():
    data = messy_workbook(
        [
            messy_row(1),
            [None] * len(MESSY_COLUMNS),
            [None, None, "I. HUYỆN BÙ ĐĂNG"],
            messy_row(2),
            ["", "", "Cộng huyện Bù Đăng", None, None, None, None, None, None, None, 60, 24],
            messy_row(3),
        ]
    )
    report = run(data)
    assert report.ok, report.errors
    assert report.new == 3
    assert report.skipped == 3 + 4  # the blank, heading and subtotal rows + totals and signature
    assert not Cooperative.objects.filter(name__icontains="Cộng").exists()


# --- all or nothing -----------------------------------------------------------------------
def test_a_file_with_one_error_writes_nothing_and_says_where():
    CooperativeFactory(registration_code="3800100002", name="Tên cũ")
    rows = [
        messy_row(1),
        messy_row(2, **{"Tên hợp tác xã": "Tên mới"}),
        messy_row(3, **{"Trong đó DTTS": 31}),
    ]
    report = run(messy_workbook(rows))
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(8, "L “Số thành viên › Trong đó DTTS”")]
    assert "DTTS" in report.errors[0].message
    assert Cooperative.objects.count() == 1
    assert Cooperative.objects.get().name == "Tên cũ"


@pytest.mark.parametrize(
    ("overrides", "column", "words"),
    [
        ({"Mã số thuế": None}, "B", "Thiếu mã số"),
        ({"Mã số thuế": "12345"}, "B", "10 chữ số"),
        ({"Tên hợp tác xã": None}, "C", "Thiếu tên"),
        ({"Tỉnh": "Atlantis"}, "F", "Không nhận ra tỉnh"),
        ({"Ngày cấp GCN": "31/02/2019"}, "H", "ngày hợp lệ"),
        ({"Ngày cấp GCN": "01/01/2999"}, "H", "sau ngày hôm nay"),
        ({"Tổng số": "-3"}, "K", "nguyên không âm"),
        ({"Tổng số": 10, "Trong đó DTTS": 11}, "L", "không được lớn hơn"),
        ({"Vốn điều lệ (triệu đồng)": "nhiều"}, "N", "không phải là số"),
        ({"Số sao OCOP": "2 sao"}, "Q", "3 đến 5"),
        ({"Số sao OCOP": 6}, "Q", "3 đến 5"),
        ({"VietGAP": "chắc có"}, "R", "có/không"),
        ({"Xếp loại": "Xuất sắc"}, "P", "không có trong danh sách"),
        # A number no column can hold, refused at once (it used to become an integer of a
        # billion digits: the import ran for minutes).
        ({"Tổng số": "1e999999999"}, "K", "quá lớn"),
        ({"Vốn điều lệ (triệu đồng)": "1e999999999"}, "N", "quá lớn"),
        ({"Vốn điều lệ (triệu đồng)": "12.345.678.901.234.567.890"}, "N", "quá lớn"),
        ({"Mã số thuế": "1e999999999"}, "B", "10 chữ số"),
    ],
)
def test_each_check_gives_a_vietnamese_message_at_its_row_and_column(overrides, column, words):
    report = run(messy_workbook([messy_row(1), messy_row(2, **overrides)]))
    assert len(report.errors) == 1, report.errors
    error = report.errors[0]
    assert error.row == 7 and error.column.startswith(column + " ")
    assert words in error.message
    assert not Cooperative.objects.exists()


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_not_a_number_or_infinity_is_refused_with_a_message_not_an_exception(value):
    for parse in (values.parse_number, values.parse_amount, values.parse_count):
        with pytest.raises(values.CellError, match="không phải là số"):
            parse(value)
    # The code and the phone keep the cell's text, which the column's own check refuses.
    assert values.parse_code(value) == str(value)
    assert values.parse_phone(value) == str(value)


def test_the_largest_amount_a_column_holds_is_still_read():
    assert values.parse_amount("9.223.372.036.854.775.807") == 9_223_372_036_854_775_807
    assert values.parse_amount("0") == 0 and values.parse_count(0.0) == 0
    for too_large in (1e19, "10.000.000.000.000.000.000", "1e25"):
        with pytest.raises(values.CellError, match="quá lớn"):
            values.parse_amount(too_large)
    # Within reason as written, not once in đồng (a 'tỷ đồng' column multiplies by 10^9).
    with pytest.raises(values.CellError, match="quá lớn"):
        values.parse_amount("99.999.999.999.999", Decimal(10) ** 9)


def test_the_same_code_twice_in_a_file_is_an_error():
    report = run(
        messy_workbook([messy_row(1), messy_row(2), messy_row(3, **{"Mã số thuế": "3800100001"})])
    )
    assert [(e.row, e.message) for e in report.errors] == [
        (8, "Mã số 3800100001 trùng với dòng 6.")
    ]
    assert not Cooperative.objects.exists()


def test_missing_province_uses_the_default_or_is_an_error():
    data = simple_workbook(["Mã số HTX", "Tên HTX"], [["3800100001", "HTX A"]])
    report = run(data)
    assert [e.message for e in report.errors] == ["Thiếu tỉnh, thành phố."]
    report = run(data, default_province=province("75"))
    assert report.ok and Cooperative.objects.get().province == province("75")


def test_reimporting_the_same_file_changes_nothing():
    data = messy_workbook([messy_row(i) for i in range(1, 6)])
    assert run(data).summary == "new=5 updated=0 unchanged=0 skipped=4 errors=0"
    before = list(Cooperative.objects.values_list("pk", "updated_at").order_by("pk"))
    assert run(data).summary == "new=0 updated=0 unchanged=5 skipped=4 errors=0"
    assert list(Cooperative.objects.values_list("pk", "updated_at").order_by("pk")) == before


def test_a_changed_row_is_updated_in_place():
    run(messy_workbook([messy_row(1), messy_row(2)]))
    report = run(messy_workbook([messy_row(1), messy_row(2, **{"Tổng số": 45})]))
    assert report.summary == "new=0 updated=1 unchanged=1 skipped=4 errors=0"
    coop = Cooperative.objects.get(registration_code="3800100002")
    assert coop.members == 45
    assert Cooperative.objects.search("nong nghiep so 2").get() == coop


def test_dry_run_writes_nothing_but_counts_the_same():
    data = messy_workbook([messy_row(1), messy_row(2)])
    assert run(data, dry_run=True).summary == "new=2 updated=0 unchanged=0 skipped=4 errors=0"
    assert not Cooperative.objects.exists()


def test_export_then_import_is_all_unchanged_even_with_formula_like_text():
    CooperativeFactory(
        name='=HYPERLINK("http://x")',
        representative="+84 912 345 678",
        address="-Thôn 3",
        sector="@Nông nghiệp",
        notes="\tdòng một\ndòng hai",
        province=province("75"),
        province_as_written="Bình Phước",
        established_on=datetime.date(2017, 6, 12),
        charter_capital=1_250_000_000,
        ocop_stars=4,
        vietgap=True,
        rating="good",
    )
    CooperativeFactory(
        province=province("51"),
        province_as_written="Kon Tum",
        members=None,
        ethnic_minority_members=None,
    )
    CooperativeFactory(province=province("79"), registration_code="0301234567-001")
    data = cooperatives_export(queryset=Cooperative.objects.all())
    report = run(data, name="xuat.xlsx")
    assert report.summary == "new=0 updated=0 unchanged=3 skipped=0 errors=0", report.errors


def test_every_kind_of_value_is_written_as_it_was_read_new_and_changed():
    """What the import writes reads back as the record it came from, new rows and changed
    ones: text holding the characters the database's bulk formats escape (a backslash, `\\N`,
    a tab, line breaks), blanks and missing numbers, flags, dates, a former province. On
    PostgreSQL new rows go by COPY and changed ones through a staged UPDATE; CI runs this on
    both databases."""
    fields = COMPARED_FIELDS
    original = CooperativeFactory(
        name="HTX \\N “Một” C:\\thư mục",
        representative="Điểu\\Thị Nhung",
        address="Thôn 3\\t, xã Phú Nghĩa",
        notes="\tdòng một\ndòng hai \\n\n\nđoạn ba",
        province=province("75"),
        province_as_written="Bình Phước",
        established_on=datetime.date(2017, 6, 12),
        members=None,
        ethnic_minority_members=None,
        charter_capital=1_250_000_000,
        revenue=0,
        ocop_stars=4,
        vietgap=True,
        organic=False,
        rating="good",
    )
    written = Cooperative.objects.values(*fields).get()
    data = cooperatives_export(queryset=Cooperative.objects.all())
    Cooperative.objects.all().delete()
    assert run(data, name="xuat.xlsx").summary == "new=1 updated=0 unchanged=0 skipped=0 errors=0"
    assert Cooperative.objects.values(*fields).get() == written
    Cooperative.objects.update(
        name="Khác", notes="", members=3, established_on=None, vietgap=False, ocop_stars=None
    )
    report = run(data, name="xuat.xlsx")
    assert report.summary == "new=0 updated=1 unchanged=0 skipped=0 errors=0", report.errors
    assert Cooperative.objects.values(*fields).get() == written
    coop = Cooperative.objects.get()
    assert coop.search_key == Cooperative.key_of(
        original.name, original.commune, original.district, original.representative
    )
    assert coop.created_at <= coop.updated_at


def test_check_first_counts_and_writes_as_the_one_transaction_path():
    """The background jobs' path (rows checked outside a transaction, then written in one)
    gives the same reports and rows as the command's path."""
    first = messy_workbook([messy_row(1), messy_row(2), messy_row(3)])
    changed = messy_workbook([messy_row(1), messy_row(2, **{"Tổng số": 45}), messy_row(4)])
    seen = []
    report = run(first, dry_run=True, check_first=True, progress=lambda d, t: seen.append((d, t)))
    assert report.summary == "new=3 updated=0 unchanged=0 skipped=4 errors=0" and report.dry_run
    assert not Cooperative.objects.exists() and seen[-1] == (3, 3)
    assert run(first, check_first=True).summary == report.summary
    rows = list(Cooperative.objects.order_by("registration_code").values())
    assert len(rows) == 3 and rows[0]["search_key"] and rows[0]["created_at"]
    report = run(changed, check_first=True)
    assert report.summary == "new=1 updated=1 unchanged=1 skipped=4 errors=0"
    assert Cooperative.objects.get(registration_code="3800100002").members == 45
    assert run(changed, check_first=True).summary.startswith("new=0 updated=0 unchanged=3")


def test_check_first_with_an_error_writes_nothing():
    data = messy_workbook([messy_row(1), messy_row(2, **{"Số sao OCOP": "9"})])
    report = run(data, check_first=True)
    assert report.error_count == 1 and not report.ok
    assert not Cooperative.objects.exists()


def test_check_first_rolls_back_when_the_write_fails():
    """A row written by someone else between the check and the write (the same code) makes
    the write fail: nothing of the file is written and the report says so."""
    data = messy_workbook([messy_row(1), messy_row(2)])

    def someone_else_writes(rows: int) -> None:
        assert rows == 2
        CooperativeFactory(registration_code="3800100002", province=province("75"))

    report = run(data, check_first=True, before_write=someone_else_writes)
    assert not report.ok and "Không ghi được dữ liệu" in report.errors[0].message
    assert list(Cooperative.objects.values_list("registration_code", flat=True)) == ["3800100002"]


def test_the_report_as_json_keeps_the_first_errors_and_their_count():
    data = messy_workbook([messy_row(n, **{"Số sao OCOP": "9"}) for n in range(1, 6)])
    summary = run(data, dry_run=True).as_json(max_errors=2)
    assert summary["error_count"] == 5 and len(summary["errors"]) == 2 and not summary["ok"]
    assert summary["errors"][0] == {
        "row": 6,
        "column": "Q “Số sao OCOP”",
        "message": "“9”: hạng OCOP phải từ 3 đến 5 sao.",
    }
    assert "Mã bưu chính" in [column["header"] for column in summary["layout"]["ignored"]]
    assert isinstance(summary["errors"][0]["message"], str)


def test_a_libreoffice_ods_file_is_read_like_an_xlsx():
    from .files import ods_workbook

    data = ods_workbook(["Mã số HTX", "Tên HTX", "Tỉnh"], [["3800100001", "HTX Một", "Đồng Nai"]])
    report = run(data, name="danh-sach.ods")
    assert report.ok, report.errors
    coop = Cooperative.objects.get()
    assert (coop.registration_code, coop.name) == ("3800100001", "HTX Một")


def test_an_excel_97_2003_xls_file_is_read_like_an_xlsx():
    from .files import xls_workbook

    data = xls_workbook(["Mã số HTX", "Tên HTX", "Tỉnh"], [["3800100001", "HTX Một", "Đồng Nai"]])
    report = run(data, name="DANH SACH.XLS")
    assert report.ok, report.errors
    coop = Cooperative.objects.get()
    assert (coop.registration_code, coop.name) == ("3800100001", "HTX Một")
