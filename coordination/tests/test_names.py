"""Pages and the plan document name units as recorded and as today (issue 15): a program of old
Bình Phước reads 'Bình Phước (cũ) – nay là TP Đồng Nai'; the plan's header shows its parties as
on the plan's date, each under its own parent line."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from cooperatives.tests.factories import CooperativeFactory
from coordination import services

from .factories import make_program

pytestmark = pytest.mark.django_db
LABEL = "Bình Phước (cũ) – nay là TP Đồng Nai"


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_programs_and_plans_of_an_old_province_show_it_and_todays_unit(client, world):
    assert LABEL in page(client, world.staff, reverse("coordination:home"))
    assert LABEL in page(client, world.staff, world.program.get_absolute_url())
    assert LABEL in page(client, world.staff, reverse("coordination:my_plans"))
    # A unit still in force is named alone.
    other = page(client, world.other_staff, reverse("coordination:home"))
    assert "Quảng Ngãi" in other and "nay là" not in other


def test_the_cooperative_registry_labels_a_record_of_an_old_province(client, world):
    CooperativeFactory(name="HTX Điều Bình Phước", province=world.binh_phuoc)
    CooperativeFactory(name="HTX Tiêu Đồng Nai", province=world.dong_nai)
    text = page(client, world.admin, reverse("cooperatives:list"))
    assert LABEL in text and "TP Đồng Nai</td>" in text


def test_list_pages_cost_no_query_per_old_province_row(client, world):
    urls = [reverse("coordination:home"), reverse("coordination:my_plans")]

    def count() -> list[int]:
        client.force_login(world.staff)
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    count()  # the first request of a session does more (session, access) than the list
    few = count()
    for n in range(4):
        program = make_program(
            title=f"Chương trình Bình Phước {n}",
            parties=[world.ethnic_old, world.alliance],
            province=world.binh_phuoc,
        )
        services.plan_create(program=program, year=2024)
    assert count() == few


def test_the_plan_header_names_each_party_as_on_the_plans_date(client, world):
    world.plan.issued_on = datetime.date(2024, 1, 10)
    world.plan.save(update_fields=["issued_on"])
    client.force_login(world.staff)
    response = client.get(reverse("coordination:plan_docx", args=[world.plan.pk]))
    left = Document(io.BytesIO(response.content)).tables[0].rows[0].cells[0]
    lines = [p.text for p in left.paragraphs if p.text and not p.text.startswith("Số:")]
    # Ban Dân tộc Bình Phước under its committee; the alliance has no parent line.
    assert lines == ["UBND TỈNH BÌNH PHƯỚC", "BAN DÂN TỘC", "LIÊN MINH HỢP TÁC XÃ TỈNH ĐỒNG NAI"]


@pytest.mark.parametrize(
    ("issued_on", "lead"),
    [
        (datetime.date(2024, 1, 10), "Ban Dân tộc tỉnh Bình Phước"),
        # Bình Phước ended on 1/7/2025; its board's work was carried on by the Đồng Nai Sở.
        (datetime.date(2025, 8, 1), "Sở Dân tộc và Tôn giáo tỉnh Đồng Nai"),
    ],
)
def test_the_plans_activities_name_their_bodies_as_on_the_plans_date(
    client, world, issued_on, lead
):
    world.plan.issued_on = issued_on
    world.plan.save(update_fields=["issued_on"])
    client.force_login(world.staff)
    docx = client.get(reverse("coordination:plan_docx", args=[world.plan.pk]))
    cells = [c.text for table in Document(io.BytesIO(docx.content)).tables[1:] for row in
             table.rows for c in row.cells]  # fmt: skip
    assert lead in cells and "Liên minh Hợp tác xã tỉnh Đồng Nai" in cells
    xlsx = client.get(reverse("coordination:plan_xlsx", args=[world.plan.pk]))
    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert [row[3:5] for row in rows[3:-1]] == [(lead, "Liên minh Hợp tác xã tỉnh Đồng Nai")]
