"""``check --format csv``: one row per finding, for spreadsheets and scripts.

The file is UTF-8 with a byte-order mark (so that Excel reads the Chinese right),
comma-separated, rows ended by CRLF, quoted as Python's ``csv`` module quotes
(RFC 4180). The columns (:data:`COLUMNS`) are stable: a column is only ever added at
the end. One row per finding that is not passing (failing, in error, waived, not
applicable); with ``--verbose`` passing findings too. Rows come in the report's
order: schools in roster order, each school's findings by standard and rule.

A cell a spreadsheet would read as a formula (one starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is neutralised by a leading apostrophe, and so is a
cell that starts with an apostrophe, so that :func:`restore_cell` gives back every
value exactly. ID numbers (and any ID-shaped value) are masked unless
``--show-personal-data``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from ..engine import Rule, Standard
from ..pipeline.run import Outcome
from ..pipeline.sinks import Output
from ..pipeline.stream import PartResult
from ._documents import finding_id, masked, part_findings, rules_of, severity_of, shown

__all__ = ["COLUMNS", "FORMULA_START", "CsvReportSink", "neutralise", "restore_cell"]

COLUMNS = (
    "finding_id",
    "school_id",
    "school_name",
    "standard_id",
    "rule_id",
    "status",
    "severity",
    "citation_document",
    "citation_clause",
    "message_zh",
    "message_en",
    "period_start",
    "period_end",
    "waiver_granted_by",
    "waiver_reason",
    "waiver_until",
    "waiver_expired",
    "evidence",
)
"""The columns, in order (the header row names them)."""

FORMULA_START = frozenset("=+-@\t\r'")
"""First characters that make a cell neutralised (the apostrophe: to restore exactly)."""


def neutralise(cell: str) -> str:
    """``cell`` as written: prefixed by ``'`` when it could start a formula.

    >>> from campus_security.reports.csv import neutralise
    >>> neutralise("=1+1"), neutralise("-3"), neutralise("合格")
    ("'=1+1", "'-3", '合格')
    """
    return "'" + cell if cell and cell[0] in FORMULA_START else cell


def restore_cell(cell: str) -> str:
    """The value a written cell holds: :func:`neutralise` undone.

    >>> from campus_security.reports.csv import neutralise, restore_cell
    >>> restore_cell(neutralise("'quoted")), restore_cell("plain")
    ("'quoted", 'plain')
    """
    if len(cell) > 1 and cell[0] == "'" and cell[1] in FORMULA_START:
        return cell[1:]
    return cell


class CsvReportSink:
    """Writes the CSV report as the findings arrive (constant memory), atomically."""

    wants_findings = True
    wants_names = True

    def __init__(
        self,
        output: Path | None,
        *,
        verbose: bool = False,
        show_personal_data: bool = False,
    ) -> None:
        self.output = output
        self.verbose = verbose
        self.show_personal_data = show_personal_data
        self._out: Output | None = None
        self._text: io.TextIOWrapper | None = None
        self._writer: Any = None
        self._rules: dict[str, Rule] = {}

    def start(
        self, on: dt.date, standards: Sequence[Standard], since: dt.date | None = None
    ) -> None:
        """Open the output; write the byte-order mark and the header row."""
        self._rules = {r.id: r for _s, r in rules_of(standards)}
        self._out = Output(self.output)
        # utf-8-sig writes the byte-order mark before the first row, and only there
        self._text = io.TextIOWrapper(self._out.file, encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._text)
        self._writer.writerow(COLUMNS)

    def part(self, result: PartResult) -> None:
        """Write a row for each finding of the part the format lists."""
        names = dict(result.names or ())
        if not self.show_personal_data:
            names = {masked(k, False): v for k, v in names.items()}
        write = self._writer.writerow
        for doc in part_findings(result):
            if shown(doc, self.verbose):
                write(self.row(doc, names.get(doc["school_id"], "")))

    def row(self, doc: Mapping[str, Any], school_name: str) -> list[str]:
        """The cells of one finding document, in :data:`COLUMNS` order."""
        period = doc.get("period") or {}
        waiver = doc.get("waiver") or {}
        evidence = doc.get("evidence")
        cells = [
            finding_id(doc),
            doc["school_id"],
            school_name,
            doc["standard_id"],
            doc["rule_id"],
            doc["status"],
            severity_of(doc, self._rules) or "",
            doc["citation"]["document"],
            doc["citation"]["clause"],
            doc["message"]["zh"],
            doc["message"]["en"],
            period.get("start", ""),
            period.get("end", ""),
            str(waiver.get("granted_by") or ""),
            str(waiver.get("reason") or ""),
            str(waiver.get("until") or ""),
            "true" if doc.get("waiver_expired") else "false",
            orjson.dumps(evidence).decode("utf-8") if evidence else "",
        ]
        show = self.show_personal_data
        return [neutralise(masked(c, show)) for c in cells]

    def finish(self, outcome: Outcome) -> None:
        """Publish the file."""
        assert self._text is not None and self._out is not None
        self._text.flush()
        self._text.detach()
        self._text = None
        self._out.commit()

    def abort(self) -> None:
        """Leave no report."""
        if self._text is not None:
            self._text.detach()
            self._text = None
        if self._out is not None:
            self._out.discard()
