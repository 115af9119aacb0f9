"""Who may read, write and finalise reports and commendations. The rules read
`agencies.access.access_for(user)` through `Program.objects.visible_to(user)`, as every
other app's rules do."""

from django.db import models

from agencies.access import access_for
from coordination.models import Program


def writable_programs(user):
    """Programs whose reports and commendations `user` may write: those where one of the user's
    agencies (or an agency it carries on) is a party, in any role. Central readers who are not
    a party, and the superuser, read but do not write (docs/decisions.md)."""
    access = access_for(user)
    if not access.authenticated:
        return Program.objects.none()
    return Program.objects.where_party(access.agency_ids)


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reports of the programs the user may read, and the finalised reports sent up to a
        national program where one of the user's agencies is a party: its people receive the
        provinces' reports and compile them (a draft stays the province's own)."""
        readable = models.Q(program__in=Program.objects.visible_to(user).values("pk"))
        access = access_for(user)
        if access.authenticated and access.agency_ids and not access.reads_everything:
            national = Program.objects.where_party(access.agency_ids).filter(level="central")
            readable |= models.Q(
                status="finalised", program__national_program__in=national.values("pk")
            )
        return self.filter(readable)

    def editable_by(self, user):
        """Reports the user may edit while they are drafts: staff, managers and admins of a
        party agency of the program (`writable_programs`)."""
        return self.filter(program__in=writable_programs(user).values("pk"))

    def finalisable_by(self, user):
        """Reports with a party agency the user manages (their agency or one it carries on)."""
        managed = access_for(user).manager_agency_ids
        return self.filter(signatories__agency_id__in=managed).distinct()

    def latest_versions(self):
        """The newest version of each program's period."""
        newer = self.model.objects.filter(
            program_id=models.OuterRef("program_id"),
            kind=models.OuterRef("kind"),
            version__gt=models.OuterRef("version"),
        ).filter(
            models.Q(kind__in=["annual", "half"], year=models.OuterRef("year"))
            | models.Q(kind="phase", phase_id=models.OuterRef("phase_id"))
        )
        return self.filter(~models.Exists(newer))


class CommendationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Commendations of the programs the user may read."""
        return self.filter(program__in=Program.objects.visible_to(user).values("pk"))

    def editable_by(self, user):
        """Commendations the user may change: those of programs they write reports for."""
        return self.filter(program__in=writable_programs(user).values("pk"))
