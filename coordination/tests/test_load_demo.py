import hashlib
import json

import pytest
from django.core import serializers
from django.core.management import call_command

from agencies.models import Agency, Province
from cooperatives.models import Cooperative
from coordination.models import Activity, Program, ProgressUpdate, YearlyPlan

pytestmark = pytest.mark.django_db

VOLATILE = {"updated_at", "created_at", "last_login", "date_joined", "password"}


def snapshot() -> str:
    rows = []
    for model in (Agency, Cooperative, Program, YearlyPlan, Activity, ProgressUpdate):
        for item in json.loads(serializers.serialize("json", model.objects.order_by("pk"))):
            item["fields"] = {k: v for k, v in item["fields"].items() if k not in VOLATILE}
            rows.append(item)
    return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()


def test_load_demo_twice_gives_the_same_database(capsys):
    call_command("load_demo")
    first = snapshot()
    call_command("load_demo")
    assert snapshot() == first
    assert "canbo" in capsys.readouterr().out


def test_demo_data_holds_what_the_seeds_describe():
    call_command("load_demo")
    national = Program.objects.get(level="central")
    assert national.task_areas.count() == 4
    assert sorted(national.parties.values_list("short_name", flat=True)) == ["UBDT", "VCA"]
    kien_giang = Program.objects.get(title__contains="Kiên Giang")
    assert kien_giang.task_areas.count() == 5 and kien_giang.phases.count() == 2
    assert kien_giang.indicators.get(code="CT2").targets.get().display == "2–3"
    assert Program.objects.get(number="1206/QĐ-UBND").task_areas.count() == 7
    plan = YearlyPlan.objects.get(document_number="116/KH-UBND")
    assert plan.year == 2024 and plan.activities.count() >= 8
    assert Cooperative.objects.search(
        "muong chang"
    ).get().province == Province.objects.current().get(code="08")
    ban_dan_toc_kg = Agency.objects.get(name="Ban Dân tộc tỉnh Kiên Giang")
    assert ban_dan_toc_kg.successor.province.name == "An Giang"


def test_demo_lets_canbo_start_2026_from_an_approved_2025_plan():
    from django.contrib.auth import get_user_model

    call_command("load_demo")
    canbo = get_user_model().objects.get(username="canbo")
    plan = YearlyPlan.objects.editable_by(canbo).get(year=2025, program__start_year=2025)
    assert plan.status == "approved" and 2026 in plan.program.years
    assert plan.approvals.count() == 2
    assert not plan.program.plans.filter(year=2026).exists()
    assert plan.activities.exclude(budget_source="").count() == plan.activities.count()
