"""Record source ``ledger``: the ledgers (台账) schools keep in spreadsheets.

Most schools have no platform: they keep a drill log, an inspection and patrol log and
a hazard-rectification ledger (隐患排查整改台账) in spreadsheets. This source writes the
blank ledgers (``campus-security template drills|inspections|hazards -o FILE.xlsx``) and
reads them back, filled in, as XLSX, XLS, ODS or CSV (UTF-8 or GB18030), also after
LibreOffice or Excel has saved them again.

A blank ledger has a title row, then one header row whose cells carry the Chinese header
with the English one beneath (``演练日期`` / ``held on``), drop-down lists for the kinds,
levels and cadences, date cells formatted ``yyyy-mm-dd``, and one example row, marked
``示例 example`` in its first column, which is never read. Each row names its school (学校:
the roster id or the exact name), so that a bureau can pull many schools' ledgers into one
roster. The columns:

drills (演练台账)
    序号 · 学校 · 演练日期 · 演练类别 (应急演练 / 队列训练 / 防护器械使用训练 / 消防器材使用训练)
inspections (检查巡查台账)
    序号 · 学校 · 检查日期 · 检查单位 (学校 / 派出所 / 县级 / 市级 / 省级) · 排查频次 (日巡查 /
    周检查 / 月排查 / 季度总结; optional) · 检查人 (optional)
hazards (隐患排查整改台账)
    序号 · 学校 · 隐患编号 · 发现日期 · 隐患部位 · 隐患类别 · 整改期限 · 整改完成日期 ·
    现场整改 (是 / 否) · 责任人 (all but the first four optional)

What it cannot verify: that what the ledger says happened did; a ledger is the school's
own word, and its provenance says so.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

from campus_security.sdk import (
    Cadence,
    Cells,
    Column,
    Drill,
    DrillKind,
    Hazard,
    Inspection,
    InspectorLevel,
    InvalidValue,
    LedgerRecord,
    Provenance,
    RecordSource,
    Row,
    SourceRead,
    Text,
    cell_text,
    hookimpl,
    read_tables,
)

__all__ = ["LEDGERS", "SOURCE", "campus_security_record_sources", "read", "write_template"]

EXAMPLE = "示例 example"
"""What the example row carries in its first column; such a row is never read."""

_MARK = Column("mark", ("序号", "No."), required=False, en="No.")
_SCHOOL = Column("school", ("学校", "school"), en="school")

YES_NO = {"是": True, "否": False, "yes": True, "no": False}
LEVELS = {level.zh: level for level in InspectorLevel} | {lv.value: lv for lv in InspectorLevel}
CADENCES = {c.zh: c for c in Cadence} | {c.value: c for c in Cadence}
KINDS = {k.zh: k for k in DrillKind} | {k.value: k for k in DrillKind}


class Ledger:
    """One ledger: its sheet and title, its columns, drop-downs and date columns, its rows."""

    def __init__(
        self,
        name: str,
        title: tuple[str, str],
        columns: tuple[Column, ...],
        lists: dict[str, list[str]],
        dates: tuple[str, ...],
        example: list[Any],
        build: Callable[[Cells], Drill | Inspection | Hazard | None],
    ) -> None:
        self.name, self.title, self.columns = name, title, columns
        self.lists, self.dates, self.example, self.build = lists, dates, example, build


def _drill(cells: Cells) -> Drill | None:
    on = cells.date("held_on")
    kind = cells.choice("kind", KINDS)
    if not cells.ok or on is None or kind is None:
        return None
    return Drill(kind, on)


def _inspection(cells: Cells) -> Inspection | None:
    on = cells.date("inspected_on")
    level = cells.choice("level", LEVELS)
    cadence = cells.choice("cadence", CADENCES, required=False)
    inspector = cells.text("inspector", required=False)
    if not cells.ok or on is None or level is None:
        return None
    return Inspection(on, level, cadence, inspector)


def _hazard(cells: Cells) -> Hazard | None:
    hid = cells.text("id")
    found = cells.date("found_on")
    location = cells.text("location", required=False)
    category = cells.text("category", required=False)
    by = cells.date("rectify_by", required=False)
    done = cells.date("rectified_on", required=False)
    spot = cells.choice("on_the_spot", YES_NO, required=False)
    responsible = cells.text("responsible", required=False)
    if not cells.ok or hid is None or found is None:
        return None
    try:
        return Hazard(hid, found, location, category, by, done, bool(spot), responsible=responsible)
    except InvalidValue as exc:  # a deadline or a rectification before the find
        cells.problem(exc.field or "id", exc.message.zh, exc.message.en)
        return None


def _col(field: str, zh: str, en: str, *, required: bool = True) -> Column:
    return Column(field, (zh, en), required=required, en=en)


LEDGERS: dict[str, Ledger] = {
    "drills": Ledger(
        "drills",
        ("演练台账", "drill log"),
        (
            _MARK,
            _SCHOOL,
            _col("held_on", "演练日期", "held on"),
            _col("kind", "演练类别", "kind"),
        ),
        {"kind": [k.zh for k in DrillKind]},
        ("held_on",),
        [EXAMPLE, "某某小学", "2024-09-10", DrillKind.EMERGENCY.zh],
        _drill,
    ),
    "inspections": Ledger(
        "inspections",
        ("检查巡查台账", "inspection and patrol log"),
        (
            _MARK,
            _SCHOOL,
            _col("inspected_on", "检查日期", "inspected on"),
            _col("level", "检查单位", "inspected by"),
            _col("cadence", "排查频次", "cadence", required=False),
            _col("inspector", "检查人", "inspector", required=False),
        ),
        {"level": [lv.zh for lv in InspectorLevel], "cadence": [c.zh for c in Cadence]},
        ("inspected_on",),
        [EXAMPLE, "某某小学", "2024-09-10", InspectorLevel.SCHOOL.zh, Cadence.DAILY.zh, "张三"],
        _inspection,
    ),
    "hazards": Ledger(
        "hazards",
        ("隐患排查整改台账", "hazard-rectification ledger"),
        (
            _MARK,
            _SCHOOL,
            _col("id", "隐患编号", "hazard id"),
            _col("found_on", "发现日期", "found on"),
            _col("location", "隐患部位", "location", required=False),
            _col("category", "隐患类别", "category", required=False),
            _col("rectify_by", "整改期限", "rectify by", required=False),
            _col("rectified_on", "整改完成日期", "rectified on", required=False),
            _col("on_the_spot", "现场整改", "on the spot", required=False),
            _col("responsible", "责任人", "responsible", required=False),
        ),
        {"on_the_spot": ["是", "否"]},
        ("found_on", "rectify_by", "rectified_on"),
        [
            EXAMPLE,
            "某某小学",
            "YH-001",
            "2024-09-10",
            "东门",
            "门禁",
            "2024-09-20",
            "",
            "否",
            "张三",
        ],
        _hazard,
    ),
}
"""The ledgers, by the name ``campus-security template`` takes."""

_ROWS = 500
"""Rows of a blank ledger that get the drop-down lists."""


def write_template(name: str) -> bytes:
    """The blank ledger ``name`` as XLSX bytes (the caller writes them, atomically)."""
    import datetime as dt
    import importlib

    # openpyxl ships no type information: its modules are Any here (as in the core).
    openpyxl: Any = importlib.import_module("openpyxl")
    styles: Any = importlib.import_module("openpyxl.styles")
    utils: Any = importlib.import_module("openpyxl.utils")
    validation: Any = importlib.import_module("openpyxl.worksheet.datavalidation")
    Alignment, Font, PatternFill = styles.Alignment, styles.Font, styles.PatternFill
    get_column_letter, DataValidation = utils.get_column_letter, validation.DataValidation

    ledger = LEDGERS[name]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = ledger.title[0]
    zh, en = ledger.title
    ws.append(
        [
            f"{zh} / {en}：第3行为示例（序号列标“{EXAMPLE}”），不会被读取；"
            "请从第4行起填写 / row 3 is an example and is never read: fill in from row 4"
        ]
    )
    ws.append([f"{c.headers[0]}\n{c.headers[1]}" for c in ledger.columns])
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[2].height = 32
    example = list(ledger.example)
    for i, c in enumerate(ledger.columns):
        if c.field in ledger.dates and example[i]:
            example[i] = dt.date.fromisoformat(example[i])
    ws.append(example)
    grey = PatternFill("solid", fgColor="DDDDDD")
    for cell in ws[3]:
        cell.fill = grey
        cell.font = Font(italic=True, color="666666")
    for i, c in enumerate(ledger.columns):
        letter = get_column_letter(i + 1)
        ws.column_dimensions[letter].width = 16
        cells = f"{letter}3:{letter}{_ROWS}"
        if c.field in ledger.lists:
            choices = ",".join(ledger.lists[c.field])
            dv = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
            dv.error = "请从下拉列表中选择 / choose from the list"
            dv.showErrorMessage = True
            ws.add_data_validation(dv)
            dv.add(cells)
        if c.field in ledger.dates:  # the column's style: every cell typed in gets it
            ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
            ws[f"{letter}3"].number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _is_example(row: Row) -> bool:
    mark = cell_text(row.get("mark"))
    return mark is not None and mark.startswith("示例")


def read(location: str, provenance: Provenance) -> SourceRead:
    """Read filled-in ledgers (any of the three, a sheet each or a CSV file each)."""
    layouts: dict[str, Sequence[Column]] = {n: lg.columns for n, lg in LEDGERS.items()}
    tables, problems = read_tables(location, layouts, skip_row=_is_example)
    records: list[object] = []
    for table in tables:
        ledger = LEDGERS[table.layout]
        for row in table.rows:
            cells = Cells(row, ledger.columns, location)
            school = cells.text("school")
            item = ledger.build(cells)
            problems.extend(cells.problems)
            if item is not None and school is not None and cells.ok:
                records.append(LedgerRecord(school, item, provenance, where=row.where()))
    return SourceRead(records, problems)


SOURCE = RecordSource(
    name="ledger",
    title=Text(
        "学校台账（演练、检查巡查、隐患排查整改）", "school ledgers (drills, inspections, hazards)"
    ),
    layout=Text(
        "演练台账：学校、演练日期、演练类别；检查巡查台账：学校、检查日期、检查单位、排查频次、检查人；"
        "隐患排查整改台账：学校、隐患编号、发现日期、隐患部位、隐患类别、整改期限、整改完成日期、现场整改、"
        "责任人（空白表格：campus-security template）",
        "drill log: school, held on, kind; inspection log: school, inspected on, inspected by, "
        "cadence, inspector; hazard ledger: school, hazard id, found on, location, category, "
        "rectify by, rectified on, on the spot, responsible (blank forms: campus-security "
        "template)",
    ),
    read=read,
    suffixes=(".xlsx", ".xls", ".ods", ".csv"),
    records=(LedgerRecord,),
    templates=tuple(LEDGERS),
    write_template=write_template,
)


@hookimpl
def campus_security_record_sources() -> list[RecordSource]:
    """The ledger source."""
    return [SOURCE]
