"""Registering and setting up a program in the browser (coordination/setup/): who may register
which program and change its setup (refusals change nothing), the models' rules as field
errors, what a program with plans keeps, the indicator history, the signed document's check
and the setup page's query count."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.tests.factories import UserFactory
from coordination import services
from coordination.models import Indicator, Phase, Program, TaskArea

from . import files
from .factories import make_program

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
REGISTER_URL = reverse("coordination:program_register")


def pdf(name="chuong-trinh-ky.pdf"):
    return SimpleUploadedFile(name, files.PDF_BYTES, content_type="application/pdf")


def login(client, user):
    client.force_login(user)
    return client


def registration(world, **overrides):
    """The form of a Đồng Nai 2026–2030 program signed by its two party agencies."""
    data = {
        "kind": "coordination",
        "number": "02/CTr-SDTTG-LMHTX",
        "title": "Chương trình phối hợp giai đoạn 2026–2030",
        "level": "provincial",
        "province": world.dong_nai.pk,
        "parties": [world.ethnic.pk, world.alliance.pk],
        "signed_on": "15/01/2026",
        "start_year": "2026",
        "end_year": "2030",
        "legal_basis": "Luật Hợp tác xã số 17/2023/QH15",
        "standard_task_areas": "on",
        "standard_phases": "on",
        "document": pdf(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT / "programs"
    return sorted(root.iterdir()) if root.exists() else []


# --- registering ---------------------------------------------------------------------------
def test_a_provincial_manager_registers_a_program_with_the_standard_setup(client, world, settings):
    response = login(client, world.manager).post(REGISTER_URL, registration(world))
    program = Program.objects.get(number="02/CTr-SDTTG-LMHTX")
    assert response.status_code == 302
    assert response["Location"] == reverse("coordination:program_setup", args=[program.pk])
    assert program.province == world.dong_nai
    assert set(program.parties.all()) == {world.ethnic, world.alliance}
    assert str(program.signed_on) == "2026-01-15"
    assert program.task_areas.count() == 5
    assert program.task_areas.get(number=2).title == "Thông tin, tuyên truyền"
    # The national split cut to the program's years: 2026–2030 only.
    assert [(p.number, p.start_year, p.end_year) for p in program.phases.all()] == [(1, 2026, 2030)]
    assert program.document_name == "chuong-trinh-ky.pdf"
    assert program.document.name.startswith("programs/") and program.document.name.endswith(".pdf")
    assert len(stored_files(settings)) == 1
    # The document is served to those who read the program, as a download.
    download = client.get(program.get_document_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == files.PDF_BYTES
    assert "chuong-trinh-ky.pdf" in download["Content-Disposition"]


def test_standard_phases_are_cut_to_the_program_years(client, world):
    login(client, world.alliance_manager).post(
        REGISTER_URL, registration(world, start_year="2022", end_year="2030")
    )
    program = Program.objects.get(number="02/CTr-SDTTG-LMHTX")
    assert [(p.start_year, p.end_year) for p in program.phases.all()] == [
        (2022, 2025),
        (2026, 2030),
    ]


def test_the_standard_task_areas_can_be_left_out(client, world):
    login(client, world.manager).post(
        REGISTER_URL, registration(world, standard_task_areas=None, standard_phases=None)
    )
    program = Program.objects.get(number="02/CTr-SDTTG-LMHTX")
    assert program.task_areas.count() == 0 and program.phases.count() == 0


def test_a_central_admin_registers_a_national_program(client, world):
    data = registration(
        world, level="central", province="", parties=[world.central.pk, world.vca.pk]
    )
    response = login(client, world.admin).post(REGISTER_URL, data)
    assert response.status_code == 302
    program = Program.objects.get(number="02/CTr-SDTTG-LMHTX")
    assert program.level == "central" and program.province is None


def test_the_plan_deadline_is_set_on_the_form_or_keeps_its_default(client, world):
    client = login(client, world.manager)
    response = client.post(
        REGISTER_URL, registration(world, plan_deadline_day="15", plan_deadline_month="2")
    )
    assert response.status_code == 302
    program = Program.objects.get(number="02/CTr-SDTTG-LMHTX")
    assert program.plan_deadline(2027) == datetime.date(2027, 2, 15)
    assert "15/02" in client.get(setup_url(program)).content.decode()
    response = client.post(
        reverse("coordination:program_edit", args=[program.pk]),
        registration(world, plan_deadline_day="30", plan_deadline_month="2"),
    )
    assert "Tháng 2 không có ngày 30." in str(response.context["form"].errors)
    program.refresh_from_db()
    assert (program.plan_deadline_day, program.plan_deadline_month) == (15, 2)


@pytest.mark.parametrize("who", ["staff", "central_manager", "outsider", "superuser"])
def test_who_may_not_register_gets_403_and_nothing_changes(client, world, settings, who):
    user = UserFactory(username="root", is_superuser=True) if who == "superuser" else None
    client = login(client, user or getattr(world, who))
    assert client.get(REGISTER_URL).status_code == 403
    before = Program.objects.count()
    assert client.post(REGISTER_URL, registration(world)).status_code == 403
    assert Program.objects.count() == before
    assert stored_files(settings) == []


def test_another_province_cannot_register_for_dong_nai(client, world, settings):
    client = login(client, world.other_manager)
    before = Program.objects.count()
    # Đồng Nai's agencies are not even offered to Quảng Ngãi's manager.
    response = client.post(REGISTER_URL, registration(world))
    assert response.status_code == 200
    assert "parties" in response.context["form"].errors
    # Their own agency with Đồng Nai's province: the program is not theirs to register.
    data = registration(world, parties=[world.other_ethnic.pk, world.other_alliance.pk])
    response = client.post(REGISTER_URL, data)
    assert response.context["form"].errors["province"]
    assert Program.objects.count() == before
    assert stored_files(settings) == []


def test_a_party_not_your_own_is_refused_on_the_field(client, world):
    # Đồng Nai's manager names two agencies of which neither is theirs.
    data = registration(world, parties=[world.alliance.pk, world.department.pk])
    response = login(client, world.manager).post(REGISTER_URL, data)
    assert response.context["form"].errors["parties"] == [
        "Cơ quan tham gia phải gồm cơ quan mà bạn là lãnh đạo hoặc quản trị viên, cùng cấp và "
        "cùng tỉnh với chương trình."
    ]
    assert not Program.objects.filter(number="02/CTr-SDTTG-LMHTX").exists()


def test_model_rules_show_on_their_fields_in_vietnamese(client, world):
    client = login(client, world.manager)
    response = client.post(REGISTER_URL, registration(world, start_year="2030", end_year="2026"))
    assert response.context["form"].errors["end_year"] == [
        "Năm kết thúc phải từ năm bắt đầu trở đi."
    ]
    response = client.post(REGISTER_URL, registration(world, parties=[world.ethnic.pk]))
    assert response.context["form"].errors["parties"] == [
        "Chương trình phối hợp phải có ít nhất hai cơ quan tham gia."
    ]
    assert not Program.objects.filter(number="02/CTr-SDTTG-LMHTX").exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("van-ban.pdf", b"<html>not a pdf</html>"),
            "Chỉ nhận tệp PDF, Word (doc, docx), Excel (xls, xlsx), JPEG hoặc PNG.",
        ),
        (SimpleUploadedFile("van-ban.pdf", files.png_bytes()), "Văn bản ký phải là tệp PDF."),
        (SimpleUploadedFile("van-ban.docx", files.docx_bytes()), "Văn bản ký phải là tệp PDF."),
    ],
)
def test_the_signed_document_must_be_a_pdf_by_its_content(client, world, settings, upload, message):
    response = login(client, world.manager).post(REGISTER_URL, registration(world, document=upload))
    assert response.status_code == 200
    assert response.context["form"].errors["document"] == [message]
    assert not Program.objects.filter(number="02/CTr-SDTTG-LMHTX").exists()
    assert stored_files(settings) == []


# --- setting up ------------------------------------------------------------------------------
def setup_url(program, name="program_setup", *args):
    return reverse(f"coordination:{name}", args=[program.pk, *args])


@pytest.mark.parametrize(
    ("who", "page", "change"),
    [
        ("manager", 200, 302),  # a manager of a party (through the successor of the signer)
        ("alliance_manager", 200, 302),
        ("staff", 200, 403),  # party staff read the setup
        ("central_manager", 200, 403),  # reads every program, sets up none
        ("admin", 200, 403),  # a central admin, not a party of this provincial program
        ("other_manager", 404, 404),
        ("department_staff", 404, 404),
    ],
)
def test_who_may_change_a_program_setup(client, world, who, page, change):
    program = world.program
    client = login(client, getattr(world, who))
    response = client.get(setup_url(program))
    assert response.status_code == page
    if page == 200:
        assert response.context["can_setup"] == (change == 302)
        assert (b'id="add-task-area"' in response.content) == (change == 302)
    before = list(program.task_areas.values_list("number", "title"))
    response = client.post(setup_url(program, "task_area_add"), {"area-title": "Chuyển đổi số"})
    assert response.status_code == change
    after = list(program.task_areas.values_list("number", "title"))
    assert after == ([*before, (6, "Chuyển đổi số")] if change == 302 else before)
    edit = client.get(setup_url(program, "program_edit"))
    assert edit.status_code == (200 if change == 302 else change)
    facts = {
        "kind": program.kind,
        "title": "Tên mới",
        "level": program.level,
        "province": program.province_id,
        "parties": list(program.parties.values_list("pk", flat=True)),
        "start_year": program.start_year,
        "end_year": program.end_year,
    }
    assert client.post(setup_url(program, "program_edit"), facts).status_code == change
    program.refresh_from_db()
    assert (program.title == "Tên mới") == (change == 302)


def test_a_national_program_is_set_up_by_the_admins_of_its_parties(client, world):
    national = make_program(title="Chương trình toàn quốc", parties=[world.central, world.vca])
    assert client.get(setup_url(national)).status_code == 302  # anonymous: log in
    assert (
        login(client, world.central_manager).get(setup_url(national, "program_edit")).status_code
        == 403
    )
    assert login(client, world.admin).get(setup_url(national, "program_edit")).status_code == 200


def test_a_phase_outside_the_program_is_refused_on_its_field(client, world):
    program = make_program(
        title="Chương trình mới", parties=[world.ethnic, world.alliance],
        province=world.dong_nai, phases=[(2021, 2025)],
    )  # fmt: skip
    client = login(client, world.manager)
    response = client.post(
        setup_url(program, "phase_add"), {"phase-start_year": "2026", "phase-end_year": "2031"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end_year"] == [
        "Giai đoạn phải nằm trong thời gian của chương trình (2021–2030)."
    ]
    # With htmx the setup body comes back with the error next to the field.
    response = client.post(
        setup_url(program, "phase_add"),
        {"phase-start_year": "2024", "phase-end_year": "2027"},
        **HTMX,
    )
    assert response["HX-Retarget"] == "#setup-body"
    assert "Giai đoạn trùng thời gian với Giai đoạn 2021–2025." in response.content.decode()
    assert program.phases.count() == 1
    response = client.post(
        setup_url(program, "phase_add"), {"phase-start_year": "2026", "phase-end_year": "2030"}
    )
    assert response.status_code == 302
    assert [(p.number, p.start_year) for p in program.phases.all()] == [(1, 2021), (2, 2026)]


def test_a_phase_or_task_area_used_by_plans_cannot_be_removed(client, world):
    program = world.program  # a 2024 plan with an activity under task area 1
    client = login(client, world.manager)
    used_phase = program.phases.get(number=1)
    used_area = program.task_areas.get(number=1)
    response = client.post(setup_url(program, "phase_delete", used_phase.pk), follow=True)
    assert (
        "Giai đoạn 2021–2025 đã có kế hoạch năm 2024 nên không xóa được; có thể sửa thời gian "
        "của giai đoạn." in [str(m) for m in response.context["messages"]]
    )
    response = client.post(setup_url(program, "task_area_delete", used_area.pk), follow=True)
    assert any("đã có hoạt động" in str(m) for m in response.context["messages"])
    assert Phase.objects.filter(pk=used_phase.pk).exists()
    assert TaskArea.objects.filter(pk=used_area.pk).exists()
    # Nor may the phase's years drop the plan's year.
    response = client.post(
        setup_url(program, "phase_edit", used_phase.pk),
        {"start_year": "2021", "end_year": "2023"},
    )
    assert response.context["form"].non_field_errors() == [
        "Giai đoạn đang chứa kế hoạch năm 2024: thời gian phải bao gồm năm đó."
    ]
    # Unused ones go; the following task areas move up a number.
    unused = program.task_areas.get(number=3)
    response = client.post(setup_url(program, "task_area_delete", unused.pk), **HTMX)
    assert response.status_code == 200 and response["HX-Retarget"] == "#setup-body"
    assert list(program.task_areas.values_list("number", flat=True)) == [1, 2, 3, 4]
    assert (
        program.task_areas.get(number=3).title
        == "Triển khai Chương trình MTQG phát triển KT-XH vùng đồng bào DTTS và miền núi"
    )
    phase2 = program.phases.get(number=2)
    client.post(setup_url(program, "phase_delete", phase2.pk))
    assert program.phases.count() == 1


def test_a_program_with_plans_keeps_its_parties_and_the_years_of_its_plans(client, world):
    program = world.program
    client = login(client, world.manager)
    data = {
        "kind": program.kind,
        "number": "05/CTr",
        "title": "Tên đã sửa",
        "level": "provincial",
        "province": program.province_id,
        "parties": [world.ethnic_old.pk, world.alliance.pk, world.department.pk],
        "start_year": "2021",
        "end_year": "2030",
    }
    response = client.post(setup_url(program, "program_edit"), data)
    assert response.context["form"].errors["parties"] == [
        "Chương trình đã có kế hoạch năm nên không đổi được cơ quan tham gia."
    ]
    data["parties"] = [world.ethnic_old.pk, world.alliance.pk]
    response = client.post(setup_url(program, "program_edit"), {**data, "start_year": "2025"})
    assert response.context["form"].errors["start_year"] == [
        "Chương trình đã có kế hoạch năm 2024: thời gian phải bao gồm năm đó."
    ]
    program.refresh_from_db()
    assert program.title == "Chương trình phối hợp Bình Phước"
    response = client.post(setup_url(program, "program_edit"), data)
    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.title, program.number) == ("Tên đã sửa", "05/CTr")


def test_task_areas_are_reordered(client, world):
    program = world.program
    client = login(client, world.manager)
    second = program.task_areas.get(number=2)
    client.post(setup_url(program, "task_area_move", second.pk), {"huong": "len"})
    second.refresh_from_db()
    assert second.number == 1
    response = client.post(
        setup_url(program, "task_area_move", second.pk), {"huong": "xuong"}, **HTMX
    )
    assert response["HX-Retarget"] == "#setup-body"
    second.refresh_from_db()
    assert second.number == 2
    # At the top nothing moves; nonsense is ignored.
    first = program.task_areas.get(number=1)
    client.post(setup_url(program, "task_area_move", first.pk), {"huong": "len"})
    client.post(setup_url(program, "task_area_move", first.pk), {"huong": "ngang"})
    first.refresh_from_db()
    assert first.number == 1


def test_an_indicator_change_is_kept_in_the_history_and_shown(client, world):
    program = world.program
    phase1, phase2 = program.phases.all()
    client = login(client, world.manager)
    response = client.post(
        setup_url(program, "indicator_add"),
        {
            "code": "CT1",
            "name": "HTX mới thành lập vùng DTTS",
            "unit": "HTX",
            "task_area": program.task_areas.get(number=4).pk,
            "aggregation": "sum",
            "baseline": "3",
            f"target_{phase1.pk}": "01",
            f"target_{phase2.pk}": "2–3",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(program=program, code="CT1")
    assert [t.display for t in indicator.targets.order_by("phase__start_year")] == ["≥ 1", "2–3"]
    edit = {
        "code": "CT1",
        "name": "HTX mới thành lập vùng đồng bào DTTS và MN",
        "unit": "HTX",
        "task_area": program.task_areas.get(number=4).pk,
        "aggregation": "latest",
        "baseline": "3",
        f"target_{phase1.pk}": "01",
    }
    url = setup_url(program, "indicator_edit", indicator.pk)
    response = client.post(url, {**edit, f"target_{phase2.pk}": "nhiều"})
    assert response.context["form"].errors[f"target_{phase2.pk}"] == [
        "Chỉ tiêu phải là một số hoặc một khoảng như 2–3."
    ]
    indicator.refresh_from_db()
    assert indicator.name == "HTX mới thành lập vùng DTTS"
    response = client.post(url, {**edit, f"target_{phase2.pk}": "4"})
    assert response.status_code == 302
    assert indicator.history.count() == 2
    latest = indicator.history.first()
    assert latest.history_user == world.manager
    page = client.get(setup_url(program)).content.decode()
    assert (
        "Tên chỉ số: HTX mới thành lập vùng DTTS → HTX mới thành lập vùng đồng bào DTTS và MN"
        in page
    )
    assert "Cách tổng hợp: Cộng dồn các năm → Giá trị năm gần nhất" in page
    assert "Chỉ tiêu (tối đa): 3 → —" in page  # 2–3 became 4
    assert "Chỉ tiêu (tối thiểu): 2 → 4" in page


def test_an_indicator_code_is_unique_in_its_program(client, world):
    services.indicator_create(program=world.program, code="CT1", name="A", unit="HTX")
    response = login(client, world.manager).post(
        setup_url(world.program, "indicator_add"),
        {"code": "CT1", "name": "B", "unit": "HTX", "aggregation": "sum"},
    )
    assert response.context["form"].errors["code"] == ["Chương trình đã có chỉ số mã CT1."]


def test_an_indicator_used_by_an_activity_stays(client, world):
    indicator = services.indicator_create(program=world.program, code="CT1", name="A", unit="HTX")
    world.activity.indicator = indicator
    world.activity.save()
    response = login(client, world.manager).post(
        setup_url(world.program, "indicator_delete", indicator.pk), follow=True
    )
    assert any("đã được dùng" in str(m) for m in response.context["messages"])
    assert Indicator.objects.filter(pk=indicator.pk).exists()


def test_the_setup_page_reads_in_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    program = world.program
    client = login(client, world.manager)
    phases = list(program.phases.all())

    def grow(start, count):
        for n in range(start, start + count):
            services.task_area_add(program=program, title=f"Nội dung {n}")
            services.indicator_create(
                program=program,
                code=f"X{n}",
                name=f"Chỉ số {n}",
                unit="HTX",
                task_area=program.task_areas.last(),
                targets={phase: str(n) for phase in phases},
            )

    grow(1, 2)
    with django_assert_max_num_queries(40) as small:
        assert client.get(setup_url(program)).status_code == 200
    grow(3, 15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(setup_url(program)).status_code == 200


def test_the_document_is_served_only_to_readers(client, world):
    program = world.program
    services.program_update(program=program, by=world.manager, document=pdf())
    assert login(client, world.staff).get(program.get_document_url()).status_code == 200
    assert login(client, world.other_staff).get(program.get_document_url()).status_code == 404
    assert login(client, world.staff).get(world.other_program.get_document_url()).status_code == 404


def test_the_home_and_program_pages_link_to_registration_and_setup(client, world):
    page = login(client, world.manager).get(reverse("coordination:home")).content.decode()
    assert REGISTER_URL in page
    page = login(client, world.staff).get(reverse("coordination:home")).content.decode()
    assert REGISTER_URL not in page
    page = client.get(world.program.get_absolute_url()).content.decode()
    assert setup_url(world.program) in page


def test_a_task_area_is_edited_in_place_with_htmx_or_on_its_own_page(client, world):
    program = world.program
    area = program.task_areas.get(number=2)
    url = setup_url(program, "task_area_edit", area.pk)
    client = login(client, world.manager)
    response = client.get(url, **HTMX)
    assert response.content.decode().startswith('<li class="setup-item editing">')
    response = client.post(url, {"title": ""}, **HTMX)
    assert "Nhập nội dung phối hợp." in response.content.decode()
    assert "<html" not in response.content.decode()
    response = client.post(url, {"title": "Thông tin, tuyên truyền, chuyển đổi số"}, **HTMX)
    assert response["HX-Retarget"] == "#setup-body"
    area.refresh_from_db()
    assert area.title == "Thông tin, tuyên truyền, chuyển đổi số"
    assert area.history.first().history_user == world.manager
    # Without JavaScript: a page of its own, then back to the setup page.
    assert "<html" in client.get(url).content.decode()
    response = client.post(url, {"title": "Thông tin, tuyên truyền"})
    assert response["Location"].startswith(setup_url(program))


def test_the_setup_page_lists_task_areas_in_their_order(client, world):
    program = world.program
    services.task_area_move(task_area=program.task_areas.get(number=5), up=True)
    page = login(client, world.manager).get(setup_url(program))
    assert [a.number for a in page.context["areas"]] == [1, 2, 3, 4, 5]
    assert page.context["areas"][3].title.startswith("Kiểm tra, giám sát")
