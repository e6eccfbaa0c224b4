"""What people type in a census form: header-field labels, text, codes, dates, ids, cells."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata

from ...census_forms import _ZERO_WIDTH, CONTACT, KIND, REGION, UNIT, _label
from ...errors import Problem
from ...model import Text
from ...model.values import invalid
from ...spreadsheets.limits import _col_letter

__all__ = ["company_id_for", "excel_serial_date", "school_id_for"]

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

_FULLWIDTH_ALNUM = {
    **{0xFF10 + i: 0x30 + i for i in range(10)},
    **{0xFF21 + i: 0x41 + i for i in range(26)},
    **{0xFF41 + i: 0x61 + i for i in range(26)},
    0x3000: 0x20,
    0x00A0: 0x20,
}
_NONE_WORDS = frozenset({"无", "无证", "暂无", "未持证", "未取得", "/", "-", "—", "——", "\\"})
_SHEET_DEFAULT = re.compile(r"^(sheet|工作表|表)\s*\d+$", re.IGNORECASE)


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
        raise invalid(f"Excel 中没有第 {serial} 天", f"no such Excel day: {serial}")
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


def _ref(sheet: str, r: int, c: int | None = None) -> str:
    if c is None:
        return f"{sheet}!{r + 1}:{r + 1}"
    return f"{sheet}!{_col_letter(c)}{r + 1}"


def _problem(path: str, zh: str, en: str) -> Problem:
    return Problem(path, Text(zh, en))
