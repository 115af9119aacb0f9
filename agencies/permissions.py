"""Who may manage agencies and their members (`core.permissions.Policy`).

- `member_policy` (Agency): read its member list = a member of it; `manage_members` (invite,
  change a role, deactivate, reactivate) = an admin of that agency, never of another one.
- `membership_policy` (Membership): read = colleagues; write = the admins of its agency, except
  on their own membership.
- `agency_policy` (Agency): create agencies and record successions = a central admin.
"""

from django.utils.translation import gettext_lazy as _

from core.permissions import READ, WRITE, Policy

from .models import Agency, Membership

MANAGE_MEMBERS = "manage_members"

member_policy = Policy(
    Agency,
    {READ: "with_member", MANAGE_MEMBERS: "members_managed_by"},
    refusals={MANAGE_MEMBERS: _("Chỉ quản trị của cơ quan mới quản lý được thành viên.")},
)

membership_policy = Policy(
    Membership,
    {READ: "visible_to", WRITE: "managed_by"},
    refusals={
        WRITE: _(
            "Chỉ quản trị của cơ quan mới thay đổi được thành viên, và không tự thay đổi "
            "chính mình."
        )
    },
)

agency_policy = Policy(
    Agency,
    {READ: "managed_by", WRITE: "managed_by"},
    refusals={WRITE: _("Chỉ quản trị trung ương mới quản lý được danh sách cơ quan.")},
)
