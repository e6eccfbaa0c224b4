"""The school census (学校汇总表): one row per school, counted on the census date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...census_forms import _AGE_BANDS, CENSUS_DATE, CONTACT, SEQ, UNIT, FormLayout
from ...model import EquipmentKind, Gender, Roster
from .cells import _sheet_name
from .sheets import _header_row, _OutSheet


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
