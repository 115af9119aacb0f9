"""The import's column-wise shortcuts (issue 18, fifth pass) against the rules they replace:
each column read at once (`_read_column`) against the per-cell reading of `_read_row`, the
search keys of the written rows (`Cooperative.keys_of`) against `key_of` row by row, the
province's outcome remembered per distinct cells against `_import_province` itself, and the
existing codes found by a plain query against the ORM's."""

import datetime
import math

import pytest
import tablib
from django.db.models import NOT_PROVIDED

from agencies.models import Commune
from agencies.tests.factories import province
from cooperatives.importer.headers import BY_FIELD
from cooperatives.importer.layout import Layout
from cooperatives.models import Cooperative
from cooperatives.resources import CooperativeResource
from cooperatives.resources.cooperative import _UNSET, Refused, _Failed, _read_column
from cooperatives.resources.loader import CodeInstanceLoader
from cooperatives.resources.widgets import ParsingWidget, remembered
from cooperatives.services import cooperatives_import
from core.text import clean_text

from .factories import CooperativeFactory
from .files import messy_row, messy_workbook, simple_workbook
from .test_import_speed import TRICKY, _both_paths

# Every form a cell comes in, with the boundaries of the readers: numbers equal across types
# (1, 1.0, True), blanks and dashes, dates as text, as serials (the first and last accepted
# and one past each), as dates and datetimes, amounts with either decimal mark, negative and
# fractional counts, OCOP stars, yes/no words, choices and codes that lost their zero.
CELLS = [
    None,
    "",
    " ",
    "-",
    "—",
    "…",
    0,
    1,
    1.0,
    True,
    False,
    0.0,
    -1,
    2.5,
    3,
    5,
    6,
    1e20,
    math.nan,
    "1",
    "1.0",
    "x",
    "X",
    "có",
    "không",
    "chắc có",
    "3 sao",
    "4*",
    "★★★",
    "6 sao",
    "12/03/2019",
    "31/02/2019",
    "2019-03-12",
    "12-3-2019 08:30",
    18263,
    18264,
    73050,
    73051,
    43536,
    43536.0,
    datetime.date(2019, 3, 12),
    datetime.datetime(2019, 3, 12, 8, 30),
    datetime.time(8, 30),
    "1.250,5",
    "1,250.5",
    "1.250",
    "-3",
    "nhiều",
    380010001,
    "380010001",
    "3800100001",
    "3800100001-001",
    3.8001e9,
    "'=A1",
    "Khá",
    "TB",
    "Xuất sắc",
    "HTX",
    "Tổ HTX",
    "Giải thể",
    "0912345678",
    912345678,
    "  Điểu   Thị Nhung ",
    "dòng một\r\n  dòng   hai ",
]


def _per_cell(read, cells, default):
    """What `_read_row` made of each cell: its remembered reading, or its error's message, and
    the default for a blank reading."""
    cached, out = remembered(read), []
    for value in cells:
        try:
            found = cached(value)
        except ValueError as error:
            out.append(("refused", str(error)))
            continue
        except Exception as error:  # the row fails: "Lỗi không mong đợi…" on it
            out.append(("failed", type(error)))
            continue
        if default is not NOT_PROVIDED and found in (None, ""):
            found = default
        out.append((type(found), found))
    return out


def _shown(results):
    shown = []
    for r in results:
        if r.__class__ is Refused:
            shown.append(("refused", r.message))
        elif r.__class__ is _Failed:
            shown.append(("failed", type(r.error)))
        else:
            shown.append((type(r), r))
    return shown


def _same(left, right):
    # NaN is never equal to itself: compare its readings by their text.
    return [repr(x) for x in left] == [repr(x) for x in right]


@pytest.mark.parametrize("name", [f for f in CooperativeResource().fields if f != "id"])
@pytest.mark.parametrize(
    "cells",
    [CELLS, CELLS[::-1], [c for c in CELLS if isinstance(c, str) or c is None], [1, 1.0, True]],
    ids=["mixed", "reversed", "text", "equal-numbers"],
)
def test_a_column_read_at_once_reads_each_cell_as_the_row_did(name, cells):
    field = CooperativeResource().fields[name]
    if field.readonly:
        return
    read = field.widget.clean
    results, refused = _read_column(read, list(cells), field.default)
    assert _same(_shown(results), _per_cell(read, cells, field.default))
    assert refused == any(r.__class__ in (Refused, _Failed) for r in results)


def test_a_column_of_codes_takes_the_known_reading_of_text_only():
    read = CooperativeResource().fields["registration_code"].widget.clean
    known = {"1": "known one", 1: "never for a number"}
    results, _refused = _read_column(read, ["1", 1, 1.0, True, None], NOT_PROVIDED, known)
    assert results[0] == "known one"
    assert results[1:] == [read(1), read(1.0), read(True), read(None)]


def test_a_column_keeps_an_unexpected_error_and_a_cell_that_cannot_be_a_key():
    def read(value):
        if value == "boom":
            raise RuntimeError("boom")
        return value

    results, refused = _read_column(read, ["a", "boom", "a", "boom"], NOT_PROVIDED)
    assert [r.__class__ for r in results] == [str, _Failed, str, _Failed] and refused
    results, refused = _read_column(read, [["not", "hashable"], "a"], NOT_PROVIDED)
    assert results == [["not", "hashable"], "a"] and not refused


