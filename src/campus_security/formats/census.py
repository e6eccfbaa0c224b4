"""Census forms in and out: the guard census (保安员基本情况调查表) and the school census.

A census form is a spreadsheet that people fill in and send up the chain: one sheet
per school (一校一表), a title, a header line (``填报单位：…  联系人及联系方式：…``), a
row of column heads and one row per guard (一人一档). This module reads such forms
(XLSX with python-calamine, also XLS, XLSM and ODS; CSV with the standard library)
into roster objects, and writes them (XLSX with openpyxl, or CSV) from a roster.

The core knows no region. A :class:`FormLayout` says what a form looks like: its
title, its header fields and its columns, in order. The core ships
:data:`GUARD_CENSUS` (the generic guard census) and :data:`SCHOOL_CENSUS` (a
school-level summary, export only); region plugins add their own printed forms
through the ``campus_security_census_forms`` hook. Import recognises the layout by
the form's title, or else by its column heads, and reads columns by their heads, not
by their position.

How the guard census maps onto the model:

- 序号 is the row number (written 1..n, not stored);
- 姓名 → :attr:`Guard.name`; 民族 → :attr:`Guard.ethnicity`;
  身份证号码 → :attr:`Guard.id_number`; 保安员证编号 → :attr:`Guard.certificate_number`;
- 性别 is derived from the ID number: export writes it from the number, import checks
  that the cell agrees with the number;
- 保安服务企业名称 / 性质 / 属地公安机关 → a :class:`SecurityCompany`, found by name
  or created with an id derived from the name (:func:`company_id_for`);
- 填报单位 → :attr:`School.name`; 联系人及联系方式 → :attr:`School.contact`;
- the sheet's name is the school's id.

A form does not carry a school's region code and kind. Import takes them, in this
order, from the school of the same id or name in an existing roster (``into``), from
the optional header fields ``行政区划代码：`` and ``学校类别：`` of the sheet, or from
the caller (``region_code=``, ``kind=``); a school for which none of these says is an
error, never a guess. See ``docs/census.md`` for the whole reference.

Every problem of a form is collected and raised at once as one
:class:`~campus_security.errors.RosterError`, each naming the sheet and cell
(``一中!E5``) and saying what is wrong in Chinese and English.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import importlib
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs

from ..errors import Problem, RosterError, unreadable_file
from ..model import (
    EquipmentKind,
    Gender,
    Guard,
    IdNumber,
    InvalidValue,
    RegionCode,
    Roster,
    School,
    SchoolKind,
    SecurityCompany,
    Text,
    today_in_china,
)

if TYPE_CHECKING:
    from ..plugins import PluginManager

__all__ = [
    "BUILTIN_LAYOUTS",
    "EXPORT_SUFFIXES",
    "GUARD_CENSUS",
    "IMPORT_SUFFIXES",
    "SCHOOL_CENSUS",
    "CensusImport",
    "FormKind",
    "FormLayout",
    "available_layouts",
    "company_id_for",
    "excel_serial_date",
    "find_layout",
    "guard_columns",
    "import_census",
    "mask_contact",
    "read_census",
    "school_columns",
    "school_id_for",
    "write_census",
]

FormKind = Literal["guard", "school"]

IMPORT_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
"""File suffixes :func:`import_census` reads."""
EXPORT_SUFFIXES = (".xlsx", ".csv")
"""File suffixes :func:`write_census` writes."""

# --- the columns the core knows ------------------------------------------------------------

SEQ = "序号"
NAME = "姓名"
GENDER = "性别"
ETHNICITY = "民族"
ID_NUMBER = "身份证号码"
CERTIFICATE = "保安员证编号"
COMPANY_NAME = "保安服务企业名称"
COMPANY_NATURE = "保安服务企业性质"
POLICE_AUTHORITY = "属地公安机关"
BIRTH_DATE = "出生日期"
HIRED_ON = "首次聘用日期"

_GUARD_COLUMNS: dict[str, str] = {
    SEQ: "row number (not stored)",
    NAME: "Guard.name",
    GENDER: "Guard.gender (derived from the ID number; checked on import)",
    ETHNICITY: "Guard.ethnicity",
    ID_NUMBER: "Guard.id_number",
    CERTIFICATE: "Guard.certificate_number",
    COMPANY_NAME: "SecurityCompany.name",
    COMPANY_NATURE: "SecurityCompany.nature",
    POLICE_AUTHORITY: "SecurityCompany.police_authority",
    BIRTH_DATE: "Guard.birth_date (derived from the ID number; checked on import)",
    HIRED_ON: "Guard.hired_on",
}

# Other heads people print for the same columns (canonical form: no whitespace, NFKC).
_GUARD_ALIASES: dict[str, str] = {
    "编号": SEQ,
    "身份证号": ID_NUMBER,
    "身份证": ID_NUMBER,
    "公民身份号码": ID_NUMBER,
    "居民身份证号码": ID_NUMBER,
    "保安员证号": CERTIFICATE,
    "保安员证号码": CERTIFICATE,
    "保安证编号": CERTIFICATE,
    "保安证号": CERTIFICATE,
    "企业名称": COMPANY_NAME,
    "保安公司名称": COMPANY_NAME,
    "保安服务公司名称": COMPANY_NAME,
    "企业性质": COMPANY_NATURE,
    "保安公司性质": COMPANY_NATURE,
    "出生年月": BIRTH_DATE,
    "出生年月日": BIRTH_DATE,
    "聘用日期": HIRED_ON,
    "入职日期": HIRED_ON,
    "入职时间": HIRED_ON,
}

_AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("保安员30岁及以下", 0, 30),
    ("保安员31至40岁", 31, 40),
    ("保安员41至50岁", 41, 50),
    ("保安员51至60岁", 51, 60),
    ("保安员60岁以上", 61, 200),
)


def _school_columns() -> dict[str, str]:
    cols = {
        SEQ: "row number",
        "学校编号": "School.id",
        "学校名称": "School.name",
        "行政区划代码": "School.region_code",
        "学校类别": "School.kind (Chinese label)",
        "门卫室": "Facilities.gatehouse (有/无)",
    }
    for kind in EquipmentKind:
        cols[kind.zh] = f"quantity of Equipment {kind.value}"
    cols.update(
        {
            "保安员人数": "guards present on the census date",
            "专职保安员": "full-time guards",
            "兼职保安员": "part-time guards",
            "男保安员": "guards whose ID number says male",
            "女保安员": "guards whose ID number says female",
        }
    )
    for head, low, high in _AGE_BANDS:
        cols[head] = f"guards aged {low}-{high} on the census date"
    cols.update(
        {
            "持证保安员": "guards with a certificate number",
            "无证保安员": "guards without one",
            "在校生数": "School.enrollment",
            "教职工数": "School.staff_count",
            "住宿生数": "School.boarders",
        }
    )
    return cols


_SCHOOL_COLUMNS = _school_columns()


def guard_columns() -> dict[str, str]:
    """The column heads a guard census layout may use, canonical, with what each holds."""
    return dict(_GUARD_COLUMNS)


def school_columns() -> dict[str, str]:
    """The column heads a school census layout may use, canonical, with what each holds."""
    return dict(_SCHOOL_COLUMNS)


# --- header fields -----------------------------------------------------------------------------

UNIT = "填报单位"
CONTACT = "联系人及联系方式"
REGION = "行政区划代码"
KIND = "学校类别"
CENSUS_DATE = "统计日期"

# Labels recognised in the lines above the column heads, longest first, with the
# field each one fills (``None``: recognised and ignored, such as the signature).
_FIELD_LABELS: tuple[tuple[str, str | None], ...] = (
    ("联系人及联系方式", CONTACT),
    ("联系人及联系电话", CONTACT),
    ("联系人及电话", CONTACT),
    ("签字（盖章）", None),
    ("行政区划代码", REGION),
    ("填报单位", UNIT),
    ("学校名称", UNIT),
    ("单位名称", UNIT),
    ("学校类别", KIND),
    ("学校类型", KIND),
    ("统计日期", None),
    ("填报日期", None),
    ("填表日期", None),
    ("联系电话", "phone"),
    ("联系方式", "phone"),
    ("联系人", "person"),
    ("填表人", None),
    ("签字", None),
    ("盖章", None),
)

_FULL_HALF = {"（": "(", "）": ")", "：": ":"}


def _label_pattern(label: str) -> str:
    parts = []
    for ch in label:
        alt = _FULL_HALF.get(ch)
        parts.append(f"[{re.escape(ch)}{re.escape(alt)}]" if alt else re.escape(ch))
    return r"[ \t\u3000]*".join(parts)


_FIELD_RE = re.compile(
    "(" + "|".join(f"(?:{_label_pattern(lab)})" for lab, _ in _FIELD_LABELS) + r")\s*[:：]?"
)
_FIELD_BY_LABEL = {lab: key for lab, key in _FIELD_LABELS}


# --- normalising what people type --------------------------------------------------------------

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_FULLWIDTH_ALNUM = {
    **{0xFF10 + i: 0x30 + i for i in range(10)},
    **{0xFF21 + i: 0x41 + i for i in range(26)},
    **{0xFF41 + i: 0x61 + i for i in range(26)},
    0x3000: 0x20,
    0x00A0: 0x20,
}
_NONE_WORDS = frozenset({"无", "无证", "暂无", "未持证", "未取得", "/", "-", "—", "——", "\\"})
_SHEET_DEFAULT = re.compile(r"^(sheet|工作表|表)\s*\d+$", re.IGNORECASE)
_PARENS = re.compile(r"\([^()]*\)$")


def _label(value: object) -> str:
    """Text reduced for comparing heads and titles: NFKC, no whitespace, no trailing colon."""
    s = unicodedata.normalize("NFKC", str(value)).translate(_ZERO_WIDTH)
    return "".join(s.split()).rstrip(":").strip("*")


_LOOKUP: dict[str, dict[str, str]] = {
    "guard": {
        **{_label(h): h for h in _GUARD_COLUMNS},
        **{_label(a): h for a, h in _GUARD_ALIASES.items()},
    },
    "school": {_label(h): h for h in _SCHOOL_COLUMNS},
}


def _column_key(head: object, kind: FormKind) -> str | None:
    """The canonical head a printed head stands for (``"姓 名"`` → ``"姓名"``), or ``None``.

    An explanatory bracket at the end (``身份证号码（18位）``) is ignored.
    """
    lookup = _LOOKUP[kind]
    lab = _label(head)
    return lookup.get(lab) or lookup.get(_PARENS.sub("", lab))


def _clean_text(value: str) -> str:
    """Free text: full-width letters, digits and spaces made ASCII; ends stripped.

    Chinese punctuation (（）：，) is kept as typed: it belongs to names.
    """
    return value.translate(_ZERO_WIDTH).translate(_FULLWIDTH_ALNUM).strip()


def _clean_code(value: str) -> str:
    """A code (ID number, certificate number): NFKC, no whitespace, no quote prefix."""
    s = unicodedata.normalize("NFKC", value).translate(_ZERO_WIDTH)
    s = "".join(s.split())
    if s.startswith('="') and s.endswith('"'):
        s = s[2:-1]
    return s.lstrip("'")


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not _clean_text(value))


def _cell_text(value: object) -> str:
    """Any cell value as the text a person sees, numbers without a spurious ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return _clean_text(str(value))


