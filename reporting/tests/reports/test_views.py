"""The report pages through the Django test client: who may see, edit and finalise (404 when
the program is not visible, 403 when visible but not allowed), bad input, htmx fragments."""

import pytest
from django.urls import reverse

from agencies.tests.factories import UserFactory
from agencies.tests.factories import province as province_of
from cooperatives.tests.factories import CooperativeFactory
from core.models import Job
from reporting.models import Commendation, Report
from reporting.reports import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(review) -> Report:
    return services.report_generate(
        program=review.program, kind="annual", year=2024, by=review.staff, today=review.today
    )


def url(name: str, *args) -> str:
    return reverse(f"reporting:{name}", args=args)


def as_user(client, user):
    client.force_login(user)
    return client


def person(review, who: str):
    """One of `review`'s users, or the superuser (the administrator, a member of no agency)."""
    if who == "superuser":
        return UserFactory(username="root", is_superuser=True, is_staff=True)
    return getattr(review, who)


def test_staff_of_a_party_agency_generates_a_report_from_the_program_page(client, review):
    as_user(client, review.staff)
    page = client.get(url("report_program", review.program.pk))
    assert page.status_code == 200 and b'id="generate-form"' in page.content
    response = client.post(url("report_program", review.program.pk), {"period": "annual:2024"})
    report = Report.objects.get(program=review.program, year=2024)
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    detail = client.get(report.get_absolute_url())
    text = detail.content.decode()
    assert f"Sơ kết năm 2024 thực hiện {review.program.title}" in text
    assert "Dự thảo" in text and "116/KH-UBND" in text
    # A second draft of the same year is refused with a message, not an error page.
    again = client.post(url("report_program", review.program.pk), {"period": "annual:2024"})
    assert again.status_code == 200 and "đang có bản dự thảo" in again.content.decode()
    assert Report.objects.filter(program=review.program).count() == 1


@pytest.mark.parametrize(
    "who, status",
    [
        ("outsider", 404),
        ("other_staff", 404),
        ("other_manager", 404),
        ("central_manager", 200),
        ("superuser", 200),
        ("staff", 200),
        ("alliance_staff", 200),
    ],
)
def test_reading_follows_the_programs_visibility(client, review, report, who, status):
    user = person(review, who)
    as_user(client, user)
    for name in ("report_detail", "report_docx"):
        assert client.get(url(name, report.pk)).status_code == status, name
    # The appendix is built in the background: those who may read it start the job.
    appendix = client.post(url("report_xlsx", report.pk))
    assert appendix.status_code == (302 if status == 200 else status)
    assert Job.objects.filter(owner=user).count() == (status == 200)
    assert client.get(url("report_program", review.program.pk)).status_code == status
    assert client.get(url("report_commendations", review.program.pk)).status_code == status


@pytest.mark.parametrize(
    "who, status", [("central_manager", 403), ("superuser", 403), ("other_staff", 404)]
)
def test_readers_who_are_not_a_party_cannot_change_anything(client, review, report, who, status):
    """Reading rights give no right to write: central readers and the superuser (who
    administers, see docs/decisions.md) read every report but change, finalise and commend
    nothing."""
    as_user(client, person(review, who))
    before = report.lessons
    posts = [
        url("report_section", report.pk, "lessons"),
        url("report_header", report.pk),
        url("report_refresh", report.pk),
        url("report_finalise", report.pk),
        url("report_program", review.program.pk),
        url("report_commendations", review.program.pk),
    ]
    for target in posts:
        assert client.post(target, {"text": "x", "period": "annual:2024"}).status_code == status
    commendation = review.commendations[0]
    for target in [
        url("report_commendation_edit", commendation.pk),
        url("report_commendation_delete", commendation.pk),
    ]:
        assert client.post(target, {"year": "2024"}).status_code == status
    report.refresh_from_db()
    assert report.lessons == before and report.is_draft
    assert Commendation.objects.get(pk=commendation.pk).decision_number == "2718/QĐ-UBND"
    page = client.get(url("report_program", review.program.pk))
    if status == 403:
        assert b'id="generate-form"' not in page.content
        detail = client.get(report.get_absolute_url()).content.decode()
        assert 'id="finalise"' not in detail
        assert url("report_header", report.pk) not in detail
    # A finalised report's next version is the writers' to start, and only theirs to see.
    services.report_finalise(report=report, by=review.manager)
    services.report_finalise(report=report, by=review.alliance_manager)
    assert client.post(url("report_new_version", report.pk)).status_code == status
    assert Report.objects.filter(program=review.program, year=2024).count() == 1
    if status == 403:
        detail = client.get(report.get_absolute_url()).content.decode()
        assert url("report_new_version", report.pk) not in detail


