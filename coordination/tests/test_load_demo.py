import hashlib
import json
import shutil
import tomllib

import pytest
from django.core import serializers
from django.core.management import call_command

from agencies.models import Agency, Province
from cooperatives.models import Cooperative
from coordination.demo.loader import DEMO_DIR, load_demo
from coordination.demo.tables import DemoDataError
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


def test_every_program_file_is_loaded_whole():
    """Each file of coordination/demo/programs gives its program with the file's indicators and
    plans, each plan with as many activities and progress updates as the file lists."""
    call_command("load_demo")
    files = sorted((DEMO_DIR / "programs").iterdir())
    assert len(files) == Program.objects.count() == 6
    for file in files:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
        program = Program.objects.get(title=data["program"]["title"])
        codes = [indicator["code"] for indicator in data.get("indicators", [])]
        assert sorted(program.indicators.values_list("code", flat=True)) == sorted(codes)
        assert program.plans.count() == len(data.get("plans", []))
        for given in data.get("plans", []):
            plan = program.plans.get(year=given["year"])
            activities = given.get("activities", [])
            assert plan.activities.count() == len(activities), file.name
            updates = sum(len(activity.get("progress", [])) for activity in activities)
            assert ProgressUpdate.objects.filter(activity__plan=plan).count() == updates


BINH_PHUOC = "programs/04-binh-phuoc.toml"


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (  # a misspelt key of a service argument
            BINH_PHUOC,
            "planned_budget = 35_000_000",
            "planed_budget = 35_000_000",
            "khóa “plans[1].activities[1].planed_budget”: khóa không dùng đến",
        ),
        (  # a reference to an agency that shared.toml does not have
            BINH_PHUOC,
            'lead_agency = "sct_binhphuoc"',
            'lead_agency = "sct_binh_phuoc"',
            "khóa “plans[1].activities[7].lead_agency”: không có cơ quan “sct_binh_phuoc”",
        ),
        (  # a required key left out
            BINH_PHUOC,
            'title = "Sơ kết thực hiện Đề án năm 2024"\n',
            "",
            "khóa “plans[1].activities[10].title”: thiếu khóa bắt buộc này",
        ),
        (  # a value the model refuses
            BINH_PHUOC,
            "percent = 70",
            "percent = 170",
            "khóa “plans[1].activities[4].progress[1]”: percent: ",
        ),
        (  # a misspelt key in the shared file
            "shared.toml",
            'short_name = "SDTTG"',
            'shortname = "SDTTG"',
            "shared.toml, khóa “agencies.sdt_angiang.shortname”: khóa không dùng đến",
        ),
        (  # a value the model refuses, in the shared file
            "shared.toml",
            'rating = "fair"',
            'rating = "khá"',
            "shared.toml, khóa “cooperatives.bugiamap”: rating: ",
        ),
        (  # a value of the wrong type where the loader reads it
            "shared.toml",
            'memberships = { lm_dongnai = "staff" }',
            'memberships = "lm_dongnai"',
            'shared.toml, khóa “users."canbo.lmhtx".memberships”: phải là bảng',
        ),
        (  # not TOML at all
            BINH_PHUOC,
            'kind = "scheme"',
            'kind = "scheme',
            "04-binh-phuoc.toml: không đọc được TOML: ",
        ),
    ],
)
def test_a_malformed_data_file_stops_the_load_naming_the_file_and_the_key(
    tmp_path, file, old, new, expected
):
    folder = tmp_path / "demo"
    shutil.copytree(DEMO_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    text = (folder / file).read_text(encoding="utf-8")
    assert old in text
    (folder / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DemoDataError) as error:
        load_demo(folder=folder)
    assert str(error.value).startswith(str(folder / file))
    assert expected in str(error.value)
    assert not Program.objects.exists()  # nothing half-loaded


def test_a_file_that_is_not_toml_in_programs_stops_the_load(tmp_path):
    """Every file of programs/ is loaded, so one the loader cannot read is an error, not
    skipped."""
    folder = tmp_path / "demo"
    shutil.copytree(DEMO_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (folder / "programs" / "00-notes.txt").write_text("Chương trình mới", encoding="utf-8")
    with pytest.raises(DemoDataError, match="00-notes.txt: thư mục programs chỉ chứa"):
        load_demo(folder=folder)