# --- layouts ---------------------------------------------------------------------------------


def _str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _non_empty(_inst: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not value.strip():
        raise InvalidValue(Text("不能为空", "must not be empty"), field=attribute.name)


@attrs.frozen
class FormLayout:
    """What a census form looks like: its title, header fields and columns, in order.

    ``kind`` is ``"guard"`` (one row per guard, one sheet per school) or ``"school"``
    (one row per school). ``columns`` are the heads as printed (a typesetting space,
    as in ``"姓 名"``, is kept on export and ignored on import); each must be one the
    core knows for the kind (:func:`guard_columns`, :func:`school_columns`). A guard
    layout must have 姓名 and 身份证号码. ``header_fields`` are the labels of the header
    line, without their colons (``"填报单位"``); fields the model has no place for, such
    as ``签字（盖章）``, are written blank and ignored on import.
    """

    id: str = attrs.field(validator=_non_empty)
    title: str = attrs.field(validator=_non_empty)
    kind: FormKind = attrs.field(validator=attrs.validators.in_(("guard", "school")))
    header_fields: tuple[str, ...] = attrs.field(converter=_str_tuple)
    columns: tuple[str, ...] = attrs.field(converter=_str_tuple)

    def __attrs_post_init__(self) -> None:
        known = _GUARD_COLUMNS if self.kind == "guard" else _SCHOOL_COLUMNS
        seen: set[str] = set()
        for i, head in enumerate(self.columns):
            key = _column_key(head, self.kind)
            if key is None or key not in known:
                raise InvalidValue(
                    Text(f"未知的列：{head!r}", f"unknown column: {head!r}"),
                    field=f"columns[{i}]",
                )
            if key in seen:
                raise InvalidValue(
                    Text(f"列重复：{head!r}", f"duplicate column: {head!r}"),
                    field=f"columns[{i}]",
                )
            seen.add(key)
        if self.kind == "guard" and not {NAME, ID_NUMBER} <= seen:
            raise InvalidValue(
                Text(
                    "保安员调查表须有姓名和身份证号码两列",
                    "a guard census needs 姓名 and 身份证号码",
                ),
                field="columns",
            )

    @property
    def keys(self) -> tuple[str, ...]:
        """The columns' canonical heads (no typesetting whitespace), in order."""
        return tuple(_column_key(c, self.kind) or c for c in self.columns)


GUARD_CENSUS = FormLayout(
    id="guard-census",
    title="中小学幼儿园保安员基本情况调查表",
    kind="guard",
    header_fields=(UNIT, CONTACT),
    columns=(
        SEQ,
        NAME,
        GENDER,
        ETHNICITY,
        ID_NUMBER,
        CERTIFICATE,
        COMPANY_NAME,
        COMPANY_NATURE,
        POLICE_AUTHORITY,
    ),
)
"""The generic guard census: one sheet per school, the nine columns every region prints."""

SCHOOL_CENSUS = FormLayout(
    id="school-census",
    title="中小学幼儿园安全防范基本情况汇总表",
    kind="school",
    header_fields=(UNIT, CONTACT, CENSUS_DATE),
    columns=tuple(_SCHOOL_COLUMNS),
)
"""The school census (export only): per school the gatehouse, equipment, the guards by
gender, age band and certification, enrollment, staff and boarders (the items of
Loudi's 2020 census). Ages are counted on the census date."""

BUILTIN_LAYOUTS: tuple[FormLayout, ...] = (GUARD_CENSUS, SCHOOL_CENSUS)
"""The layouts the core ships."""


def available_layouts(plugins: PluginManager | None = None) -> tuple[FormLayout, ...]:
    """The core's layouts and those of the plugins (default: every installed plugin)."""
    if plugins is None:
        from ..plugins import PluginManager

        plugins = PluginManager()
    return plugins.census_forms()


def find_layout(form_id: str, layouts: Iterable[FormLayout]) -> FormLayout | None:
    """The layout with this id, or ``None``."""
    for layout in layouts:
        if layout.id == form_id:
            return layout
    return None


# --- dates ---------------------------------------------------------------------------------

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_FORMS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_MONTH_FORMS = (re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$"), re.compile(r"^(\d{4})(\d{2})$"))


def excel_serial_date(serial: float) -> dt.date:
    """The date of an Excel serial day number (1900 date system).

    Excel counts 1900-01-01 as day 1 and, for Lotus compatibility, has a day 60
    (1900-02-29) that never was; day 61 is 1900-03-01.

    >>> excel_serial_date(45616)
    datetime.date(2024, 11, 20)
    """
    day = int(serial)
    if day < 1 or day == 60:
        raise ValueError(f"no such Excel day: {serial}")
    if day < 60:
        return dt.date(1899, 12, 31) + dt.timedelta(days=day)
    return _EXCEL_EPOCH + dt.timedelta(days=day)


def _cell_date(value: object) -> tuple[dt.date, bool] | None:
    """A date cell as ``(date, month_only)``: a date value, an Excel serial or text.

    Text forms: ``2024-01-05``, ``2024/1/5``, ``2024.1.5``, ``2024年1月5日``,
    ``20240105``; a month alone (``1985-03``, ``1985年3月``, ``198503``) gives the first
    of the month with ``month_only``. ``None`` when the value is not a date.
    """
    if isinstance(value, dt.datetime):
        return value.date(), False
    if isinstance(value, dt.date):
        return value, False
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return excel_serial_date(value), False
        except (ValueError, OverflowError):
            return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    for form in _DATE_FORMS:
        m = form.match(text)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3])), False
            except ValueError:
                return None
    for form in _MONTH_FORMS:
        m = form.match(text)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), 1), True
            except ValueError:
                return None
    if re.fullmatch(r"\d{1,5}(\.\d+)?", text):
        try:
            return excel_serial_date(float(text)), False
        except ValueError:
            return None
    return None


