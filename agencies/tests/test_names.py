"""Names through time: each province and agency as it was on a date (issue 15), from the data the
migrations load (agencies/data/province_names.csv; docs/decisions.md "Names through time")."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Agency, Province, ProvinceName

from .factories import AgencyFactory, province

pytestmark = pytest.mark.django_db
D = datetime.date


def named(code: str, day: datetime.date) -> tuple[str, str]:
    unit = Province.objects.with_names().get(code=code, valid_to__isnull=True)
    then = unit.name_on(day)
    return then.full_name, then.in_text


def test_hue_was_thua_thien_hue_province_until_the_end_of_2024():
    assert named("46", D(2024, 12, 31)) == ("Tỉnh Thừa Thiên Huế", "tỉnh Thừa Thiên Huế")
    assert named("46", D(2025, 1, 1)) == ("Thành phố Huế", "thành phố Huế")
    row = ProvinceName.objects.get(province__code="46")
    assert "175/2024/QH15" in row.source


@pytest.mark.parametrize(
    ("code", "last_day_as_province", "resolution"),
    [
        ("75", D(2026, 4, 29), "30/2026/QH16"),
        ("22", D(2026, 8, 31), "36/2026/QH16"),
        ("24", D(2026, 9, 19), "39/2026/QH16"),
    ],
)
def test_dong_nai_quang_ninh_and_bac_ninh_became_centrally_run_cities_on_their_dates(
    code, last_day_as_province, resolution
):
    name = Province.objects.get(code=code, valid_to__isnull=True).name
    assert named(code, last_day_as_province)[0] == f"Tỉnh {name}"
    assert named(code, last_day_as_province + datetime.timedelta(days=1))[0] == f"Thành phố {name}"
    unit = Province.objects.get(code=code, valid_to__isnull=True)
    assert unit.kind == Province.Kind.CITY and unit.label == f"TP {name}"
    assert resolution in unit.names.get().source


def test_a_province_that_did_not_change_is_named_the_same_on_every_date():
    lang_son = Province.objects.get(code="20")
    assert lang_son.kind == Province.Kind.PROVINCE and not lang_son.names.exists()
    assert (
        named("20", D(2024, 1, 1))
        == named("20", D(2026, 11, 30))
        == (
            "Tỉnh Lạng Sơn",
            "tỉnh Lạng Sơn",
        )
    )


def test_an_old_province_is_itself_until_it_ended_then_its_successor():
    binh_phuoc = province("70", current=False)
    assert binh_phuoc.on(D(2024, 12, 15)) == binh_phuoc
    assert binh_phuoc.on(D(2025, 6, 30)) == binh_phuoc
    assert binh_phuoc.on(D(2025, 7, 1)) == province("75")
    assert binh_phuoc.recorded_label == "Bình Phước (cũ) – nay là TP Đồng Nai"
    assert province("51").recorded_label == "Quảng Ngãi"


def test_ubdt_was_succeeded_by_the_ministry_on_1_march_2025():
    ubdt = Agency.objects.get(name="Ủy ban Dân tộc")
    assert ubdt.succeeded_on == D(2025, 3, 1)
    assert ubdt.on(D(2025, 2, 28)) == ubdt
    assert ubdt.on(D(2025, 3, 1)).name == "Bộ Dân tộc và Tôn giáo"
    # A ministry, like the Vietnam Cooperative Alliance, has no parent line in its headers.
    assert ubdt.on(D(2025, 3, 1)).document_lines(D(2025, 3, 1)) == ("", "Bộ Dân tộc và Tôn giáo")


def bình_phước_chain():
    dong_nai, binh_phuoc = province("75"), province("70", current=False)
    sdt_dong_nai = AgencyFactory(name="Sở Dân tộc và Tôn giáo tỉnh Đồng Nai", province=dong_nai)
    sdt = AgencyFactory(
        name="Sở Dân tộc và Tôn giáo tỉnh Bình Phước",
        province=binh_phuoc,
        successor=sdt_dong_nai,
        succeeded_on=D(2025, 7, 1),
    )
    ban = AgencyFactory(
        name="Ban Dân tộc tỉnh Bình Phước",
        province=binh_phuoc,
        successor=sdt,
        succeeded_on=D(2025, 3, 1),
    )
    return ban, sdt, sdt_dong_nai


def test_an_agency_on_a_date_follows_its_dated_successors():
    ban, sdt, sdt_dong_nai = bình_phước_chain()
    assert ban.on(D(2024, 12, 15)) == ban
    assert ban.on(D(2025, 2, 28)) == ban
    assert ban.on(D(2025, 3, 1)) == sdt
    assert ban.on(D(2025, 7, 1)) == sdt_dong_nai
    assert ban.on(D(2024, 12, 15)).document_lines(D(2024, 12, 15)) == (
        "UBND tỉnh Bình Phước",
        "Ban Dân tộc",
    )
    assert ban.on(D(2025, 4, 15)).document_lines(D(2025, 4, 15)) == (
        "UBND tỉnh Bình Phước",
        "Sở Dân tộc và Tôn giáo",
    )
    # The body named after its province takes the province's new name and kind.
    assert sdt_dong_nai.name_on(D(2025, 12, 15)) == "Sở Dân tộc và Tôn giáo tỉnh Đồng Nai"
    assert sdt_dong_nai.name_on(D(2026, 5, 1)) == "Sở Dân tộc và Tôn giáo thành phố Đồng Nai"
    assert sdt_dong_nai.document_lines(D(2026, 5, 1)) == (
        "UBND thành phố Đồng Nai",
        "Sở Dân tộc và Tôn giáo",
    )
    assert ban.recorded_label == (
        "Ban Dân tộc tỉnh Bình Phước – nay là Sở Dân tộc và Tôn giáo tỉnh Đồng Nai"
    )
    assert sdt_dong_nai.recorded_label == "Sở Dân tộc và Tôn giáo tỉnh Đồng Nai"


def test_an_undated_succession_counts_from_the_end_of_the_old_province():
    dong_nai, binh_phuoc = province("75"), province("70", current=False)
    new = AgencyFactory(name="Sở Công Thương tỉnh Đồng Nai", province=dong_nai)
    old = AgencyFactory(name="Sở Công Thương tỉnh Bình Phước", province=binh_phuoc, successor=new)
    assert old.on(D(2025, 6, 30)) == old and old.on(D(2025, 7, 1)) == new


def test_a_hue_body_is_named_after_the_province_of_the_day():
    hue = province("46")
    ban = AgencyFactory(name="Ban Dân tộc thành phố Huế", province=hue)
    alliance = AgencyFactory(
        name="Liên minh Hợp tác xã thành phố Huế",
        province=hue,
        kind=Agency.Kind.COOPERATIVE_ALLIANCE,
    )
    assert ban.document_lines(D(2024, 12, 31)) == ("UBND tỉnh Thừa Thiên Huế", "Ban Dân tộc")
    assert ban.document_lines(D(2025, 1, 1)) == ("UBND thành phố Huế", "Ban Dân tộc")
    assert alliance.document_lines(D(2024, 12, 31)) == (
        "",
        "Liên minh Hợp tác xã tỉnh Thừa Thiên Huế",
    )


def test_each_agency_has_its_own_parent_line():
    dong_nai = province("75")
    alliance = AgencyFactory(
        name="Liên minh Hợp tác xã tỉnh Đồng Nai",
        province=dong_nai,
        kind=Agency.Kind.COOPERATIVE_ALLIANCE,
    )
    committee = AgencyFactory(
        name="Ủy ban nhân dân tỉnh Đồng Nai",
        province=dong_nai,
        kind=Agency.Kind.PEOPLES_COMMITTEE,
    )
    other = AgencyFactory(
        name="Văn phòng Điều phối nông thôn mới tỉnh Đồng Nai",
        province=dong_nai,
        kind=Agency.Kind.OTHER,
        parent_name="Sở Nông nghiệp và Môi trường tỉnh Đồng Nai",
    )
    day = D(2025, 12, 15)
    assert alliance.document_lines(day)[0] == "" and committee.document_lines(day)[0] == ""
    assert other.document_lines(day) == (
        "Sở Nông nghiệp và Môi trường tỉnh Đồng Nai",
        "Văn phòng Điều phối nông thôn mới tỉnh Đồng Nai",
    )


def test_the_migration_put_provincial_boards_and_departments_under_their_committee():
    # Rows the migration found are marked; the central bodies are under nothing.
    assert not Agency.objects.filter(level="central", under_peoples_committee=True).exists()


def test_agency_history_costs_no_query_per_row():
    bình_phước_chain()
    hue, binh_phuoc = province("46"), province("70", current=False)
    sdt = Agency.objects.get(name="Sở Dân tộc và Tôn giáo tỉnh Bình Phước")
    day = D(2024, 12, 15)

    def render() -> list:
        rows = Agency.objects.with_history()
        return [(a.on(day).document_lines(day), a.recorded_label, a.parent_today) for a in rows]

    with CaptureQueriesContext(connection) as few:
        render()
    for n in range(6):
        AgencyFactory(name=f"Sở Dân tộc và Tôn giáo thử {n}", province=hue)
        AgencyFactory(
            name=f"Ban cũ {n}", province=binh_phuoc, successor=sdt, succeeded_on=D(2025, 3, 1)
        )
    with CaptureQueriesContext(connection) as many:
        rows = render()
    assert len(many) == len(few) and len(rows) >= 15
    assert ("UBND tỉnh Thừa Thiên Huế", "Sở Dân tộc và Tôn giáo thử 0") in [r[0] for r in rows]
    assert ("UBND tỉnh Bình Phước", "Ban cũ 0") in [r[0] for r in rows]


def test_the_parent_page_sets_the_line_and_refuses_what_is_wrong(client, agencies_world):
    w = agencies_world
    url = reverse("agencies:agency_parent", args=[w.alliance.pk])
    client.force_login(w.staff)
    assert client.post(url, {"under_peoples_committee": "on"}).status_code in (403, 404)
    w.alliance.refresh_from_db()
    assert not w.alliance.under_peoples_committee

    client.force_login(w.admin)
    assert "Cơ quan chủ quản" in client.get(url).content.decode()
    response = client.post(url, {"parent_name": "Tỉnh ủy Đồng Nai"})
    assert response.status_code == 302
    w.alliance.refresh_from_db()
    assert w.alliance.parent_name == "Tỉnh ủy Đồng Nai"
    assert "Tỉnh ủy Đồng Nai" in client.get(reverse("agencies:agency_list")).content.decode()

    # Both at once, or a central body under a province's committee: refused, nothing changes.
    response = client.post(url, {"under_peoples_committee": "on", "parent_name": "Tỉnh ủy"})
    assert response.status_code == 200
    assert "không ghi cơ quan chủ quản khác" in response.content.decode()
    central = reverse("agencies:agency_parent", args=[w.vca.pk])
    response = client.post(central, {"under_peoples_committee": "on"})
    assert "Chỉ cơ quan cấp tỉnh" in response.content.decode()
    w.alliance.refresh_from_db()
    w.vca.refresh_from_db()
    assert w.alliance.parent_name == "Tỉnh ủy Đồng Nai" and not w.vca.under_peoples_committee
