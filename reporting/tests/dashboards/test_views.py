"""The dashboards and their lists through the views: figures equal counts worked out here from
the rows the fixture made, scope, links, downloads, filters in the URL and the query bound."""

import datetime
import io
import re
import time
from collections import Counter
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from agencies.models import Agency, Province
from cooperatives.models import Cooperative
from cooperatives.tests.factories import CooperativeFactory
from coordination import services
from coordination.tests.factories import make_activity, make_program, make_progress
from reporting.dashboards.build import in_unit

from ..conftest import TODAY

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("reporting:overview")


@pytest.fixture(autouse=True)
def _fixed_day_and_clean_cache(monkeypatch):
    """The dashboards count 'overdue' against today: pin it to the fixture's day."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    cache.clear()
    yield
    cache.clear()


def get(client, user, url, params=None):
    client.force_login(user)
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:500]
    return response


def table(response, key):
    return response.context["dashboard"].tables[key]


def column(tbl, label):
    return [c.label for c in tbl.columns].index(label)


def test_nav_links_to_the_overview(client, dash):
    page = get(client, dash.staff, reverse("coordination:home")).content.decode()
    assert f'href="{OVERVIEW}"' in page and "Tổng quan" in page


def test_overview_figures_equal_the_rows_of_every_year(client, dash):
    response = get(client, dash.central_manager, OVERVIEW, {"year": ""})
    areas = table(response, "areas")
    for row in areas.rows:
        number = int(row[0].value.split(".")[0])
        mine = [e for e in dash.expected if e.area == number]
        counts = Counter(e.status for e in mine)
        assert row[column(areas, "Hoàn thành")].value == counts["done"]
        assert row[column(areas, "Chưa thực hiện")].value == counts["not_started"]
        assert row[column(areas, "Tổng số")].value == len(mine)
        assert row[column(areas, "Quá hạn")].value == sum(e.overdue for e in mine)
    kpis = {k.label: k.value for k in response.context["dashboard"].kpis}
    assert kpis["Hoạt động"] == len(dash.expected)
    assert kpis["Quá hạn"] == sum(e.overdue for e in dash.expected)
    supported = set().union(*(e.cooperative_ids for e in dash.expected))
    assert kpis["HTX được hỗ trợ"] == len(supported)
    budget = table(response, "budget")
    assert budget.footer[1].value == sum(e.planned for e in dash.expected)
    assert budget.footer[2].value == sum(e.spent for e in dash.expected)
    page = response.content.decode()
    # Vietnamese number format in the page: 1.250.000 style grouping.
    planned = f"{sum(e.planned for e in dash.expected):,}".replace(",", ".")
    assert planned in page


def test_province_rows_roll_old_units_into_the_current_34(client, dash):
    response = get(client, dash.central_manager, OVERVIEW, {"year": ""})
    provinces = table(response, "provinces")
    assert len(provinces.rows) == 35  # 34 current units and the national row
    labels = [row[0].value for row in provinces.rows]
    assert "Bình Phước (cũ)" not in labels
    dong_nai = provinces.rows[labels.index("TP Đồng Nai")]
    mine = [e for e in dash.expected if e.province_id == dash.dong_nai.pk]
    assert dong_nai[1].value == len(mine)  # old Bình Phước program + new Đồng Nai program
    assert dong_nai[2].value == sum(e.status == "done" for e in mine)


def test_plans_show_which_provinces_have_not_submitted(client, dash):
    response = get(client, dash.central_manager, OVERVIEW, {"year": "2025"})
    states = {row[0].value: row for row in table(response, "plan_states").rows}
    assert "Quảng Ngãi" in states["Chưa trình kế hoạch"][2].value
    assert "Đồng Nai" in states["Chưa trình kế hoạch"][2].value
    assert states["Chưa có chương trình"][1].value == 32
    plans = table(response, "plans")
    quang_ngai = next(r for r in plans.rows if r[0].value == "Quảng Ngãi")
    missing = quang_ngai[column(plans, "Chưa có kế hoạch")]
    assert missing.value == 1
    listed = get(client, dash.central_manager, missing.url)
    assert list(listed.context["page"].object_list) == [dash.other_program]


def test_every_area_number_links_to_the_list_with_that_many_activities(client, dash):
    response = get(client, dash.central_manager, OVERVIEW, {"year": ""})
    areas = table(response, "areas")
    checked = 0
    for row in [*areas.rows, areas.footer]:
        for cell in row[1:]:
            if cell.url:
                listed = get(client, dash.central_manager, cell.url)
                assert listed.context["page"].paginator.count == cell.value, cell.url
                checked += 1
    assert checked >= 20


def test_indicator_numbers_link_to_the_activities_reporting_on_them(client, dash):
    response = get(client, dash.central_manager, OVERVIEW, {"year": "2024"})
    indicators = table(response, "indicators")
    name = column(indicators, "Chỉ số")
    row = next(r for r in indicators.rows if r[name].value.startswith("01."))
    achieved = row[column(indicators, "Đạt được")]
    assert achieved.value == 3
    listed = get(client, dash.central_manager, achieved.url)
    ids = {a.pk for a in listed.context["page"].object_list}
    assert ids == {
        e.activity_id for e in dash.expected if e.indicator_id == dash.indicators["sum"].pk
    }


def test_cooperative_numbers_link_to_the_supported_cooperatives(client, dash):
    response = get(client, dash.central_manager, OVERVIEW, {"year": ""})
    sectors = table(response, "sectors")
    for row in sectors.rows:
        listed = get(client, dash.central_manager, row[1].url)
        names = {c.sector for c in listed.context["page"].object_list}
        assert names == {row[0].value} and listed.context["page"].paginator.count == row[1].value
    ocop = table(response, "ocop")
    five = next(r for r in ocop.rows if r[0].value == "5 sao")
    listed = get(client, dash.central_manager, five[1].url)
    assert [c.pk for c in listed.context["page"].object_list] == [dash.coops[3].pk]


def test_provincial_manager_never_sees_another_provinces_numbers(client, dash):
    response = get(client, dash.manager, OVERVIEW, {"year": ""})
    provinces = table(response, "provinces")
    assert [row[0].value for row in provinces.rows] == ["TP Đồng Nai"]
    mine = [e for e in dash.expected if e.province_id == dash.dong_nai.pk]
    assert response.context["dashboard"].kpis[0].value == len(mine)
    assert dash.other_program.title not in response.content.decode()
    # Asking for another province by its id is refused beside the field and changes nothing.
    other = get(client, dash.manager, OVERVIEW, {"year": "", "province": dash.quang_ngai.pk})
    assert "Hãy chọn một lựa chọn hợp lệ" in other.content.decode()
    # The same figures (served from the cache: the refused filter is no filter).
    assert shown_figures(other)[0] == shown_figures(response)[0]
    listed = get(
        client, dash.manager, reverse("reporting:activities"), {"province": dash.quang_ngai.pk}
    )
    assert {a.pk for a in listed.context["page"].object_list} <= {e.activity_id for e in mine}


def test_program_dashboard_shows_the_year_by_year_trend(client, dash):
    response = get(client, dash.manager, reverse("reporting:program", args=[dash.program.pk]))
    trend = table(response, "trend")
    by_year = {row[0].value: row for row in trend.rows}
    assert list(by_year) == list(range(2021, 2031))
    for year in (2024, 2025):
        mine = [e for e in dash.expected if e.program_id == dash.program.pk and e.year == year]
        assert by_year[year][column(trend, "Hoạt động")].value == len(mine)
    assert by_year[2024][1].value == "Đã phê duyệt"


def test_invalid_filter_gets_a_message_beside_the_field_and_is_ignored(client, dash):
    response = get(client, dash.central_manager, OVERVIEW, {"year": "abc", "area": "9"})
    page = response.content.decode()
    assert page.count('class="errorlist"') == 2
    assert response.context["dashboard"].kpis[0].value == len(dash.expected)


def test_filters_stay_in_the_url_of_every_link(client, dash):
    params = {"year": "2025", "province": dash.dong_nai.pk, "area": "4"}
    response = get(client, dash.central_manager, OVERVIEW, params)
    url = table(response, "areas").rows[0][1].url
    query = parse_qs(urlparse(url).query)
    assert query["year"] == ["2025"] and query["province"] == [str(dash.dong_nai.pk)]
    assert query["area"] == ["4"] and query["status"] == ["not_started"]


def test_any_table_downloads_as_xlsx_with_the_same_numbers(client, dash):
    response = get(client, dash.central_manager, OVERVIEW, {"year": "", "xlsx": "areas"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [r for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]
    assert rows[0][0] == "Tiến độ hoạt động theo nội dung phối hợp"
    header = next(r for r in rows if r[0] == "Nội dung phối hợp")
    total = rows[-1]
    assert total[0] == "Cộng" and total[header.index("Tổng số")] == len(dash.expected)
    listed = get(client, dash.central_manager, reverse("reporting:activities"), {"xlsx": "1"})
    sheet = load_workbook(io.BytesIO(listed.content)).active
    assert sheet.max_row == 4 + len(dash.expected)  # title, filters, blank, header, rows
    client.force_login(dash.central_manager)
    assert client.get(OVERVIEW, {"xlsx": "nothing"}).status_code == 404


def shown_figures(response) -> tuple[list[str], str]:
    """The KPI values and the 'computed at' line as the page shows them (a cached body has no
    template context)."""
    text = response.content.decode()
    kpis = re.findall(r'<span class="kpi-value">([^<]*)</span>', text)
    computed = re.search(r'<p class="note computed-at">([^<]*)</p>', text).group(1)
    return kpis, computed


def test_a_new_progress_update_shows_once_the_cached_figures_are_older_than_the_max_age(
    client, dash, settings, monkeypatch
):
    settings.DASHBOARD_MAX_AGE = 60
    clock = [time.time()]
    monkeypatch.setattr("reporting.dashboards.cache._now", lambda: clock[0])
    first = get(client, dash.central_manager, OVERVIEW, {"year": ""})
    done = first.context["dashboard"].kpis[1].value
    computed_at = timezone.localtime(first.context["dashboard"].computed_at)
    kpis, computed = shown_figures(first)
    assert kpis[1] == str(done)
    assert computed == f"Số liệu tính lúc {computed_at:%H:%M} ngày {computed_at:%d/%m/%Y}."

    make_progress(dash.other_activity, author=dash.other_staff, status="done", percent=100)
    clock[0] += 59
    assert shown_figures(get(client, dash.central_manager, OVERVIEW, {"year": ""})) == (
        kpis,
        computed,
    )

    clock[0] += 2
    fresh = get(client, dash.central_manager, OVERVIEW, {"year": ""})
    assert fresh.context["dashboard"].kpis[1].value == done + 1
    assert shown_figures(fresh)[0][1] == str(done + 1)


def test_an_unchanged_dashboard_is_reused_after_the_max_age(
    client, dash, settings, monkeypatch, django_assert_max_num_queries
):
    settings.DASHBOARD_MAX_AGE = 60
    clock = [time.time()]
    monkeypatch.setattr("reporting.dashboards.cache._now", lambda: clock[0])
    first = get(client, dash.central_manager, OVERVIEW, {"year": ""})
    clock[0] += 3600
    # Session, user, the user's agencies and the stamp; building it takes some 30 queries.
    with django_assert_max_num_queries(12):
        again = client.get(OVERVIEW, {"year": ""})
    assert shown_figures(again) == shown_figures(first)


def test_with_max_age_zero_a_new_progress_update_shows_on_the_next_request(client, dash, settings):
    settings.DASHBOARD_MAX_AGE = 0
    first = get(client, dash.central_manager, OVERVIEW, {"year": ""})
    done = first.context["dashboard"].kpis[1].value
    make_progress(dash.other_activity, author=dash.other_staff, status="done", percent=100)
    second = get(client, dash.central_manager, OVERVIEW, {"year": ""})
    assert second.context["dashboard"].kpis[1].value == done + 1


def grow(dash, size: int) -> None:
    """More of everything: programs in more provinces, plans, activities, updates, cooperatives."""
    for index, unit in enumerate(
        Province.objects.current().exclude(pk__in=[dash.dong_nai.pk, dash.quang_ngai.pk])[:size]
    ):
        ethnic = Agency.objects.create(
            name=f"Sở DTTG {unit.name}", kind="ethnic_affairs", level="provincial", province=unit
        )
        alliance = Agency.objects.create(
            name=f"LM HTX {unit.name}", kind="coop_alliance", level="provincial", province=unit
        )
        program = make_program(
            title=f"Chương trình {unit.name}", parties=[ethnic, alliance], province=unit
        )
        for year in (2024, 2025):
            plan = services.plan_create(program=program, year=year)
            for area in (1, 2, 3, 4, 5):
                activity = make_activity(
                    plan, lead_agency=ethnic, area_number=area, end_date=datetime.date(year, 9, 30)
                )
                activity.cooperatives.set(
                    [CooperativeFactory(province=unit, ocop_stars=3 + index % 3)]
                )
                make_progress(
                    activity,
                    author=dash.staff,
                    status="in_progress",
                    percent=40,
                    reported_on=datetime.date(year, 5, 1),
                )
                make_progress(
                    activity,
                    author=dash.staff,
                    status="done",
                    percent=100,
                    reported_on=datetime.date(year, 9, 1),
                    budget_spent=5_000_000,
                )


def count_queries(client, user, urls) -> list[int]:
    client.force_login(user)
    counts = []
    for url in urls:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts


def test_query_count_does_not_grow_with_the_data(client, dash):
    urls = [
        OVERVIEW,
        f"{OVERVIEW}?year=",
        f"{OVERVIEW}?year=2025&province={dash.dong_nai.pk}",
        reverse("reporting:program", args=[dash.program.pk]),
        f"{reverse('reporting:activities')}?year=&status=done",
        f"{reverse('reporting:plans')}?year=2025&status=approved",
        f"{reverse('reporting:cooperatives')}?year=",
    ]
    small = count_queries(client, dash.central_manager, urls)
    small_manager = count_queries(client, dash.manager, urls[:4])
    grow(dash, 6)
    assert count_queries(client, dash.central_manager, urls) == small
    assert count_queries(client, dash.manager, urls[:4]) == small_manager
    assert max(small) <= 40


def test_national_row_links_to_the_national_programs_activities(client, dash):
    response = get(client, dash.central_manager, OVERVIEW, {"year": ""})
    provinces = table(response, "provinces")
    national = next(r for r in provinces.rows if r[0].value == "Trung ương")
    listed = get(client, dash.central_manager, national[1].url)
    assert {a.pk for a in listed.context["page"].object_list} == {
        e.activity_id for e in dash.expected if e.province_id is None
    }
    # A provincial manager cannot ask for the national programs.
    other = get(client, dash.manager, OVERVIEW, {"province": "0"})
    assert "Hãy chọn một lựa chọn hợp lệ" in other.content.decode()


def test_the_cached_figures_never_carry_another_readers_filter_form(client, dash):
    """A national reader builds a program's dashboard filtered by an agency of another
    province; a reader of that program in Đồng Nai, asking the same address, gets their own
    filter form (that agency is not theirs to pick: refused, not selected, not offered) and
    the figures of their own valid filters."""
    url = reverse("reporting:program", args=[dash.program.pk])
    query = {"year": "", "agency": dash.other_alliance.pk}
    first = get(client, dash.central_manager, url, query)
    option = f'<option value="{dash.other_alliance.pk}" selected>'
    assert option in first.content.decode()

    page = get(client, dash.manager, url, query).content.decode()
    assert option not in page
    assert f'<option value="{dash.other_alliance.pk}"' not in page
    assert "Hãy chọn một lựa chọn hợp lệ" in page
    unfiltered = get(client, dash.manager, url, {"year": ""})
    assert shown_figures(unfiltered)[0] == re.findall(
        r'<span class="kpi-value">([^<]*)</span>', page
    )


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (0, (0, "đồng")),
        (20_000, (20_000, "đồng")),
        (100_000, (Decimal("0.1"), "triệu đồng")),
        (42_500_000, (Decimal("42.5"), "triệu đồng")),
        (999_940_000, (Decimal("999.9"), "triệu đồng")),
        (10_300_000_000, (Decimal("10.3"), "tỷ đồng")),
    ],
)
def test_an_amount_takes_the_unit_its_size_calls_for_and_is_never_0_when_not_0(amount, shown):
    assert in_unit(amount) == shown


def test_dashboard_spending_of_42_5_million_shows_in_millions_not_as_0_billion(client, world):
    make_progress(world.activity, author=world.staff, budget_spent=42_500_000)
    response = get(client, world.manager, reverse("reporting:program", args=[world.program.pk]))
    kpis = {k.label: k.value for k in response.context["dashboard"].kpis}
    assert kpis["Kinh phí đã sử dụng (triệu đồng)"] == Decimal("42.5")
    page = response.content.decode()
    assert '<span class="kpi-value">42,5</span>' in page


def test_count_charts_step_by_whole_numbers_and_money_charts_do_not(client, dash):
    response = get(client, dash.central_manager, OVERVIEW, {"year": ""})
    assert table(response, "areas").chart["whole"] is True
    assert table(response, "budget").chart["whole"] is False  # amounts, not counts


def test_program_dashboard_filter_lists_the_programs_own_task_areas(client, world):
    area = world.program.task_areas.order_by("number").last()
    area.title = "Hỗ trợ HTX tiếp cận tín dụng ưu đãi"
    area.save()
    response = get(client, world.manager, reverse("reporting:program", args=[world.program.pk]))
    choices = dict(response.context["form"].fields["area"].choices)
    assert choices[area.number] == f"{area.number}. Hỗ trợ HTX tiếp cận tín dụng ưu đãi"
    assert f"{area.number}. Hỗ trợ HTX tiếp cận tín dụng ưu đãi</option>" in (
        response.content.decode()
    )


def test_xlsx_names_are_plain_sheets_cut_between_words_and_years_are_numbers(client, dash):
    response = get(client, dash.central_manager, OVERVIEW, {"year": "", "xlsx": "areas"})
    filename = response["Content-Disposition"].split('filename="')[1].rstrip('"')
    assert filename == "tien-do-hoat-dong-theo-noi-dung-phoi-hop.xlsx"
    # "Tiến độ hoạt động theo nội dung phối hợp" is 40 characters: cut before "phối".
    assert (
        load_workbook(io.BytesIO(response.content)).active.title
        == "Tiến độ hoạt động theo nội dung"
    )
    url = reverse("reporting:program", args=[dash.program.pk])
    response = get(client, dash.manager, url, {"year": "", "xlsx": "trend"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    years = [r[0] for r in sheet.iter_rows(values_only=True) if isinstance(r[0], int)]
    assert years == list(range(2021, 2031))


def test_the_supported_cooperatives_export_labels_a_record_of_an_old_province(client, dash):
    # One supported cooperative recorded under old Bình Phước: the list and its export show the
    # unit it was recorded under and today's.
    coop = next(pk for e in dash.expected for pk in e.cooperative_ids)
    Cooperative.objects.filter(pk=coop).update(province=dash.binh_phuoc)
    url = reverse("reporting:cooperatives")
    label = "Bình Phước (cũ) – nay là TP Đồng Nai"
    assert label in get(client, dash.central_manager, url, {"year": ""}).content.decode()
    response = get(client, dash.central_manager, url, {"year": "", "xlsx": "1"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert label in [row[2] for row in sheet.iter_rows(values_only=True)]


def test_filter_form_checks_ids_against_the_readers_own_choices(client, dash):
    """The program, province and agency filters are checked against the reader's choices (read
    as plain values): a value outside them is refused beside its field with ModelChoiceField's
    message and leaves the filter out; one inside is kept as an id, written as a database
    would read it. A provincial manager cannot pick another province, its agency or its
    program; a national reader can."""
    message = (
        "Hãy chọn một lựa chọn hợp lệ. Lựa chọn đó không phải là một trong các lựa chọn khả thi."
    )

    def form(user, **params):
        return get(client, user, OVERVIEW, {"year": "", **params}).context["form"]

    refused = {
        "program": dash.other_program.pk,
        "province": dash.quang_ngai.pk,
        "agency": dash.other_alliance.pk,
    }
    for name, value in refused.items():
        for wrong in (value, "abc", 2**64, "1.5", "0"):
            manager_form = form(dash.manager, **{name: wrong})
            assert [str(e) for e in manager_form.errors[name]] == [message]
            assert getattr(manager_form.filters(), f"{name}_id") is None
        # The national reader has them among their choices.
        central_form = form(dash.central_manager, **{name: f" 0{value}"})
        assert name not in central_form.errors
        assert getattr(central_form.filters(), f"{name}_id") == value
    # The manager's own ones, and the national programs for the national reader only.
    own = form(
        dash.manager, program=dash.program.pk, province=dash.dong_nai.pk, agency=dash.central.pk
    )
    assert not own.errors
    filters = own.filters()
    assert (filters.program_id, filters.province_id, filters.agency_id) == (
        dash.program.pk,
        dash.dong_nai.pk,
        dash.central.pk,
    )
    assert form(dash.central_manager, province="0").filters().province_id == 0
    # An inactive agency is not offered, even to a national reader.
    assert "agency" in form(dash.central_manager, agency=dash.ethnic_old.pk).errors
