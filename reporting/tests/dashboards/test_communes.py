"""The dashboards' table of supported cooperatives by commune within one province (issue 15):
figures equal the fixture's rows, each number links to its cooperatives, the .xlsx download,
who sees it, and a query count that does not grow with the communes."""

import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from agencies.models import Commune
from cooperatives.tests.factories import CooperativeFactory
from coordination.models import Activity

# The dashboards count "overdue" against the fixture's day, with the cache emptied around.
from .test_views import (
    OVERVIEW,
    _fixed_day_and_clean_cache,  # noqa: F401
    count_queries,
    get,
    table,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(dash):
    """Two of Đồng Nai's supported cooperatives in phường Lộc Ninh (one recorded under old
    Bình Phước's xã Lộc Thái, which Lộc Ninh took in), the third not placed yet."""
    loc_ninh = Commune.objects.current().get(code="25270")
    for coop in dash.coops[:2]:
        coop.current_commune = loc_ninh
        coop.save()
    dash.coops[1].commune, dash.coops[1].district = "xã Lộc Thái", "huyện Lộc Ninh"
    dash.coops[1].save()
    return loc_ninh


def test_cooperatives_by_commune_of_the_chosen_province(client, dash, placed):
    response = get(
        client, dash.central_manager, OVERVIEW, {"year": "", "province": dash.dong_nai.pk}
    )
    communes = table(response, "communes")
    assert communes.title == "HTX được hỗ trợ theo xã, phường của TP Đồng Nai"
    rows = [[cell.value for cell in row] for row in communes.rows]
    both = dash.coops[:2]
    assert rows == [
        [
            "Phường Lộc Ninh",
            "25270",
            2,
            sum(c.members or 0 for c in both),
            sum(c.ethnic_minority_members or 0 for c in both),
        ],
        [
            "Chưa xác định xã, phường",
            "",
            1,
            dash.coops[2].members or 0,
            dash.coops[2].ethnic_minority_members or 0,
        ],
    ]
    assert communes.footer[2].value == 3  # Quảng Ngãi's cooperative is not Đồng Nai's
    # Each number opens the supported cooperatives it counts.
    listed = get(client, dash.central_manager, communes.rows[0][2].url)
    assert {c.pk for c in listed.context["page"].object_list} == {c.pk for c in both}
    listed = get(client, dash.central_manager, communes.rows[1][2].url)
    assert [c.pk for c in listed.context["page"].object_list] == [dash.coops[2].pk]


def test_commune_table_downloads_as_xlsx(client, dash, placed):
    query = {"year": "", "province": dash.dong_nai.pk, "xlsx": "communes"}
    response = get(client, dash.central_manager, OVERVIEW, query)
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row for row in sheet.iter_rows(values_only=True) if row and row[0]]
    assert ("Phường Lộc Ninh", "25270", 2) == values[
        [r[0] for r in values].index("Phường Lộc Ninh")
    ][:3]
    assert isinstance(values[-1][2], int)  # the total, typed


def test_who_sees_the_commune_table(client, dash, placed):
    national = get(client, dash.central_manager, OVERVIEW, {"year": ""})
    assert "communes" not in national.context["dashboard"].tables  # 34 provinces: none
    # A provincial manager's overview is their province: its communes.
    mine = table(get(client, dash.manager, OVERVIEW, {"year": ""}), "communes")
    assert mine.rows[0][0].value == "Phường Lộc Ninh"
    # Another province's manager sees only theirs, never Đồng Nai's communes.
    other = get(client, dash.other_manager, OVERVIEW, {"year": "", "province": dash.dong_nai.pk})
    assert "Phường Lộc Ninh" not in other.content.decode()
    # A provincial program's dashboard has its province's table.
    program = get(client, dash.manager, reverse("reporting:program", args=[dash.program.pk]))
    assert "communes" in program.context["dashboard"].tables


def test_commune_table_costs_the_same_queries_with_more_communes(client, dash, placed):
    url = f"{OVERVIEW}?year=&province={dash.dong_nai.pk}"
    count_queries(client, dash.central_manager, [url])  # warm: content types, units
    before = count_queries(client, dash.central_manager, [url])
    activity = Activity.objects.filter(cooperatives=dash.coops[0]).first()
    communes = Commune.objects.current().filter(province=dash.dong_nai)[:40]
    activity.cooperatives.add(
        *[CooperativeFactory(province=dash.dong_nai, current_commune=c) for c in communes]
    )
    after = count_queries(client, dash.central_manager, [url])
    assert after == before
    cache.clear()
    response = get(
        client, dash.central_manager, OVERVIEW, {"year": "", "province": dash.dong_nai.pk}
    )
    assert len(table(response, "communes").rows) == 41
