"""Zero is a value, not an absence: a commendation of year 0 is outside every program."""

import pytest
from django.core.exceptions import ValidationError

from reporting.models import Commendation

pytestmark = pytest.mark.django_db


def test_a_commendation_of_year_0_is_refused_as_outside_the_program(world):
    commendation = Commendation(
        program=world.program,
        year=0,
        recipient_kind="agency",
        agency=world.alliance,
        form="bang_khen",
        authority="Chủ tịch UBND tỉnh",
    )
    with pytest.raises(ValidationError) as error:
        commendation.full_clean()
    assert error.value.message_dict["year"] == [
        "Năm khen thưởng phải nằm trong thời gian của chương trình (2021–2030)."
    ]
