"""入学资格: the 身份证号 and, for 小学, 满6周岁 by 31 August; 初中 has no age rule; grade codes per 学制."""

from __future__ import annotations

import datetime as dt

import pytest

from edubrain.core.enrollment.eligibility import (
    Child,
    birth_cutoff,
    check_child,
    entry_grade,
    graduating_grade,
)
from edubrain.core.errors import CoreError
from edubrain.core.ids import id_check_digit

TODAY = dt.date(2027, 5, 1)


def child_id(birth: dt.date, seq: int = 12, male: bool = True) -> str:
    first17 = f"370323{birth:%Y%m%d}{seq:02d}{1 if male else 2}"
    return first17 + id_check_digit(first17)


def test_birth_cutoff_is_31_august_six_years_before():
    assert birth_cutoff(2027) == dt.date(2021, 8, 31)
    assert birth_cutoff(2030) == dt.date(2024, 8, 31)


@pytest.mark.parametrize("born", [dt.date(2021, 8, 30), dt.date(2021, 8, 31)])
def test_born_on_or_before_the_cutoff_is_eligible(born):
    child = check_child(child_id(born), stage="primary", year=2027, cutoff=None, today=TODAY)
    assert child == Child(child_id(born), born, "M")


def test_born_the_day_after_the_cutoff_is_too_young():
    with pytest.raises(CoreError) as err:
        check_child(child_id(dt.date(2021, 9, 1)), stage="primary", year=2027, cutoff=None, today=TODAY)
    assert err.value.code == "enroll.too_young"
    assert "2021年9月1日" in err.value.message and "2021年8月31日（含）以前出生" in err.value.message


def test_a_rounds_own_cutoff_applies_at_the_day_before_and_after():
    cutoff = dt.date(2021, 6, 30)
    for born in (dt.date(2021, 6, 29), cutoff):
        assert (
            check_child(child_id(born), stage="primary", year=2027, cutoff=cutoff, today=TODAY).birth_date
            == born
        )
    with pytest.raises(CoreError) as err:
        check_child(child_id(dt.date(2021, 7, 1)), stage="primary", year=2027, cutoff=cutoff, today=TODAY)
    assert err.value.code == "enroll.too_young"


def test_bad_checksum_gives_the_id_message():
    good = child_id(dt.date(2021, 3, 3))
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(CoreError) as err:
        check_child(bad, stage="primary", year=2027, cutoff=None, today=TODAY)
    assert err.value.code == "id.checksum"
    assert f"最后一位应为{good[17]}" in err.value.message and "身份证号" in err.value.message


def test_bad_format_and_future_birth_date_are_refused():
    with pytest.raises(CoreError) as err:
        check_child("37032320210303", stage="primary", year=2027, cutoff=None, today=TODAY)
    assert err.value.code == "id.format"
    with pytest.raises(CoreError) as err:
        check_child(child_id(dt.date(2027, 6, 1)), stage="junior", year=2027, cutoff=None, today=TODAY)
    assert err.value.code == "id.birth"


def test_junior_has_no_age_rule_and_sex_comes_from_the_id():
    born = dt.date(2021, 12, 1)  # far too young for 小学, but 初中 checks no age
    child = check_child(child_id(born, male=False), stage="junior", year=2027, cutoff=None, today=TODAY)
    assert child.sex == "F" and child.birth_date == born


def test_lower_case_x_is_normalised():
    seq = next(s for s in range(100) if child_id(dt.date(2021, 1, 5), s)[-1] == "X")
    number = child_id(dt.date(2021, 1, 5), seq)
    assert (
        check_child(number.lower(), stage="primary", year=2027, cutoff=None, today=TODAY).id_number == number
    )


def test_unknown_stage_is_refused():
    with pytest.raises(CoreError) as err:
        check_child(child_id(dt.date(2021, 1, 1)), stage="senior", year=2027, cutoff=None, today=TODAY)
    assert err.value.code == "enroll.stage"
    with pytest.raises(CoreError):
        entry_grade("senior", "6-3")


def test_graduating_and_entry_grades_per_school_system():
    assert graduating_grade("6-3") == "16"
    assert graduating_grade("5-4") == "15"
    for system in ("6-3", "5-4"):
        assert entry_grade("primary", system) == "11"
        assert entry_grade("junior", system) == "21"
    with pytest.raises(CoreError) as err:
        graduating_grade("8-4")
    assert err.value.code == "enroll.system" and "6-3" in err.value.message
