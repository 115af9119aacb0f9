"""Picking one cooperative out of the registry: the search endpoint /htx/tim/ and the form field
that checks what the browser sends (cooperatives.picker); the registry in Vietnamese order."""

import pytest
from django.urls import reverse

from cooperatives.picker import PICKER_LIMIT, CooperativePickerField, pickable

from .factories import CooperativeFactory

pytestmark = pytest.mark.django_db
SEARCH = "/htx/tim/"


@pytest.fixture
def registry(agencies_world):
    """Cooperatives of Đồng Nai (one recorded under old Bình Phước) and of Quảng Ngãi."""
    w = agencies_world
    return {
        "bugiamap": CooperativeFactory(
            registration_code="3800100001", name="HTX Nông nghiệp Bù Gia Mập", province=w.dong_nai
        ),
        "old": CooperativeFactory(
            registration_code="3800100002", name="HTX Điều Bình Phước", province=w.binh_phuoc
        ),
        "kontum": CooperativeFactory(
            registration_code="6100100003", name="HTX Sâm Ngọc Linh", province=w.quang_ngai
        ),
    }


def search(client, user, **params):
    client.force_login(user)
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return response.json()


def test_the_search_url_is_the_one_named(agencies_world):
    assert reverse("cooperatives:search") == SEARCH


def test_search_finds_a_name_typed_without_tone_marks_or_a_code_start(
    client, agencies_world, registry
):
    found = search(client, agencies_world.staff, q="bu gia map")
    assert [r["name"] for r in found["results"]] == ["HTX Nông nghiệp Bù Gia Mập"]
    (result,) = found["results"]
    assert result == {
        "id": registry["bugiamap"].pk,
        "code": "3800100001",
        "name": "HTX Nông nghiệp Bù Gia Mập",
        "label": "HTX Nông nghiệp Bù Gia Mập — 3800100001",
        "place": "TP Đồng Nai",
    }
    assert found["more"] is False
    by_code = search(client, agencies_world.staff, q="61001")
    assert [r["name"] for r in by_code["results"]] == ["HTX Sâm Ngọc Linh"]
    assert search(client, agencies_world.staff, q="dieu binh phuoc")["results"][0]["id"] == (
        registry["old"].pk
    )


def test_a_province_narrows_the_search_to_it_and_its_old_units(client, agencies_world, registry):
    found = search(client, agencies_world.staff, q="htx", province=agencies_world.dong_nai.pk)
    assert {r["id"] for r in found["results"]} == {registry["bugiamap"].pk, registry["old"].pk}
    found = search(client, agencies_world.staff, q="ngoc linh", province=agencies_world.dong_nai.pk)
    assert found["results"] == []


def test_search_answers_at_most_twenty_in_vietnamese_order_in_a_bounded_number_of_queries(
    client, agencies_world, django_assert_max_num_queries
):
    names = [f"HTX Dệt thổ cẩm {i:02d}" for i in range(30)]
    names += ["HTX Dệt Đông Hòa", "HTX Dệt Đa", "HTX Dệt Dân"]
    for name in names:
        CooperativeFactory(name=name, province=agencies_world.dong_nai)
    client.force_login(agencies_world.staff)
    # Session, user, the province, the user's access and the old units (agencies.access), the
    # one search, the session's touch: the same whatever the number of matches.
    with django_assert_max_num_queries(11):
        response = client.get(SEARCH, {"q": "det", "province": agencies_world.dong_nai.pk})
    found = response.json()
    assert len(found["results"]) == PICKER_LIMIT and found["more"] is True
    shown = [r["name"] for r in found["results"]]
    # Đ right after D, before T (code-point order would put it after Y).
    assert shown[:5] == [
        "HTX Dệt Dân",
        "HTX Dệt Đa",
        "HTX Dệt Đông Hòa",
        "HTX Dệt thổ cẩm 00",
        "HTX Dệt thổ cẩm 01",
    ]


