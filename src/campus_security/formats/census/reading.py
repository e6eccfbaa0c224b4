"""Reading census forms into a roster: :func:`import_census` and :func:`read_census`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import attrs

from ...census_forms import CONTACT, KIND, REGION, SEQ, UNIT, FormLayout, _label
from ...errors import Problem, RosterError
from ...model import InvalidValue, RegionCode, Roster, School, SchoolKind, Text
from ...spreadsheets.grids import _Grid, read_grids
from ...spreadsheets.limits import _col_letter
from .blocks import _Block, _choose_layout, _find_blocks, _read_preamble, missing_heads
from .cells import (
    _SHEET_DEFAULT,
    _cell_text,
    _clean_code,
    _is_blank,
    _ref,
    school_id_for,
)
from .guard_rows import _CompanyDraft, _GuardRows, _school_kind
from .layouts import available_layouts

__all__ = ["CensusImport", "import_census", "read_census"]

_SHOWN_SHEETS = 20  # sheets named in one message

# --- reading: rows to objects --------------------------------------------------------------


@attrs.frozen
class CensusImport:
    """What :func:`import_census` read: the roster, and notes on what it did.

    ``notes`` are not errors: sheets skipped because they hold no form, guards of the
    ``into`` roster kept although the form does not list them, ids derived from names.
    ``layouts`` gives, per sheet, the id of the layout recognised.
    """

    roster: Roster
    notes: tuple[Problem, ...] = ()
    layouts: tuple[tuple[str, str], ...] = ()


class _Reader(_GuardRows):
    """Turns the blocks of one file into schools and companies, collecting problems."""

    def __init__(
        self,
        source: str,
        into: Roster | None,
        region_code: RegionCode | None,
        kind: SchoolKind | None,
        layouts: Sequence[FormLayout],
    ) -> None:
        self.source = source
        self.is_csv = source.lower().endswith(".csv")
        self.into = into
        self.region_code = region_code
        self.kind = kind
        self.layouts = layouts
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []
        self.used_layouts: list[tuple[str, str]] = []
        self.companies: dict[str, _CompanyDraft] = {}
        self.company_order: list[str] = []
        self.ambiguous: dict[str, list[str]] = {}
        for c in into.companies if into else ():
            key = _label(c.name)
            if key in self.companies:
                self.ambiguous.setdefault(key, [self.companies[key].id]).append(c.id)
            else:
                self.companies[key] = _CompanyDraft(
                    c.id,
                    c.name,
                    c.nature,
                    c.police_authority,
                    c.permit_number,
                    c.credit_code,
                )
                self.company_order.append(key)
        self.taken_company_ids = {c.id for c in into.companies} if into else set()
        self.schools: dict[str, School] = {}
        self.formless: list[str] = []  # sheets with content but no form
        self.formula_refs: set[str] = set()
        self.undetermined: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self.school_refs: dict[str, str] = {}

    # -- grids

    def read_grid(self, grid: _Grid) -> None:
        blocks = _find_blocks(grid)
        if not blocks:
            if not any(_cell_text(v) for row in grid.rows for v in row):
                return
            missing = missing_heads(grid)
            if missing is None:
                self.note(
                    f"{grid.name}!A1",
                    "工作表中没有调查表（找不到含姓名和身份证号码的表头行），已跳过",
                    "the sheet holds no census form (no row of column heads with 姓名 and "
                    "身份证号码); skipped",
                )
                self.formless.append(grid.name)
                return
            for m in missing:  # a heading row that lacks a required head: an error
                row_ref = _ref(grid.name, m.row)
                if m.closest is None:
                    zh_near, en_near = "此行没有相近的表头", "no head in that row is close"
                else:
                    c, text = m.closest
                    zh_near = f"最接近的是 {_col_letter(c)}{m.row + 1} 的“{text}”"
                    en_near = f"the closest is {text!r} in {_col_letter(c)}{m.row + 1}"
                self.bad(
                    row_ref,
                    f"表头行缺少“{m.head}”列（{zh_near}），因此工作表中找不到调查表",
                    f"the row of column heads has no {m.head} column ({en_near}), so the "
                    "sheet holds no census form",
                )
            return
        for block in blocks:
            _read_preamble(block, self.layouts)
            # The sheet's name is the school's id when the sheet holds one form.
            self.read_block(block, sheet_is_id=len(blocks) == 1 and not self.is_csv)

    def read_block(self, block: _Block, *, sheet_is_id: bool) -> None:
        grid = block.grid
        layout = _choose_layout(block, self.layouts)
        self.used_layouts.append((grid.name, layout.id))
        by_key: dict[str, int] = {}
        head_ref = _ref(grid.name, block.head_top)
        for c, key in sorted(block.columns.items()):
            if key in by_key:
                self.bad(
                    _ref(grid.name, block.head_top, c),
                    f"列重复：{key}（已在{_col_letter(by_key[key])}列）",
                    f"duplicate column: {key} (already in column {_col_letter(by_key[key])})",
                )
                continue
            by_key[key] = c
        for key in layout.keys:
            if key not in by_key and key != SEQ:
                self.bad(
                    head_ref,
                    f"表头缺少“{key}”列（{layout.title}）",
                    f"the column heads lack {key} ({layout.id})",
                )
        rows = [
            r for r in range(block.first_data, block.end) if not self._skip_row(grid, r, by_key)
        ]
        for r in rows:
            for c in sorted(set(by_key.values())):
                formula = grid.formulas.get((r, c))
                if formula is None:
                    continue
                ref = _ref(grid.name, r, c)
                self.bad(
                    ref,
                    f"此单元格是公式（={formula}），文件中没有保存其计算结果；请在表格程序中"
                    "打开并保存文件，或把公式换成数值",
                    f"this cell holds a formula (={formula}) and the file holds no result of "
                    "it; open and save the file in a spreadsheet program, or replace the "
                    "formula with its value",
                )
                self.formula_refs.add(ref)
        ignored = {c for c, k in block.columns.items() if k == SEQ}
        known_cols = set(block.columns) | ignored
        for r in rows:
            for c, value in enumerate(grid.rows[r]):
                if c in known_cols or _is_blank(value):
                    continue
                head = block.unknown.get(c)
                if head:
                    self.bad(
                        _ref(grid.name, r, c),
                        f"“{head}”列不是调查表的列，其中的数据无法导入",
                        f"column {head!r} is not a census column; its data cannot be imported",
                    )
                else:
                    self.bad(
                        _ref(grid.name, r, c),
                        "此列没有表头，其中的数据无法导入",
                        "this column has no head; its data cannot be imported",
                    )
                known_cols.add(c)  # report each stray column once
        self.build_school(block, layout, by_key, rows, sheet_is_id=sheet_is_id)

    @staticmethod
    def _skip_row(grid: _Grid, r: int, by_key: dict[str, int]) -> bool:
        """Rows that carry nothing: blank, numbered only, or a note under the table.

        A pre-numbered blank form has 序号 filled in rows nobody used; a note (``注：…``,
        ``填表人：…``) stands alone in the first column. Any other row is a guard's, and
        is checked as one.
        """
        seq = by_key.get(SEQ)
        cells = [(c, v) for c, v in enumerate(grid.rows[r]) if not _is_blank(v) and c != seq]
        if not cells:
            return True
        if len(cells) == 1 and cells[0][0] == 0:
            return not re.fullmatch(r"[\d.]+", _cell_text(cells[0][1]))
        return False

    # -- one school

    def build_school(
        self,
        block: _Block,
        layout: FormLayout,
        by_key: dict[str, int],
        rows: list[int],
        *,
        sheet_is_id: bool,
    ) -> None:
        grid = block.grid
        unit = block.fields.get(UNIT)
        unit_ref = unit.ref if unit else (block.title_ref or _ref(grid.name, 0, 0))
        name = unit.value if unit else ""
        if not name:
            if not rows:
                self.note(
                    unit_ref,
                    "调查表未填写填报单位且没有数据行，已跳过",
                    "the form names no school (填报单位) and has no rows; skipped",
                )
                return
            self.bad(
                unit_ref,
                "缺少填报单位（学校名称）",
                "the school's name (填报单位) is missing",
            )
        contact_field = block.fields.get(CONTACT)
        contact = contact_field.value if contact_field and contact_field.value else None
        if contact is not None and "*" in contact and contact_field is not None:
            self.bad(
                contact_field.ref,
                "联系方式已脱敏（含 *），不能导入；请用 --show-personal-data 导出",
                "the contact is masked (has *) and cannot be imported; export with "
                "--show-personal-data",
            )
        existing = self.match_school(grid, name, unit_ref, sheet_is_id=sheet_is_id)
        region, kind = self.region_and_kind(block, existing, unit_ref)
        guards = self.read_guards(block, by_key, rows)
        if not name:
            return
        if existing is not None:
            school_id = existing.id
        elif sheet_is_id and grid.name.strip() and not _SHEET_DEFAULT.match(grid.name):
            school_id = grid.name
        else:
            school_id = school_id_for(name)
            self.note(
                unit_ref,
                f"学校编号由名称生成：{school_id}",
                f"school id derived from the name: {school_id}",
            )
        if school_id in self.schools:
            self.bad(
                unit_ref,
                f"学校编号重复：{school_id}（另见 {self.school_refs[school_id]}）",
                f"duplicate school id: {school_id} (see also {self.school_refs[school_id]})",
            )
            return
        if guards is None or region is None or kind is None:
            return
        try:
            if existing is not None:
                school = attrs.evolve(
                    existing,
                    contact=contact,
                    guards=self.merge_guards(existing, guards, unit_ref),
                )
            else:
                school = School(
                    id=school_id,
                    name=name,
                    region_code=region,
                    kind=kind,
                    contact=contact,
                    guards=tuple(self.new_guard(g) for g in guards),
                )
        except InvalidValue as exc:
            self.problems.append(Problem(unit_ref, exc.message, self.source))
            return
        self.schools[school_id] = school
        self.school_refs[school_id] = unit_ref

    def match_school(self, grid: _Grid, name: str, ref: str, *, sheet_is_id: bool) -> School | None:
        """The school of ``into`` this form is about: by the sheet's name, else by 填报单位."""
        if self.into is None:
            return None
        by_id = next((s for s in self.into.schools if s.id == grid.name), None)
        if by_id is not None and sheet_is_id:
            if name and _label(by_id.name) != _label(name):
                self.bad(
                    ref,
                    f"填报单位“{name}”与名册中学校 {by_id.id} 的名称“{by_id.name}”不一致",
                    f"填报单位 {name!r} differs from the name of school {by_id.id} in the "
                    f"roster: {by_id.name!r}",
                )
            return by_id
        if not name:
            return None
        same = [s for s in self.into.schools if _label(s.name) == _label(name)]
        if len(same) > 1:
            ids = ", ".join(s.id for s in same)
            self.bad(
                ref,
                f"名册中有多所学校名为“{name}”（{ids}）；请把工作表命名为学校编号",
                f"the roster has several schools named {name!r} ({ids}); name the sheet "
                "after the school's id",
            )
            return None
        return same[0] if same else None

    def region_and_kind(
        self, block: _Block, existing: School | None, unit_ref: str
    ) -> tuple[RegionCode | None, SchoolKind | None]:
        region: RegionCode | None = existing.region_code if existing else None
        kind: SchoolKind | None = existing.kind if existing else None
        f = block.fields.get(REGION)
        if f is not None and f.value:
            try:
                stated = RegionCode(_clean_code(f.value))
            except InvalidValue as exc:
                self.problems.append(Problem(f.ref, exc.message, self.source))
                stated = None
            if stated is not None:
                if region is not None and stated != region:
                    self.bad(
                        f.ref,
                        f"行政区划代码 {stated} 与名册中的 {region} 不一致",
                        f"region code {stated} differs from the roster's {region}",
                    )
                elif self.region_code is not None and stated != self.region_code:
                    self.bad(
                        f.ref,
                        f"行政区划代码 {stated} 与 --region-code {self.region_code} 不一致",
                        f"region code {stated} differs from --region-code {self.region_code}",
                    )
                region = stated
        f = block.fields.get(KIND)
        if f is not None and f.value:
            stated_kind = _school_kind(f.value)
            if stated_kind is None:
                allowed = "、".join(k.zh for k in SchoolKind)
                self.bad(
                    f.ref,
                    f"无法识别的学校类别“{f.value}”，可选：{allowed}",
                    f"unknown school kind {f.value!r}; expected one of: {allowed}",
                )
            elif kind is not None and stated_kind is not kind:
                self.bad(
                    f.ref,
                    f"学校类别“{f.value}”与名册中的“{kind.zh}”不一致",
                    f"school kind {f.value!r} differs from the roster's {kind.value}",
                )
            elif self.kind is not None and stated_kind is not self.kind:
                self.bad(
                    f.ref,
                    f"学校类别“{f.value}”与 --kind {self.kind.value} 不一致",
                    f"school kind {f.value!r} differs from --kind {self.kind.value}",
                )
            else:
                kind = stated_kind
        region = region or self.region_code
        kind = kind or self.kind
        missing_zh = [w for w, v in (("行政区划代码", region), ("学校类别", kind)) if v is None]
        if missing_zh:
            en = " and ".join(
                w for w, v in (("region code", region), ("school kind", kind)) if v is None
            )
            key = ("和".join(missing_zh), en)
            self.undetermined.setdefault(key, []).append((block.grid.name, unit_ref))
        return region, kind

    def report_undetermined(self) -> None:
        """One problem per kind of missing code, naming every sheet it concerns."""
        for (zh, en), where in self.undetermined.items():
            sheets = [name for name, _ in where]
            shown = sheets if len(sheets) <= _SHOWN_SHEETS else sheets[:_SHOWN_SHEETS]
            zh_list, en_list = "、".join(shown), ", ".join(shown)
            if len(sheets) > len(shown):
                zh_list += f" 等{len(sheets)}个"
                en_list += f" and {len(sheets) - len(shown)} more"
            if len(sheets) == 1:
                path, zh_which, en_which = where[0][1], "学校", "the school"
            else:
                path = where[0][1]
                zh_which = f"{len(sheets)}个工作表（{zh_list}）中学校"
                en_which = f"the schools of {len(sheets)} sheets ({en_list})"
            self.bad(
                path,
                f"无法确定{zh_which}的{zh}：调查表不含此项；请用 --region-code/--kind "
                "指定，或用 --into 指定含此校的名册，或在表头填写“行政区划代码：”“学校类别：”",
                f"cannot tell {en_which}'s {en}: a census form does not say; pass "
                "--region-code/--kind, or --into a roster that has the school, or add "
                "行政区划代码： and 学校类别： to the header line",
            )

    # -- the roster

    def roster(self) -> Roster:
        drafts = {self.companies[k].id: self.companies[k] for k in self.company_order}
        kept = list(self.into.companies) if self.into is not None else []
        companies = [drafts.pop(c.id).build() if c.id in drafts else c for c in kept]
        used = {g.company_id for s in self.schools.values() for g in s.guards}
        companies += [d.build() for d in drafts.values() if d.id in used]
        schools: list[School] = []
        if self.into is not None:
            for s in self.into.schools:
                schools.append(self.schools.pop(s.id, s))
        schools.extend(self.schools.values())
        return Roster(schools=tuple(schools), companies=tuple(companies))


