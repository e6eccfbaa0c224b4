"""The census form annexed to 郑教安〔2019〕53号, exactly as printed.

《郑州市中小学幼儿园保安员基本情况调查表》 is the form that 三（一） asks every school to
fill in, person by person and item by item (逐人逐项填写), one form per school and one
record per guard (一校一表，一人一档). These constants are the form's printed text, so that
a spreadsheet importer or exporter can recognise and reproduce it:

- :data:`CENSUS_FORM_TITLE`: the form's title;
- :data:`CENSUS_HEADER_FIELDS`: the one header line's three fields, left to right, with
  their full-width colons (U+FF1A) and brackets as printed;
- :data:`CENSUS_COLUMNS`: the nine column heads in printed order, exactly as printed
  (``"姓 名"`` carries a typesetting space, U+0020);
- :data:`CENSUS_COLUMNS_CANONICAL`: the same heads without typesetting whitespace, the form
  in which rules name a column (the print wraps ``保安服务`` / ``企业名称`` inside its cell;
  joined, it reads ``保安服务企业名称``);
- :func:`census_label`: normalises a cell read from a spreadsheet to its canonical label.

The form has no date field, no school column and no remarks column; ``填报单位`` is the
school's name, ``联系人及联系方式`` the school's contact (``School.contact``), and
``签字（盖章）`` a signature or seal that no roster holds. The notice's colophon
(郑州市教育局办公室 2019年7月1日印发), printed under the form, is not part of it.
"""

from __future__ import annotations

import re

__all__ = [
    "CENSUS_ANNEX_LINE",
    "CENSUS_COLUMNS",
    "CENSUS_COLUMNS_CANONICAL",
    "CENSUS_FORM_TITLE",
    "CENSUS_HEADER_FIELDS",
    "CENSUS_HEADER_LABELS",
    "COL_COMPANY_NAME",
    "COL_COMPANY_NATURE",
    "COL_ETHNICITY",
    "COL_POLICE_AUTHORITY",
    "census_label",
]

CENSUS_FORM_TITLE = "郑州市中小学幼儿园保安员基本情况调查表"
"""The form's title, as printed above it."""

CENSUS_ANNEX_LINE = "附件：" + CENSUS_FORM_TITLE
"""The notice's line naming the annex (附件：…), as printed after 四."""

CENSUS_HEADER_FIELDS: tuple[str, str, str] = (
    "填报单位：",
    "联系人及联系方式：",
    "签字（盖章）：",
)
"""The header line's fields, left to right, with their printed full-width colons."""

CENSUS_HEADER_LABELS: tuple[str, str, str] = ("填报单位", "联系人及联系方式", "签字（盖章）")
"""The header fields without their colons: 填报单位, 联系人及联系方式, 签字（盖章）."""

CENSUS_COLUMNS: tuple[str, ...] = (
    "序号",
    "姓 名",
    "性别",
    "民族",
    "身份证号码",
    "保安员证编号",
    "保安服务企业名称",
    "保安服务企业性质",
    "属地公安机关",
)
"""The nine column heads in printed order, exactly as printed (``姓 名`` with its space)."""

_WHITESPACE = re.compile(r"\s+")


def census_label(cell: str) -> str:
    r"""A printed or typed head reduced to its canonical label: all whitespace removed.

    Spreadsheets reproduce the print's typesetting spaces and in-cell line breaks
    (``姓 名``, ``保安服务\n企业名称``); the label is the text without them.

    >>> census_label("姓 名")
    '姓名'
    >>> census_label("保安服务\n\n企业名称")
    '保安服务企业名称'
    """
    return _WHITESPACE.sub("", cell)


CENSUS_COLUMNS_CANONICAL: tuple[str, ...] = tuple(census_label(c) for c in CENSUS_COLUMNS)
"""The column heads without typesetting whitespace (``姓名``), in printed order."""

COL_ETHNICITY = CENSUS_COLUMNS_CANONICAL[3]
"""民族."""
COL_COMPANY_NAME = CENSUS_COLUMNS_CANONICAL[6]
"""保安服务企业名称."""
COL_COMPANY_NATURE = CENSUS_COLUMNS_CANONICAL[7]
"""保安服务企业性质."""
COL_POLICE_AUTHORITY = CENSUS_COLUMNS_CANONICAL[8]
"""属地公安机关."""
