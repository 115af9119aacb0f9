"""The import's faster paths (issue 18) give exactly what the plain ones gave: the per-cell
readers, and the bulk import (`CooperativeResource.import_rows`, the command line and the
background jobs) against django-import-export's row loop (the admin)."""

import dataclasses
import gc
import re
import unicodedata
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from agencies.models import Membership
from agencies.tests.factories import MembershipFactory, UserFactory, province
from cooperatives.importer import read_file
from cooperatives.importer.values import CellError, has_value, is_blank, parse_date, parse_number
from cooperatives.models import Cooperative
from cooperatives.resources import CooperativeResource
from cooperatives.resources.cooperative import VALIDATED_FIELDS, passes
from cooperatives.resources.widgets import REMEMBERED_VALUES, remembered
from cooperatives.services import cooperatives_import
from core.text import clean_text, search_key

from .factories import CooperativeFactory
from .files import messy_row, messy_workbook, nfd

TRICKY = [
    None,
    "",
    "   ",
    "Bù Gia Mập",
    "  S'tiêng\t\u00a0Xơ-đăng \u2028 M’nông ",
    "Đắk\u3000Lắk",
    "e\u0301\u0323 a\u0300",  # decomposed marks
    "x\U0001d165\U0001d166y",  # combining marks beyond the Basic Multilingual Plane
    "𝒜 ạ\u200b",
    "line\r\nbreak\x1c\x1d\x1e\x1fsep",
    "S'tiêng - M’nông ' Xơ-đăng -x y- \u0301a",  # punctuation and marks at word edges
    "ΟΔΟΣ ΣΑΣ ΣΣ Σ İstanbul",  # final sigma and a capital whose lower case grows
]


def old_clean_text(value):
    if value is None:
        return ""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(value))).strip()


