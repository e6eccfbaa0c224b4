"""Record source ``patrol``: electronic patrol records (电子巡查) of a school's own patrols.

An electronic patrol system records each check-in of a guard at a checkpoint; a school
without one keeps a patrol log. Either is read here: XLSX, XLS, ODS or CSV (UTF-8 or
GB18030), a title above the table allowed, columns found by their headers:

- 学校 (学校名称, 学校编号), required: the school by its roster id or its exact name;
- 巡查时间 (打卡时间, 签到时间), required: a spreadsheet date-time, or text
  ``2024-11-18 22:31`` (also with ``/`` or seconds); a time without a UTC offset is China
  time;
- 巡查部位 (部位类别, 点位类型), required: 校门口 (校门, 大门, 门卫), 教学楼, 学生宿舍
  (宿舍, 男生宿舍), 女生宿舍, 食堂 (餐厅), 办公楼 (行政楼), 实验室 (实验楼), 周界 (围墙),
  其他, or the English values;
- 巡查点 (点位名称) and 巡查人 (巡查人员, 保安员), optional.

Each row becomes a :class:`~campus_security.sdk.SchoolPatrol` of its school; merged
(``campus-security pull patrol RECORDS --into ROSTER -o OUT``), check-ins already in the
roster are not added twice, and those of a school the roster does not have are reported.

What it cannot verify: that the guard walked the round (a check-in proves presence at the
checkpoint at that time); which places a school has (a key place never patrolled is not
known to be missing unless no key place is patrolled on a day).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from campus_security.sdk import (
    Cells,
    Column,
    PatrolRecord,
    PlaceKind,
    Provenance,
    RecordSource,
    SchoolPatrol,
    SourceRead,
    Text,
    hookimpl,
    read_tables,
)

__all__ = ["COLUMNS", "PLACES", "SOURCE", "campus_security_record_sources", "read"]

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")

COLUMNS: tuple[Column, ...] = (
    Column("school", ("学校", "学校名称", "学校编号", "school"), en="school"),
    Column("at", ("巡查时间", "打卡时间", "签到时间", "time"), en="time"),
    Column("place", ("巡查部位", "部位类别", "点位类型", "place"), en="place"),
    Column("checkpoint", ("巡查点", "点位名称", "checkpoint"), required=False, en="checkpoint"),
    Column("guard", ("巡查人", "巡查人员", "保安员", "guard"), required=False, en="guard"),
)

PLACES: dict[str, PlaceKind] = {
    "校门口": PlaceKind.GATE,
    "校门": PlaceKind.GATE,
    "大门": PlaceKind.GATE,
    "门卫": PlaceKind.GATE,
    "门卫室": PlaceKind.GATE,
    "教学楼": PlaceKind.TEACHING_BUILDING,
    "学生宿舍": PlaceKind.DORMITORY,
    "宿舍": PlaceKind.DORMITORY,
    "男生宿舍": PlaceKind.DORMITORY,
    "女生宿舍": PlaceKind.GIRLS_DORMITORY,
    "食堂": PlaceKind.CANTEEN,
    "餐厅": PlaceKind.CANTEEN,
    "办公楼": PlaceKind.OFFICE,
    "行政楼": PlaceKind.OFFICE,
    "实验室": PlaceKind.LABORATORY,
    "实验楼": PlaceKind.LABORATORY,
    "周界": PlaceKind.PERIMETER,
    "围墙": PlaceKind.PERIMETER,
    "其他": PlaceKind.OTHER,
    **{p.value: p for p in PlaceKind},
}
"""The place words the exports use (compared without spaces, ignoring case)."""

_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")


def _time(cells: Cells) -> dt.datetime | None:
    raw: Any = cells.row.get("at")
    if raw is None:
        cells.problem("at", "不能为空", "must not be empty")
        return None
    if isinstance(raw, dt.datetime):
        return raw if raw.tzinfo else raw.replace(tzinfo=CHINA)
    text = str(raw).strip().replace("T", " ")
    try:
        stamp = dt.datetime.fromisoformat(text)
    except ValueError:
        stamp = None
        for fmt in _FORMATS:
            try:
                stamp = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if stamp is None:
        cells.problem(
            "at",
            f"不是时间：{text!r}（应写作 2024-11-18 22:31）",
            f"not a time: {text!r} (write it 2024-11-18 22:31)",
        )
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=CHINA)


def read(location: str, provenance: Provenance) -> SourceRead:
    """Read an electronic patrol export or a patrol log."""
    tables, problems = read_tables(location, {"patrols": COLUMNS})
    records: list[object] = []
    for table in tables:
        for row in table.rows:
            cells = Cells(row, COLUMNS, location)
            school = cells.text("school")
            at = _time(cells)
            place = cells.choice("place", PLACES)
            checkpoint = cells.text("checkpoint", required=False)
            guard = cells.text("guard", required=False)
            problems.extend(cells.problems)
            if cells.ok and school is not None and at is not None and place is not None:
                patrol = SchoolPatrol(at, place, checkpoint, guard, provenance)
                records.append(PatrolRecord(school, patrol, where=row.where()))
    return SourceRead(records, problems)


SOURCE = RecordSource(
    name="patrol",
    title=Text("电子巡查记录（学校自身巡查）", "electronic patrol records (the school's own)"),
    layout=Text(
        "学校（编号或名称）、巡查时间、巡查部位（校门口/教学楼/学生宿舍/女生宿舍/食堂/办公楼/实验室/"
        "周界/其他）、巡查点（可选）、巡查人（可选）",
        "school (id or name), time, place (gate, teaching building, dormitory, girls' "
        "dormitory, canteen, office, laboratory, perimeter, other), checkpoint (optional), "
        "guard (optional)",
    ),
    read=read,
    suffixes=(".xlsx", ".xls", ".ods", ".csv"),
    records=(PatrolRecord,),
)


@hookimpl
def campus_security_record_sources() -> list[RecordSource]:
    """The electronic patrol source."""
    return [SOURCE]
