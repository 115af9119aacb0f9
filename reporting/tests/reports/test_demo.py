"""The demo commendations: loaded by `load_demo`, the same after a second run, and listed in
the 2024 sơ kết of the Bình Phước scheme."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from coordination.models import Program
from reporting.models import Commendation
from reporting.reports import services

pytestmark = pytest.mark.django_db


def test_load_demo_adds_commendations_once_and_the_review_lists_them():
    call_command("load_demo")
    first = list(Commendation.objects.order_by("pk").values())
    call_command("load_demo")
    assert list(Commendation.objects.order_by("pk").values()) == first
    assert len(first) == 3
    program = Program.objects.get(number="2993/QĐ-UBND")
    report = services.report_generate(
        program=program,
        kind="annual",
        year=2024,
        by=get_user_model().objects.get(username="canbo"),
    )
    listed = [item["decision_number"] for item in report.data["commendations"]]
    assert listed == list(
        program.commendations.filter(year=2024)
        .order_by("decision_date")
        .values_list("decision_number", flat=True)
    )
    assert "2718/QĐ-UBND" in listed


def test_the_demo_shows_a_reporting_calendar_and_who_has_reported():
    from django.test import Client
    from django.urls import reverse

    call_command("load_demo")
    call_command("load_demo")
    dong_nai = Program.objects.get(number="01/CTr-SDTTG-LMHTX")
    assert dong_nai.half_year_review and dong_nai.reports.filter(status="finalised").count() == 1
    binh_phuoc = Program.objects.get(number="2993/QĐ-UBND")
    assert binh_phuoc.closes_periods and binh_phuoc.period_reopenings.count() == 1
    client = Client()
    client.force_login(get_user_model().objects.get(username="trunguong"))
    response = client.get(reverse("reporting:who_has_reported"), {"period": "annual-2025"})
    states = {row.program.number: row.state for row in response.context["rows"]}
    assert states["01/CTr-SDTTG-LMHTX"] == "finalised"
    assert states["2993/QĐ-UBND"] == "late"
    setup = client.get(reverse("coordination:program_setup", args=[binh_phuoc.pk]))
    assert "Bổ sung kết quả hỗ trợ HTX chuyển đổi số" in setup.content.decode()


def test_the_demo_national_program_receives_the_provinces_reports():
    call_command("load_demo")
    call_command("load_demo")  # idempotent: still one report per period
    national = Program.objects.get(level="central", title__contains="Ủy ban Dân tộc")
    assert national.provincial_programs.count() == 3
    (report,) = national.reports.filter(year=2025)
    rollup = report.data["rollup"]
    states = {row["province"]: row["state"] for row in rollup["provinces"]}
    # Quảng Ngãi's and Kiên Giang's programs were signed by the units before the merger.
    assert states == {
        "TP Đồng Nai": "finalised",
        "Quảng Ngãi (cũ)": "draft",
        "Kiên Giang (cũ)": "not_started",
    }
    assert sorted(rollup["missing"]) == sorted(
        label for label, state in states.items() if state != "finalised"
    )
    assert "- TP Đồng Nai: Đề nghị Bộ Dân tộc và Tôn giáo" in report.proposals
