import pytest

from agencies.models import Province
from core.db import vi_order

pytestmark = pytest.mark.django_db


def test_database_orders_names_in_vietnamese_order():
    names = list(
        Province.objects.current()
        .filter(name__in=["Yên Bái", "Đà Nẵng", "Điện Biên", "Cần Thơ", "An Giang", "Gia Lai"])
        .order_by(vi_order("name"))
        .values_list("name", flat=True)
    )
    assert names == ["An Giang", "Cần Thơ", "Đà Nẵng", "Điện Biên", "Gia Lai"]


def test_descending_vietnamese_order():
    names = list(
        Province.objects.current()
        .filter(name__in=["Đắk Lắk", "Đồng Nai", "Cà Mau"])
        .order_by(vi_order("name", descending=True))
        .values_list("name", flat=True)
    )
    assert names == ["Đồng Nai", "Đắk Lắk", "Cà Mau"]
