from decimal import Decimal

from django.utils import translation

from core.templatetags.vn import number, vnd


def test_numbers_group_thousands_the_vietnamese_way():
    with translation.override("vi"):
        assert number(1250000) == "1.250.000"
        assert number(Decimal("2.50")) == "2,5"
        assert number(Decimal("3.00")) == "3"
        assert vnd(1250000000) == "1.250.000.000 đ"
        assert number(None) == ""


def test_english_interface_groups_with_commas():
    with translation.override("en"):
        assert number(1250000) == "1,250,000"
