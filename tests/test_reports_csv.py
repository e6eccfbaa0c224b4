"""``check --format csv``: stable columns, UTF-8 with a BOM, formulas neutralised, IDs masked."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tempfile
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE_ROSTER
from hypothesis import given
from hypothesis import strategies as st
from report_runs import csv_rows, json_findings

from campus_security.cli import main
from campus_security.engine.summary import StreamSummary
from campus_security.pipeline import Outcome
from campus_security.pipeline.stream import PartResult
from campus_security.reports.csv import (
    COLUMNS,
    FORMULA_START,
    CsvReportSink,
    neutralise,
    restore_cell,
)

ON = dt.date(2024, 11, 20)
DEMO_ID = "130902197301301273"  # the ID number of a guard over 50 in the demo roster


def _check(tmp_path: Path, *args: str) -> tuple[Path, Path]:
    """The demo roster as CSV (with ``args``) and as JSON."""
    out, js = tmp_path / "r.csv", tmp_path / "r.json"
    base = ["check", str(EXAMPLE_ROSTER), "--on", "2024-11-20"]
    for fmt, path in (("csv", out), ("json", js)):
        result = CliRunner().invoke(main, [*base, "--format", fmt, "-o", str(path), *args])
        assert result.exit_code == 1, result.output  # the demo roster fails on purpose
    return out, js


def test_the_demo_roster_as_csv(tmp_path: Path) -> None:
    out, js = _check(tmp_path)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\xef\xbb\xbf") == 1
    with out.open(encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f))
    assert tuple(header) == COLUMNS
    assert b"\r\n" in data and data.count(b"\n") == data.count(b"\r\n")
    rows = csv_rows(out)
    findings = json_findings(js)
    failing = [f for f in findings if f["status"] != "pass"]
    assert len(rows) == len(failing) > 0
    assert {r["status"] for r in rows} == {"fail", "not_applicable", "waived"}
    first = rows[0]
    assert first["school_name"] == "沧州市实验小学"
    assert first["citation_document"] == "沧教〔2019〕79号"
    waived = next(r for r in rows if r["status"] == "waived")
    assert waived["waiver_granted_by"] and waived["waiver_until"] == "2025-08-31"
    periodic = next(r for r in rows if r["period_start"])
    assert periodic["finding_id"].endswith(f"@{periodic['period_start']}..{periodic['period_end']}")


def test_verbose_lists_passing_findings_too(tmp_path: Path) -> None:
    out, js = _check(tmp_path, "--verbose")
    rows = csv_rows(out)
    assert len(rows) == len(json_findings(js))
    assert any(r["status"] == "pass" for r in rows)


def test_id_numbers_are_masked_unless_asked(tmp_path: Path) -> None:
    out, _ = _check(tmp_path, "--verbose")
    text = out.read_text("utf-8-sig")
    assert DEMO_ID not in text and "1309**********1273" in text
    assert not re.search(r"\d{15,}", text)
    shown, _ = _check(tmp_path, "--verbose", "--show-personal-data")
    assert DEMO_ID in shown.read_text("utf-8-sig")


def test_formula_looking_cells_are_neutralised() -> None:
    for cell in ("=HYPERLINK(1)", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "'kept"):
        assert neutralise(cell) == "'" + cell
        assert restore_cell(neutralise(cell)) == cell
    for cell in ("", "合格", "a=b", "1-2", "'"[:0]):
        assert neutralise(cell) == cell


def _doc(**texts: str) -> dict[str, object]:
    return {
        "rule_id": "demo.rule",
        "standard_id": "demo",
        "school_id": texts.get("school_id", "S1"),
        "status": "fail",
        "citation": {"document": texts.get("document", "文号"), "clause": "一"},
        "message": {"zh": texts.get("zh", "不合格"), "en": texts.get("en", "fails")},
        "evidence": {"note": texts.get("evidence", "x")},
        "waiver": None,
        "waiver_expired": False,
        "period": None,
    }


def _write(docs: list[dict[str, object]], names: list[tuple[str, str]], **kw: bool) -> bytes:
    """The CSV file a sink writes for one part holding ``docs``."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.csv"
        sink = CsvReportSink(out, **kw)
        sink.start(ON, ())
        findings = b",\n".join(orjson.dumps(d) for d in docs)  # as run_part joins them
        sink.part(PartResult(0, 0, 0, StreamSummary(), findings, names=names))
        sink.finish(Outcome(ON, StreamSummary(), (), ()))
        return out.read_bytes()


_cells = st.text(st.characters(codec="utf-8"), max_size=30)


@given(zh=_cells, en=_cells, name=_cells, document=_cells, evidence=_cells)
def test_every_cell_round_trips_through_the_csv_module(
    zh: str, en: str, name: str, document: str, evidence: str
) -> None:
    doc = _doc(zh=zh, en=en, document=document, evidence=evidence)
    data = _write([doc], [("S1", name)], show_personal_data=True)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == 1
    row = {k: restore_cell(v) for k, v in rows[0].items()}
    assert (row["message_zh"], row["message_en"]) == (zh, en)
    assert row["school_name"] == name and row["citation_document"] == document
    assert orjson.loads(row["evidence"]) == {"note": evidence}
    for raw in rows[0].values():  # nothing a spreadsheet would run
        assert not raw or raw[0] not in FORMULA_START - {"'"}


@given(zh=_cells)
def test_id_shaped_values_typed_anywhere_are_masked(zh: str) -> None:
    doc = _doc(zh=zh + DEMO_ID, evidence=DEMO_ID, school_id="S1")
    text = _write([doc], [("S1", DEMO_ID)]).decode("utf-8-sig")
    assert DEMO_ID not in text


@pytest.mark.parametrize("verbose", [False, True])
def test_a_passing_finding_is_a_row_only_with_verbose(verbose: bool) -> None:
    doc = _doc() | {"status": "pass"}
    data = _write([doc, _doc()], [("S1", "学校")], verbose=verbose)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [r["status"] for r in rows] == (["pass", "fail"] if verbose else ["fail"])


def test_a_roster_with_problems_leaves_no_csv(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    doc = orjson.loads(EXAMPLE_ROSTER.read_bytes())
    doc["schools"][1]["enrollment"] = "many"
    bad.write_bytes(orjson.dumps(doc))
    out = tmp_path / "r.csv"
    result = CliRunner().invoke(main, ["check", str(bad), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 2
    assert "schools[1].enrollment" in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == [bad]