def test_staff_edit_a_section_and_managers_of_each_party_finalise(client, review, report):
    as_user(client, review.staff)
    form = client.get(url("report_section", report.pk, "lessons"))
    assert form.status_code == 200 and "Gợi ý từ số liệu" not in form.content.decode()
    response = client.post(
        url("report_section", report.pk, "lessons"),
        {"text": "Phối hợp chặt chẽ  từ khâu lập kế hoạch.\r\n\r\n\r\nChủ động nguồn kinh phí."},
    )
    assert response.status_code == 302 and response["Location"].endswith("#section-lessons")
    report.refresh_from_db()
    assert report.lessons == "Phối hợp chặt chẽ từ khâu lập kế hoạch.\n\nChủ động nguồn kinh phí."
    assert client.post(url("report_finalise", report.pk)).status_code == 403

    as_user(client, review.manager)
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'id="finalise"' in page
    client.post(url("report_finalise", report.pk))
    page = client.get(report.get_absolute_url()).content.decode()
    assert page.count("Đã xác nhận") >= 1 and "Chưa xác nhận" in page
    assert 'id="finalise"' not in page  # nothing left for this manager to finalise

    as_user(client, review.alliance_manager)
    client.post(url("report_finalise", report.pk))
    report.refresh_from_db()
    assert report.status == "finalised"

    as_user(client, review.staff)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Lập phiên bản mới từ số liệu mới" in page and "Sửa mục" not in page
    response = client.post(
        url("report_section", report.pk, "lessons"), {"text": "sửa sau"}, follow=True
    )
    assert "đã hoàn thành" in response.content.decode()
    report.refresh_from_db()
    assert report.lessons.startswith("Phối hợp")
    response = client.post(url("report_new_version", report.pk))
    second = Report.objects.get(program=review.program, year=2024, version=2)
    assert response["Location"] == second.get_absolute_url()
    versions = client.get(second.get_absolute_url()).content.decode()
    assert (
        versions.count('class="badge finalised"') >= 1
        and versions.count('class="badge draft"') >= 1
    )


def test_htmx_edits_a_section_in_place(client, review, report):
    as_user(client, review.staff)
    headers = {"HX-Request": "true"}
    form = client.get(url("report_section", report.pk, "proposals"), headers=headers)
    assert form.status_code == 200
    assert b"<html" not in form.content and b'id="section-proposals"' in form.content
    saved = client.post(
        url("report_section", report.pk, "proposals"),
        {"text": "Đề nghị UBND tỉnh bố trí kinh phí đối ứng."},
        headers=headers,
    )
    assert saved.status_code == 200 and b"<html" not in saved.content
    assert "Đề nghị UBND tỉnh bố trí kinh phí đối ứng." in saved.content.decode()
    assert b"<textarea" not in saved.content


