"""`notify`: each person's language, once per key, deactivated users, email choices."""

import pytest
from django.utils import translation

from agencies.models import NotificationKind, Profile
from core.models import OutgoingEmail
from notifications import notify

pytestmark = pytest.mark.django_db


def test_titles_are_written_in_each_persons_language(world):
    Profile.objects.create(user=world.manager, language="en")
    notify(
        [world.manager, world.staff],
        NotificationKind.JOB,
        url="/cong-viec/",
        title=lambda: f"title in {translation.get_language()}",
        body=lambda: translation.gettext("Lý do"),
    )
    english = world.manager.notifications.get()
    assert (english.title, english.body) == ("title in en", "Reason")
    assert world.staff.notifications.get().title == "title in vi"
    # The email goes in the same language (the subject carries the title).
    assert OutgoingEmail.objects.get(recipient=world.manager).subject.endswith("title in en")


def test_a_key_makes_it_once_per_person_and_the_email_only_with_it(world):
    for _ in range(3):
        notify([world.manager], NotificationKind.REMINDER, url="/", title="Nhắc", key="k:1")
    assert world.manager.notifications.count() == 1
    assert OutgoingEmail.objects.filter(recipient=world.manager).count() == 1
    notify([world.manager, world.staff], NotificationKind.REMINDER, url="/", title="N", key="k:1")
    assert world.staff.notifications.count() == 1
    assert world.manager.notifications.count() == 1


def test_deactivated_users_get_nothing_and_in_app_only_gets_no_email(world):
    world.staff.is_active = False
    world.staff.save()
    Profile.objects.create(user=world.manager, in_app_only=[NotificationKind.JOB])
    notify([world.staff, world.manager], NotificationKind.JOB, url="/", title="Xong")
    assert not world.staff.notifications.exists()
    assert world.manager.notifications.count() == 1
    assert not OutgoingEmail.objects.exists()
