"""What every page shares (templates/base.html) and the development 404 page."""

import unicodedata

import pytest
from django.test import override_settings

from agencies.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)  # Django writes "Tiếng Việt" decomposed


def test_the_language_switcher_names_each_language_in_itself(client):
    page = nfc(client.get("/dang-nhap/").content.decode())
    assert '<option value="vi" lang="vi" selected>Tiếng Việt</option>' in page
    assert '<option value="en" lang="en">English</option>' in page
    client.cookies["django_language"] = "en"
    page = nfc(client.get("/dang-nhap/").content.decode())
    assert '<option value="vi" lang="vi">Tiếng Việt</option>' in page  # not "Vietnamese"


def test_the_top_bar_is_one_menu_of_links_that_folds_without_javascript(client):
    client.force_login(UserFactory(is_staff=True))
    page = client.get("/").content.decode()
    menu = page.split('<details class="navmenu" data-navmenu>')[1].split("</details>")[0]
    assert menu.count('<ul class="navlinks">') == 1 and "<summary>Trình đơn</summary>" in menu
    assert menu.count("<li><a ") == 8  # the links, the admin one included for staff
    assert 'href="#content"' in page and '<main class="content" id="content">' in page
    assert 'rel="icon" href="/static/favicon.svg"' in page


@override_settings(DEBUG=True)
@pytest.mark.parametrize("path", ["/khong-co-trang-nay/", "/ke-hoach/999999/"])
def test_development_shows_the_vietnamese_404_page_too(client, path):
    client.force_login(UserFactory())
    response = client.get(path)
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
    assert "Using the URLconf" not in response.content.decode()


@override_settings(DEBUG=True)
def test_development_still_adds_the_missing_slash(client):
    client.force_login(UserFactory())
    assert client.get("/htx").status_code == 301


def test_a_job_title_is_stored_in_vietnamese_and_shown_in_the_readers_language(client):
    from django.urls import reverse

    from core.models import Job

    user = UserFactory()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    client.post(reverse("coordination:program_export"))
    export = Job.objects.get()
    assert export.title == "Xuất danh sách chương trình ra Excel"  # the source, not English
    Job.objects.create(
        kind="k", title="Nhập danh sách HTX “%(name)s”", title_args={"name": "ds.xlsx"}, owner=user
    )
    page = nfc(client.get(reverse("core:job_list")).content.decode())
    assert (
        "Export program list to Excel" in page and "Import the cooperative list “ds.xlsx”" in page
    )
    client.cookies["django_language"] = "vi"
    page = nfc(client.get(reverse("core:job_list")).content.decode())
    assert "Xuất danh sách chương trình ra Excel" in page and "Nhập danh sách HTX “ds.xlsx”" in page
