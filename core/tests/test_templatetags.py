from decimal import Decimal

import pytest
from django.utils import translation

from core.formatting import number, number_formatter, vnd


def test_numbers_group_thousands_the_vietnamese_way():
    with translation.override("vi"):
        assert number(1250000) == "1.250.000"
        assert number(Decimal("2.50")) == "2,5"
        assert number(Decimal("3.00")) == "3"
        assert vnd(1250000000) == "1.250.000.000 đ"
        assert number(None) == ""


def test_the_template_filters_are_the_formatting_functions():
    from django.template import Context, Template

    with translation.override("vi"):
        rendered = Template("{% load vn %}{{ a|vnd }}/{{ b|number }}").render(
            Context({"a": 1250000, "b": Decimal("2.50")})
        )
    assert rendered == f"{vnd(1250000)}/{number(Decimal('2.50'))}" == "1.250.000 đ/2,5"


def test_english_interface_groups_with_commas():
    with translation.override("en"):
        assert number(1250000) == "1,250,000"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_formatter_for_many_numbers_writes_what_django_number_format_writes(language):
    """`number_formatter` (the dashboards' tables) takes shortcuts for ints and decimals;
    every value comes out as Django's `number_format` with grouping writes it."""
    from django.utils.formats import number_format

    values = [0, 7, -7, 999, 1000, -1000, 1234567, -987654321, 10**20, True, 1.5, -2.25]
    values += [1e21, "1234", Decimal("0"), Decimal("-1234.500"), Decimal("1E+3")]
    values += [Decimal("0.0001"), Decimal("12345678.90"), Decimal("-0"), Decimal("-0.00")]
    values += [Decimal("-1234567.25"), Decimal("999.9"), Decimal("1000.0"), Decimal("12.5E+7")]
    values += [Decimal("1E-150"), Decimal("1E+250"), Decimal("-1E-199")]
    with translation.override(language):
        formatted = number_formatter()
        for value in values:
            places = None
            if isinstance(value, Decimal):
                places = max(0, -value.normalize().as_tuple().exponent)
            expected = number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
            assert formatted(value) == number(value) == expected, value
        assert formatted(None) == formatted("") == ""


@pytest.mark.django_db
def test_a_person_is_named_family_name_first_else_by_login():
    from django.contrib.auth import get_user_model
    from django.template import Context, Template

    from core.people import display_name

    user = get_user_model().objects.create(username="lan", first_name="Lan", last_name="Nguyễn Thị")
    nameless = get_user_model().objects.create(username="hoang")
    assert display_name(user) == "Nguyễn Thị Lan"
    assert display_name(nameless) == "hoang"
    template = Template("{% load people %}{{ a|person }}/{{ b|person }}/{{ c|person }}")
    assert template.render(Context({"a": user, "b": nameless, "c": None})) == (
        "Nguyễn Thị Lan/hoang/hệ thống"
    )


def test_per_language_renders_once_per_language_what_it_holds():
    """The layout's links (`{% per_language %}`): rendered for the first request of each
    language, then repeated as they are — so only links and labels go inside."""
    from django.template import Context, Template

    page = Template(
        "{% load i18n layout %}{% per_language %}<a href=\"{% url 'core:job_list' %}\">"
        '{% translate "Chương trình" %}</a>{{ n }}{% end_per_language %}|{{ n }}'
    )
    with translation.override("vi"):
        assert page.render(Context({"n": 1})) == '<a href="/cong-viec/">Chương trình</a>1|1'
        # The second render repeats the first: what varies stays outside the tag.
        assert page.render(Context({"n": 2})) == '<a href="/cong-viec/">Chương trình</a>1|2'
    with translation.override("en"):
        assert page.render(Context({"n": 3})) == '<a href="/cong-viec/">Programs</a>3|3'
    with translation.override("vi"):
        assert page.render(Context({"n": 4})).startswith('<a href="/cong-viec/">Chương trình')


@pytest.mark.django_db
def test_the_menu_is_the_same_for_everyone_and_the_admin_link_only_for_staff(client):
    from django.contrib.auth import get_user_model

    from agencies.tests.factories import UserFactory

    client.force_login(UserFactory())
    first = client.get("/thong-bao/").content.decode()
    staff = get_user_model().objects.create_user("quan.tri", password="x", is_staff=True)
    client.force_login(staff)
    second = client.get("/thong-bao/").content.decode()
    for page in (first, second):
        assert '<a href="/cong-viec/">Công việc</a>' in page
        assert "Hoạt động quá hạn" in page
    assert 'href="/quan-tri/"' not in first and 'href="/quan-tri/"' in second
