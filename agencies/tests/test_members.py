"""Agency admins manage their own agency's members; central admins manage agencies.
Refusals change nothing."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.urls import reverse

from agencies.models import Agency, Membership
from core.models import OutgoingEmail

from .factories import MembershipFactory, UserFactory

User = get_user_model()


@pytest.fixture
def people(agencies_world):
    """`agencies_world` with an admin of the Đồng Nai Sở and one of the Quảng Ngãi Sở."""
    w = agencies_world
    w.ethnic_admin = MembershipFactory(
        user=UserFactory(username="ethnic_admin"), agency=w.ethnic, role="admin"
    ).user
    w.other_admin = MembershipFactory(
        user=UserFactory(username="other_admin"), agency=w.other_ethnic, role="admin"
    ).user
    return w


def snapshot():
    return (
        sorted(Membership.objects.values_list("user_id", "agency_id", "role")),
        sorted(User.objects.values_list("username", "is_active")),
        OutgoingEmail.objects.count(),
        sorted(Agency.objects.values_list("name", "successor_id", "succeeded_on")),
    )


def staff_membership(w):
    return Membership.objects.get(user=w.staff, agency=w.ethnic)


def writes(w):
    """Every member and agency write, as (url, data)."""
    membership = staff_membership(w)
    return [
        (
            reverse("agencies:member_invite", args=[w.ethnic.pk]),
            {"full_name": "Đỗ Văn An", "email": "an@sdt.dongnai.gov.vn", "role": "staff"},
        ),
        (reverse("agencies:member_role", args=[membership.pk]), {"role": "admin"}),
        (reverse("agencies:member_deactivate", args=[membership.pk]), {}),
        (reverse("agencies:member_reactivate", args=[membership.pk]), {}),
        (
            reverse("agencies:agency_create"),
            {
                "name": "Sở Nội vụ tỉnh Đồng Nai",
                "kind": "department",
                "level": "provincial",
                "province": w.dong_nai.pk,
            },
        ),
        (
            reverse("agencies:agency_successor", args=[w.other_ethnic.pk]),
            {"successor": w.ethnic.pk, "succeeded_on": "01/03/2025"},
        ),
    ]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        # The admin of another agency does not even learn that a member exists.
        ("other_admin", [404, 404, 404, 404, 403, 404]),
        # Staff and managers of the agency see its members but change nothing.
        ("staff", [403, 403, 403, 403, 403, 404]),
        ("manager", [403, 403, 403, 403, 403, 404]),
        # A central admin manages agencies, not another agency's members.
        ("admin", [404, 404, 404, 404, None, None]),
    ],
)
def test_refused_member_and_agency_writes_change_nothing(client, people, who, expected):
    client.force_login(getattr(people, who))
    for (url, data), status in zip(writes(people), expected, strict=True):
        if status is None:
            continue
        before = snapshot()
        response = client.post(url, data)
        assert response.status_code == status, url
        assert snapshot() == before, url


def test_members_page_shows_the_member_list_to_members_and_management_to_admins(client, people):
    url = reverse("agencies:member_list", args=[people.ethnic.pk])
    client.force_login(people.staff)
    page = client.get(url).content.decode()
    assert "manager" in page and "Gửi lời mời" not in page
    client.force_login(people.ethnic_admin)
    page = client.get(url).content.decode()
    assert "Gửi lời mời" in page and "Khóa tài khoản" in page
    client.force_login(people.other_admin)
    assert client.get(url).status_code == 404


def test_an_admin_changes_a_role_but_not_their_own(client, people):
    client.force_login(people.ethnic_admin)
    membership = staff_membership(people)
    client.post(reverse("agencies:member_role", args=[membership.pk]), {"role": "manager"})
    membership.refresh_from_db()
    assert membership.role == "manager"
    own = Membership.objects.get(user=people.ethnic_admin)
    response = client.post(reverse("agencies:member_role", args=[own.pk]), {"role": "staff"})
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.role == "admin"


def test_a_bad_role_changes_nothing(client, people):
    client.force_login(people.ethnic_admin)
    membership = staff_membership(people)
    client.post(reverse("agencies:member_role", args=[membership.pk]), {"role": "boss"})
    membership.refresh_from_db()
    assert membership.role == "staff"


def test_deactivating_a_member_ends_their_sessions_at_once(client, people):
    other = type(client)()
    other.force_login(people.staff)
    assert other.get(reverse("agencies:profile")).status_code == 200
    assert Session.objects.count() == 1
    client.force_login(people.ethnic_admin)
    response = client.post(
        reverse("agencies:member_deactivate", args=[staff_membership(people).pk])
    )
    assert response.status_code == 302
    people.staff.refresh_from_db()
    assert not people.staff.is_active
    # The admin's own session is the only one left; the staff member is signed out.
    assert Session.objects.count() == 1
    response = other.get(reverse("agencies:profile"))
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")

    client.post(reverse("agencies:member_reactivate", args=[staff_membership(people).pk]))
    people.staff.refresh_from_db()
    assert people.staff.is_active


def test_an_invalid_invitation_shows_the_error_on_the_field_and_adds_nobody(client, people):
    client.force_login(people.ethnic_admin)
    before = snapshot()
    url = reverse("agencies:member_invite", args=[people.ethnic.pk])
    response = client.post(url, {"full_name": "An", "email": "khong-phai-email", "role": "staff"})
    assert response.status_code == 400
    assert "Nhập một địa chỉ thư điện tử hợp lệ" in response.content.decode()
    response = client.post(url, {"full_name": "Lan", "email": "STAFF@example.vn", "role": "staff"})
    assert "Người này đã là thành viên của cơ quan." in response.content.decode()
    assert snapshot() == before


def test_a_central_admin_creates_an_agency_and_records_its_successor(client, people):
    client.force_login(people.admin)
    assert client.get(reverse("agencies:agency_list")).status_code == 200
    response = client.post(
        reverse("agencies:agency_create"),
        {
            "name": "Ban Dân tộc tỉnh Thử",
            "kind": "ethnic_affairs",
            "level": "provincial",
            "province": people.quang_ngai.pk,
        },
    )
    assert response.status_code == 302
    old = Agency.objects.get(name="Ban Dân tộc tỉnh Thử")
    url = reverse("agencies:agency_successor", args=[old.pk])
    response = client.post(url, {"successor": people.other_ethnic.pk, "succeeded_on": "1/3/2025"})
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.successor == people.other_ethnic
    assert old.succeeded_on == datetime.date(2025, 3, 1)
    # A loop is refused with a message on the field, and nothing changes.
    url = reverse("agencies:agency_successor", args=[people.other_ethnic.pk])
    response = client.post(url, {"successor": old.pk, "succeeded_on": "01/03/2025"})
    assert "Cơ quan này đang kế thừa" in response.content.decode()
    people.other_ethnic.refresh_from_db()
    assert people.other_ethnic.successor is None
    response = client.post(url, {"successor": old.pk, "succeeded_on": "31/02/2025"})
    assert "Nhập ngày theo dạng dd/mm/yyyy" in response.content.decode()


def test_only_central_admins_reach_the_agency_pages(client, people):
    for who in ("ethnic_admin", "manager", "central_manager"):
        client.force_login(getattr(people, who))
        assert client.get(reverse("agencies:agency_list")).status_code == 403
        assert client.get(reverse("agencies:agency_create")).status_code == 403


def test_the_agency_list_names_agencies_in_vietnamese_order(client, people):
    """Within a province, Đ follows D (code-point order would put it after every other letter)."""
    dong_nai = people.ethnic.province
    for name in ["Sở Yên Thế thử", "Sở Đầu tư thử", "Sở Dược thử"]:
        Agency.objects.create(
            name=name, kind=Agency.Kind.DEPARTMENT, level=people.ethnic.level, province=dong_nai
        )
    client.force_login(people.admin)
    content = client.get(reverse("agencies:agency_list")).content.decode()
    positions = [content.index(n) for n in ["Sở Dược thử", "Sở Đầu tư thử", "Sở Yên Thế thử"]]
    assert positions == sorted(positions)