def import_census(
    path: str | PathLike[str],
    *,
    into: Roster | None = None,
    region_code: RegionCode | str | None = None,
    kind: SchoolKind | str | None = None,
    layouts: Iterable[FormLayout] | None = None,
) -> CensusImport:
    """Read a guard census form (XLSX, XLS, XLSM, ODS or CSV) into a roster.

    Every sheet holding a form is one school. ``into`` is a roster to merge into: a
    sheet whose name is a school's id, or whose 填报单位 is a school's name, updates that
    school (the form's census items replace the roster's, the rest of each guard is
    kept, guards the form does not list are kept); other sheets add schools.
    ``region_code`` and ``kind`` apply to every new school whose sheet does not state
    them (header fields ``行政区划代码：``, ``学校类别：``). ``layouts`` defaults to the
    core's and the installed plugins'.

    Raises :class:`~campus_security.errors.RosterError` listing every problem of the form.
    """
    p = Path(path)
    source = str(p)
    problems: list[Problem] = []
    region: RegionCode | None = None
    if region_code is not None:
        try:
            region = region_code if isinstance(region_code, RegionCode) else RegionCode(region_code)
        except InvalidValue as exc:
            problems.append(Problem("--region-code", exc.message, source))
    school_kind: SchoolKind | None = None
    if kind is not None:
        school_kind = _school_kind(kind)
        if school_kind is None:
            allowed = ", ".join(k.value for k in SchoolKind)
            problems.append(
                Problem(
                    "--kind",
                    Text(
                        f"无效的学校类别 {kind!r}，可选：{allowed}",
                        f"invalid school kind {kind!r}, expected one of: {allowed}",
                    ),
                    source,
                )
            )
    if problems:
        raise RosterError(problems, source)
    grids = read_grids(p)
    known = tuple(layouts) if layouts is not None else available_layouts()
    reader = _Reader(source, into, region, school_kind, known)
    for grid in grids:
        if grid.hidden:
            reader.note(f"{grid.name}!A1", "隐藏的工作表，已跳过", "hidden sheet; skipped")
            continue
        reader.read_grid(grid)
    reader.report_undetermined()
    if not reader.used_layouts and not reader.problems:
        sheets = "、".join(reader.formless)
        reader.bad(
            f"{reader.formless[0]}!A1" if len(reader.formless) == 1 else "$",
            "文件中没有调查表（找不到含姓名和身份证号码的表头行"
            + (f"；已查看工作表：{sheets}）" if sheets else "）"),
            "the file holds no census form (no row of column heads with 姓名 and 身份证号码"
            + (f"; sheets looked at: {', '.join(reader.formless)})" if sheets else ")"),
        )
    if reader.problems:
        raise RosterError(reader.problems, source)
    try:
        roster = reader.roster()
    except InvalidValue as exc:
        raise RosterError([Problem(exc.field or "$", exc.message, source)], source) from None
    return CensusImport(roster, tuple(reader.notes), tuple(reader.used_layouts))


def read_census(path: str | PathLike[str], **options: Any) -> Roster:
    """Read a census form into a roster (:func:`import_census` without the notes).

    This is the reader registered for ``.xlsx``, ``.xls``, ``.xlsm``, ``.ods`` and
    ``.csv``, so that :func:`campus_security.formats.read_roster` and
    ``campus-security check`` accept a form; without options, each sheet must state
    its region code and school kind in its header line.
    """
    return import_census(path, **options).roster