def old_search_key(value):
    text = unicodedata.normalize("NFD", old_clean_text(value).lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("đ", "d")
    return re.sub(r"(?<=[^\W\d_])['’ʼ‘`´\-‐](?=[^\W\d_])", "", text)


@pytest.mark.parametrize("value", TRICKY)
def test_clean_text_and_search_key_are_what_they_were(value):
    assert clean_text(value) == old_clean_text(value)
    assert search_key(value) == old_search_key(value)


def test_every_white_space_and_combining_mark_of_the_bmp_is_treated_as_before():
    text = "".join(chr(cp) for cp in range(0x20, 0x10000) if not 0xD800 <= cp <= 0xDFFF)
    assert clean_text(text) == old_clean_text(text)
    assert search_key(text) == old_search_key(text)


@pytest.mark.parametrize(
    "cells",
    [[], [None, "", " - ", "…"], [None, 0], ["", "x"], [False], ["—", "  ...  "], [" ", 0.0]],
)
def test_has_value_is_any_cell_not_blank(cells):
    assert has_value(cells) == any(not is_blank(v) for v in cells)


def test_a_remembered_reading_keeps_types_apart_and_repeats_its_errors():
    calls = []

    def counting(value):
        calls.append(value)
        return parse_number(value)

    read = remembered(counting)
    assert read(1) == Decimal(1) and str(read(1.0)) == "1.0"
    for _ in range(2):  # True is not the number 1, however Python hashes it
        with pytest.raises(CellError, match="không phải là số"):
            read(True)
    for _ in range(3):
        with pytest.raises(CellError, match="“abc” không phải là số"):
            read("abc")
    assert read("1.250") == Decimal(1250) and read("1.250") == Decimal(1250)
    assert calls == [1, 1.0, True, "abc", "1.250"], "each distinct value read once"


def test_a_remembered_reading_holds_a_bounded_number_of_values():
    calls = []
    read = remembered(lambda value: calls.append(value) or value)
    for value in range(REMEMBERED_VALUES + 10):
        read(value)
    read(REMEMBERED_VALUES + 5)  # past the bound: read again, not remembered
    read(3)
    assert len(calls) == REMEMBERED_VALUES + 11


def test_the_date_message_names_the_bad_cell():
    with pytest.raises(CellError, match="“31/02/2020” không phải ngày hợp lệ"):
        parse_date("31/02/2020")
    with pytest.raises(CellError, match="“12” không phải ngày hợp lệ"):
        parse_date(12)


# --- the bulk import (`import_rows`) against django-import-export's row loop (the admin) -----
def _messy_files() -> dict[str, bytes]:
    """Files with every kind of value, error and warning the import knows."""
    spellings = [
        "Tỉnh Bình Phước",
        "Đồng Nai",
        "Kon Tum",
        "TP. Hồ Chí Minh",
        "Hà Giang",
        "đồng nai",
    ]
    clean = [
        messy_row(
            n,
            **{
                "Mã số thuế": 380010000 + n if n % 3 == 0 else f"{3800100000 + n}",
                "Tỉnh": spellings[n % len(spellings)],
                "Xã": ["Phú Nghĩa", "Tân Thành", "Xuân Giang", "Không Có", None][n % 5],
                "Quận/huyện": ["Bù Gia Mập", None, "Quang Bình"][n % 3],
                "Ngày cấp GCN": "12/03/2019" if n % 2 else 43536,
                "Vốn điều lệ (triệu đồng)": "1.250,5" if n % 2 else 1500,
                "Số sao OCOP": [None, "3 sao", "4*", "★★★", 5][n % 5],
                "Xếp loại": ["Khá", "TB", "Tốt", None][n % 4],
                "Tổng số": 20 + n,
                "Trong đó DTTS": n % 20,
                "Giám đốc": nfd("  Điểu   Thị Nhung ") if n % 2 else "S'tiêng M’nông",
                "Ghi chú": "dòng một\r\n  dòng   hai " if n % 4 == 0 else None,
            },
        )
        for n in range(1, 41)
    ]
    bad = [
        messy_row(1),
        messy_row(2, **{"Mã số thuế": None}),
        messy_row(3, **{"Mã số thuế": "12345", "Tổng số": "-3", "Số sao OCOP": 6}),
        messy_row(4, **{"Tên hợp tác xã": None, "Tỉnh": "Atlantis"}),
        messy_row(5, **{"Ngày cấp GCN": "31/02/2019", "VietGAP": "chắc có"}),
        messy_row(6, **{"Ngày cấp GCN": "01/01/2999", "Tổng số": 10, "Trong đó DTTS": 11}),
        messy_row(7, **{"Vốn điều lệ (triệu đồng)": "nhiều", "Xếp loại": "Xuất sắc"}),
        messy_row(8, **{"Mã số thuế": "3800100001"}),  # the code of row 1 again
        messy_row(9, **{"Tên hợp tác xã": "x" * 301}),
    ]
    return {"clean": messy_workbook(clean), "bad": messy_workbook(bad)}


def _state() -> list[dict]:
    return [
        {k: v for k, v in row.items() if k not in ("id", "created_at", "updated_at")}
        for row in Cooperative.objects.order_by("registration_code").values()
    ]


def _both_paths(data: bytes, *, dry_run: bool = False, **kwargs):
    """The report and the registry after each path, both starting from the same registry."""
    outcomes = []
    for path in ("row loop", "bulk"):
        with transaction.atomic():
            dataset = read_file(data, name="ds.xlsx")
            resource = CooperativeResource(**kwargs)
            if path == "bulk":
                report = resource.import_rows(dataset, dry_run=dry_run, user=kwargs.get("user"))
            else:
                report = resource.import_data(
                    dataset,
                    dry_run=dry_run,
                    use_transactions=True,
                    rollback_on_validation_errors=True,
                ).report
            summary = dataclasses.asdict(report)
            # Not set by django-import-export's `import_data` (it keeps `dry_run` from
            # `before_import`); the admin does not read it.
            summary.pop("dry_run")
            outcomes.append((summary, _state()))
            transaction.set_rollback(True)
    return outcomes


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["clean", "bad"])
@pytest.mark.parametrize("dry_run", [False, True])
def test_the_bulk_import_gives_what_the_row_loop_gives(name, dry_run):
    # Existing records: one unchanged by the file, one changed, one with a commune chosen.
    CooperativeFactory(registration_code="3800100005", name="Tên cũ", province=province("75"))
    CooperativeFactory(
        registration_code="3800100010", name="HTX Tân Thành", province=province("75")
    )
    data = _messy_files()[name]
    (row_loop, row_loop_state), (bulk, bulk_state) = _both_paths(data, dry_run=dry_run)
    assert bulk == row_loop
    assert bulk_state == row_loop_state
    if name == "bad":
        assert len(bulk["errors"]) >= 12
    else:
        assert bulk["new"] >= 38 and bulk["updated"] == 2 and bulk["warnings"]
        assert bulk["rows"] and (dry_run or len(bulk_state) == 40)


