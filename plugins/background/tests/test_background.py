"""The background review source: realistic result lists, bad rows, verdicts that change."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from campus_security_background import SOURCE, read

import campus_security as cs
from campus_security.model import BackgroundFlag, Provenance, Roster
from campus_security.record_sources import BackgroundReview
from campus_security.record_sources.merge import ChangeKind, merge_records

ROOT = Path(__file__).resolve().parents[3]
ON = dt.date(2024, 11, 20)
AT = dt.datetime(2024, 11, 19, 9, 30, tzinfo=dt.UTC)
REVIEWED = dt.date(2024, 10, 8)

FLAG_HEAD = [
    "序号",
    "姓名",
    "公民身份号码",
    "涉毒",
    "涉法",
    "涉诉",
    "精神病",
    "前科",
    "审查日期",
    "审查单位",
]
RESULT_HEAD = ["姓名", "身份证号码", "审查结论", "审查时间", "审查机关"]


@pytest.fixture(scope="module")
def example() -> Roster:
    return cs.load_roster(ROOT / "examples" / "roster.json")


def _guards(roster: Roster, school_id: str) -> list[Any]:
    return list(next(s for s in roster.schools if s.id == school_id).guards)


def flags_xlsx(path: Path, guards: list[Any], found: dict[str, set[str]]) -> Path:
    """A result list with one 是/否 column per flag, under a title row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "审查结果"
    ws.append(["保安员背景审查结果反馈表（金水分局）"])
    ws.append(FLAG_HEAD)
    for k, g in enumerate(guards):
        marks = ["是" if f in found.get(g.name, set()) else "否" for f in FLAG_HEAD[3:8]]
        ws.append([k + 1, g.name, g.id_number.value, *marks, REVIEWED, "郑州市公安局金水分局"])
    wb.save(path)
    return path


def result_csv(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="gb18030", newline="") as f:
        w = csv.writer(f)
        w.writerow(RESULT_HEAD)
        w.writerows(rows)
    return path


def _read(path: Path) -> Any:
    return read(str(path), Provenance("background", str(path), AT))


def _finding(roster: Roster, school: str, rule: str) -> cs.Finding:
    report = cs.check(roster, on=ON)
    return next(f for f in report.findings if f.school_id == school and f.rule_id == rule)


def test_a_result_list_with_flag_columns_reads(tmp_path: Path, example: Roster) -> None:
    guards = _guards(example, "ZH001")
    path = flags_xlsx(tmp_path / "r.xlsx", guards, {guards[1].name: {"涉毒", "前科"}})
    got = _read(path)
    assert got.problems == ()
    assert len(got.records) == len(guards)
    second = got.records[1]
    assert isinstance(second, BackgroundReview)
    assert second.id_number == guards[1].id_number
    assert second.check.flags == {BackgroundFlag.DRUGS, BackgroundFlag.CRIMINAL_RECORD}
    assert second.check.checked_on == REVIEWED
    assert second.check.reviewed_by == "郑州市公安局金水分局"
    assert second.check.source == Provenance("background", str(path), AT)
    assert second.where == "审查结果!row 4"
    assert got.records[0].check.clear


def test_a_result_column_lists_the_flags_found(tmp_path: Path, example: Roster) -> None:
    g, h = _guards(example, "ZH002")[:2]
    path = result_csv(
        tmp_path / "r.csv",
        [
            [g.name, g.id_number.value, "涉诉、精神病", "2024年10月8日", "某分局"],
            [h.name, h.id_number.value, "无异常", "2024/10/08", None],
        ],
    )
    got = _read(path)
    assert got.problems == ()
    first, second = got.records
    assert first.check.flags == {BackgroundFlag.LAWSUIT, BackgroundFlag.MENTAL_ILLNESS}
    assert second.check.clear and second.check.reviewed_by is None