def test_the_keys_of_many_rows_are_each_rows_key():
    texts = [clean_text(t) for t in TRICKY] + ["Bù Gia Mập", "", "\u0301", "S'tiêng"]
    rows = [
        (
            texts[i % len(texts)],
            texts[(i * 3) % len(texts)],
            texts[(i * 5) % len(texts)],
            texts[(i * 7) % len(texts)],
        )
        for i in range(4 * len(texts))
    ]
    columns = [list(column) for column in zip(*rows, strict=True)]
    assert Cooperative.keys_of(*columns) == [Cooperative.key_of(*row) for row in rows]
    assert Cooperative.keys_of([], [], [], []) == []


@pytest.mark.django_db
def test_the_province_outcome_remembered_is_what_the_rule_gives(agencies_world):
    resource = CooperativeResource(default_province=province("75"))
    headers = [BY_FIELD[f].header for f in ("province", "province_as_written", "recorded_province")]
    resource.before_import(tablib.Dataset(headers=headers), dry_run=True)
    resource.layout = Layout()
    spellings = ["Tỉnh Bình Phước", "Đồng Nai", "Atlantis", "", None, 1, True, "1", "Kon Tum"]
    rows = [
        dict(zip(headers, (a, b, c), strict=True))
        for a in spellings
        for b in spellings[:4]
        for c in ("", "Bình Phước (cũ)", "Hà Nội")
    ]
    for existing in (None, 7):
        for row in rows * 2:  # the second time from memory
            remembered_values = {
                "id": existing,
                "province_id": _UNSET,
                "province_as_written": _UNSET,
            }
            direct_values = dict(remembered_values)
            problems = resource._province_outcome(remembered_values, row)
            assert problems == list(resource._import_province(direct_values, row)), row
            assert remembered_values == direct_values, row


@pytest.mark.django_db
def test_the_codes_on_file_are_found_in_batches(monkeypatch):
    monkeypatch.setattr(CodeInstanceLoader, "BATCH", 2)
    for code in ("0100000001", "0100000003", "0100000004"):
        CooperativeFactory(registration_code=code)
    wanted = {f"010000000{n}" for n in range(1, 7)} | {""}
    loader = CodeInstanceLoader(CooperativeResource())
    assert sorted(loader._on_file(wanted)) == ["0100000001", "0100000003", "0100000004"]
    assert loader._on_file(set()) == []


@pytest.mark.django_db
def test_an_unexpected_error_of_a_reader_is_reported_on_its_rows_by_both_paths(monkeypatch):
    plain = ParsingWidget.clean

    def clean(self, value, row=None, **kwargs):
        if value == "boom":
            raise RuntimeError("boom")
        return plain(self, value, row, **kwargs)

    monkeypatch.setattr(ParsingWidget, "clean", clean)
    rows = [messy_row(n, **({"Giám đốc": "boom"} if n in (2, 5) else {})) for n in range(1, 7)]
    rows[3] = messy_row(4, **{"Giám đốc": "boom", "Tổng số": "-3"})
    (row_loop, row_loop_state), (bulk, bulk_state) = _both_paths(messy_workbook(rows))
    assert bulk == row_loop and bulk_state == row_loop_state
    assert [e["row"] for e in bulk["errors"] if "không mong đợi" in e["message"]] == [
        e["row"] for e in row_loop["errors"] if "không mong đợi" in e["message"]
    ]
    assert sum("không mong đợi" in e["message"] for e in bulk["errors"]) == 3


@pytest.mark.django_db
def test_a_commune_worked_out_once_still_warns_and_places_on_every_row():
    # `_place_commune` remembers its outcome per distinct cells: each row must still get
    # its own warning, a commune code, and a record's chosen commune kept or replaced.
    chosen = Commune.objects.current().get(name="Lộc Ninh", province__code="75")
    CooperativeFactory(
        registration_code="3800100009", province=province("75"), current_commune=chosen
    )
    headers = ["Mã số HTX", "Tên HTX", "Tỉnh", "Xã/Phường", "Mã xã hiện nay"]
    rows = [
        ["3800100001", "HTX 1", "Đồng Nai", "Không Có Xã Này", None],
        ["3800100002", "HTX 2", "Đồng Nai", "Lộc Ninh", None],
        ["3800100003", "HTX 3", "Đồng Nai", "Không Có Xã Này", None],
        ["3800100004", "HTX 4", "Đồng Nai", "Lộc Ninh", None],
        ["3800100005", "HTX 5", "Đồng Nai", "", "99999"],
        ["3800100006", "HTX 6", "Đồng Nai", "", "99999"],
        ["3800100007", "HTX 7", "Đồng Nai", "Tân Thành", chosen.code],
        ["3800100008", "HTX 8", "Đồng Nai", "Tân Thành", chosen.code],
        ["3800100009", "HTX 9", "Đồng Nai", "Tân Thành", None],
    ]
    report = cooperatives_import(data=simple_workbook(headers, rows), name="ds.xlsx")
    assert report.ok, report.errors
    assert [(w.row, w.message[:12]) for w in report.warnings] == [
        (2, "Không tìm th"),
        (4, "Không tìm th"),
        (6, "Mã xã 99999 "),
        (7, "Mã xã 99999 "),
        (10, "Không rõ xã "),
    ]
    placed = dict(Cooperative.objects.values_list("registration_code", "current_commune_id"))
    assert placed["3800100002"] == placed["3800100004"] == chosen.pk
    assert placed["3800100007"] == placed["3800100008"] == chosen.pk
    assert placed["3800100001"] is None and placed["3800100005"] is None
    assert placed["3800100009"] is None  # Lộc Ninh is not a candidate for “Tân Thành”
