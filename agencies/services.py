"""Writes on agencies, their members and people's own accounts. Each validates, runs in one
transaction, and queues its emails (core.mail) in that transaction: a refused change sends
nothing, and the mail server is never waited for."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from core import mail
from core.models import OutgoingEmail
from core.people import display_name
from core.text import clean_text

from .models import Agency, Membership, NotificationKind, Profile
from .tokens import invitation_token


def split_full_name(full_name: str) -> tuple[str, str]:
    """'Nguyễn Thị Lan' → ('Nguyễn Thị', 'Lan'): Django's last_name holds the family and middle
    names, first_name the given name (core.people.display_name puts them back together)."""
    family, _, given = clean_text(full_name).rpartition(" ")
    return family, given


@transaction.atomic
def member_invite(*, agency: Agency, email: str, full_name: str, role: str, by) -> Membership:
    """Add the person with `email` to `agency` in `role`. Someone new gets an account (their
    email is their login) without a password and an email with a one-time link to set one
    (72 hours); someone already registered is added, and invited again if they never set a
    password. Refused when they are already a member."""
    email = clean_text(email).lower()
    users = get_user_model().objects
    user = users.filter(email__iexact=email).first() or users.filter(username=email).first()
    if user is None:
        family, given = split_full_name(full_name)
        user = users.create(username=email, email=email, last_name=family, first_name=given)
        user.set_unusable_password()
        user.save(update_fields=["password"])
    elif Membership.objects.filter(user=user, agency=agency).exists():
        raise ValidationError({"email": _("Người này đã là thành viên của cơ quan.")})
    membership = Membership(user=user, agency=agency, role=role)
    membership.full_clean()
    membership.save()
    if not user.has_usable_password():
        send_invitation(membership=membership, by=by)
    return membership


def send_invitation(*, membership: Membership, by) -> OutgoingEmail | None:
    """Queue the invitation email: who invites to which agency, and the one-time link."""
    user = membership.user
    link = mail.absolute_url(
        reverse(
            "agencies:invitation_accept",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": invitation_token.make_token(user),
            },
        )
    )
    context = {
        "user": user,
        "name": display_name(user),
        "inviter": display_name(by),
        "agency": membership.agency.name,
        "role": membership.get_role_display(),
        "link": link,
        "login": user.get_username(),
    }
    language = Profile.of(user).language
    subject, text, html = mail.render_email("agencies/email/invitation", context, language=language)
    return mail.queue_email(to=user, subject=subject, text=text, html=html)


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str, by) -> Membership:
    """Give the member another role in the agency (staff, manager, admin)."""
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def user_deactivate(*, user, by) -> int:
    """Close `user`'s account: they can no longer sign in, every session they have ends at once
    (sessions are in the database), and the emails still waiting for them are cancelled.
    Returns the number of sessions ended."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    OutgoingEmail.objects.filter(recipient=user, status=OutgoingEmail.Status.PENDING).update(
        status=OutgoingEmail.Status.CANCELLED
    )
    return end_sessions(user)


@transaction.atomic
def user_reactivate(*, user, by) -> None:
    """Open a closed account again; the person signs in with their password as before."""
    user.is_active = True
    user.save(update_fields=["is_active"])


def end_sessions(user) -> int:
    """Delete every unexpired session of `user`. A session stores the user id inside its
    encoded data, so each one is decoded: fine for the few thousand sessions of a province's
    staff, and only done when an account is closed."""
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            ended.append(session.pk)
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


@transaction.atomic
def agency_create(*, by, **fields) -> Agency:
    """A new agency (name, short name, kind, level, province)."""
    agency = Agency(**fields)
    agency.full_clean()
    agency.save()
    return agency


@transaction.atomic
def agency_set_parent(
    *, agency: Agency, under_peoples_committee: bool, parent_name: str, by
) -> Agency:
    """Set the parent body line above `agency` in its documents: its province's People's
    Committee (named as on each document's date), another parent written out, or none."""
    agency.under_peoples_committee = under_peoples_committee
    agency.parent_name = parent_name
    agency.full_clean()
    agency.save(update_fields=["under_peoples_committee", "parent_name"])
    return agency


@transaction.atomic
def agency_record_successor(*, agency: Agency, successor: Agency, on: datetime.date, by) -> Agency:
    """Record that `successor` carries `agency` on from `on` (a Ban Dân tộc by the new Sở): its
    staff then see the old agency's work. Refused when it would make a loop."""
    walker = successor
    seen = set()
    while walker is not None and walker.pk not in seen:
        if walker.pk == agency.pk:
            raise ValidationError(
                {"successor": _("Cơ quan này đang kế thừa (trực tiếp hoặc gián tiếp) cơ quan kia.")}
            )
        seen.add(walker.pk)
        walker = walker.successor
    agency.successor = successor
    agency.succeeded_on = on
    agency.full_clean()
    agency.save(update_fields=["successor", "succeeded_on"])
    return agency


@transaction.atomic
def profile_update(
    *,
    user,
    full_name: str,
    email: str,
    phone: str,
    language: str,
    email_kinds: list[str],
) -> Profile:
    """Change one's name, email, phone, language and which notification kinds come by email
    (the others stay in the app only). An email another account uses is refused."""
    email = clean_text(email).lower()
    taken = get_user_model().objects.filter(email__iexact=email).exclude(pk=user.pk)
    if email and taken.exists():
        raise ValidationError({"email": _("Địa chỉ thư điện tử này đã được tài khoản khác dùng.")})
    user.last_name, user.first_name = split_full_name(full_name)
    user.email = email
    user.full_clean(exclude=["password", "username"])
    user.save(update_fields=["last_name", "first_name", "email"])
    profile = Profile.of(user)
    profile.phone = clean_text(phone)
    profile.language = language
    profile.in_app_only = [kind for kind in NotificationKind.values if kind not in email_kinds]
    profile.full_clean()
    profile.save()
    return profile
