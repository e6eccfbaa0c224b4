"""Record source ``grid``: grid hazard management (网格化管理) exports.

Grid management divides the campus into areas (网格), each with a person responsible
for its checks (网格责任人), checked daily, weekly, monthly and quarterly (日巡查、周检查、
月排查、季度总结), with the hazards found tracked to their rectification. Apps in the
style of 象牙塔APP export three tables, read here from one workbook (XLSX, XLS, ODS; a
sheet each, in any order, a title above each allowed) or from CSV files of any of them:

areas (网格)
    学校 · 网格编号 · 网格名称 (网格区域) · 网格责任人 (责任人) *(optional: an area without
    one is recorded as such)*
checks (检查记录)
    学校 · 检查日期 (排查日期) · 排查频次 (检查类型): 日巡查 / 周检查 / 月排查 / 季度总结 ·
    网格编号 *(optional)* · 检查人 *(optional)*
hazards (隐患)
    学校 · 隐患编号 · 发现日期 · 网格编号, 隐患部位, 隐患类别, 整改期限, 整改完成日期,
    责任人 *(optional)*

学校 is the school's roster id or its exact name. Merged
(``campus-security pull grid EXPORT --into ROSTER -o OUT``), areas are added or, when
the roster has one of the same id with another name or person, reported as conflicts
(the roster's is kept; an empty responsible person is filled); checks are added once; a
hazard new to the roster is added, one whose rectification the export records is
updated, one that differs otherwise is a conflict.

What it cannot verify: that a check covered its whole area; a check with no 网格编号 is
the school's, not an area's.
"""

from __future__ import annotations

from collections.abc import Sequence

from campus_security.sdk import (
    Cadence,
    Cells,
    Column,
    GridArea,
    GridRecord,
    Hazard,
    Inspection,
    InspectorLevel,
    InvalidValue,
    Provenance,
    RecordSource,
    SourceRead,
    Text,
    hookimpl,
    read_tables,
)

__all__ = [
    "AREA_COLUMNS",
    "CHECK_COLUMNS",
    "HAZARD_COLUMNS",
    "SOURCE",
    "campus_security_record_sources",
    "read",
]

_SCHOOL = Column("school", ("学校", "学校名称", "学校编号", "school"), en="school")
_AREA = Column("grid_area", ("网格编号", "grid area"), required=False, en="grid area")
AREA_COLUMNS: tuple[Column, ...] = (
    _SCHOOL,
    Column("id", ("网格编号", "grid area"), en="grid area"),
    Column("name", ("网格名称", "网格区域", "area name"), en="area name"),
    Column(
        "responsible", ("网格责任人", "责任人", "responsible"), required=False, en="responsible"
    ),
)
CHECK_COLUMNS: tuple[Column, ...] = (
    _SCHOOL,
    Column("on", ("检查日期", "排查日期", "checked on"), en="checked on"),
    Column("cadence", ("排查频次", "检查类型", "cadence"), en="cadence"),
    _AREA,
    Column("inspector", ("检查人", "排查人", "inspector"), required=False, en="inspector"),
)
HAZARD_COLUMNS: tuple[Column, ...] = (
    _SCHOOL,
    Column("id", ("隐患编号", "hazard id"), en="hazard id"),
    Column("found_on", ("发现日期", "found on"), en="found on"),
    _AREA,
    Column("location", ("隐患部位", "location"), required=False, en="location"),
    Column("category", ("隐患类别", "category"), required=False, en="category"),
    Column("rectify_by", ("整改期限", "rectify by"), required=False, en="rectify by"),
    Column("rectified_on", ("整改完成日期", "rectified on"), required=False, en="rectified on"),
    Column("responsible", ("责任人", "responsible"), required=False, en="responsible"),
)

