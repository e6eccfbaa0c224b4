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
- 姓名 → :attr:`~campus_security.model.Guard.name`;
  民族 → :attr:`~campus_security.model.Guard.ethnicity`;
  身份证号码 → :attr:`~campus_security.model.Guard.id_number`;
  保安员证编号 → :attr:`~campus_security.model.Guard.certificate_number`;
- 性别 is derived from the ID number: export writes it from the number, import checks
  that the cell agrees with the number;
- 保安服务企业名称 / 性质 / 属地公安机关 → a :class:`~campus_security.model.SecurityCompany`,
  found by name or created with an id derived from the name (:func:`company_id_for`);
- 填报单位 → :attr:`~campus_security.model.School.name`;
  联系人及联系方式 → :attr:`~campus_security.model.School.contact`;
- the sheet's name is the school's id.

A form does not carry a school's region code and kind. Import takes them, in this
order, from the school of the same id or name in an existing roster (``into``), from
the optional header fields ``行政区划代码：`` and ``学校类别：`` of the sheet, or from
the caller (``region_code=``, ``kind=``); a school for which none of these says is an
error, never a guess. See ``docs/census.md`` for the whole reference.

Every problem of a form is collected and raised at once as one
:class:`~campus_security.errors.RosterError`, each naming the sheet and cell
(``一中!E5``) and saying what is wrong in Chinese and English.

The package is split by what it does: ``campus_security.census_forms`` (the layouts,
part of the plugin SDK), ``layouts`` (which layouts are installed), ``grids`` (files to
grids of cells, with the size limits), ``blocks`` (finding the forms in a grid),
``reading`` and ``guard_rows`` (forms to a roster), ``writing`` and ``school_census``
(a roster to forms). Every public name is importable from here.
"""

from __future__ import annotations

from ...census_forms import (
    BUILTIN_LAYOUTS,
    GUARD_CENSUS,
    SCHOOL_CENSUS,
    FormKind,
    FormLayout,
    guard_columns,
    school_columns,
)
from ...spreadsheets.grids import IMPORT_SUFFIXES
from .cells import company_id_for, excel_serial_date, school_id_for
from .layouts import available_layouts, find_layout
from .reading import CensusImport, import_census, read_census
from .writing import EXPORT_SUFFIXES, mask_contact, write_census

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
