"""Fixtures shared by every app's tests (registered in the root conftest.py)."""

from types import SimpleNamespace

import pytest

from agencies.models import Agency, Membership

from .factories import AgencyFactory, MembershipFactory, UserFactory, province


@pytest.fixture
def agencies_world(db):
    """Two provinces with their party agencies and a user in every role.

    Đồng Nai (75) carries on old Bình Phước (70): Ban Dân tộc Bình Phước → Sở DT&TG Đồng Nai.
    Quảng Ngãi (51) is the 'other province'."""
    dong_nai, binh_phuoc = province("75"), province("70", current=False)
    quang_ngai = province("51")
    ethnic = AgencyFactory(name="Sở Dân tộc và Tôn giáo tỉnh Đồng Nai", province=dong_nai)
    alliance = AgencyFactory(
        name="Liên minh Hợp tác xã tỉnh Đồng Nai",
        kind=Agency.Kind.COOPERATIVE_ALLIANCE,
        province=dong_nai,
    )
    ethnic_old = AgencyFactory(
        name="Ban Dân tộc tỉnh Bình Phước", province=binh_phuoc, active=False, successor=ethnic
    )
    department = AgencyFactory(
        name="Sở Công Thương tỉnh Đồng Nai", kind=Agency.Kind.DEPARTMENT, province=dong_nai
    )
    other_ethnic = AgencyFactory(name="Sở Dân tộc và Tôn giáo tỉnh Quảng Ngãi", province=quang_ngai)
    other_alliance = AgencyFactory(
        name="Liên minh Hợp tác xã tỉnh Quảng Ngãi",
        kind=Agency.Kind.COOPERATIVE_ALLIANCE,
        province=quang_ngai,
    )
    central = Agency.objects.get(name="Bộ Dân tộc và Tôn giáo")
    vca = Agency.objects.get(name="Liên minh Hợp tác xã Việt Nam")

    def member(username: str, agency: Agency, role: str):
        return MembershipFactory(user=UserFactory(username=username), agency=agency, role=role).user

    staff, manager, admin = Membership.Role.STAFF, Membership.Role.MANAGER, Membership.Role.ADMIN
    return SimpleNamespace(
        dong_nai=dong_nai,
        binh_phuoc=binh_phuoc,
        quang_ngai=quang_ngai,
        ethnic=ethnic,
        alliance=alliance,
        ethnic_old=ethnic_old,
        department=department,
        other_ethnic=other_ethnic,
        other_alliance=other_alliance,
        central=central,
        vca=vca,
        staff=member("staff", ethnic, staff),
        alliance_staff=member("alliance_staff", alliance, staff),
        department_staff=member("department_staff", department, staff),
        manager=member("manager", ethnic, manager),
        alliance_manager=member("alliance_manager", alliance, manager),
        other_staff=member("other_staff", other_ethnic, staff),
        other_manager=member("other_manager", other_ethnic, manager),
        central_manager=member("central_manager", central, manager),
        admin=member("central_admin", central, admin),
        outsider=UserFactory(username="outsider"),
    )
