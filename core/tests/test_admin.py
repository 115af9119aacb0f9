"""The Django admin: every model registered, its list and search pages answer, and search
ignores tone marks."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from cooperatives.tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db

DOMAIN_APPS = ["agencies", "cooperatives", "coordination", "reporting"]


def domain_models():
    return [
        model
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models()
        if not model._meta.label.split(".")[1].startswith("Historical")
    ]


def test_every_domain_model_is_in_the_admin():
    missing = [m._meta.label for m in domain_models() if m not in admin.site._registry]
    assert missing == []


def test_every_admin_list_answers_with_a_search(admin_client, world):
    for model in domain_models():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert admin_client.get(url, {"q": "dan toc"}).status_code == 200, url


def test_admin_search_ignores_tone_marks(admin_client):
    CooperativeFactory(name="HTX Nông nghiệp Bù Gia Mập")
    url = reverse("admin:cooperatives_cooperative_changelist")
    assert "Bù Gia Mập" in admin_client.get(url, {"q": "bu gia map"}).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/quan-tri/agencies/agency/add/?successor=abc&province=x%C3%A1",
        "/quan-tri/coordination/activity/add/?supporting_agencies=abc,1&lead_agency=1.5",
        "/quan-tri/coordination/activity/add/?cooperatives=18446744073709551616,abc",
    ],
)
def test_an_admin_form_prefilled_with_an_id_that_is_no_number_opens_empty(client, url):
    """The admin's autocomplete widgets look up their initial values (`pk__in`): a value that is
    no integer selects nothing instead of failing with a 500."""
    from agencies.models import Agency
    from agencies.tests.factories import UserFactory

    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.get(url)
    assert response.status_code == 200
    assert list(Agency.objects.filter(pk__in=["abc", "1.5"])) == []
    assert Agency.objects.filter(pk__in=["abc", Agency.objects.first().pk]).count() == 1


NAMED_APPS = [*DOMAIN_APPS, "notifications", "core", "api"]


def test_every_model_and_field_a_user_can_see_has_a_vietnamese_name():
    """The admin shows models and fields by their verbose names: without one Django makes it
    from the code ('activity tally', 'budget spent'), in English. Fields that are never shown
    or edited (search keys, version counters) may keep the name of their column."""
    from django.utils.text import camel_case_to_spaces

    unnamed = []
    for label in NAMED_APPS:
        for model in apps.get_app_config(label).get_models():
            meta = model._meta
            if meta.object_name.startswith("Historical"):
                continue
            if str(meta.verbose_name) == camel_case_to_spaces(meta.object_name):
                unnamed.append(meta.label)
            unnamed += [
                f"{meta.label}.{field.name}"
                for field in meta.get_fields()
                if field.concrete
                and not field.auto_created
                and field.editable
                and str(field.verbose_name) == field.name.replace("_", " ")
            ]
    assert unnamed == []


def test_the_dashboards_summary_reads_in_vietnamese_in_the_admin(admin_client, world):
    from coordination.models import ActivityTally, ProgressUpdate

    ProgressUpdate.objects.create(
        activity=world.activity, reported_on=world.activity.start_date, status="delayed", percent=10
    )
    assert ActivityTally.objects.filter(status="delayed").exists()
    url = reverse("admin:coordination_activitytally_changelist")
    page = admin_client.get(url).content.decode()
    assert "Tổng hợp hoạt động" in page and "Chậm tiến độ</td>" in page
    assert ">delayed<" not in page
    filtered = admin_client.get(url, {"status": "done"}).content.decode()
    assert "Chậm tiến độ</td>" not in filtered
