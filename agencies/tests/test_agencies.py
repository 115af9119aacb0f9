import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from agencies.access import access_for
from agencies.models import Agency

from .factories import AgencyFactory, MembershipFactory, province

pytestmark = pytest.mark.django_db


def test_central_agencies_are_preloaded_with_ubdt_succeeded_by_the_ministry():
    ubdt = Agency.objects.get(short_name="UBDT")
    assert not ubdt.active
    assert ubdt.successor.name == "Bộ Dân tộc và Tôn giáo"
    assert Agency.objects.central().active().filter(name="Liên minh Hợp tác xã Việt Nam").exists()


def test_provincial_agency_without_province_is_refused():
    agency = Agency(name="Ban Dân tộc", kind="ethnic_affairs", level="provincial")
    with pytest.raises(ValidationError) as error:
        agency.full_clean()
    assert error.value.message_dict == {
        "province": ["Cơ quan cấp tỉnh phải gắn với một tỉnh, thành phố."]
    }
    with pytest.raises(IntegrityError):
        agency.save()


def test_central_agency_with_province_is_refused():
    agency = Agency(name="Bộ X", kind="other", level="central", province=province("01"))
    with pytest.raises(ValidationError) as error:
        agency.full_clean()
    assert error.value.message_dict == {
        "province": ["Cơ quan trung ương không gắn với tỉnh, thành phố."]
    }


def test_agency_search_ignores_tone_marks_and_d_stroke():
    AgencyFactory(name="Liên minh Hợp tác xã tỉnh Đắk Lắk", province=province("66"))
    assert Agency.objects.search("lien minh hop tac xa tinh dak lak").count() == 1


def test_access_includes_predecessor_agencies_and_provinces(agencies_world):
    w = agencies_world
    access = access_for(w.manager)
    assert {w.ethnic.pk, w.ethnic_old.pk} <= access.agency_ids
    assert w.ethnic_old.pk in access.manager_agency_ids
    assert {w.dong_nai.pk, w.binh_phuoc.pk} <= access.province_ids
    assert not access.reads_everything


def test_central_manager_reads_everything_but_central_staff_does_not(agencies_world):
    assert access_for(agencies_world.central_manager).reads_everything
    staff = MembershipFactory(agency=agencies_world.central, role="staff").user
    assert not access_for(staff).reads_everything


def test_membership_of_an_inactive_agency_gives_no_access(agencies_world):
    user = MembershipFactory(agency=agencies_world.ethnic_old, role="manager").user
    assert access_for(user).agency_ids == frozenset()


def test_user_may_belong_to_several_agencies_but_once_each(agencies_world):
    w = agencies_world
    MembershipFactory(user=w.staff, agency=w.alliance, role="manager")
    access = access_for(w.staff)
    assert {w.ethnic.pk, w.alliance.pk} <= access.agency_ids
    with pytest.raises(IntegrityError):
        MembershipFactory(user=w.staff, agency=w.alliance, role="staff")