CADENCES = {
    "日巡查": Cadence.DAILY,
    "日": Cadence.DAILY,
    "每日": Cadence.DAILY,
    "周检查": Cadence.WEEKLY,
    "周": Cadence.WEEKLY,
    "每周": Cadence.WEEKLY,
    "月排查": Cadence.MONTHLY,
    "月": Cadence.MONTHLY,
    "每月": Cadence.MONTHLY,
    "季度总结": Cadence.QUARTERLY,
    "季度": Cadence.QUARTERLY,
    **{c.value: c for c in Cadence},
}
"""The cadence words the exports use."""


def _area(cells: Cells) -> GridArea | None:
    aid, name = cells.text("id"), cells.text("name")
    responsible = cells.text("responsible", required=False)
    if not cells.ok or aid is None or name is None:
        return None
    return GridArea(aid, name, responsible)


def _check(cells: Cells) -> Inspection | None:
    on = cells.date("on")
    cadence = cells.choice("cadence", CADENCES)
    area = cells.text("grid_area", required=False)
    inspector = cells.text("inspector", required=False)
    if not cells.ok or on is None or cadence is None:
        return None
    return Inspection(on, InspectorLevel.SCHOOL, cadence, inspector, area)


def _hazard(cells: Cells) -> Hazard | None:
    hid = cells.text("id")
    found = cells.date("found_on")
    area = cells.text("grid_area", required=False)
    location = cells.text("location", required=False)
    category = cells.text("category", required=False)
    by = cells.date("rectify_by", required=False)
    done = cells.date("rectified_on", required=False)
    responsible = cells.text("responsible", required=False)
    if not cells.ok or hid is None or found is None:
        return None
    try:
        return Hazard(
            hid,
            found,
            location,
            category,
            by,
            done,
            found_by=InspectorLevel.SCHOOL,
            responsible=responsible,
            grid_area=area,
        )
    except InvalidValue as exc:  # a deadline or a rectification before the find
        cells.problem(exc.field or "id", exc.message.zh, exc.message.en)
        return None


_BUILD = {"areas": (_area, AREA_COLUMNS), "checks": (_check, CHECK_COLUMNS)}


def read(location: str, provenance: Provenance) -> SourceRead:
    """Read a grid management export (areas, checks, hazards)."""
    layouts: dict[str, Sequence[Column]] = {
        "hazards": HAZARD_COLUMNS,
        "checks": CHECK_COLUMNS,
        "areas": AREA_COLUMNS,
    }
    tables, problems = read_tables(location, layouts)
    records: list[object] = []
    builders = {**_BUILD, "hazards": (_hazard, HAZARD_COLUMNS)}
    for table in tables:
        build, columns = builders[table.layout]
        for row in table.rows:
            cells = Cells(row, columns, location)
            school = cells.text("school")
            item = build(cells)
            problems.extend(cells.problems)
            if item is not None and school is not None and cells.ok:
                if isinstance(item, GridArea):
                    item = GridArea(item.id, item.name, item.responsible, provenance)
                records.append(GridRecord(school, item, provenance, where=row.where()))
    return SourceRead(records, problems)


SOURCE = RecordSource(
    name="grid",
    title=Text("网格化隐患排查（网格、检查记录、隐患）", "grid hazard management"),
    layout=Text(
        "网格表：学校、网格编号、网格名称、网格责任人；检查表：学校、检查日期、排查频次（日巡查/周检查/"
        "月排查/季度总结）、网格编号、检查人；隐患表：学校、隐患编号、发现日期、网格编号、隐患部位、"
        "隐患类别、整改期限、整改完成日期、责任人",
        "areas: school, grid area id, name, responsible person; checks: school, date, cadence "
        "(daily/weekly/monthly/quarterly), grid area, inspector; hazards: school, hazard id, "
        "found on, grid area, location, category, rectify by, rectified on, responsible",
    ),
    read=read,
    suffixes=(".xlsx", ".xls", ".ods", ".csv"),
    records=(GridRecord,),
)


@hookimpl
def campus_security_record_sources() -> list[RecordSource]:
    """The grid management source."""
    return [SOURCE]
