"""Build ``fixture_roster.json``: Zhengzhou schools on which every rule both passes and fails.

Run ``python plugins/zhengzhou/tests/make_fixture.py`` to rewrite the file. The roster is
deterministic (fixed ID numbers and ids), so the test can compare the file with
:func:`build`. Evaluated on :data:`FIXTURE_ON` (a Monday): the judged half-month is
2024-03-01..15 and the judged year is 2023. Every name is fictitious.

- 金水区示范小学 (410105): every rule passes.
- 中原区问题中学 (410102): every rule fails (missing contact and ethnicity, an unlicensed
  company with no nature, an unchecked guard, a guard with a criminal record, an
  uncertified guard, no team leader, three drill kinds missing, one assessment).
- 中牟县自聘幼儿园 (410122): self-hired guards only; licensed-company is not applicable,
  the rest pass.
- 登封市职业中专 (410185): a vocational school with no guard (all not applicable).
- 荥阳市新建小学 (410182): a team formed on 2024-03-04, after the judged half-month began
  (drills and assessments not applicable), with a guard placed by a company the roster
  does not know (census and licensed-company fail).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from campus_security import dump_roster
from campus_security.model import (
    BackgroundCheck,
    BackgroundFlag,
    Drill,
    DrillKind,
    HireSource,
    Roster,
    SchoolKind,
    SkillAssessment,
)
from campus_security.testing import make_company, make_guard, make_id_number, make_school

FIXTURE_ON = dt.date(2024, 3, 18)
HERE = Path(__file__).resolve().parent
D = dt.date

FOUR = (DrillKind.FORMATION, DrillKind.EQUIPMENT, DrillKind.FIRE_EQUIPMENT, DrillKind.EMERGENCY)


def _id(region: str, birth: dt.date, seq: int, female: bool = False):
    return make_id_number(birth, region=region, seq=seq, female=female)


def _guard(region: str, seq: int, birth: dt.date, *, female: bool = False, **fields):
    """A guard with a fixed ID number; complete, checked, certified and assessed by default."""
    fields.setdefault("company_id", None)
    fields.setdefault("ethnicity", "汉族")
    fields.setdefault("certificate_number", f"豫郑{seq:06d}")
    fields.setdefault("background_checks", (BackgroundCheck(D(2023, 2, 10)),))
    fields.setdefault(
        "skill_assessments",
        (SkillAssessment(D(2023, 5, 20), True), SkillAssessment(D(2023, 11, 18), True)),
    )
    return make_guard(id_number=_id(region, birth, seq, female), **fields)


def build() -> Roster:
    """The fixture roster."""
    licensed = make_company(
        id="yuan-security",
        name="河南豫安保安服务有限公司",
        nature="国有",
        permit_number="豫公保服字第0001号",
        police_authority="郑州市公安局",
    )
    unlicensed = make_company(
        id="huaxia-security",
        name="郑州华夏安保服务有限公司",
        nature=None,
        permit_number=None,
        police_authority="郑州市公安局中原分局",
    )

    model = make_school(
        id="zz-jinshui-model-primary",
        name="郑州市金水区示范小学",
        region_code="410105",
        kind=SchoolKind.PRIMARY,
        enrollment=1800,
        staff_count=110,
        contact="陈老师 0371-60000001",
        guards=(
            _guard(
                "410105",
                1,
                D(1975, 4, 2),
                name="陈建国",
                company_id="yuan-security",
                team_leader=True,
                hired_on=D(2019, 3, 1),
            ),
            _guard(
                "410105",
                2,
                D(1980, 9, 15),
                name="马志强",
                ethnicity="回族",
                company_id="yuan-security",
                full_time=False,
                # flagged in 2021 (a lawsuit), cleared by a re-check in 2023
                background_checks=(
                    BackgroundCheck(D(2021, 8, 1), frozenset({BackgroundFlag.LAWSUIT})),
                    BackgroundCheck(D(2023, 2, 10)),
                ),
                # 2022-12-31 and 2024-01-02 lie outside the judged year 2023
                skill_assessments=(
                    SkillAssessment(D(2022, 12, 31), True),
                    SkillAssessment(D(2023, 1, 1), True),
                    SkillAssessment(D(2023, 12, 31), False),
                    SkillAssessment(D(2024, 1, 2), True),
                ),
            ),
        ),
        drills=(
            *(Drill(k, D(2024, 3, 15)) for k in FOUR),  # the 15th: first half of March
            *(Drill(k, D(2024, 3, 16)) for k in FOUR),  # current half: evidence only
        ),
    )

    troubled = make_school(
        id="zz-zhongyuan-troubled-secondary",
        name="郑州市中原区问题中学",
        region_code="410102",
        kind=SchoolKind.SECONDARY,
        enrollment=2400,
        staff_count=160,
        contact=None,
        guards=(
            _guard(
                "410102",
                11,
                D(1970, 1, 20),
                name="刘大勇",
                ethnicity=None,
                company_id="huaxia-security",
                hired_on=D(2018, 9, 1),
                skill_assessments=(SkillAssessment(D(2023, 6, 1), True),),
            ),
            _guard(
                "410102",
                12,
                D(1985, 7, 7),
                name="黄小明",
                company_id="huaxia-security",
                certificate_number=None,
                background_checks=(),
            ),
            _guard(
                "410102",
                13,
                D(1978, 12, 1),
                name="杨志远",
                hire_source=HireSource.SELF_HIRED,
                # a criminal record found in 2020 stays, despite a clear check in 2023
                background_checks=(
                    BackgroundCheck(D(2020, 5, 1), frozenset({BackgroundFlag.CRIMINAL_RECORD})),
                    BackgroundCheck(D(2023, 2, 10)),
                ),
            ),
        ),
        drills=(
            Drill(DrillKind.FIRE_EQUIPMENT, D(2024, 3, 8)),
            *(Drill(k, D(2024, 2, 29)) for k in FOUR),  # February's second half
        ),
    )

    kindergarten = make_school(
        id="zz-zhongmou-self-hired-kindergarten",
        name="中牟县自聘幼儿园",
        region_code="410122",
        kind=SchoolKind.KINDERGARTEN,
        enrollment=260,
        staff_count=30,
        contact="赵园长 0371-60000003",
        guards=(
            _guard(
                "410122",
                21,
                D(1972, 2, 29),
                name="赵守门",
                hire_source=HireSource.SELF_HIRED,
                team_leader=True,
            ),
            _guard(
                "410122",
                22,
                D(1983, 10, 10),
                female=True,
                name="孙丽",
                hire_source=HireSource.PROPERTY,
            ),
        ),
        drills=tuple(Drill(k, D(2024, 3, 1)) for k in FOUR),
    )

    vocational = make_school(
        id="zz-dengfeng-vocational",
        name="登封市职业中专",
        region_code="410185",
        kind=SchoolKind.VOCATIONAL,
        enrollment=900,
        staff_count=80,
        contact="周老师 0371-60000004",
    )

    new_school = make_school(
        id="zz-xingyang-new-primary",
        name="荥阳市新建小学",
        region_code="410182",
        kind=SchoolKind.PRIMARY,
        enrollment=600,
        staff_count=45,
        contact="吴校长 0371-60000005",
        guards=(
            _guard(
                "410182",
                31,
                D(1988, 3, 18),
                name="吴新来",
                company_id="yuan-security",
                team_leader=True,
                hired_on=D(2024, 3, 4),
                skill_assessments=(),
            ),
            _guard(
                "410182",
                32,
                D(1990, 6, 6),
                name="郑后到",
                hire_source=HireSource.COMPANY,
                company_id=None,
                hired_on=D(2024, 3, 4),
                skill_assessments=(),
            ),
            # hired after the evaluation date: not yet present, ignored by every rule
            _guard(
                "410182",
                33,
                D(1992, 1, 1),
                name="王未到",
                ethnicity=None,
                certificate_number=None,
                background_checks=(),
                hired_on=D(2024, 4, 1),
            ),
        ),
    )

    return Roster(
        schools=(model, troubled, kindergarten, vocational, new_school),
        companies=(licensed, unlicensed),
    )


def main(argv: list[str]) -> int:
    """Write the fixture next to this file (or to the path given)."""
    target = Path(argv[1]) if len(argv) > 1 else HERE / "fixture_roster.json"
    dump_roster(build(), target)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
