"""The patrol source and school patrols: night boundaries, exports, verdicts that change."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from campus_security_patrol import SOURCE, read
from hypothesis import given
from hypothesis import strategies as st

import campus_security as cs
from campus_security.formats import dumps_roster, loads_roster
from campus_security.model import (
    DaySeries,
    InvalidValue,
    PlaceKind,
    Provenance,
    Roster,
    SchoolPatrol,
    SchoolPatrolSeries,
)
from campus_security.record_sources import PatrolRecord
from campus_security.record_sources.merge import ChangeKind, merge_records
from campus_security.testing import make_school

ROOT = Path(__file__).resolve().parents[3]
CST = dt.timezone(dt.timedelta(hours=8))
ON = dt.date(2024, 11, 20)  # a Wednesday: the last complete week is 11-11..11-17
WEEK = [dt.date(2024, 11, 11) + dt.timedelta(days=k) for k in range(7)]
AT = dt.datetime(2024, 11, 19, 9, 30, tzinfo=dt.UTC)
HEAD = ["序号", "学校名称", "点位名称", "部位类别", "打卡时间", "巡查人员"]


def _at(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm), CST)


# --- the model: nights and days -------------------------------------------------------------


@pytest.mark.parametrize(
    ("hh", "mm", "night", "day_offset"),
    [
        (21, 59, False, 0),
        (22, 0, True, 0),
        (23, 59, True, 0),
        (0, 0, True, -1),
        (5, 59, True, -1),
        (6, 0, False, 0),
    ],
)
def test_night_is_22_to_6_china_time_and_counts_on_the_day_it_began(
    hh: int, mm: int, night: bool, day_offset: int
) -> None:
    p = SchoolPatrol(_at(dt.date(2024, 11, 5), hh, mm), PlaceKind.DORMITORY)
    assert p.night is night
    assert p.day == dt.date(2024, 11, 5) + dt.timedelta(days=day_offset)


def test_a_utc_time_is_judged_in_china_time() -> None:
    p = SchoolPatrol(dt.datetime(2024, 11, 5, 15, 30, tzinfo=dt.UTC), PlaceKind.GATE)  # 23:30 CST
    assert p.night and p.day == dt.date(2024, 11, 5)


def test_a_time_without_offset_is_refused() -> None:
    with pytest.raises(InvalidValue):
        SchoolPatrol(dt.datetime(2024, 11, 5, 15, 30), PlaceKind.GATE)


def test_records_and_series_are_counted_together() -> None:
    series = SchoolPatrolSeries(
        DaySeries.from_counts({WEEK[0]: 2, WEEK[1]: 1}), PlaceKind.DORMITORY, night=True
    )
    school = make_school(
        school_patrols=[
            SchoolPatrol(_at(WEEK[1], 23), PlaceKind.GIRLS_DORMITORY),
            SchoolPatrol(_at(WEEK[1], 9), PlaceKind.CANTEEN),
        ],
        school_patrol_series=[series],
    )
    assert school.school_patrol_counts(WEEK[0], WEEK[6], night=True) == {WEEK[0]: 2, WEEK[1]: 2}
    assert school.school_patrol_counts(WEEK[0], WEEK[6], places=(PlaceKind.CANTEEN,)) == {
        WEEK[1]: 1
    }
    assert school.school_patrol_counts(WEEK[2], WEEK[6]) == {}


def test_two_series_of_one_place_and_time_of_day_are_refused() -> None:
    series = SchoolPatrolSeries(DaySeries.from_days([WEEK[0]]), PlaceKind.GATE)
    with pytest.raises(InvalidValue):
        make_school(school_patrol_series=[series, series])


@given(
    times=st.lists(
        st.datetimes(
            min_value=dt.datetime(2024, 1, 1),
            max_value=dt.datetime(2024, 12, 31),
            timezones=st.just(CST),
        ),
        max_size=30,
    )
)
def test_counts_by_day_and_night_add_up_to_all(times: list[dt.datetime]) -> None:
    school = make_school(school_patrols=[SchoolPatrol(t, PlaceKind.DORMITORY) for t in times])
    start, end = dt.date(2023, 12, 31), dt.date(2024, 12, 31)
    every = school.school_patrol_counts(start, end)
    nights = school.school_patrol_counts(start, end, night=True)
    days = school.school_patrol_counts(start, end, night=False)
    assert sum(every.values()) == len(times)
    assert {d: nights.get(d, 0) + days.get(d, 0) for d in every} == every
    assert loads_roster(dumps_roster(cs.Roster(schools=[school]))).schools[0] == school


# --- the source -------------------------------------------------------------------------------


def export_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    """An electronic patrol export: a title row, then the check-ins."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "巡更记录"
    ws.append(["电子巡查打卡记录（导出：2024-11-19）"])
    ws.append(HEAD)
    for k, r in enumerate(rows):
        ws.append([k + 1, *r])
    wb.save(path)
    return path


