import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from agencies.models import Province

from .factories import province

pytestmark = pytest.mark.django_db


def test_reference_data_has_34_current_and_63_old_units():
    assert Province.objects.current().count() == 34
    assert Province.objects.valid_on(datetime.date(2025, 6, 30)).count() == 63
    assert Province.objects.valid_on(datetime.date(2025, 7, 1)).count() == 34


@pytest.mark.parametrize(
    ("old_name", "current_name"),
    [
        ("Kiên Giang", "An Giang"),
        ("Bình Phước", "Đồng Nai"),
        ("Hà Giang", "Tuyên Quang"),
        ("Kon Tum", "Quảng Ngãi"),
        ("Bà Rịa - Vũng Tàu", "Hồ Chí Minh"),
    ],
)
def test_old_province_rolls_up_into_its_successor(old_name, current_name):
    old = Province.objects.former().get(name=old_name)
    current = Province.objects.current().get(name=current_name)
    assert old.current_unit() == current
    assert old in Province.objects.rolling_up_into(current)


def test_roll_up_of_new_an_giang_is_exactly_its_two_old_units_and_itself():
    an_giang = province("91")
    names = sorted(p.label for p in Province.objects.rolling_up_into(an_giang))
    assert names == ["An Giang", "An Giang (cũ)", "Kiên Giang (cũ)"]


def test_unchanged_province_is_one_unit_that_never_ended():
    son_la = Province.objects.get(code="14")
    assert son_la.is_current and son_la.valid_from is None
    assert list(Province.objects.rolling_up_into(son_la)) == [son_la]


def test_same_code_names_two_units_told_apart_by_validity():
    """Old Quảng Bình 44 and new Quảng Trị 44 share a code."""
    units = Province.objects.filter(code="44")
    assert {(u.name, u.is_current) for u in units} == {("Quảng Bình", False), ("Quảng Trị", True)}


def test_names_match_with_prefix_tone_marks_and_former_names():
    assert Province.objects.matching_name("Tỉnh Kon Tum").get().name == "Kon Tum"
    assert Province.objects.matching_name("tp. ho chi minh").current().get().code == "79"
    assert Province.objects.matching_name("Thừa Thiên Huế").get().name == "Huế"
    assert Province.objects.matching_name("BÀ RỊA VŨNG TÀU").get().code == "77"


def test_a_current_unit_cannot_have_a_successor():
    unit = province("14")
    unit.successor = province("01")
    with pytest.raises(ValidationError) as error:
        unit.full_clean()
    assert error.value.message_dict == {
        "successor": ["Chỉ đơn vị đã hết hiệu lực mới có đơn vị kế thừa."]
    }
    with pytest.raises(IntegrityError):
        unit.save()


def test_two_current_units_cannot_share_code_and_start():
    with pytest.raises(IntegrityError):
        Province.objects.create(
            code="91", name="Trùng", kind="province", valid_from=datetime.date(2025, 7, 1)
        )