def test_bad_rows_are_reported_and_the_good_ones_kept(tmp_path: Path, example: Roster) -> None:
    g, h, k = _guards(example, "ZH002")[:3]
    bad_id = g.id_number.value[:-1] + ("0" if g.id_number.value[-1] != "0" else "1")
    path = result_csv(
        tmp_path / "r.csv",
        [
            [g.name, bad_id, "无异常", "2024-10-08", None],
            [h.name, h.id_number.value, "酗酒", "2024-10-08", None],
            [k.name, k.id_number.value, "无异常", "十月", None],
            [k.name, k.id_number.value, "涉毒", "2024-10-08", None],
        ],
    )
    got = _read(path)
    assert len(got.records) == 1 and got.records[0].check.flags == {BackgroundFlag.DRUGS}
    assert [p.path for p in got.problems] == ["r!B2", "r!C3", "r!D4"]
    assert all(p.source == str(path) for p in got.problems)
    assert "酗酒" in got.problems[1].message.zh and "unknown finding" in got.problems[1].message.en
    assert bad_id not in " ".join(str(p) for p in got.problems)


def test_a_list_without_any_result_column_is_refused_not_read_as_clear(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("姓名,身份证号码,审查日期\n张三,110105198001010011,2024-10-08\n", "utf-8")
    got = _read(path)
    assert got.records == ()
    (problem,) = got.problems
    assert "审查结果" in problem.message.zh and "not read" in problem.message.en


def test_a_flag_cell_that_is_neither_yes_nor_no_is_a_problem(
    tmp_path: Path, example: Roster
) -> None:
    g = _guards(example, "ZH001")[0]
    path = tmp_path / "r.csv"
    path.write_text(
        f"身份证号码,涉毒,审查日期\n{g.id_number.value},待查,2024-10-08\n", encoding="utf-8"
    )
    got = _read(path)
    assert got.records == ()
    assert got.problems[0].path == "r!B2" and "涉毒" in got.problems[0].message.zh


def test_the_source_lists_its_layout() -> None:
    assert SOURCE.name == "background"
    assert "审查日期" in SOURCE.layout.zh and "reviewed on" in SOURCE.layout.en


# --- verdicts that change because of pulled data ------------------------------------------


@pytest.mark.parametrize(
    ("school_id", "rule_id"),
    [("ZH001", "zhengzhou.background-clear"), ("JI001", "jiangsu.guard-background-check")],
)
def test_a_review_that_finds_drugs_fails_a_rule_that_passed(
    tmp_path: Path, example: Roster, school_id: str, rule_id: str
) -> None:
    assert _finding(example, school_id, rule_id).status is cs.Status.PASS
    guards = _guards(example, school_id)
    path = flags_xlsx(tmp_path / "r.xlsx", guards, {guards[0].name: {"涉毒"}})
    merged = merge_records(example, _read(path).records)
    assert len(merged.of(ChangeKind.ADDED)) == len(guards)
    after = _finding(merged.roster, school_id, rule_id)
    assert after.status is cs.Status.FAIL
    assert guards[0].name in after.message.zh


def test_an_unreviewed_guard_is_reviewed_by_the_pull(tmp_path: Path, example: Roster) -> None:
    rule_id = "zhengzhou.background-checked"
    school = next(s for s in example.schools if s.id == "ZH004")
    stripped = attrs.evolve(
        school, guards=[attrs.evolve(g, background_checks=()) for g in school.guards]
    )
    roster = attrs.evolve(
        example, schools=[stripped if s.id == "ZH004" else s for s in example.schools]
    )
    assert _finding(roster, "ZH004", rule_id).status is cs.Status.FAIL
    path = flags_xlsx(tmp_path / "r.xlsx", list(school.guards), {})
    merged = merge_records(roster, _read(path).records).roster
    assert _finding(merged, "ZH004", rule_id).status is cs.Status.PASS
    checks = next(s for s in merged.schools if s.id == "ZH004").guards[0].background_checks
    assert checks[0].source is not None and checks[0].source.location == str(path)
