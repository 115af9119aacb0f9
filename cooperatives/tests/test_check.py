"""/htx/can-kiem-tra/ (issue 15): cooperatives whose written commune the import could not place,
and who may choose today's commune for them."""

import pytest
from django.urls import reverse

from agencies.communes import find_commune
from agencies.models import Commune, Membership
from agencies.tests.factories import MembershipFactory, UserFactory
from cooperatives.models import Cooperative

from .factories import CooperativeFactory

pytestmark = pytest.mark.django_db
URL = reverse("cooperatives:check")


@pytest.fixture
def w(agencies_world):
    w = agencies_world

    def admin(name, agency):
        user = UserFactory(username=name)
        MembershipFactory(user=user, agency=agency, role=Membership.Role.ADMIN)
        return user

    w.province_admin = admin("dong_nai_admin", w.ethnic)
    w.other_admin = admin("quang_ngai_admin", w.other_ethnic)
    # 'Tân Thành' without a district: an old commune in two districts of Đồng Nai.
    w.coop = CooperativeFactory(name="HTX Tân Thành", province=w.dong_nai, commune="Tân Thành")
    w.placed = CooperativeFactory(
        name="HTX Đã có xã",
        province=w.dong_nai,
        commune="Lộc Ninh",
        current_commune=Commune.objects.current().get(name="Lộc Ninh", province=w.dong_nai),
    )
    return w


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),  # a central admin imports for every province
        ("province_admin", 200),
        ("other_admin", 200),  # sees the page, but not Đồng Nai's cooperatives
        ("staff", 403),
        ("manager", 403),
        ("outsider", 403),
    ],
)
def test_who_sees_the_list(client, w, who, status):
    client.force_login(getattr(w, who))
    response = client.get(URL)
    assert response.status_code == status
    if status == 200:
        content = response.content.decode()
        assert ("HTX Tân Thành" in content) == (who != "other_admin")
        assert "HTX Đã có xã" not in content


def test_the_list_offers_todays_candidates_and_the_registry_links_to_it(client, w):
    client.force_login(w.province_admin)
    content = client.get(URL).content.decode()
    offered = find_commune("Tân Thành", w.dong_nai).candidates
    assert len(offered) > 1
    assert all(f'value="{c.pk}"' in content for c in offered)
    assert URL in client.get(reverse("cooperatives:list")).content.decode()
    client.force_login(w.staff)
    assert URL not in client.get(reverse("cooperatives:list")).content.decode()


def pick(client, user, coop, commune_pk):
    client.force_login(user)
    return client.post(URL, {"cooperative": coop.pk, "commune": commune_pk})


def a_candidate(w) -> Commune:
    return find_commune("Tân Thành", w.dong_nai).candidates[0]


@pytest.mark.parametrize("who", ["admin", "province_admin"])
def test_an_admin_for_the_province_picks_a_candidate(client, w, who):
    commune = a_candidate(w)
    response = pick(client, getattr(w, who), w.coop, commune.pk)
    assert response.status_code == 302
    w.coop.refresh_from_db()
    assert w.coop.current_commune == commune
    assert not Cooperative.objects.needing_commune().exists()


@pytest.mark.parametrize(("who", "status"), [("other_admin", 404), ("staff", 403)])
def test_a_refused_pick_changes_nothing(client, w, who, status):
    response = pick(client, getattr(w, who), w.coop, a_candidate(w).pk)
    assert response.status_code == status
    w.coop.refresh_from_db()
    assert w.coop.current_commune is None


@pytest.mark.parametrize(
    "commune",
    [
        lambda w: Commune.objects.former().filter(province=w.binh_phuoc).first().pk,  # old
        lambda w: Commune.objects.current().filter(province=w.quang_ngai).first().pk,  # elsewhere
        lambda w: "abc",
        lambda w: 2**64,
        lambda w: "",
    ],
)
def test_a_commune_not_current_or_not_in_the_province_is_refused(client, w, commune):
    response = pick(client, w.province_admin, w.coop, commune(w))
    assert response.status_code == 302
    w.coop.refresh_from_db()
    assert w.coop.current_commune is None
    messages = client.get(URL).content.decode()
    assert "Hãy chọn một xã, phường hiện nay của" in messages


def test_the_list_costs_the_same_queries_for_a_few_rows_and_a_full_page(
    client, w, django_assert_max_num_queries
):
    """Each province's communes are loaded once (`CommuneIndexes`), not looked up per row: a
    full page of Đồng Nai's and old Bình Phước's records costs what two rows cost."""
    CooperativeFactory(name="HTX Bình Phước", province=w.binh_phuoc, commune="Tân Thành")
    client.force_login(w.admin)
    client.get(URL)  # the first request of a session does more than the page

    def count() -> int:
        with django_assert_max_num_queries(20) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    few = count()
    names = ["Tân Thành", "Tân Lập", "Không Có Xã Này", "Phước Tín"]
    for n in range(60):
        province = w.binh_phuoc if n % 2 else w.dong_nai
        CooperativeFactory(name=f"HTX {n}", province=province, commune=names[n % len(names)])
    content = client.get(URL).content.decode()
    assert "Trang 1/2" in content and content.count('name="cooperative"') > 20
    assert count() == few