def test_a_short_query_finds_nothing_and_a_bad_one_is_a_400(client, agencies_world, registry):
    assert search(client, agencies_world.staff, q="h")["results"] == []
    client.force_login(agencies_world.staff)
    for params in ({"province": "abc"}, {"province": 2**64}, {"province": 999999}):
        response = client.get(SEARCH, {"q": "htx", **params})
        assert response.status_code == 400 and "province" in response.json()["errors"]


def test_anonymous_users_are_sent_to_log_in(client, registry):
    response = client.get(SEARCH, {"q": "bu gia"})
    assert response.status_code == 302 and "/dang-nhap/" in response.url


def field(agencies_world, province=None):
    f = CooperativePickerField()
    f.queryset = pickable(user=agencies_world.staff, province=province)
    return f


def test_the_field_takes_the_chosen_id_a_code_or_an_exact_name(agencies_world, registry):
    f = field(agencies_world, agencies_world.dong_nai)
    coop = registry["bugiamap"]
    assert f.clean([coop.picker_label, str(coop.pk)]) == coop
    assert f.clean(["3800 100001", ""]) == coop
    assert f.clean(["htx nong nghiep bu gia map", ""]) == coop
    assert f.clean([coop.picker_label, ""]) == coop
    assert f.clean(["", ""]) is None
    # The box changed after a choice (no JavaScript): the text decides.
    assert f.clean(["HTX Điều Bình Phước", str(coop.pk)]) == registry["old"]


def test_the_field_refuses_a_cooperative_outside_its_reach_by_id_or_code(agencies_world, registry):
    f = field(agencies_world, agencies_world.dong_nai)
    f.out_of_reach = "HTX “%(name)s” không thuộc Đồng Nai."
    kontum = registry["kontum"]
    for value in ([kontum.picker_label, str(kontum.pk)], ["6100100003", ""], [kontum.name, ""]):
        with pytest.raises(Exception) as refused:
            f.clean(value)
        assert refused.value.messages == ["HTX “HTX Sâm Ngọc Linh” không thuộc Đồng Nai."]
    with pytest.raises(Exception) as refused:
        f.clean(["9999999999", ""])
    assert refused.value.messages == ["Không tìm thấy HTX có mã số 9999999999 trong danh sách."]


def test_an_inexact_or_shared_name_lists_the_candidates_with_their_codes(agencies_world, registry):
    twin = CooperativeFactory(
        registration_code="3800100009",
        name="HTX Nông nghiệp Bù Gia Mập",
        province=registry["bugiamap"].province,
    )
    f = field(agencies_world, agencies_world.dong_nai)
    with pytest.raises(Exception) as shared:
        f.clean(["HTX Nông nghiệp Bù Gia Mập", ""])
    (message,) = shared.value.messages
    assert message.startswith("Có nhiều HTX tên “HTX Nông nghiệp Bù Gia Mập”")
    assert "3800100001" in message and twin.registration_code in message
    with pytest.raises(Exception) as close:
        f.clean(["bu gia", ""])
    (message,) = close.value.messages
    assert "Có phải" in message and "HTX Nông nghiệp Bù Gia Mập — 3800100001" in message
    with pytest.raises(Exception) as none:
        f.clean(["Không hề có", ""])
    assert none.value.messages == ["Không tìm thấy HTX nào tên “Không hề có”."]


def test_the_registry_lists_names_in_vietnamese_order(client, agencies_world):
    # Code-point order (and the old search-key order) would put Đ after Y, or Đồng before Dược.
    for name in ["HTX Yên Thế", "HTX Đồng Tâm", "HTX Dược liệu", "HTX Gia Lai", "HTX Ánh Dương"]:
        CooperativeFactory(name=name, province=agencies_world.dong_nai)
    client.force_login(agencies_world.staff)
    content = client.get(reverse("cooperatives:list")).content.decode()
    order = ["HTX Ánh Dương", "HTX Dược liệu", "HTX Đồng Tâm", "HTX Gia Lai", "HTX Yên Thế"]
    positions = [content.index(name) for name in order]
    assert positions == sorted(positions)
