"""Writing census forms from a roster: :func:`write_census` (XLSX with openpyxl, or CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
import re
from os import PathLike
from pathlib import Path
from typing import Any

import attrs

from ..._atomic import atomic_write, write_bytes_atomic
from ...census_forms import (
    BIRTH_DATE,
    CERTIFICATE,
    COMPANY_NAME,
    COMPANY_NATURE,
    CONTACT,
    ETHNICITY,
    GENDER,
    GUARD_CENSUS,
    HIRED_ON,
    ID_NUMBER,
    KIND,
    NAME,
    POLICE_AUTHORITY,
    REGION,
    SEQ,
    UNIT,
    FormLayout,
)
from ...model import Roster, School, today_in_china
from ...model.values import invalid, mask_id_numbers
from ...spreadsheets.grids import _CSV_QUOTE_PREFIX
from .cells import _sheet_name
from .school_census import _school_sheet
from .sheets import _header_row, _OutSheet

__all__ = ["EXPORT_SUFFIXES", "mask_contact", "write_census"]

EXPORT_SUFFIXES = (".xlsx", ".csv")
"""File suffixes :func:`write_census` writes."""

# --- writing ---------------------------------------------------------------------------------

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
    with atomic_write(path) as f:
        wb.save(f)


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
    write_bytes_atomic(path, buf.getvalue().encode("utf-8-sig"))


def write_census(
    roster: Roster,
    path: str | PathLike[str],
    *,
    layout: FormLayout = GUARD_CENSUS,
    show_personal_data: bool = False,
    on: dt.date | None = None,
    school_codes: bool = True,
    unit: str | None = None,
    contact: str | None = None,
) -> None:
    """Write a census form: XLSX (for people) or CSV (for systems), by the suffix.

    A guard layout writes one sheet per school (the sheet named after the school's id;
    in CSV the forms follow one another, separated by a blank line); an empty roster
    writes one blank form. ID numbers and the phone numbers of the contact are masked
    unless ``show_personal_data`` is true: a form meant to go back to the police, or
    to be imported again, needs them in full. ``school_codes`` (the default) adds the header
    fields 行政区划代码 and 学校类别, which the printed forms lack, so that the form can
    be checked or imported again without options; ``school_codes=False`` writes the
    form exactly as printed.

    A school layout writes one row per school; ``on`` (default: today in China) is the
    census date that ages are counted on, and ``unit`` and ``contact`` fill the header.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        known = ", ".join(EXPORT_SUFFIXES)
        raise invalid(
            f"不支持导出为 {suffix!r}（支持：{known}）",
            f"unsupported export type {suffix!r} (supported: {known})",
        )
    sheets = _sheets(
        roster,
        layout,
        show_personal_data=show_personal_data,
        on=on,
        school_codes=school_codes,
        unit=unit,
        contact=contact,
    )
    if not show_personal_data:
        _mask_sheets(sheets)
    if suffix == ".csv":
        _write_csv(sheets, p)
    else:
        _write_xlsx(sheets, p)


def _mask_sheets(sheets: list[_OutSheet]) -> None:
    """Every ID-shaped value in every cell and sheet name masked (``mask_id_numbers``).

    The ID-number column is masked already; this catches a number typed into another
    field (a name, a certificate number, a school id that names a sheet).
    """
    taken: set[str] = set()
    for sheet in sheets:
        sheet.name = _sheet_name(mask_id_numbers(sheet.name), taken)
        sheet.rows = [
            [mask_id_numbers(c) if isinstance(c, str) else c for c in row] for row in sheet.rows
        ]
