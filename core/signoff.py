"""Sign-off by each party agency: the one mechanism behind a yearly plan's approval and a
report's finalisation.

A thing to sign (a plan's submission round, a report's version) has its parties — the agencies
that signed the program, each standing for itself or for the agency carrying it on today. A
manager signs at once for every party they act for (`access_for(user).manager_agency_ids`:
their agencies and every predecessor) that has not signed yet; the thing is complete once
every party has signed. The apps keep their own rows (`PlanApproval` per round,
`ReportSignatory` per version) and say how to read and record them; the rule is here.
"""

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.core.exceptions import ValidationError

P = TypeVar("P")


@dataclass(frozen=True)
class SignOff(Generic[P]):
    """The parties of one thing to sign and the agency ids of those that have signed.

    `parties` are whatever stands for a party in the app (an `Agency`, a `ReportSignatory`);
    `agency_id` reads a party's agency id."""

    parties: Sequence[P]
    signed: frozenset[int]
    agency_id: Callable[[P], int]

    def acting_for(self, manager_agency_ids: Collection[int]) -> list[P]:
        """The parties a manager of `manager_agency_ids` acts for, signed or not."""
        return [p for p in self.parties if self.agency_id(p) in manager_agency_ids]

    def pending(self) -> list[P]:
        """The parties that have not signed yet."""
        return [p for p in self.parties if self.agency_id(p) not in self.signed]

    def pending_for(self, manager_agency_ids: Collection[int]) -> list[P]:
        """The parties a manager of `manager_agency_ids` may still sign for."""
        return [p for p in self.pending() if self.agency_id(p) in manager_agency_ids]

    @property
    def is_complete(self) -> bool:
        """Every party has signed."""
        return not self.pending()

    def sign(
        self,
        manager_agency_ids: Collection[int],
        *,
        record: Callable[[list[P]], None],
        not_a_party: str,
        already_signed: str,
    ) -> "SignOff[P]":
        """Sign for every party a manager of `manager_agency_ids` may still sign for: `record`
        writes those signatures. Refused (`ValidationError`) with `not_a_party` when the
        manager acts for no party, with `already_signed` when theirs have all signed.
        Returns the sign-off after these signatures (`is_complete`, and `just_signed`)."""
        if not self.acting_for(manager_agency_ids):
            raise ValidationError(not_a_party)
        mine = self.pending_for(manager_agency_ids)
        if not mine:
            raise ValidationError(already_signed)
        record(mine)
        return Signed(
            parties=self.parties,
            signed=self.signed | {self.agency_id(p) for p in mine},
            agency_id=self.agency_id,
            just_signed=tuple(mine),
        )


@dataclass(frozen=True)
class Signed(SignOff[P]):
    """A sign-off right after `SignOff.sign`: `just_signed` are the parties signed for."""

    just_signed: tuple[P, ...] = ()
