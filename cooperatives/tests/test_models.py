import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agencies.tests.factories import province
from cooperatives.models import Cooperative

from .factories import CooperativeFactory

pytestmark = pytest.mark.django_db


def test_more_ethnic_minority_members_than_members_is_refused():
    coop = CooperativeFactory.build(members=10, ethnic_minority_members=11)
    with pytest.raises(ValidationError) as error:
        coop.full_clean()
    assert error.value.message_dict == {
        "ethnic_minority_members": ["Số thành viên DTTS không được lớn hơn tổng số thành viên."]
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        coop.save()


@pytest.mark.parametrize("stars", [2, 6])
def test_ocop_stars_outside_3_to_5_are_refused(stars):
    coop = CooperativeFactory.build(ocop_stars=stars)
    with pytest.raises(ValidationError) as error:
        coop.full_clean()
    assert list(error.value.error_dict) == ["ocop_stars"]
    assert [e.code for e in error.value.error_dict["ocop_stars"]] == [
        "min_value" if stars < 3 else "max_value"
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        coop.save()


def test_registration_code_is_unique_and_ten_digits():
    CooperativeFactory(registration_code="0101234567")
    with pytest.raises(IntegrityError), transaction.atomic():
        CooperativeFactory(registration_code="0101234567")
    with pytest.raises(ValidationError) as error:
        CooperativeFactory.build(registration_code="12345").full_clean()
    assert error.value.message_dict == {
        "registration_code": ["Mã số HTX gồm 10 chữ số, có thể thêm đuôi chi nhánh như -001."]
    }
    CooperativeFactory.build(registration_code="0101234567-001").full_clean(validate_unique=False)


def test_name_is_stored_nfc_and_found_without_tone_marks():
    CooperativeFactory(name=unicodedata.normalize("NFD", "HTX Nông nghiệp Bù Gia Mập"))
    coop = Cooperative.objects.search("bu gia map").get()
    assert coop.name == unicodedata.normalize("NFC", "HTX Nông nghiệp Bù Gia Mập")


def test_new_province_includes_cooperatives_recorded_under_old_units():
    CooperativeFactory(province=province("70", current=False))
    CooperativeFactory(province=province("75"))
    CooperativeFactory(province=province("51"))
    assert Cooperative.objects.in_province(province("75")).count() == 2
