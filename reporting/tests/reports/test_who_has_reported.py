"""Who has reported (/bao-cao/tinh-hinh-bao-cao/): for a period, each program that should report
with the state of its sơ kết (not started, draft, finalised, late) and since when, and its yearly
plan; who may see which rows; a bounded number of queries."""

import datetime

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coordination import services as coordination
from coordination.models import Program
from coordination.tests.factories import make_program
from reporting.reports import reporting_status, services

pytestmark = pytest.mark.django_db
URL = reverse("reporting:who_has_reported")
D = datetime.date


@pytest.fixture
def network(world):
    """A national program carried out by Đồng Nai's (through old Bình Phước) and Quảng Ngãi's.
    2025: Đồng Nai finalised its annual review, Quảng Ngãi has a draft (both past the deadline
    of 20/12/2025). 2026 (due 20/12/2026): Đồng Nai has a draft. Quảng Ngãi's 2024 plan is
    submitted."""
    national = make_program(
        title="Chương trình phối hợp UBDT – Liên minh HTX Việt Nam",
        parties=[world.central, world.vca],
    )
    for program in (world.program, world.other_program):
        Program.objects.filter(pk=program.pk).update(national_program=national)
    finalised = services.report_generate(
        program=world.program, kind="annual", year=2025, by=world.staff
    )
    for manager in (world.manager, world.alliance_manager):
        finalised = services.report_finalise(report=finalised, by=manager)
    services.report_generate(program=world.other_program, kind="annual", year=2025,
                             by=world.other_staff)  # fmt: skip
    services.report_generate(program=world.program, kind="annual", year=2026, by=world.staff)
    coordination.plan_submit(plan=world.other_plan, by=world.other_staff)
    world.national = national
    world.finalised = finalised
    return world


def page(user, **params):
    client = Client()
    client.force_login(user)
    return client.get(URL, params)


def table(response, name="rows") -> dict[str, tuple]:
    return {row.program.title: row for row in response.context[name]}


def test_a_national_program_lists_itself_and_the_provinces_carrying_it_out(network):
    w = network
    response = page(w.central_manager, program=w.national.pk, period="annual-2025")
    assert response.status_code == 200
    rows = table(response)
    assert list(rows) == [w.national.title, w.program.title, w.other_program.title]
    done = rows[w.program.title]
    assert (done.state, done.since, done.report_id) == (
        "finalised", timezone.localdate(w.finalised.finalised_at), w.finalised.pk
    )  # fmt: skip
    # Past 20/12/2025 and not finalised: late since the day after, draft or not.
    assert (rows[w.other_program.title].state, rows[w.other_program.title].since) == (
        "late", D(2025, 12, 21)
    )  # fmt: skip
    assert rows[w.national.title].state == "late"
    body = response.content.decode()
    assert "từ 15/12/2024 đến 14/12/2025" in body and "21/12/2025" in body
    assert reverse("reporting:report_detail", args=[w.finalised.pk]) in body


def test_before_the_deadline_a_draft_is_a_draft_and_nothing_is_not_started(network):
    w = network
    rows = table(page(w.central_manager, program=w.national.pk, period="annual-2026"))
    assert rows[w.program.title].state == "draft"
    assert rows[w.program.title].since is not None
    assert (rows[w.other_program.title].state, rows[w.other_program.title].since) == (
        "not_started", None
    )  # fmt: skip


def test_plans_of_the_periods_year(network):
    w = network
    response = page(w.central_manager, program=w.national.pk, period="annual-2024")
    plans = table(response, "plans")
    assert plans[w.other_program.title].state == "submitted"
    # The 2024 plan was due 31/01/2024 and is still a draft; the national one has none.
    assert (plans[w.program.title].state, plans[w.program.title].since) == ("late", D(2024, 2, 1))
    assert plans[w.national.title].plan_id is None
    # Before the deadline, a draft plan is not submitted yet.
    early = reporting_status.plan_rows([w.program], 2024, today=D(2024, 1, 15))
    assert early[0].state == "not_submitted"


def test_six_month_periods_list_only_programs_that_have_them(network):
    w = network
    coordination.program_update(program=w.program, by=w.manager, half_year_review=True)
    rows = table(page(w.central_manager, period="half-2026"))
    assert list(rows) == [w.program.title]
    assert rows[w.program.title].deadline == D(2026, 6, 20)


def test_a_provincial_manager_sees_only_their_own_programs(network):
    w = network
    rows = table(page(w.other_manager, period="annual-2025"))
    assert list(rows) == [w.other_program.title]
    # Another province's program as the filter: not offered, shown as an error, own rows kept.
    response = page(w.other_manager, program=w.program.pk, period="annual-2025")
    assert response.status_code == 200
    assert list(table(response)) == [w.other_program.title]
    assert response.context["form"].errors["program"]


def test_staff_are_refused_and_anonymous_users_sent_to_log_in(network):
    response = page(network.staff)
    assert response.status_code == 403
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302 and "dang-nhap" in anonymous["Location"]


def test_bad_parameters_show_the_default_period(network):
    response = page(network.manager, period="annual-20x6", program="2" * 25)
    assert response.status_code == 200
    assert response.context["form"].errors


def test_query_count_does_not_grow_with_programs(network, django_assert_max_num_queries):
    w = network
    client = Client()
    client.force_login(w.central_manager)
    # Session (3), user, access (2), policy, programs offered, programs, reports, plans, the bell.
    with django_assert_max_num_queries(13):
        client.get(URL, {"period": "annual-2025"})
    for n in range(6):
        extra = make_program(
            title=f"Chương trình tỉnh {n}",
            parties=[w.other_ethnic, w.other_alliance],
            province=w.quang_ngai,
        )
        Program.objects.filter(pk=extra.pk).update(national_program=w.national)  # fmt: skip
    with django_assert_max_num_queries(13):
        assert len(client.get(URL, {"period": "annual-2025"}).context["rows"]) == 9


def test_the_overview_and_the_reports_index_link_to_it_for_managers_only(network):
    for name in ("reporting:overview", "reporting:report_index"):
        client = Client()
        client.force_login(network.manager)
        assert URL in client.get(reverse(name)).content.decode()
        client.force_login(network.staff)
        assert URL not in client.get(reverse(name)).content.decode()


def test_a_plan_is_submitted_or_approved_since_the_day_it_became_so(network):
    w = network
    plan = w.other_plan  # submitted in the fixture
    # The plan was written and submitted nine days ago.
    plan.history.update(history_date=F("history_date") - datetime.timedelta(days=9))
    entered = plan.history.filter(status="submitted").earliest().history_date
    # A later save that leaves the status as it is (a document number) does not move "since".
    plan.refresh_from_db()
    plan.document_number = "12/KH-BDT"
    plan.save()
    rows = table(page(w.central_manager, program=w.national.pk, period=f"annual-{plan.year}"),
                 "plans")  # fmt: skip
    row = rows[w.other_program.title]
    assert (row.state, row.since) == ("submitted", timezone.localdate(entered))
    assert row.since != timezone.localdate(plan.updated_at)
