"""The party sign-off (`core.signoff.SignOff`) on plain values: parties are agency ids here;
the apps' parties are agencies (plans) and signatory rows (reports), see
reporting/tests/reports/test_signoff.py for both services."""

import pytest
from django.core.exceptions import ValidationError

from core.signoff import SignOff

OLD_BOARD, ALLIANCE, DEPARTMENT = 1, 2, 3


def signoff(signed=()):
    return SignOff(
        parties=[OLD_BOARD, ALLIANCE], signed=frozenset(signed), agency_id=lambda party: party
    )


def sign(before, managed):
    recorded = []
    after = before.sign(
        managed, record=recorded.extend, not_a_party="không tham gia", already_signed="đã ký"
    )
    return after, recorded


def test_a_manager_signs_for_every_party_they_act_for_that_has_not_signed():
    # A manager of today's department acts for the old board it carries on, and the alliance.
    after, recorded = sign(signoff(), {DEPARTMENT, OLD_BOARD, ALLIANCE})
    assert recorded == [OLD_BOARD, ALLIANCE] and after.just_signed == (OLD_BOARD, ALLIANCE)
    assert after.is_complete


def test_the_sign_off_is_complete_once_every_party_has_signed():
    first = signoff()
    assert first.pending() == [OLD_BOARD, ALLIANCE] and not first.is_complete
    assert first.acting_for({ALLIANCE, DEPARTMENT}) == [ALLIANCE]
    after, recorded = sign(first, {ALLIANCE})
    assert recorded == [ALLIANCE] and not after.is_complete
    assert after.pending_for({ALLIANCE}) == [] and after.pending_for({OLD_BOARD}) == [OLD_BOARD]
    done, recorded = sign(after, {OLD_BOARD})
    assert recorded == [OLD_BOARD] and done.is_complete


def test_signing_twice_or_for_no_party_is_refused_and_records_nothing():
    recorded = []
    cases = [
        (signoff(), {DEPARTMENT}, "không tham gia"),
        (signoff(), set(), "không tham gia"),
        (signoff({ALLIANCE}), {ALLIANCE}, "đã ký"),
    ]
    for before, managed, message in cases:
        with pytest.raises(ValidationError, match=message):
            before.sign(
                managed,
                record=recorded.extend,
                not_a_party="không tham gia",
                already_signed="đã ký",
            )
    assert recorded == []
