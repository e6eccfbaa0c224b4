"""Record source ``background``: background review results (背景审查结果).

The police review guards against their data (公安大数据): drugs (涉毒), law cases
(涉法), lawsuits (涉诉), mental illness (精神病) and criminal records (前科). The review's
result list is read here: XLSX, XLS, ODS or CSV (UTF-8 or GB18030), a title above the
table allowed, columns found by their headers in any order:

- 身份证号码 (公民身份号码) and 审查日期 (审查时间), required;
- 姓名 and 审查机关 (审查单位), optional;
- the findings, either as one column per flag (涉毒, 涉法, 涉诉, 精神病 or 精神疾病, 前科 or
  犯罪前科) holding 是 / 否 (also 有 / 无, Y / N, 1 / 0, √; empty means no), or as one column
  审查结果 (审查结论) listing the flags found (``涉毒、前科``) or saying 无异常 (also 无, 正常,
  通过, 合格). A table with neither is reported: reading it as clear would be wrong.

Each row becomes a :class:`~campus_security.sdk.BackgroundReview`; merged into a roster
(``campus-security pull background RESULTS --into ROSTER -o OUT``) it adds a
``BackgroundCheck`` with ``reviewed_by`` and its ``source`` to every guard with that ID
number; a review already in the roster is not added twice, and one of a person who is
not a guard of the roster is reported as unmatched.

What it cannot verify: the list says what the review found, not what it searched; a
person reviewed under another ID number is not matched.
"""

from __future__ import annotations

import re

from campus_security.sdk import (
    BackgroundCheck,
    BackgroundFlag,
    BackgroundReview,
    Cells,
    Column,
    IdNumber,
    Problem,
    Provenance,
    RecordSource,
    SourceRead,
    Text,
    hookimpl,
    read_tables,
)

__all__ = ["COLUMNS", "SOURCE", "campus_security_record_sources", "read"]

FLAG_COLUMNS: tuple[tuple[BackgroundFlag, Column], ...] = (
    (BackgroundFlag.DRUGS, Column("drugs", ("涉毒", "drugs"), required=False, en="drugs")),
    (
        BackgroundFlag.LEGAL_CASE,
        Column("legal_case", ("涉法", "legal case"), required=False, en="legal case"),
    ),
    (BackgroundFlag.LAWSUIT, Column("lawsuit", ("涉诉", "lawsuit"), required=False, en="lawsuit")),
    (
        BackgroundFlag.MENTAL_ILLNESS,
        Column(
            "mental_illness",
            ("精神病", "精神疾病", "mental illness"),
            required=False,
            en="mental illness",
        ),
    ),
    (
        BackgroundFlag.CRIMINAL_RECORD,
        Column(
            "criminal_record",
            ("前科", "犯罪前科", "criminal record"),
            required=False,
            en="criminal record",
        ),
    ),
)
COLUMNS: tuple[Column, ...] = (
    Column("name", ("姓名", "name"), required=False, en="name"),
    Column("id_number", ("身份证号码", "公民身份号码", "身份证号", "ID number"), en="ID number"),
    Column("reviewed_on", ("审查日期", "审查时间", "reviewed on"), en="reviewed on"),
    Column(
        "reviewed_by",
        ("审查机关", "审查单位", "reviewing authority"),
        required=False,
        en="reviewing authority",
    ),
    Column("result", ("审查结果", "审查结论", "result"), required=False, en="result"),
    *(c for _, c in FLAG_COLUMNS),
)

YES = {"是": True, "有": True, "y": True, "yes": True, "1": True, "√": True, "✓": True}
NO = {"否": False, "无": False, "n": False, "no": False, "0": False, "×": False}
CLEAR_WORDS = frozenset({"无", "无异常", "正常", "通过", "合格", "未发现", "clear", "none"})
FLAG_WORDS: dict[str, BackgroundFlag] = {
    "涉毒": BackgroundFlag.DRUGS,
    "涉法": BackgroundFlag.LEGAL_CASE,
    "涉诉": BackgroundFlag.LAWSUIT,
    "精神病": BackgroundFlag.MENTAL_ILLNESS,
    "精神疾病": BackgroundFlag.MENTAL_ILLNESS,
    "前科": BackgroundFlag.CRIMINAL_RECORD,
    "犯罪前科": BackgroundFlag.CRIMINAL_RECORD,
    **{f.value: f for f in BackgroundFlag},
}
_SPLIT = re.compile(r"[、,，;；/\s]+")


def _result(cells: Cells) -> set[BackgroundFlag]:
    text = cells.text("result", required=False)
    if text is None:
        return set()
    flags: set[BackgroundFlag] = set()
    for word in _SPLIT.split(text.strip()):
        if not word or word.casefold() in CLEAR_WORDS:
            continue
        flag = FLAG_WORDS.get(word) or FLAG_WORDS.get(word.casefold())
        if flag is None:
            cells.problem(
                "result",
                f"无法识别的审查结果 {word!r}（可写：涉毒、涉法、涉诉、精神病、前科，或无异常）",
                f"unknown finding {word!r} (write 涉毒, 涉法, 涉诉, 精神病, 前科, or 无异常)",
            )
            continue
        flags.add(flag)
    return flags


def _row(cells: Cells, provenance: Provenance) -> BackgroundReview | None:
    idn = cells.value("id_number", IdNumber)
    on = cells.date("reviewed_on")
    by = cells.text("reviewed_by", required=False)
    flags = _result(cells)
    for flag, column in FLAG_COLUMNS:
        if cells.row.get(column.field) is not None and cells.choice(column.field, {**YES, **NO}):
            flags.add(flag)
    if not cells.ok or idn is None or on is None:
        return None
    check = BackgroundCheck(on, frozenset(flags), by, provenance)
    return BackgroundReview(idn, check, where=cells.row.where())


def read(location: str, provenance: Provenance) -> SourceRead:
    """Read a background review result list."""
    tables, problems = read_tables(location, {"reviews": COLUMNS})
    records: list[object] = []
    for table in tables:
        heads = set(table.rows[0].columns) if table.rows else set()
        if "result" not in heads and not heads & {c.field for _, c in FLAG_COLUMNS}:
            sheet = table.rows[0].sheet
            problems.append(
                Problem(
                    f"{sheet}!row 1",
                    Text(
                        "没有审查结果列（审查结果，或涉毒、涉法、涉诉、精神病、前科各列）；未读取",
                        "no result column (审查结果, or one column per flag: 涉毒, 涉法, 涉诉, "
                        "精神病, 前科); not read",
                    ),
                    location,
                )
            )
            continue
        for row in table.rows:
            cells = Cells(row, COLUMNS, location)
            record = _row(cells, provenance)
            problems.extend(cells.problems)
            if record is not None:
                records.append(record)
    return SourceRead(records, problems)


SOURCE = RecordSource(
    name="background",
    title=Text("背景审查结果（公安大数据）", "background review results"),
    layout=Text(
        "身份证号码、审查日期、审查机关（可选）、姓名（可选）；审查结果（涉毒、涉法、涉诉、精神病、前科"
        "或无异常）或每项一列（是/否）",
        "ID number, reviewed on, reviewing authority (optional), name (optional); a result "
        "column listing the flags (drugs, legal case, lawsuit, mental illness, criminal record) "
        "or one yes/no column per flag",
    ),
    read=read,
    suffixes=(".xlsx", ".xls", ".ods", ".csv"),
    records=(BackgroundReview,),
)


@hookimpl
def campus_security_record_sources() -> list[RecordSource]:
    """The background review source."""
    return [SOURCE]