# --- ids ---------------------------------------------------------------------------------------


def _digest(text: str) -> str:
    return hashlib.sha256(_label(text).encode("utf-8")).hexdigest()[:10]


def company_id_for(name: str) -> str:
    """The id import gives a company it creates: ``co-`` and a digest of the name.

    The same name (compared without whitespace, NFKC) always gives the same id, so
    that importing the forms of several schools, or the same form twice, finds one
    company.
    """
    return f"co-{_digest(name)}"


def school_id_for(name: str) -> str:
    """The id import gives a school whose sheet's name is not its id: ``school-`` and a digest.

    That is a school read from a CSV file, or from a sheet left as ``Sheet1`` or holding
    several forms; the digest is of its name (填报单位).
    """
    return f"school-{_digest(name)}"


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(wanted: str, taken: set[str]) -> str:
    r"""A valid, unique worksheet name: 31 characters at most, none of ``[]:*?/\``."""
    base = _SHEET_BAD.sub("_", wanted).strip("'")[:31] or "Sheet"
    name, n = base, 2
    while name.casefold() in taken:
        suffix = f"~{n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.casefold())
    return name


# --- reading: grids ----------------------------------------------------------------------------

Cell = Any
"""A cell value as a reader gives it: str, float, int, bool, date, datetime or None."""


@attrs.frozen
class _Grid:
    name: str
    rows: list[list[Cell]]
    merges: tuple[tuple[int, int, int, int], ...] = ()
    hidden: bool = False

    def get(self, r: int, c: int) -> Cell:
        if r < len(self.rows) and c < len(self.rows[r]):
            return self.rows[r][c]
        return None


def _col_letter(c: int) -> str:
    s = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s


def _ref(sheet: str, r: int, c: int | None = None) -> str:
    if c is None:
        return f"{sheet}!{r + 1}:{r + 1}"
    return f"{sheet}!{_col_letter(c)}{r + 1}"


def _problem(path: str, zh: str, en: str) -> Problem:
    return Problem(path, Text(zh, en))