def _week_rows(
    school: str, *, nights: bool = True, skip_night: dt.date | None = None
) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for d in WEEK:
        rows.append([school, "东门", "校门口", dt.datetime.combine(d, dt.time(7, 10)), "张三"])
        rows.append([school, "1号教学楼", "教学楼", dt.datetime.combine(d, dt.time(10, 5)), "张三"])
        if nights and d != skip_night:
            late = dt.datetime.combine(d + dt.timedelta(days=1), dt.time(1, 20))
            rows.append([school, "女生宿舍2栋", "女生宿舍", late, "李四"])
    return rows


def _read(path: Path) -> Any:
    return read(str(path), Provenance("patrol", str(path), AT))


def test_an_export_reads_every_check_in(tmp_path: Path) -> None:
    path = export_xlsx(tmp_path / "p.xlsx", _week_rows("CA001"))
    got = _read(path)
    assert got.problems == ()
    assert len(got.records) == 21
    first = got.records[0]
    assert isinstance(first, PatrolRecord) and first.school == "CA001"
    assert first.patrol.patrolled_at == _at(WEEK[0], 7, 10)
    assert first.patrol.place is PlaceKind.GATE and first.patrol.checkpoint == "东门"
    assert first.patrol.guard == "张三" and first.patrol.source == Provenance(
        "patrol", str(path), AT
    )
    assert first.where == "巡更记录!row 3"
    assert got.records[2].patrol.night and got.records[2].patrol.day == WEEK[0]


