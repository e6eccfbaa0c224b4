"""The grid source: an app's export read, bad rows reported, merging, verdicts that change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from campus_security_grid import SOURCE, read

import campus_security as cs
from campus_security.formats import dumps_roster, loads_roster
from campus_security.model import (
    Cadence,
    GridArea,
    Hazard,
    Inspection,
    InvalidValue,
    Provenance,
    Roster,
)
from campus_security.record_sources import GridRecord
from campus_security.record_sources.merge import ChangeKind, merge_records
from campus_security.testing import make_school

ROOT = Path(__file__).resolve().parents[3]
ON = dt.date(2024, 11, 20)
AT = dt.datetime(2024, 11, 19, 9, 30, tzinfo=dt.UTC)


def export_xlsx(
    path: Path,
    areas: list[list[Any]],
    checks: list[list[Any]] = (),  # type: ignore[assignment]
    hazards: list[list[Any]] = (),  # type: ignore[assignment]
) -> Path:
    """A grid app's export: three sheets, a title row above each table."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "网格划分"
    ws.append(["校园安全网格划分表"])
    ws.append(["学校", "网格编号", "网格名称", "网格责任人"])
    for r in areas:
        ws.append(r)
    ws2 = wb.create_sheet("排查记录")
    ws2.append(["学校", "网格编号", "排查日期", "检查类型", "排查人"])
    for r in checks:
        ws2.append(r)
    ws3 = wb.create_sheet("隐患台账")
    ws3.append(
        [
            "学校",
            "隐患编号",
            "网格编号",
            "隐患部位",
            "隐患类别",
            "发现日期",
            "整改期限",
            "整改完成日期",
        ]
    )
    for r in hazards:
        ws3.append(r)
    wb.save(path)
    return path


AREAS = [
    ["CA001", "G1", "教学区", "王老师"],
    ["CA001", "G2", "宿舍区", "李老师"],
    ["CA001", "G3", "操场及周界", None],
]
CHECKS = [
    ["CA001", "G1", dt.datetime(2024, 11, 18), "日巡查", "王老师"],
    ["CA001", "G2", "2024-11-18", "周检查", None],
    ["CA001", None, "2024-11-01", "月排查", "保卫处"],
]
HAZARDS = [
    ["CA001", "YH-01", "G2", "宿舍楼消防通道", "消防", "2024-11-18", "2024-11-25", None],
]


def _read(path: Path) -> Any:
    return read(str(path), Provenance("grid", str(path), AT))


@pytest.fixture(scope="module")
def example() -> Roster:
    return cs.load_roster(ROOT / "examples" / "roster.json")


def _finding(roster: Roster, school: str, rule: str) -> cs.Finding:
    report = cs.check(roster, on=ON)
    return next(f for f in report.findings if f.school_id == school and f.rule_id == rule)


def test_an_export_of_three_tables_reads(tmp_path: Path) -> None:
    got = _read(export_xlsx(tmp_path / "g.xlsx", AREAS, CHECKS, HAZARDS))
    assert got.problems == ()
    items = [r.item for r in got.records]
    assert all(isinstance(r, GridRecord) and r.school == "CA001" for r in got.records)
    areas = [i for i in items if isinstance(i, GridArea)]
    checks = [i for i in items if isinstance(i, Inspection)]
    hazards = [i for i in items if isinstance(i, Hazard)]
    assert [a.id for a in areas] == ["G1", "G2", "G3"] and areas[2].responsible is None
    assert areas[0].source == Provenance("grid", str(tmp_path / "g.xlsx"), AT)
    assert checks[0] == Inspection(
        dt.date(2024, 11, 18), cadence=Cadence.DAILY, inspector="王老师", grid_area="G1"
    )
    assert checks[2].grid_area is None and checks[2].cadence is Cadence.MONTHLY
    assert hazards[0].grid_area == "G2" and hazards[0].rectify_by == dt.date(2024, 11, 25)


def test_bad_rows_are_reported_and_the_rest_read(tmp_path: Path) -> None:
    checks = [["CA001", "G1", "2024-11-18", "偶尔", None], ["CA001", "G1", "昨天", "日巡查", None]]
    hazards = [["CA001", "YH-02", None, None, None, "2024-11-18", "2024-11-01", None]]
    got = _read(export_xlsx(tmp_path / "g.xlsx", AREAS, checks, hazards))
    assert len(got.records) == 3  # the areas
    assert [p.path for p in got.problems] == ["隐患台账!G2", "排查记录!D2", "排查记录!C3"]
    assert "偶尔" in got.problems[1].message.zh and "cadence" in got.problems[1].message.en
    assert "rectify_by" in got.problems[0].message.en or "found" in got.problems[0].message.en