def _decode_csv(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _read_csv(path: Path) -> list[_Grid]:
    text = _decode_csv(path.read_bytes())
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if "\t" in first and "," not in first else ","
    rows = [
        [_csv_unquote(v) for v in r]
        for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    ]
    return [_Grid(path.stem, rows)]


_CSV_QUOTE_PREFIX = ("=", "+", "-", "@", "'", "\t", "\r")


def _csv_unquote(text: str) -> str:
    """Undo the apostrophe that export puts before text a spreadsheet would run as a formula."""
    if len(text) > 1 and text[0] == "'" and text[1] in _CSV_QUOTE_PREFIX:
        return text[1:]
    return text


def _read_workbook(path: Path) -> list[_Grid]:
    calamine = importlib.import_module("python_calamine")
    wb = calamine.CalamineWorkbook.from_path(str(path))
    grids = []
    for meta in wb.sheets_metadata:
        sheet = wb.get_sheet_by_name(meta.name)
        rows = sheet.to_python(skip_empty_area=False)
        merges = tuple(
            (a[0], a[1], b[0], b[1]) for a, b in (getattr(sheet, "merged_cell_ranges", None) or ())
        )
        hidden = str(meta.visible).rsplit(".", 1)[-1] != "Visible"
        grids.append(_Grid(meta.name, [list(r) for r in rows], merges, hidden))
    return grids


def _read_grids(path: Path) -> list[_Grid]:
    suffix = path.suffix.lower()
    if suffix not in IMPORT_SUFFIXES:
        known = ", ".join(IMPORT_SUFFIXES)
        raise RosterError(
            [
                Problem(
                    "$",
                    Text(
                        f"不支持的表格类型 {suffix!r}（支持：{known}）",
                        f"unsupported spreadsheet type {suffix!r} (supported: {known})",
                    ),
                    str(path),
                )
            ],
            str(path),
        )
    try:
        if suffix == ".csv":
            return _read_csv(path)
        return _read_workbook(path)
    except OSError as exc:
        raise unreadable_file(str(path), exc) from None
    except Exception as exc:  # calamine raises its own errors for broken files
        zh = f"无法读取表格（文件损坏或不是表格）：{exc}"
        en = f"cannot read the spreadsheet (broken, or not a spreadsheet): {exc}"
    raise RosterError([Problem("$", Text(zh, en), str(path))], str(path)) from None


# --- reading: finding the forms in a grid --------------------------------------------------


@attrs.define
class _Field:
    value: str
    ref: str


@attrs.define
class _Block:
    """One form found in a grid: its preamble, its columns and its data rows."""

    grid: _Grid
    head_top: int
    head_bottom: int
    columns: dict[int, str]  # column index -> canonical head
    unknown: dict[int, str]  # column index -> printed head the core does not know
    first_data: int = 0
    end: int = 0  # exclusive
    preamble_start: int = 0
    title: str | None = None
    title_ref: str | None = None
    fields: dict[str, _Field] = attrs.Factory(dict)


def _row_texts(grid: _Grid, r: int) -> list[str]:
    return [_cell_text(v) for v in grid.rows[r]] if r < len(grid.rows) else []


def _heads_of(texts: Sequence[str]) -> dict[int, str]:
    return {c: k for c, t in enumerate(texts) if t and (k := _column_key(t, "guard"))}


def _combined_heads(grid: _Grid, top: int) -> tuple[dict[int, str], dict[int, str]]:
    """Heads of a two-row heading (a group head over sub-heads, merged cells)."""
    upper, lower = _row_texts(grid, top), _row_texts(grid, top + 1)
    width = max(len(upper), len(lower))
    heads: dict[int, str] = {}
    unknown: dict[int, str] = {}
    carried = ""
    for c in range(width):
        u = upper[c] if c < len(upper) else ""
        lo = lower[c] if c < len(lower) else ""
        if u:
            carried = u
        elif lo:
            u = carried  # the group head of a merged range sits in its first cell
        if not (u or lo):
            continue
        for candidate in (u + lo, lo, u):
            key = _column_key(candidate, "guard") if candidate else None
            if key:
                heads[c] = key
                break
        else:
            unknown[c] = (u + lo) if lo else u
    return heads, unknown


def _looks_like_data(texts: Sequence[str], id_col: int | None) -> bool:
    if id_col is None or id_col >= len(texts):
        return False
    return sum(ch.isdigit() for ch in _clean_code(texts[id_col])) >= 6


def _find_blocks(grid: _Grid) -> list[_Block]:
    blocks: list[_Block] = []
    r = 0
    n = len(grid.rows)
    while r < n:
        texts = _row_texts(grid, r)
        single = _heads_of(texts)
        if len(single) < 2:  # a heading row holds heads itself (a header line holds none)
            r += 1
            continue
        combined, unknown2 = _combined_heads(grid, r) if r + 1 < n else ({}, {})
        id_col = next((c for c, k in single.items() if k == ID_NUMBER), None)
        next_texts = _row_texts(grid, r + 1)
        two_rows = (
            len(combined) > len(single)
            and not _looks_like_data(next_texts, id_col)
            and {NAME, ID_NUMBER} <= set(combined.values())
        )
        if not two_rows and not {NAME, ID_NUMBER} <= set(single.values()):
            r += 1
            continue
        if two_rows:
            heads, unknown, bottom = combined, unknown2, r + 1
        else:
            heads = single
            unknown = {c: t for c, t in enumerate(texts) if t and c not in single}
            bottom = r
        blocks.append(_Block(grid, r, bottom, heads, unknown))
        r = bottom + 1
    for i, b in enumerate(blocks):
        b.first_data = b.head_bottom + 1
        b.end = blocks[i + 1].head_top if i + 1 < len(blocks) else n
        if not i:
            continue  # the first form's preamble is everything above its heads
        start = b.head_top
        while start > blocks[i - 1].head_bottom + 1 and _is_preamble_row(
            grid, start - 1, blocks[i - 1]
        ):
            start -= 1
        b.preamble_start = start
        blocks[i - 1].end = start
    return blocks


def _is_preamble_row(grid: _Grid, r: int, previous: _Block) -> bool:
    """Whether row ``r``, above a form's heads, belongs to that form rather than the one before.

    Blank rows, rows with header-line labels and single text cells (a title) do; a row
    with an ID number in the previous form's column does not.
    """
    texts = [t for t in _row_texts(grid, r) if t]
    if not texts or any(_FIELD_RE.search(t) for t in texts):
        return True
    id_col = next((c for c, k in previous.columns.items() if k == ID_NUMBER), None)
    if _looks_like_data(_row_texts(grid, r), id_col):
        return False
    return len(texts) == 1 and not re.fullmatch(r"[\d.]+", texts[0])


def _read_preamble(block: _Block, layouts: Sequence[FormLayout]) -> None:
    grid = block.grid
    titles = {_label(lay.title) for lay in layouts}
    current: str | None = None
    for r in range(block.preamble_start, block.head_top):
        current = None
        for c, value in enumerate(grid.rows[r] if r < len(grid.rows) else ()):
            raw = _cell_text(value)
            if not raw:
                continue
            ref = _ref(grid.name, r, c)
            if _label(raw) in titles:  # a known title wins over any line above it (附件1)
                block.title, block.title_ref = raw, ref
                continue
            pos = 0
            for m in _FIELD_RE.finditer(raw):
                before = raw[pos : m.start()].strip()
                if before:
                    current = _assign(block, current, before, ref)
                label = _canonical_field_label(m.group(1))
                current = _FIELD_BY_LABEL.get(label) or f"ignored:{label}"
                block.fields.setdefault(current, _Field("", ref))
                pos = m.end()
            rest = raw[pos:].strip()
            if rest:
                current = _assign(block, current, rest, ref)
    # 联系人：… and 联系电话：… printed as two fields make one contact.
    split = [block.fields[k] for k in ("person", "phone") if k in block.fields]
    joined = " ".join(f.value for f in split if f.value)
    if joined and not (CONTACT in block.fields and block.fields[CONTACT].value):
        block.fields[CONTACT] = _Field(joined, split[0].ref)


def _canonical_field_label(text: str) -> str:
    lab = _label(text)
    for known, _ in _FIELD_LABELS:
        if _label(known) == lab:
            return known
    return lab


def _assign(block: _Block, current: str | None, text: str, ref: str) -> str | None:
    """Give text to the field whose label came last in the line (or take it as the title).

    A value typed over several cells (``张老师`` | ``138…``) is joined with a space.
    """
    if current is None:
        if block.title is None:
            block.title, block.title_ref = text, ref
        return None
    f = block.fields[current]
    block.fields[current] = _Field(f"{f.value} {text}", f.ref) if f.value else _Field(text, ref)
    return current


def _choose_layout(block: _Block, layouts: Sequence[FormLayout]) -> FormLayout:
    guard_layouts = [lay for lay in layouts if lay.kind == "guard"] or [GUARD_CENSUS]
    if block.title is not None:
        for lay in guard_layouts:
            if _label(lay.title) == _label(block.title):
                return lay
    present = set(block.columns.values())
    complete = [lay for lay in guard_layouts if set(lay.keys) <= present]
    if complete:
        return next((lay for lay in complete if lay.id == GUARD_CENSUS.id), complete[0])
    return next((lay for lay in guard_layouts if lay.id == GUARD_CENSUS.id), guard_layouts[0])


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


@attrs.define
class _CompanyDraft:
    id: str
    name: str
    nature: str | None
    police_authority: str | None
    permit_number: str | None = None
    credit_code: Any = None
    nature_ref: str | None = None
    police_ref: str | None = None

    def build(self) -> SecurityCompany:
        return SecurityCompany(
            id=self.id,
            name=self.name,
            nature=self.nature,
            permit_number=self.permit_number,
            police_authority=self.police_authority,
            credit_code=self.credit_code,
        )


@attrs.define
class _GuardRow:
    id_number: IdNumber
    name: str
    ethnicity: str | None
    certificate_number: str | None
    company_id: str | None
    hired_on: dt.date | None
    has_hired_column: bool


def _gender_of(text: str) -> Gender | None:
    lab = _label(text).lower()
    if lab in {"男", "男性", "m", "male"}:
        return Gender.MALE
    if lab in {"女", "女性", "f", "female"}:
        return Gender.FEMALE
    return None


_KIND_WORDS: dict[str, SchoolKind] = {
    **{_label(k.zh): k for k in SchoolKind},
    **{k.value: k for k in SchoolKind},
    "九年一贯制": SchoolKind.COMBINED,
    "完全中学": SchoolKind.COMBINED,
    "十二年一贯制": SchoolKind.COMBINED,
    "初中": SchoolKind.SECONDARY,
    "高中": SchoolKind.SECONDARY,
    "初级中学": SchoolKind.SECONDARY,
    "高级中学": SchoolKind.SECONDARY,
    "中等职业学校": SchoolKind.VOCATIONAL,
    "职业高中": SchoolKind.VOCATIONAL,
    "职高": SchoolKind.VOCATIONAL,
}


def _school_kind(value: SchoolKind | str) -> SchoolKind | None:
    if isinstance(value, SchoolKind):
        return value
    return _KIND_WORDS.get(_label(value).lower()) or _KIND_WORDS.get(_label(value))


class _Reader:
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
        self.school_refs: dict[str, str] = {}

    # -- problems

    def bad(self, path: str, zh: str, en: str) -> None:
        self.problems.append(Problem(path, Text(zh, en), self.source))

    def note(self, path: str, zh: str, en: str) -> None:
        self.notes.append(Problem(path, Text(zh, en), self.source))

    # -- grids

    def read_grid(self, grid: _Grid) -> None:
        blocks = _find_blocks(grid)
        if not blocks:
            if any(_cell_text(v) for row in grid.rows for v in row):
                self.note(
                    f"{grid.name}!A1",
                    "工作表中没有调查表（找不到含姓名和身份证号码的表头行），已跳过",
                    "the sheet holds no census form (no row of column heads with 姓名 and "
                    "身份证号码); skipped",
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
            self.bad(
                unit_ref,
                f"无法确定学校的{'和'.join(missing_zh)}：调查表不含此项；请用 --region-code/--kind "
                "指定，或用 --into 指定含此校的名册，或在表头填写“行政区划代码：”“学校类别：”",
                f"cannot tell the school's {en}: a census form does not say; pass "
                "--region-code/--kind, or --into a roster that has the school, or add "
                "行政区划代码： and 学校类别： to the header line",
            )
        return region, kind

    # -- guards

    def read_guards(
        self, block: _Block, by_key: dict[str, int], rows: list[int]
    ) -> list[_GuardRow] | None:
        grid = block.grid
        before = len(self.problems)
        seen: dict[str, int] = {}
        out: list[_GuardRow] = []

        def cell(r: int, key: str) -> tuple[Cell, str]:
            c = by_key.get(key)
            if c is None:
                return None, ""
            return grid.get(r, c), _ref(grid.name, r, c)

        for r in rows:
            raw_name, name_ref = cell(r, NAME)
            name = _cell_text(raw_name)
            if not name:
                self.bad(name_ref or _ref(grid.name, r), "姓名不能为空", "the name is missing")
            id_number = self.read_id(*cell(r, ID_NUMBER), r=r, grid=grid)
            if id_number is not None:
                first = seen.get(id_number.value)
                if first is not None:
                    self.bad(
                        cell(r, ID_NUMBER)[1],
                        f"身份证号码与第{first + 1}行重复",
                        f"the ID number repeats row {first + 1}",
                    )
                seen.setdefault(id_number.value, r)
                self.check_gender(id_number, *cell(r, GENDER))
                self.check_birth(id_number, *cell(r, BIRTH_DATE))
            elif by_key.get(GENDER) is not None:
                self.check_gender(None, *cell(r, GENDER))
            ethnicity = _cell_text(cell(r, ETHNICITY)[0]) or None
            certificate = self.read_certificate(*cell(r, CERTIFICATE))
            company_id = self.read_company(r, block, by_key)
            hired_on = None
            raw_hired, hired_ref = cell(r, HIRED_ON)
            if not _is_blank(raw_hired):
                parsed = _cell_date(raw_hired)
                if parsed is None or parsed[1]:
                    self.bad(
                        hired_ref,
                        f"首次聘用日期无法识别：{_cell_text(raw_hired)!r}（应写作 YYYY-MM-DD）",
                        f"not a date: {_cell_text(raw_hired)!r} (write YYYY-MM-DD)",
                    )
                else:
                    hired_on = parsed[0]
            if id_number is not None and name:
                out.append(
                    _GuardRow(
                        id_number,
                        name,
                        ethnicity,
                        certificate,
                        company_id,
                        hired_on,
                        HIRED_ON in by_key,
                    )
                )
        return out if len(self.problems) == before else None

    def read_id(self, raw: Cell, ref: str, *, r: int, grid: _Grid) -> IdNumber | None:
        if _is_blank(raw):
            self.bad(ref or _ref(grid.name, r), "身份证号码不能为空", "the ID number is missing")
            return None
        if isinstance(raw, float | int) and not isinstance(raw, bool) and abs(raw) >= 1e15:
            self.bad(
                ref,
                "身份证号码被存成了数字，表格程序只保留15位有效数字，末尾几位已丢失；"
                "请把该列设为文本格式后重新填写",
                "the ID number was stored as a number, and spreadsheet programs keep only "
                "15 significant digits, so its last digits are lost; format the column as "
                "text and enter it again",
            )
            return None
        text = _clean_code(_cell_text(raw)).upper()
        if "*" in text:
            self.bad(
                ref,
                "身份证号码已脱敏（含 *），不能导入；请用 --show-personal-data 导出完整号码",
                "the ID number is masked (has *) and cannot be imported; export with "
                "--show-personal-data for full numbers",
            )
            return None
        try:
            return IdNumber(text)
        except InvalidValue as exc:
            self.problems.append(Problem(ref, exc.message, self.source))
            return None

    def check_gender(self, id_number: IdNumber | None, raw: Cell, ref: str) -> None:
        if _is_blank(raw):
            return
        text = _cell_text(raw)
        stated = _gender_of(text)
        if stated is None:
            self.bad(ref, f"性别应为男或女：{text!r}", f"gender must be 男 or 女: {text!r}")
            return
        if id_number is None:
            return
        derived = Gender.MALE if int(id_number.value[16]) % 2 else Gender.FEMALE
        if stated is not derived:
            self.bad(
                ref,
                f"性别“{text}”与身份证号码不符（号码第17位表示{derived.zh}）",
                f"gender {text!r} disagrees with the ID number (its 17th digit says "
                f"{derived.value})",
            )

    def check_birth(self, id_number: IdNumber, raw: Cell, ref: str) -> None:
        if _is_blank(raw):
            return
        parsed = _cell_date(raw)
        if parsed is None:
            text = _cell_text(raw)
            self.bad(
                ref,
                f"出生日期无法识别：{text!r}（应写作 YYYY-MM-DD）",
                f"not a date: {text!r} (write YYYY-MM-DD)",
            )
            return
        when, month_only = parsed
        birth = id_number.birth_date
        agrees = (when.year, when.month) == (birth.year, birth.month)
        if not month_only:
            agrees = agrees and when.day == birth.day
        if not agrees:
            self.bad(
                ref,
                f"出生日期 {when:%Y-%m-%d} 与身份证号码中的 {birth:%Y-%m-%d} 不符",
                f"birth date {when:%Y-%m-%d} disagrees with the ID number's {birth:%Y-%m-%d}",
            )

    def read_certificate(self, raw: Cell, ref: str) -> str | None:
        if _is_blank(raw):
            return None
        text = _clean_code(_cell_text(raw))
        if _label(text) in _NONE_WORDS:
            return None
        return text

    def read_company(self, r: int, block: _Block, by_key: dict[str, int]) -> str | None:
        grid = block.grid

        def value(key: str) -> tuple[str | None, str]:
            c = by_key.get(key)
            if c is None:
                return None, ""
            text = _cell_text(grid.get(r, c))
            if not text or _label(text) in _NONE_WORDS:
                return None, _ref(grid.name, r, c)
            return text, _ref(grid.name, r, c)

        name, name_ref = value(COMPANY_NAME)
        nature, nature_ref = value(COMPANY_NATURE)
        police, police_ref = value(POLICE_AUTHORITY)
        if name is None:
            if nature is not None or police is not None:
                self.bad(
                    name_ref or nature_ref or police_ref,
                    "填写了企业性质或属地公安机关，但缺少保安服务企业名称",
                    "the company's nature or police authority is given but not its name",
                )
            return None
        key = _label(name)
        if key in self.ambiguous:
            ids = ", ".join(self.ambiguous[key])
            self.bad(
                name_ref,
                f"名册中有多家企业名为“{name}”（{ids}），无法确定是哪一家",
                f"the roster has several companies named {name!r} ({ids}); cannot tell which",
            )
            return None
        draft = self.companies.get(key)
        if draft is None:
            cid, n = company_id_for(name), 2
            while cid in self.taken_company_ids:
                cid, n = f"{company_id_for(name)}-{n}", n + 1
            self.taken_company_ids.add(cid)
            draft = _CompanyDraft(cid, name, None, None)
            self.companies[key] = draft
            self.company_order.append(key)
        for attr, given, ref, what in (
            ("nature", nature, nature_ref, ("企业性质", "nature")),
            ("police_authority", police, police_ref, ("属地公安机关", "police authority")),
        ):
            if given is None:
                continue
            had = getattr(draft, attr)
            if had is None:
                setattr(draft, attr, given)
                setattr(draft, "nature_ref" if attr == "nature" else "police_ref", ref)
            elif _label(had) != _label(given):
                where = getattr(draft, "nature_ref" if attr == "nature" else "police_ref")
                zh_where = f"（{where}）" if where else "（名册）"
                en_where = f" ({where})" if where else " (the roster)"
                self.bad(
                    ref,
                    f"{name}的{what[0]}“{given}”与此前的“{had}”{zh_where}不一致",
                    f"{name}: {what[1]} {given!r} differs from {had!r}{en_where}",
                )
        return draft.id

    @staticmethod
    def new_guard(g: _GuardRow) -> Guard:
        return Guard(
            id_number=g.id_number,
            name=g.name,
            company_id=g.company_id,
            certificate_number=g.certificate_number,
            ethnicity=g.ethnicity,
            hired_on=g.hired_on,
        )

    def merge_guards(self, school: School, rows: list[_GuardRow], ref: str) -> tuple[Guard, ...]:
        """The form's census items replace the roster's; everything else is kept."""
        by_id = {g.id_number.value: g for g in rows}
        out: list[Guard] = []
        kept = 0
        for g in school.guards:
            row = by_id.pop(g.id_number.value, None)
            if row is None:
                out.append(g)
                kept += 1
                continue
            out.append(
                attrs.evolve(
                    g,
                    name=row.name,
                    ethnicity=row.ethnicity,
                    certificate_number=row.certificate_number,
                    company_id=row.company_id,
                    hired_on=row.hired_on if row.has_hired_column else g.hired_on,
                )
            )
        out.extend(self.new_guard(r) for r in rows if r.id_number.value in by_id)
        if kept:
            self.note(
                ref,
                f"名册中学校 {school.id} 有{kept}名保安员不在调查表中，已保留",
                f"school {school.id}: {kept} guard(s) of the roster are not on the form; kept",
            )
        return tuple(out)

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

    Raises :class:`RosterError` listing every problem of the form.
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
    grids = _read_grids(p)
    known = tuple(layouts) if layouts is not None else available_layouts()
    reader = _Reader(source, into, region, school_kind, known)
    for grid in grids:
        if grid.hidden:
            reader.note(f"{grid.name}!A1", "隐藏的工作表，已跳过", "hidden sheet; skipped")
            continue
        reader.read_grid(grid)
    if not reader.used_layouts and not reader.problems:
        reader.bad(
            "$",
            "文件中没有调查表（找不到含姓名和身份证号码的表头行）",
            "the file holds no census form (no row of column heads with 姓名 and 身份证号码)",
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


# --- writing ---------------------------------------------------------------------------------


@attrs.define
class _OutSheet:
    name: str
    width: int
    rows: list[list[Any]] = attrs.Factory(list)
    merges: list[tuple[int, int, int, int]] = attrs.Factory(list)
    heading_row: int = 2
    text_columns: set[int] = attrs.Factory(set)
    date_columns: set[int] = attrs.Factory(set)
    widths: dict[int, float] = attrs.Factory(dict)
    gender_column: int | None = None


_PHONE = re.compile(r"\d{7,}")


def mask_contact(contact: str) -> str:
    """A contact with its phone numbers masked.

    A run of 7 or more digits keeps its last four; a run of 11 or more (a mobile
    number) also keeps its first three.

    >>> mask_contact("张老师 13812345678，0371-6666888")
    '张老师 138****5678，0371-***6888'
    """

    def mask(m: re.Match[str]) -> str:
        s = m.group(0)
        head = 3 if len(s) >= 11 else 0
        return s[:head] + "*" * (len(s) - head - 4) + s[-4:]

    return _PHONE.sub(mask, contact)


def _header_row(
    layout: FormLayout, values: dict[str, str], width: int
) -> tuple[list[Any], list[tuple[int, int, int, int]]]:
    """The header line: per field a label cell (``填报单位：``) and a merged value cell."""
    row: list[Any] = [None] * width
    merges: list[tuple[int, int, int, int]] = []
    n = len(layout.header_fields)
    if not n:
        return row, merges
    span = width // n
    if span < 2:
        for i, label in enumerate(layout.header_fields[:width]):
            row[i] = f"{label}：{values.get(label, '')}"
        return row, merges
    for i, label in enumerate(layout.header_fields):
        start = i * span
        stop = width if i == n - 1 else start + span  # exclusive
        row[start] = f"{label}："
        value = values.get(label, "")
        row[start + 1] = value or None
        if stop - (start + 1) > 1:
            merges.append((1, start + 1, 1, stop - 1))
    return row, merges


_GUARD_WIDTHS = {
    SEQ: 6,
    NAME: 12,
    GENDER: 6,
    ETHNICITY: 8,
    ID_NUMBER: 22,
    CERTIFICATE: 18,
    COMPANY_NAME: 28,
    COMPANY_NATURE: 12,
    POLICE_AUTHORITY: 20,
    BIRTH_DATE: 12,
    HIRED_ON: 12,
}


def _guard_preamble(
    layout: FormLayout, sheet_name: str, header: FormLayout, values: dict[str, str]
) -> _OutSheet:
    keys = layout.keys
    width = len(keys)
    out = _OutSheet(sheet_name, width)
    out.rows.append([layout.title] + [None] * (width - 1))
    out.merges.append((0, 0, 0, width - 1))
    row, merges = _header_row(header, values, width)
    out.rows.append(row)
    out.merges.extend(merges)
    out.rows.append(list(layout.columns))
    out.heading_row = 2
    for c, key in enumerate(keys):
        out.widths[c] = _GUARD_WIDTHS.get(key, 12)
        if key in (ID_NUMBER, CERTIFICATE):
            out.text_columns.add(c)
        if key in (BIRTH_DATE, HIRED_ON):
            out.date_columns.add(c)
        if key == GENDER:
            out.gender_column = c
    return out


def _blank_guard_sheet(layout: FormLayout) -> _OutSheet:
    return _guard_preamble(layout, "Sheet1", layout, {})


def _guard_sheet(
    school: School,
    roster: Roster,
    layout: FormLayout,
    *,
    sheet_name: str,
    show_personal_data: bool,
    school_codes: bool,
) -> _OutSheet:
    keys = layout.keys
    contact = school.contact or ""
    if contact and not show_personal_data:
        contact = mask_contact(contact)
    values = {UNIT: school.name, CONTACT: contact}
    header = layout
    if school_codes:
        values.update({REGION: school.region_code.value, KIND: school.kind.zh})
        header = attrs.evolve(layout, header_fields=(*layout.header_fields, REGION, KIND))
    out = _guard_preamble(layout, sheet_name, header, values)
    for n, g in enumerate(school.guards, 1):
        company = roster.company(g.company_id)
        cells: dict[str, Any] = {
            SEQ: n,
            NAME: g.name,
            GENDER: g.gender.zh,
            ETHNICITY: g.ethnicity,
            ID_NUMBER: g.id_number.value if show_personal_data else g.id_number.masked,
            CERTIFICATE: g.certificate_number or None,
            COMPANY_NAME: company.name if company else None,
            COMPANY_NATURE: company.nature if company else None,
            POLICE_AUTHORITY: company.police_authority if company else None,
            BIRTH_DATE: g.birth_date if show_personal_data else None,
            HIRED_ON: g.hired_on,
        }
        out.rows.append([cells.get(k) for k in keys])
    return out


def _school_sheet(
    roster: Roster,
    layout: FormLayout,
    *,
    on: dt.date,
    unit: str | None,
    contact: str | None,
) -> _OutSheet:
    keys = layout.keys
    width = len(keys)
    out = _OutSheet(_sheet_name(layout.title, set()), width)
    out.rows.append([layout.title] + [None] * (width - 1))
    out.merges.append((0, 0, 0, width - 1))
    row, merges = _header_row(
        layout, {UNIT: unit or "", CONTACT: contact or "", CENSUS_DATE: on.isoformat()}, width
    )
    out.rows.append(row)
    out.merges.extend(merges)
    out.rows.append(list(layout.columns))
    for c, key in enumerate(keys):
        out.widths[c] = 24 if key == "学校名称" else max(8, len(key) * 2 + 2)
        if key in ("学校编号", "行政区划代码"):
            out.text_columns.add(c)
    for n, s in enumerate(roster.schools, 1):
        present = [g for g in s.guards if g.hired_on is None or g.hired_on <= on]
        ages = [g.age_on(on) for g in present]
        cells: dict[str, Any] = {
            SEQ: n,
            "学校编号": s.id,
            "学校名称": s.name,
            "行政区划代码": s.region_code.value,
            "学校类别": s.kind.zh,
            "门卫室": "有" if s.facilities.gatehouse else "无",
            "保安员人数": len(present),
            "专职保安员": sum(g.full_time for g in present),
            "兼职保安员": sum(not g.full_time for g in present),
            "男保安员": sum(g.gender is Gender.MALE for g in present),
            "女保安员": sum(g.gender is Gender.FEMALE for g in present),
            "持证保安员": sum(g.certified for g in present),
            "无证保安员": sum(not g.certified for g in present),
            "在校生数": s.enrollment,
            "教职工数": s.staff_count,
            "住宿生数": s.boarders,
        }
        for kind in EquipmentKind:
            cells[kind.zh] = sum(e.quantity for e in s.equipment if e.kind is kind)
        for head, low, high in _AGE_BANDS:
            cells[head] = sum(low <= a <= high for a in ages)
        out.rows.append([cells.get(k) for k in keys])
    return out


def _sheets(
    roster: Roster,
    layout: FormLayout,
    *,
    show_personal_data: bool,
    on: dt.date | None,
    school_codes: bool,
    unit: str | None,
    contact: str | None,
) -> list[_OutSheet]:
    if layout.kind == "school":
        return [
            _school_sheet(roster, layout, on=on or today_in_china(), unit=unit, contact=contact)
        ]
    taken: set[str] = set()
    if not roster.schools:  # an empty roster gives a blank form to fill in
        return [_blank_guard_sheet(layout)]
    sheets = []
    for s in roster.schools:
        sheets.append(
            _guard_sheet(
                s,
                roster,
                layout,
                sheet_name=_sheet_name(s.id, taken),
                show_personal_data=show_personal_data,
                school_codes=school_codes,
            )
        )
    return sheets


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _write_xlsx(sheets: list[_OutSheet], path: Path) -> None:
    openpyxl: Any = importlib.import_module("openpyxl")
    styles: Any = importlib.import_module("openpyxl.styles")
    validation: Any = importlib.import_module("openpyxl.worksheet.datavalidation")
    utils: Any = importlib.import_module("openpyxl.utils")
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "campus-security"
    thin = styles.Side(style="thin")
    border = styles.Border(left=thin, right=thin, top=thin, bottom=thin)
    center = styles.Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = styles.Alignment(vertical="center", wrap_text=True)
    head_fill = styles.PatternFill("solid", fgColor="DDDDDD")
    for s in sheets:
        ws = wb.create_sheet(title=s.name)
        for r, row in enumerate(s.rows):
            for c, value in enumerate(row):
                if value is None or value == "":
                    if r >= s.heading_row:
                        ws.cell(row=r + 1, column=c + 1).border = border
                    continue
                if isinstance(value, str):
                    value = _ILLEGAL_XML.sub("", value)
                cell = ws.cell(row=r + 1, column=c + 1, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                if r == 0:
                    cell.font = styles.Font(bold=True, size=16)
                    cell.alignment = center
                elif r < s.heading_row:
                    cell.alignment = styles.Alignment(vertical="center")
                elif r == s.heading_row:
                    cell.font = styles.Font(bold=True)
                    cell.alignment = center
                    cell.fill = head_fill
                    cell.border = border
                else:
                    cell.border = border
                    cell.alignment = wrap
                    if c in s.text_columns:
                        cell.number_format = "@"
                    elif c in s.date_columns:
                        cell.number_format = "yyyy-mm-dd"
        for r1, c1, r2, c2 in s.merges:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
        ws.row_dimensions[1].height = 32
        ws.row_dimensions[s.heading_row + 1].height = 30
        for c, w in s.widths.items():
            letter = utils.get_column_letter(c + 1)
            ws.column_dimensions[letter].width = w
        last = max(len(s.rows), s.heading_row + 2)
        if s.gender_column is not None:
            dv = validation.DataValidation(type="list", formula1='"男,女"', allow_blank=True)
            letter = utils.get_column_letter(s.gender_column + 1)
            dv.add(f"{letter}{s.heading_row + 2}:{letter}{max(last, 200)}")
            ws.add_data_validation(dv)
        ws.freeze_panes = ws.cell(row=s.heading_row + 2, column=1)
        ws.print_title_rows = f"1:{s.heading_row + 1}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.save(str(path))


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _write_csv(sheets: list[_OutSheet], path: Path) -> None:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    for i, s in enumerate(sheets):
        if i:
            writer.writerow([])
        for row in s.rows:
            # Spreadsheet programs run a cell starting with = + - @ as a formula (CSV
            # injection); a leading apostrophe keeps it text, and import removes it.
            cells = [_csv_cell(v) for v in row]
            writer.writerow([("'" + t) if t.startswith(_CSV_QUOTE_PREFIX) else t for t in cells])
    # UTF-8 with a byte-order mark: Excel reads a CSV without one in the local code page.
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))


def write_census(
    roster: Roster,
    path: str | PathLike[str],
    *,
    layout: FormLayout = GUARD_CENSUS,
    show_personal_data: bool = False,
    on: dt.date | None = None,
    school_codes: bool = False,
    unit: str | None = None,
    contact: str | None = None,
) -> None:
    """Write a census form: XLSX (for people) or CSV (for systems), by the suffix.

    A guard layout writes one sheet per school (the sheet named after the school's id;
    in CSV the forms follow one another, separated by a blank line); an empty roster
    writes one blank form. ID numbers and the phone numbers of the contact are masked
    unless ``show_personal_data`` is true: a form meant to go back to the police, or
    to be imported again, needs them in full. ``school_codes`` adds the header fields
    行政区划代码 and 学校类别, which the printed forms lack, so that the form can be
    checked or imported without options.

    A school layout writes one row per school; ``on`` (default: today in China) is the
    census date that ages are counted on, and ``unit`` and ``contact`` fill the header.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        known = ", ".join(EXPORT_SUFFIXES)
        raise ValueError(f"unsupported export type {suffix!r} (supported: {known})")
    sheets = _sheets(
        roster,
        layout,
        show_personal_data=show_personal_data,
        on=on,
        school_codes=school_codes,
        unit=unit,
        contact=contact,
    )
    if suffix == ".csv":
        _write_csv(sheets, p)
    else:
        _write_xlsx(sheets, p)
