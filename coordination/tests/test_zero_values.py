"""Zero is a value, not an absence: a rule that compares numbers checks 0 like any other."""

import pytest
from django.core.exceptions import ValidationError

from coordination import services
from coordination.models import Program

pytestmark = pytest.mark.django_db


def test_a_plan_for_year_0_is_refused_as_outside_the_program(world):
    with pytest.raises(ValidationError) as error:
        services.plan_create(program=world.program, year=0)
    assert error.value.message_dict["year"] == [
        "Năm kế hoạch phải nằm trong thời gian của chương trình (2021–2030)."
    ]
    assert not world.program.plans.filter(year=0).exists()


def test_a_program_ending_in_year_0_gets_the_end_year_message():
    program = Program(title="Chương trình", kind="coordination", start_year=2021, end_year=0)
    with pytest.raises(ValidationError) as error:
        program.full_clean()
    assert error.value.message_dict["end_year"] == ["Năm kết thúc phải từ năm bắt đầu trở đi."]