def test_merging_adds_areas_checks_and_hazards_and_a_second_pull_changes_nothing(
    tmp_path: Path, example: Roster
) -> None:
    records = _read(export_xlsx(tmp_path / "g.xlsx", AREAS, CHECKS, HAZARDS)).records
    once = merge_records(example, records)
    school = next(s for s in once.roster.schools if s.id == "CA001")
    assert [a.id for a in school.grid_areas] == ["G1", "G2", "G3"]
    assert {i.grid_area for i in school.inspections} >= {"G1", "G2"}
    assert school.hazards[-1].id == "YH-01"
    assert loads_roster(dumps_roster(once.roster)) == once.roster
    twice = merge_records(once.roster, records)
    assert twice.roster == once.roster
    assert {c.kind for c in twice.changes} == {ChangeKind.UNCHANGED}


def test_conflicts_keep_the_roster_and_a_rectification_updates(
    tmp_path: Path, example: Roster
) -> None:
    first = merge_records(
        example, _read(export_xlsx(tmp_path / "a.xlsx", AREAS, CHECKS, HAZARDS)).records
    )
    later_areas = [["CA001", "G1", "教学区", "赵老师"], ["CA001", "G3", "操场及周界", "孙老师"]]
    later_hazards = [
        ["CA001", "YH-01", "G2", "宿舍楼消防通道", "消防", "2024-11-18", "2024-11-25", "2024-11-22"]
    ]
    out = merge_records(
        first.roster,
        _read(export_xlsx(tmp_path / "b.xlsx", later_areas, (), later_hazards)).records,
    )
    school = next(s for s in out.roster.schools if s.id == "CA001")
    areas = {a.id: a for a in school.grid_areas}
    assert areas["G1"].responsible == "王老师"  # conflict: the roster's kept
    assert areas["G3"].responsible == "孙老师"  # empty: filled
    assert school.hazards[-1].rectified_on == dt.date(2024, 11, 22)
    kinds = [c.kind for c in out.changes]
    assert kinds == [ChangeKind.CONFLICT, ChangeKind.UPDATED, ChangeKind.UPDATED]


def test_a_check_of_an_unknown_area_is_not_merged_but_reported(
    tmp_path: Path, example: Roster
) -> None:
    checks = [["CA001", "G9", "2024-11-18", "日巡查", None]]
    out = merge_records(example, _read(export_xlsx(tmp_path / "g.xlsx", [], checks)).records)
    assert out.roster == example
    (c,) = out.changes
    assert c.kind is ChangeKind.CONFLICT and "G9" in c.message.en


def test_the_model_refuses_a_reference_to_an_unknown_area() -> None:
    with pytest.raises(InvalidValue) as exc:
        make_school(hazards=[Hazard("h", dt.date(2024, 1, 1), grid_area="G1")])
    assert exc.value.field == "hazards[0].grid_area"


def test_an_area_without_a_responsible_person_fails_the_grid_rule(
    tmp_path: Path, example: Roster
) -> None:
    rule = "cangzhou.grid-management"
    assert _finding(example, "CA001", rule).status is cs.Status.PASS  # the yes/no fact
    merged = merge_records(example, _read(export_xlsx(tmp_path / "g.xlsx", AREAS)).records).roster
    after = _finding(merged, "CA001", rule)
    assert after.status is cs.Status.FAIL
    assert after.evidence["without_responsible"] == ["G3"] and "操场及周界" in after.message.zh


def test_areas_each_with_a_person_pass_the_grid_rule_although_the_fact_says_no(
    tmp_path: Path, example: Roster
) -> None:
    rule = "cangzhou.grid-management"
    school = next(s for s in example.schools if s.id == "CA002")
    denied = attrs.evolve(school, routines=attrs.evolve(school.routines, grid_management=False))
    roster = attrs.evolve(
        example, schools=[denied if s.id == "CA002" else s for s in example.schools]
    )
    assert _finding(roster, "CA002", rule).status is cs.Status.FAIL
    areas = [
        ["沧州市实验小学", "G1", "教学区", "王老师"],
        ["沧州市实验小学", "G2", "门口", "李老师"],
    ]
    merged = merge_records(roster, _read(export_xlsx(tmp_path / "g.xlsx", areas)).records).roster
    after = _finding(merged, "CA002", rule)
    assert after.status is cs.Status.PASS and after.evidence["grid_areas"] == 2


def test_the_source_lists_its_layout() -> None:
    assert (
        SOURCE.name == "grid" and "网格责任人" in SOURCE.layout.zh and "cadence" in SOURCE.layout.en
    )
