"""English wording seen in use (issue 13): the menu, the history sentences, number examples."""

import re

import pytest
from django.urls import reverse

from coordination.models import Activity

from .test_plan_pages import activity_data, create_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client, world):
    client.force_login(world.staff)
    client.cookies["django_language"] = "en"
    return client


def words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_menu_says_cooperatives(english):
    page = english.get(reverse("coordination:home")).content.decode()
    assert re.search(r'<a href="/[^"]*">Cooperatives</a>', page)
    assert ">Cooperative</a>" not in page


def test_the_history_says_created_activity(english, world):
    assert english.post(create_url(world.plan), activity_data(world)).status_code == 302
    activity = Activity.objects.latest("pk")
    text = words(english.get(activity.get_absolute_url()).content.decode())
    assert "created activity" in text
    assert "Activities" not in text.split("History")[-1]


def test_a_number_example_uses_the_english_decimal_point(english, world):
    before = Activity.objects.count()
    response = english.post(create_url(world.plan), activity_data(world, target_value="hai"))
    errors = response.context["form"].errors["target_value"]
    assert errors == ["The target must be a number, for example 2 or 2.5."]
    assert Activity.objects.count() == before
