"""Spreadsheets in: every XLSX, XLSM, XLS, ODS or CSV file the library reads, within limits.

One reader for every table a user hands the library (census forms, record-source
exports, ledgers): :func:`read_grids` inspects a workbook's declared dimensions and
sizes before the spreadsheet library reads it (:func:`check_workbook`), so a
spreadsheet bomb is refused with an error naming the file, sheet, cell and limit
instead of exhausting memory. The limits are documented in the census guide.
"""

from __future__ import annotations

from .grids import IMPORT_SUFFIXES, read_grids
from .limits import check_grid_size, check_workbook, column_letter

__all__ = ["IMPORT_SUFFIXES", "check_grid_size", "check_workbook", "column_letter", "read_grids"]
