from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric
from strategies import REGION_CODES, births, id_numbers

from campus_security.model import CreditCode, IdNumber, InvalidValue, RegionCode, Text, age_on


def _id(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


class TestIdNumber:
    def test_valid_number_derives_birth_date(self) -> None:
        n = IdNumber(_id("13090219750601123"))
        assert n.birth_date == dt.date(1975, 6, 1)

    def test_lower_case_x_is_normalised(self) -> None:
        assert IdNumber("11010519491231002x").value == "11010519491231002X"

    @pytest.mark.parametrize(
        "value, fragment",
        [
            ("1101051949123100", "18"),
            ("11010519491231002Y", "17"),
            ("110105194912310021", "check digit"),
            (_id("11010519490230002"), "birth date"),
            (_id("99999919800101002"), "region code"),
        ],
    )
    def test_invalid_numbers_say_why(self, value: str, fragment: str) -> None:
        with pytest.raises(InvalidValue) as exc:
            IdNumber(value)
        assert fragment in exc.value.message.en or fragment in exc.value.message.zh
        assert exc.value.message.zh and exc.value.message.en

    def test_region_created_after_birth_is_accepted(self) -> None:
        # 130902 exists from 1983; numbers issued later carry it for older people too.
        assert IdNumber(_id("13090219750101001")).birth_date.year == 1975

    def test_str_and_repr_are_masked(self) -> None:
        n = IdNumber("11010519491231002X")
        assert str(n) == "1101**********002X"
        assert "19491231" not in repr(n)
        assert n.value == "11010519491231002X"

    @given(id_numbers())
    def test_masking_keeps_only_the_ends(self, n: IdNumber) -> None:
        assert n.masked[:4] == n.value[:4] and n.masked[-4:] == n.value[-4:]
        assert n.masked[4:-4] == "*" * 10

    @given(id_numbers())
    def test_any_single_digit_change_is_caught(self, n: IdNumber) -> None:
        v = n.value
        changed = v[:3] + str((int(v[3]) + 1) % 10) + v[4:]
        with pytest.raises(InvalidValue):
            IdNumber(changed)


class TestAge:
    def test_age_turns_on_the_birthday(self) -> None:
        b = dt.date(1974, 11, 20)
        assert age_on(b, dt.date(2024, 11, 19)) == 49
        assert age_on(b, dt.date(2024, 11, 20)) == 50

    def test_leap_day_birthday_counts_from_march_first(self) -> None:
        b = dt.date(2000, 2, 29)
        assert age_on(b, dt.date(2018, 2, 28)) == 17
        assert age_on(b, dt.date(2018, 3, 1)) == 18

    @given(births, st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2035, 1, 1)))
    def test_age_is_whole_years(self, birth: dt.date, on: dt.date) -> None:
        a = age_on(birth, on)
        if a >= 0:
            # the a-th birthday has passed and the (a+1)-th has not
            assert (birth.year + a, birth.month, birth.day) <= (on.year, on.month, on.day)
            assert (birth.year + a + 1, birth.month, birth.day) > (on.year, on.month, on.day)


class TestRegionCode:
    @pytest.mark.parametrize(
        "outer, inner, covered",
        [
            ("320000", "320102", True),
            ("320000", "320583", True),
            ("130900", "130902", True),
            ("130900", "131002", False),
            ("610526", "610526", True),
            ("610526", "610527", False),
            ("410100", "410185", True),
            ("410100", "411000", False),
        ],
    )
    def test_covers(self, outer: str, inner: str, covered: bool) -> None:
        assert RegionCode(outer).covers(RegionCode(inner)) is covered

    @given(st.sampled_from(REGION_CODES))
    def test_every_code_covers_itself_and_its_province_covers_it(self, code: str) -> None:
        c = RegionCode(code)
        assert c.covers(c)
        assert RegionCode(code[:2] + "0000").covers(c)

    @pytest.mark.parametrize("bad", ["32010", "3201020", "abcdef", "999999", ""])
    def test_invalid_codes(self, bad: str) -> None:
        with pytest.raises(InvalidValue):
            RegionCode(bad)

    def test_name(self) -> None:
        assert RegionCode("130900").name.endswith("沧州市")
        assert RegionCode("320000").name == "江苏省"


def test_credit_code() -> None:
    assert CreditCode("91110000600037341L").value == "91110000600037341L"
    with pytest.raises(InvalidValue):
        CreditCode("91110000600037341X")


def test_text_format() -> None:
    assert Text("{n}名", "{n} guards").format(n=3) == Text("3名", "3 guards")


@given(st.from_regex(r"[0-9]{17}", fullmatch=True))
def test_check_digit_agrees_with_stdnum(body: str) -> None:
    from campus_security.model.values import gb11643_check_digit

    assert gb11643_check_digit(body) == ric.calc_check_digit(body + "0")