@pytest.mark.django_db
def test_the_bulk_import_gives_what_the_row_loop_gives_when_reimported_and_scoped(
    agencies_world,
):
    data = _messy_files()["clean"]
    cooperatives_import(data=data, name="ds.xlsx")
    (row_loop, _state1), (bulk, _state2) = _both_paths(data)
    assert bulk == row_loop and bulk["unchanged"] == 40
    # A province's admin: the rows of other provinces are refused, the same way.
    admin = UserFactory(username="dong_nai_admin")
    MembershipFactory(user=admin, agency=agencies_world.ethnic, role=Membership.Role.ADMIN)
    scoped = _both_paths(data, user=admin, default_province=province("75"))
    assert scoped[0] == scoped[1] and scoped[1][0]["errors"]


@pytest.mark.parametrize("field", VALIDATED_FIELDS, ids=lambda f: f.name)
def test_the_compiled_test_of_a_field_agrees_with_its_validators(field):
    # `passes` stands in for `run_validators` on every value of the import: it may never let
    # through a value the validators refuse, nor refuse one they let through.
    test = passes(field)
    assert test is not None
    if field.get_internal_type() == "CharField":
        limit = field.max_length
        values = ["x", "0100000001", "0100000001-001", "01000000011", "010000000a", "x" * limit]
        values += ["x" * (limit + 1), "\n0100000001", "0100000001\n", "٠١٠٠٠٠٠٠٠١"]
    else:
        values = [-1, 0, 2, 3, 5, 6, 10**12, 2**63 - 1, 2**63]
    for value in values:
        try:
            field.run_validators(value)
        except ValidationError:
            assert not test(value), value
        else:
            assert test(value), value


def test_a_field_with_another_kind_of_validator_has_no_compiled_test():
    field = Cooperative._meta.get_field("name").clone()
    field.validators.append(lambda value: None)
    assert passes(field) is None


@pytest.mark.parametrize("name", TRICKY)
def test_the_key_made_part_by_part_is_the_key_of_the_parts_joined(name):
    parts = [clean_text(name), "Bù Gia Mập", "", clean_text(TRICKY[4])]
    for commune, district, representative in [parts[1:], parts[:0:-1], ["", "", ""]]:
        joined = f"{parts[0]} {commune} {district} {representative}"
        assert Cooperative.key_of(parts[0], commune, district, representative) == search_key(joined)


@pytest.mark.django_db
def test_the_cycle_collector_is_paused_only_while_a_file_is_imported():
    # The import pauses Python's cycle collector (issue 18, fifth pass) and must restore it
    # whatever happens: after a good file, a file it cannot read, and an exception.
    seen = []
    data = _messy_files()["clean"]
    report = cooperatives_import(
        data=data, name="ds.xlsx", progress=lambda done, total: seen.append(gc.isenabled())
    )
    assert report.ok and seen and not any(seen)
    assert gc.isenabled()
    assert not cooperatives_import(data=b"not a workbook", name="ds.xlsx").ok
    assert gc.isenabled()

    def fail(done, total):
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        cooperatives_import(data=data, name="ds.xlsx", progress=fail)
    assert gc.isenabled()
    gc.disable()  # and it does not turn on a collector that was off before
    try:
        cooperatives_import(data=data, name="ds.xlsx", dry_run=True)
        assert not gc.isenabled()
    finally:
        gc.enable()
