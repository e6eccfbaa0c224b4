"""Census-form layouts: the records the ``campus_security_census_forms`` hook hands over.

A :class:`FormLayout` says what a region's census spreadsheet looks like: its title,
its header fields and its columns, in printed order. The core ships
:data:`GUARD_CENSUS` and :data:`SCHOOL_CENSUS`; region plugins add their own printed
forms. This module is part of the plugin SDK (:mod:`campus_security.sdk` re-exports
:class:`FormLayout`) and imports no format module: reading and writing forms is
:mod:`campus_security.formats.census`, which re-exports everything here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any, Literal

import attrs

from .model import EquipmentKind, InvalidValue, Text

__all__ = [
    "BUILTIN_LAYOUTS",
    "GUARD_CENSUS",
    "SCHOOL_CENSUS",
    "FormKind",
    "FormLayout",
    "guard_columns",
    "school_columns",
]

FormKind = Literal["guard", "school"]

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


_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
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
