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