def test_a_section_edited_on_its_own_page_returns_to_the_report_with_a_message(
    client, review, report
):
    as_user(client, review.staff)
    form = client.get(url("report_section", report.pk, "proposals")).content.decode()
    assert "<textarea" in form and "hx-post" not in form  # a plain post, back to the report
    in_place = client.get(
        url("report_section", report.pk, "proposals"), headers={"HX-Request": "true"}
    )
    assert "hx-post" in in_place.content.decode()
    response = client.post(
        url("report_section", report.pk, "proposals"),
        {"text": "Đề nghị bố trí kinh phí đối ứng."},
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith(f"{report.get_absolute_url()}#section-proposals")
    assert "Đã lưu mục" in response.content.decode()


def test_a_wrong_document_number_or_no_recipient_is_refused_and_nothing_changes(
    client, review, report
):
    as_user(client, review.staff)
    signatories = list(report.signatories.order_by("order", "pk"))
    data = {
        "doc_number": "năm",
        "doc_symbol": "BC-SDTTG-LMHTX",
        "place": "Đồng Nai",
        "issued_on": "20/12/2025",
        "recipients": "-\n;",
        "signatory-TOTAL_FORMS": str(len(signatories)),
        "signatory-INITIAL_FORMS": str(len(signatories)),
    }
    for i, s in enumerate(signatories):
        data.update(
            {
                f"signatory-{i}-id": str(s.pk),
                f"signatory-{i}-parent_name": s.parent_name,
                f"signatory-{i}-issuer_name": s.issuer_name,
                f"signatory-{i}-position": "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC",
                f"signatory-{i}-signer_name": "Lê Văn Minh",
            }
        )
    page = client.post(url("report_header", report.pk), data)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Số văn bản chỉ gồm chữ số" in text and "Cần ít nhất một nơi nhận" in text
    report.refresh_from_db()
    assert report.doc_number == "" and report.recipients.startswith("UBND tỉnh Đồng Nai")
    assert not any(s.signer_name for s in report.signatories.all())

    data.update({"doc_number": "5", "recipients": "Như trên;\nLưu: VT."})
    assert client.post(url("report_header", report.pk), data).status_code == 302
    report.refresh_from_db()
    assert (report.doc_number, report.issued_on.isoformat()) == ("5", "2025-12-20")
    first = report.signatories.order_by("order").first()
    assert first.position_lines == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert "Số: 05/BC-SDTTG-LMHTX" in client.get(report.get_absolute_url()).content.decode()


def test_commendations_are_recorded_with_clear_messages_for_bad_input(client, review):
    as_user(client, review.staff)
    target = url("report_commendations", review.program.pk)
    before = Commendation.objects.count()
    base = {
        "year": "2024",
        "form": "bang_khen",
        "authority": "Chủ tịch UBND tỉnh Bình Phước",
        "decision_number": "3001/QĐ-UBND",
        "decision_date": "25/12/2024",
    }
    page = client.post(
        target, {**base, "recipient_kind": "cooperative", "cooperative_0": "9999999999"}
    )
    assert "Không tìm thấy HTX có mã số 9999999999" in page.content.decode()
    page = client.post(target, {**base, "recipient_kind": "cooperative"})
    assert "Chọn HTX được khen thưởng" in page.content.decode()
    page = client.post(target, {**base, "recipient_kind": "person"})
    assert "Nhập họ và tên người được khen thưởng" in page.content.decode()
    page = client.post(target, {**base, "recipient_kind": "agency"})
    assert "Chọn cơ quan, đơn vị được khen thưởng" in page.content.decode()
    assert Commendation.objects.count() == before

    coop = review.coops[1]
    response = client.post(
        target,
        {
            **base,
            "recipient_kind": "cooperative",
            "cooperative_0": coop.registration_code,
            "person_name": "bỏ qua",
        },
    )
    assert response.status_code == 302
    created = Commendation.objects.get(decision_number="3001/QĐ-UBND")
    assert (
        created.cooperative == coop
        and created.person_name == ""
        and created.created_by == review.staff
    )
    assert coop.name in client.get(target).content.decode()

    as_user(client, review.central_manager)
    assert client.post(url("report_commendation_delete", created.pk)).status_code == 403
    as_user(client, review.staff)
    client.post(url("report_commendation_delete", created.pk))
    assert not Commendation.objects.filter(pk=created.pk).exists()


def test_the_commendation_form_picks_a_cooperative_of_the_programs_province(client, review):
    """The picker searches the program's province; the chosen id is checked on the server: a
    cooperative of another province is refused with a message and nothing is saved; without
    JavaScript the exact name (tone marks optional) is enough."""
    as_user(client, review.staff)
    target = url("report_commendations", review.program.pk)
    page = client.get(target).content.decode()
    province = review.program.province.current_unit()
    assert f'data-search-url="/htx/tim/?province={province.pk}"' in page
    assert '<label for="id_cooperative_0">Hợp tác xã:</label>' in page
    elsewhere = CooperativeFactory(
        registration_code="5100000777", name="HTX Sâm Ngọc Linh", province=province_of("51")
    )
    base = {
        "year": "2024",
        "recipient_kind": "cooperative",
        "form": "giay_khen",
        "authority": "Chủ tịch UBND tỉnh Đồng Nai",
        "decision_number": "77/QĐ-UBND",
        "decision_date": "20/12/2024",
    }
    before = Commendation.objects.count()
    for value in (
        {"cooperative_0": elsewhere.picker_label, "cooperative_1": str(elsewhere.pk)},
        {"cooperative_0": elsewhere.registration_code},
    ):
        page = client.post(target, {**base, **value})
        assert page.status_code == 200
        assert (
            f"HTX “HTX Sâm Ngọc Linh” không thuộc {province.label}, tỉnh của chương trình này."
            in page.content.decode()
        )
    assert Commendation.objects.count() == before

    coop = review.coops[0]
    response = client.post(target, {**base, "cooperative_0": "htx nong nghiep bu gia map"})
    assert response.status_code == 302
    assert Commendation.objects.get(decision_number="77/QĐ-UBND").cooperative == coop
    created = Commendation.objects.get(decision_number="77/QĐ-UBND")
    edit = client.get(url("report_commendation_edit", created.pk)).content.decode()
    assert f'value="{coop.picker_label}"' in edit and f'value="{coop.pk}"' in edit


def test_the_report_page_reads_the_snapshot_in_a_fixed_number_of_queries(
    client, review, report, django_assert_max_num_queries
):
    as_user(client, review.manager)
    # 16 for the page; up to 8 more for the names of the report's date (a fixed number too).
    with django_assert_max_num_queries(24):
        response = client.get(report.get_absolute_url())
    assert response.status_code == 200


def test_downloads_are_attachments_named_after_the_report(client, review, report):
    as_user(client, review.staff)
    docx = client.get(url("report_docx", report.pk))
    assert docx["Content-Type"].endswith("wordprocessingml.document")
    assert 'attachment; filename="so-ket-nam-2024' in docx["Content-Disposition"]
    assert docx.content[:2] == b"PK"


def test_the_index_lists_the_latest_version_of_each_report(client, review, report):
    services.report_finalise(report=report, by=review.manager)
    report = services.report_finalise(report=report, by=review.alliance_manager)
    second = services.report_generate(
        program=review.program, kind="annual", year=2024, by=review.staff, today=review.today
    )
    as_user(client, review.staff)
    page = client.get(url("report_index")).content.decode()
    assert second.get_absolute_url() in page and f'href="{report.get_absolute_url()}"' not in page
