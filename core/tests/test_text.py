import unicodedata

from core.text import clean_text, search_key, vi_sort_key


def test_search_key_ignores_tone_marks_and_maps_d_stroke():
    assert search_key("HTX Nông nghiệp Bù Gia Mập") == "htx nong nghiep bu gia map"
    assert search_key("Đắk Lắk") == "dak lak"


def test_search_key_is_the_same_for_nfc_and_nfd_input():
    nfd = unicodedata.normalize("NFD", "Mường Chang")
    assert nfd != "Mường Chang"
    assert search_key(nfd) == search_key("Mường Chang") == "muong chang"


def test_clean_text_normalises_to_nfc_and_collapses_spaces():
    nfd = unicodedata.normalize("NFD", "  Dệt   thổ cẩm ")
    assert clean_text(nfd) == "Dệt thổ cẩm"
    assert clean_text(None) == ""


def test_vietnamese_sort_puts_d_stroke_after_d_and_before_e():
    names = ["Yên Bái", "Đà Nẵng", "Điện Biên", "Cần Thơ", "Dương Kinh", "Ê Đê", "An Giang"]
    assert sorted(names, key=vi_sort_key) == [
        "An Giang",
        "Cần Thơ",
        "Dương Kinh",
        "Đà Nẵng",
        "Điện Biên",
        "Ê Đê",
        "Yên Bái",
    ]


def test_vietnamese_sort_orders_shaped_vowels_after_their_base():
    assert sorted(["ơ", "ô", "o", "ă", "a", "â"], key=vi_sort_key) == ["a", "ă", "â", "o", "ô", "ơ"]


def test_search_key_drops_an_apostrophe_or_hyphen_inside_a_word_only():
    assert (
        search_key("HTX dân tộc S'tiêng")
        == search_key("HTX dân tộc S’tiêng")
        == ("htx dan toc stieng")
    )
    assert search_key("M'nông Xơ-đăng") == "mnong xodang"
    # Between digits or around spaces the mark stays: years and dashes read as before.
    assert search_key("Giai đoạn 2021-2025 - tỉnh") == "giai doan 2021-2025 - tinh"
