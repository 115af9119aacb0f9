"""Cooperatives located by commune (issue 15): the import maps an address written under the old
units or the new ones to today's commune, warns (without guessing) when it cannot, and the
export carries today's commune in its own columns."""

import io

import openpyxl
import pytest

from agencies.models import Commune
from cooperatives.models import Cooperative
from cooperatives.services import cooperatives_export, cooperatives_import

from .files import simple_workbook

pytestmark = pytest.mark.django_db

HEADERS = ["Mã số HTX", "Tên HTX", "Tỉnh", "Huyện/Quận/Thị xã", "Xã/Phường"]


def imported(rows, headers=HEADERS):
    return cooperatives_import(data=simple_workbook(headers, rows), name="ds.xlsx")


def current(name: str, province_code: str) -> Commune:
    return Commune.objects.current().get(name=name, province__code=province_code)


def test_old_three_level_address_lands_on_todays_commune():
    report = imported(
        [["3800100001", "HTX Lộc Thái", "tỉnh Bình Phước", "huyện Lộc Ninh", "xã Lộc Thái"]]
    )
    assert report.ok and not report.warnings
    coop = Cooperative.objects.get()
    assert coop.current_commune == current("Lộc Ninh", "75")  # Đồng Nai
    assert (coop.commune, coop.district) == ("xã Lộc Thái", "huyện Lộc Ninh")  # as written


def test_old_ward_of_a_merged_province_lands_in_the_new_one():
    report = imported([["3800100002", "HTX Tân An", "Long An", "TP Tân An", "Phường 5"]])
    assert report.ok and not report.warnings
    commune = Cooperative.objects.get().current_commune
    assert commune.full_name == "Phường Long An"
    assert commune.province.name.endswith("Tây Ninh")


def test_new_two_level_address_lands_on_todays_commune():
    report = imported(
        [["3800100003", "HTX Lộc Ninh", "Đồng Nai", "xã Lộc Ninh"]],
        headers=["Mã số HTX", "Tên HTX", "Tỉnh", "Xã/Phường"],
    )
    assert report.ok and not report.warnings
    assert Cooperative.objects.get().current_commune == current("Lộc Ninh", "75")


@pytest.mark.parametrize(
    ("province", "district", "commune", "words"),
    [
        ("Hà Nội", "Hoàn Kiếm", "Cửa Nam", "được chia cho"),
        ("Đồng Nai", "", "Tân Thành", "Không rõ xã “Tân Thành”: có ở"),
        ("Đồng Nai", "", "Không Có Xã Này", "Không tìm thấy xã"),
    ],
)
def test_a_commune_that_is_not_one_imports_with_a_warning_and_nothing_guessed(
    province, district, commune, words
):
    report = imported([["3800100004", "HTX Khó", province, district, commune]])
    assert report.ok and report.new == 1
    [warning] = report.warnings
    assert words in warning.message and warning.row == 2
    coop = Cooperative.objects.get()
    assert coop.current_commune is None
    assert list(Cooperative.objects.needing_commune()) == [coop]


def test_ambiguous_warning_names_the_districts():
    report = imported([["3800100005", "HTX Khó", "Đồng Nai", "", "Tân Thành"]])
    message = report.warnings[0].message
    assert "Bù Đốp" in message and "Đồng Xoài" in message
    assert "warnings" in report.as_json() and report.as_json()["warning_count"] == 1


def test_lookups_are_cached_within_an_import(django_assert_max_num_queries):
    rows = [[f"38001{n:05d}", f"HTX {n}", "Bình Phước", "Lộc Ninh", "Lộc Thái"] for n in range(40)]
    imported(rows[:1])
    Cooperative.objects.all().delete()
    with django_assert_max_num_queries(40):
        report = imported(rows)
    assert report.new == 40 and not report.warnings


def test_export_carries_todays_commune_and_reimports_unchanged():
    imported([["3800100001", "HTX Lộc Thái", "Bình Phước", "Lộc Ninh", "Lộc Thái"]])
    imported([["3800100004", "HTX Khó", "Đồng Nai", "", "Tân Thành"]])
    data = cooperatives_export(queryset=Cooperative.objects.all())
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[1]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(2, values_only=True)}
    lo_ninh = current("Lộc Ninh", "75")
    assert rows["3800100001"]["Mã xã hiện nay"] == lo_ninh.code
    assert rows["3800100001"]["Xã hiện nay"] == "Phường Lộc Ninh"
    assert not rows["3800100004"]["Mã xã hiện nay"]
    again = cooperatives_import(data=data, name="xuat.xlsx")
    assert again.ok and again.unchanged == 2 and again.new == again.updated == 0
