"""Helpers for testing rules in a few lines: builders for valid objects and assertions.

::

    from campus_security.testing import make_school, make_guard, check_rule, assert_status

    def test_two_guards_pass(on):
        school = make_school(region_code="130902", guards=[make_guard(on=on), make_guard(on=on)])
        assert_status(check_rule(my_rule, school, on), "pass")

Builders produce objects that pass the model's validation (real ID numbers with
GB 11643 check digits), so a test states only what matters to the rule under test.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from typing import Any

from stdnum.cn import ric

from .engine import Evaluator, Finding, Rule, Standard, Status
from .engine.rules import Target
from .model import (
    Guard,
    IdNumber,
    RegionCode,
    Roster,
    School,
    SchoolKind,
    SecurityCompany,
)

__all__ = [
    "assert_status",
    "birth_date_for_age",
    "check_rule",
    "evaluate_standard",
    "make_company",
    "make_guard",
    "make_id_number",
    "make_roster",
    "make_school",
    "standard_for",
]

_seq = itertools.count(1)


def make_id_number(
    birth: dt.date, *, region: str = "110105", female: bool = False, seq: int | None = None
) -> IdNumber:
    """A valid ID number (with its GB 11643 check digit) for a birth date."""
    n = (next(_seq) if seq is None else seq) % 500
    order = 2 * n + (0 if female else 1)  # odd: male, even: female
    body = f"{region}{birth:%Y%m%d}{order:03d}"
    return IdNumber(body + ric.calc_check_digit(body + "0"))


def birth_date_for_age(age: int, on: dt.date) -> dt.date:
    """The latest birth date at which someone is ``age`` on ``on`` (their birthday is ``on``).

    A 29 February evaluation date in a year whose ``on.year - age`` is common gives
    28 February.
    """
    try:
        return on.replace(year=on.year - age)
    except ValueError:
        return on.replace(year=on.year - age, day=28)


def make_guard(
    *,
    age: int = 35,
    on: dt.date | None = None,
    birth: dt.date | None = None,
    female: bool = False,
    **fields: Any,
) -> Guard:
    """A certified, full-time company guard of the given age on ``on``."""
    if birth is None:
        birth = birth_date_for_age(age, on or dt.date.today())
    values: dict[str, Any] = {
        "name": "测试保安",
        "full_time": True,
        "company_id": "test-company",
        "certificate_number": f"CERT{next(_seq):06d}",
    }
    values.update(fields)
    values.setdefault("id_number", make_id_number(birth, female=female))
    return Guard(**values)


def make_company(**fields: Any) -> SecurityCompany:
    """A licensed security company with id ``test-company`` unless told otherwise."""
    values: dict[str, Any] = {
        "id": "test-company",
        "name": "测试保安服务有限公司",
        "permit_number": "TEST-PERMIT-1",
    }
    values.update(fields)
    return SecurityCompany(**values)


def make_school(**fields: Any) -> School:
    """A school; every field may be overridden. Defaults: an urban public primary school."""
    values: dict[str, Any] = {
        "id": f"test-school-{next(_seq)}",
        "name": "测试学校",
        "region_code": RegionCode("110101"),
        "kind": SchoolKind.PRIMARY,
        "enrollment": 500,
        "staff_count": 40,
    }
    values.update(fields)
    if isinstance(values["region_code"], str):
        values["region_code"] = RegionCode(values["region_code"])
    return School(**values)


def make_roster(*schools: School, companies: Iterable[SecurityCompany] | None = None) -> Roster:
    """A roster of the schools, with the test company unless ``companies`` is given."""
    return Roster(
        schools=schools, companies=tuple(companies) if companies is not None else (make_company(),)
    )


def standard_for(
    *rules: Rule,
    targets: Iterable[Target] = (),
    id: str | None = None,
    jurisdiction: Iterable[str] = ("110000",),
) -> Standard:
    """Wrap rules in a throwaway standard (id taken from the first rule's prefix)."""
    from .model import Text

    std_id = id or (rules[0].id.split(".")[0] if rules else "test")
    return Standard(
        id=std_id,
        title=Text("测试标准", "test standard"),
        document="测试〔2024〕1号",
        issued_by=Text("测试", "test"),
        jurisdiction=tuple(jurisdiction),
        in_force_from=dt.date(1900, 1, 1),
        rules=rules,
        targets=tuple(targets),
    )


def check_rule(
    rule: Rule,
    school: School,
    on: dt.date,
    companies: Iterable[SecurityCompany] = (),
) -> Finding:
    """Run one rule on one school as the engine would (applicability, waivers, errors).

    Jurisdiction is ignored: the rule is judged whatever the school's region.
    """
    std = standard_for(rule, jurisdiction=(school.region_code.value,))
    companies = tuple(companies) or (make_company(),)
    result = Evaluator([std], on, companies=companies).school(school)
    (finding,) = result.findings
    return finding


def check_window(
    rule: Rule,
    school: School,
    start: dt.date,
    end: dt.date,
    companies: Iterable[SecurityCompany] = (),
) -> tuple[Finding, ...]:
    """Run one rule on one school over the window ``start``..``end``, as the engine would.

    A periodic rule gives one finding per period lying wholly inside the window, in
    order, each with its ``period``; a rule that is not periodic gives one finding, as
    of ``end``. Jurisdiction is ignored, as in :func:`check_rule`.
    """
    std = standard_for(rule, jurisdiction=(school.region_code.value,))
    companies = tuple(companies) or (make_company(),)
    return Evaluator([std], end, companies=companies, since=start).school(school).findings


def evaluate_standard(
    standard: Standard,
    school: School,
    on: dt.date,
    companies: Iterable[SecurityCompany] = (),
) -> dict[str, Finding]:
    """Findings of one standard for one school, by rule id (jurisdiction respected)."""
    companies = tuple(companies) or (make_company(),)
    result = Evaluator([standard], on, companies=companies).school(school)
    return {f.rule_id: f for f in result.findings}


def assert_status(finding: Finding, status: Status | str) -> None:
    """Assert a finding's status, showing the message when it differs."""
    want = Status(status) if isinstance(status, str) else status
    assert finding.status is want, (
        f"{finding.rule_id} on {finding.school_id}: expected {want.value}, "
        f"got {finding.status.value}: {finding.message.en} / {finding.message.zh}"
    )
