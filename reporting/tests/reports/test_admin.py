"""The admin reads reports, signatories and commendations (they are written on the report
pages): each list searches without tone marks and each change page opens."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from reporting.reports import services

pytestmark = pytest.mark.django_db


def test_report_models_open_in_the_admin(client, review):
    report = services.report_generate(
        program=review.program, kind="annual", year=2024, by=review.staff
    )
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "x"))
    objects = {
        "report": report,
        "annualreview": report,
        "reportsignatory": report.signatories.first(),
        "commendation": review.commendations[0],
    }
    for name, obj in objects.items():
        listing = client.get(reverse(f"admin:reporting_{name}_changelist"), {"q": "binh phuoc"})
        assert listing.status_code == 200, name
        assert (
            client.get(reverse(f"admin:reporting_{name}_change", args=[obj.pk])).status_code == 200
        )
    listing = client.get(reverse("admin:reporting_report_changelist"), {"q": "binh phuoc"})
    assert review.program.title in listing.content.decode()
    assert client.get(reverse("admin:reporting_phasesummary_changelist")).status_code == 200
