"""The import's faster per-cell paths (issue 18) give exactly what the plain ones gave."""

import re
import unicodedata
from decimal import Decimal

import pytest

from cooperatives.importer.values import CellError, has_value, is_blank, parse_date, parse_number
from cooperatives.resources.widgets import REMEMBERED_VALUES, remembered
from core.text import clean_text, search_key

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