def test_a_csv_log_with_text_times_reads(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    with path.open("w", encoding="gb18030", newline="") as f:
        w = csv.writer(f)
        w.writerow(["学校", "巡查时间", "巡查部位"])
        w.writerow(["沧州市第一中学", "2024/11/12 22:40", "宿舍"])
        w.writerow(["沧州市第一中学", "2024-11-12T23:10:00+08:00", "canteen"])
    got = _read(path)
    assert got.problems == ()
    assert [r.patrol.place for r in got.records] == [PlaceKind.DORMITORY, PlaceKind.CANTEEN]
    assert got.records[0].patrol.patrolled_at == _at(dt.date(2024, 11, 12), 22, 40)


def test_bad_rows_are_reported_and_the_rest_read(tmp_path: Path) -> None:
    rows = _week_rows("CA001")[:3]
    rows[0][3] = "昨晚"
    rows[1][2] = "操场"
    rows[2][0] = None
    got = _read(export_xlsx(tmp_path / "p.xlsx", rows))
    assert got.records == ()
    assert [p.path for p in got.problems] == ["巡更记录!E3", "巡更记录!D4", "巡更记录!B5"]
    assert "操场" in got.problems[1].message.zh and "place" in got.problems[1].message.en


def test_the_source_lists_its_layout() -> None:
    assert SOURCE.name == "patrol" and "巡查时间" in SOURCE.layout.zh and "time" in SOURCE.layout.en


# --- merging and verdicts -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def example() -> Roster:
    return cs.load_roster(ROOT / "examples" / "roster.json")


def _finding(roster: Roster, school: str, rule: str) -> cs.Finding:
    report = cs.check(roster, on=ON)
    return next(f for f in report.findings if f.school_id == school and f.rule_id == rule)


def test_merging_adds_once_and_reports_unknown_schools(tmp_path: Path, example: Roster) -> None:
    rows = (
        _week_rows("CA001") + _week_rows("沧州市实验小学", nights=False) + _week_rows("XX999")[:2]
    )
    records = _read(export_xlsx(tmp_path / "p.xlsx", rows)).records
    once = merge_records(example, records)
    assert [c.kind for c in once.changes] == [
        ChangeKind.ADDED,
        ChangeKind.ADDED,
        ChangeKind.UNMATCHED,
    ]
    by_id = {s.id: s for s in once.roster.schools}
    assert len(by_id["CA001"].school_patrols) == 21 and len(by_id["CA002"].school_patrols) == 14
    twice = merge_records(once.roster, records)
    assert twice.roster == once.roster
    assert [c.kind for c in twice.changes] == [
        ChangeKind.UNCHANGED,
        ChangeKind.UNCHANGED,
        ChangeKind.UNMATCHED,
    ]
    assert loads_roster(dumps_roster(once.roster)) == once.roster


def test_a_night_without_a_dormitory_patrol_fails_the_night_patrol_rule(
    tmp_path: Path, example: Roster
) -> None:
    rule = "cangzhou.night-patrol"
    assert _finding(example, "CA001", rule).status is cs.Status.PASS  # the yes/no fact
    records = _read(
        export_xlsx(tmp_path / "p.xlsx", _week_rows("CA001", skip_night=WEEK[3]))
    ).records
    after = _finding(merge_records(example, records).roster, "CA001", rule)
    assert after.status is cs.Status.FAIL
    assert after.evidence["nights_without"] == ["2024-11-14"]
    assert "2024-11-14" in after.message.zh and "22:00-06:00" in after.message.en


def test_every_night_patrolled_passes_and_counts_girls_dormitories(
    tmp_path: Path, example: Roster
) -> None:
    records = _read(export_xlsx(tmp_path / "p.xlsx", _week_rows("CA001"))).records
    after = _finding(merge_records(example, records).roster, "CA001", "cangzhou.night-patrol")
    assert after.status is cs.Status.PASS
    assert after.evidence["girls_dormitory_nights"] == 7 and after.evidence["patrols"] == 7


def test_records_override_the_yes_no_fact_both_ways(tmp_path: Path, example: Roster) -> None:
    rule = "cangzhou.key-area-patrol"
    school = next(s for s in example.schools if s.id == "CA002")
    denied = attrs.evolve(school, routines=attrs.evolve(school.routines, key_area_patrol=False))
    roster = attrs.evolve(
        example, schools=[denied if s.id == "CA002" else s for s in example.schools]
    )
    assert _finding(roster, "CA002", rule).status is cs.Status.FAIL
    records = _read(export_xlsx(tmp_path / "p.xlsx", _week_rows("CA002", nights=False))).records
    assert _finding(merge_records(roster, records).roster, "CA002", rule).status is cs.Status.PASS
    # A week with a day missing fails, although the roster says the school patrols.
    gap = [r for r in _week_rows("CA002", nights=False) if r[3].date() != WEEK[6]]
    records = _read(export_xlsx(tmp_path / "q.xlsx", gap)).records
    after = _finding(merge_records(example, records).roster, "CA002", rule)
    assert after.status is cs.Status.FAIL and after.evidence["days_without"] == ["2024-11-17"]


def test_a_day_series_counts_like_records(example: Roster) -> None:
    school = next(s for s in example.schools if s.id == "CA001")
    series = (
        SchoolPatrolSeries(DaySeries.from_days(WEEK), PlaceKind.GATE),
        SchoolPatrolSeries(DaySeries.from_days(WEEK[:-1]), PlaceKind.DORMITORY, night=True),
    )
    compact = attrs.evolve(school, school_patrol_series=series)
    roster = attrs.evolve(
        example, schools=[compact if s.id == "CA001" else s for s in example.schools]
    )
    assert _finding(roster, "CA001", "cangzhou.key-area-patrol").status is cs.Status.PASS
    night = _finding(roster, "CA001", "cangzhou.night-patrol")
    assert night.status is cs.Status.FAIL and night.evidence["nights_without"] == ["2024-11-17"]
