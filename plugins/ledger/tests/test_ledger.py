"""Ledgers: blank forms written, filled in, read back (XLSX, CSV, ODS, after LibreOffice)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from campus_security_ledger import EXAMPLE, LEDGERS, SOURCE, read, write_template

import campus_security as cs
from campus_security.cli import run
from campus_security.model import (
    Cadence,
    Drill,
    DrillKind,
    Hazard,
    Inspection,
    InspectorLevel,
    Provenance,
    Roster,
)
from campus_security.record_sources import LedgerRecord
from campus_security.record_sources.merge import ChangeKind, merge_records

ROOT = Path(__file__).resolve().parents[3]
ON = dt.date(2024, 11, 20)
AT = dt.datetime(2024, 11, 19, 9, 30, tzinfo=dt.UTC)
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")

ROWS: dict[str, list[list[Any]]] = {
    "drills": [
        [1, "CA001", dt.date(2024, 9, 12), "应急演练"],
        [2, "沧州市第一中学", "2024-10-15", "消防器材使用训练"],
    ],
    "inspections": [
        [1, "CA001", dt.date(2024, 11, 18), "学校", "日巡查", "张三"],
        [2, "CA001", "2024/11/05", "派出所", None, None],
    ],
    "hazards": [
        [
            1,
            "CA001",
            "YH-2024-07",
            dt.date(2024, 11, 1),
            "宿舍楼",
            "消防",
            dt.date(2024, 11, 10),
            None,
            "否",
            "王五",
        ],
    ],
}


def _soffice(src: Path, convert_to: str, outdir: Path) -> Path:
    """Convert with LibreOffice headless, with a fresh profile (no lock clashes)."""
    assert SOFFICE is not None
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        cmd = [
            SOFFICE,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
        ]
        proc = subprocess.run(
            [*cmd, "--convert-to", convert_to, "--outdir", str(outdir), str(src)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert proc.returncode == 0, proc.stderr
    return outdir / f"{src.stem}.{convert_to.split(':')[0]}"


def filled(path: Path, name: str, rows: list[list[Any]]) -> Path:
    """The blank ledger with ``rows`` typed in below the example, as a school would."""
    wb = openpyxl.load_workbook(io.BytesIO(write_template(name)))
    ws = wb.active
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _read(path: Path) -> Any:
    return read(str(path), Provenance("ledger", str(path), AT))


@pytest.mark.parametrize("name", list(LEDGERS))
def test_a_blank_ledger_has_bilingual_headers_lists_dates_and_a_marked_example(name: str) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(write_template(name)))
    ws = wb.active
    ledger = LEDGERS[name]
    heads = [c.value for c in ws[2]]
    assert heads == [f"{c.headers[0]}\n{c.headers[1]}" for c in ledger.columns]
    assert ws["A3"].value == EXAMPLE and "示例" in ws["A1"].value and "example" in ws["A1"].value
    lists = {dv.formula1.strip('"') for dv in ws.data_validations.dataValidation}
    assert {",".join(v) for v in ledger.lists.values()} <= lists
    for i, c in enumerate(ledger.columns):
        if c.field in ledger.dates:
            letter = openpyxl.utils.get_column_letter(i + 1)
            assert ws.column_dimensions[letter].number_format == "yyyy-mm-dd"
            assert (
                ws.cell(3, i + 1).number_format == "yyyy-mm-dd" or ws.cell(3, i + 1).value is None
            )
    # The blank ledger reads as nothing: the example row is never read.
    path = Path(tempfile.mkdtemp()) / "blank.xlsx"
    path.write_bytes(write_template(name))
    got = _read(path)
    assert got.records == () and got.problems == ()


def test_filled_ledgers_read_back(tmp_path: Path) -> None:
    drills = _read(filled(tmp_path / "d.xlsx", "drills", ROWS["drills"]))
    assert drills.problems == ()
    assert [r.item for r in drills.records] == [
        Drill(DrillKind.EMERGENCY, dt.date(2024, 9, 12)),
        Drill(DrillKind.FIRE_EQUIPMENT, dt.date(2024, 10, 15)),
    ]
    assert drills.records[1].school == "沧州市第一中学" and drills.records[0].where.endswith(
        "row 4"
    )
    checks = _read(filled(tmp_path / "i.xlsx", "inspections", ROWS["inspections"]))
    assert [r.item for r in checks.records] == [
        Inspection(dt.date(2024, 11, 18), InspectorLevel.SCHOOL, Cadence.DAILY, "张三"),
        Inspection(dt.date(2024, 11, 5), InspectorLevel.POLICE_STATION),
    ]
    hazards = _read(filled(tmp_path / "h.xlsx", "hazards", ROWS["hazards"]))
    (h,) = [r.item for r in hazards.records]
    assert isinstance(h, Hazard) and h.rectify_by == dt.date(2024, 11, 10) and not h.on_the_spot


def test_a_csv_ledger_reads(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    with path.open("w", encoding="gb18030", newline="") as f:
        w = csv.writer(f)
        w.writerow(["序号", "学校", "演练日期", "演练类别"])
        w.writerow([EXAMPLE, "某某小学", "2024-09-10", "应急演练"])
        w.writerow([1, "CA001", "2024年9月12日", "队列训练"])
    got = _read(path)
    assert got.problems == ()
    assert [r.item for r in got.records] == [Drill(DrillKind.FORMATION, dt.date(2024, 9, 12))]


def test_bad_rows_name_file_cell_and_column_in_both_languages(tmp_path: Path) -> None:
    rows = [[1, "CA001", "九月", "应急演练"], [2, None, "2024-09-12", "拔河"]]
    path = filled(tmp_path / "d.xlsx", "drills", rows)
    got = _read(path)
    assert got.records == ()
    assert [(p.source, p.path) for p in got.problems] == [
        (str(path), "演练台账!C4"),
        (str(path), "演练台账!B5"),
        (str(path), "演练台账!D5"),
    ]
    assert (
        got.problems[0].message.zh.startswith("演练日期")
        and "held on" in got.problems[0].message.en
    )
    assert "拔河" in got.problems[2].message.zh and "kind" in got.problems[2].message.en


@needs_libreoffice
def test_a_ledger_saved_again_by_libreoffice_still_reads(tmp_path: Path) -> None:
    src = filled(tmp_path / "hazards.xlsx", "hazards", ROWS["hazards"])
    want = [r.item for r in _read(src).records]
    out = tmp_path / "out"
    out.mkdir()
    for target in ("xlsx", "ods"):
        converted = _soffice(src, target, out)
        got = _read(converted)
        assert got.problems == (), target
        assert [r.item for r in got.records] == want, target


# --- the command line and verdicts -----------------------------------------------------------


@pytest.fixture(scope="module")
def example() -> Roster:
    return cs.load_roster(ROOT / "examples" / "roster.json")


def test_template_writes_the_ledger_and_pull_reads_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "隐患排查整改台账.xlsx"
    assert run(["template", "hazards", "-o", str(path)]) == 0
    wb = openpyxl.load_workbook(path)
    wb.active.append(ROWS["hazards"][0])
    wb.save(path)
    out = tmp_path / "out.json"
    code = run(
        [
            "pull",
            "ledger",
            str(path),
            "--into",
            str(ROOT / "examples" / "roster.json"),
            "-o",
            str(out),
        ]
    )
    assert code == 0, capsys.readouterr().err
    school = next(s for s in cs.load_roster(out).schools if s.id == "CA001")
    assert school.hazards[-1].id == "YH-2024-07"
    assert run(["template", "nope", "-o", str(tmp_path / "x.xlsx")]) == 2
    assert "drills, hazards, inspections" in capsys.readouterr().err


def test_an_overdue_hazard_in_the_ledger_fails_the_rectification_rule(
    tmp_path: Path, example: Roster
) -> None:
    rule = "cangzhou.hazard-rectified-on-time"
    before = next(
        f for f in cs.check(example, on=ON).findings if f.school_id == "CA001" and f.rule_id == rule
    )
    assert before.status is not cs.Status.FAIL
    records = _read(filled(tmp_path / "h.xlsx", "hazards", ROWS["hazards"])).records
    merged = merge_records(example, records)
    assert [c.kind for c in merged.changes] == [ChangeKind.ADDED]
    after = next(
        f
        for f in cs.check(merged.roster, on=ON).findings
        if f.school_id == "CA001" and f.rule_id == rule
    )
    assert after.status is cs.Status.FAIL
    assert "YH-2024-07" in after.message.zh


def test_pulled_drills_are_added_once(tmp_path: Path, example: Roster) -> None:
    records = _read(filled(tmp_path / "d.xlsx", "drills", ROWS["drills"])).records
    assert all(isinstance(r, LedgerRecord) for r in records)
    once = merge_records(example, records)
    school = next(s for s in once.roster.schools if s.id == "CA001")
    assert Drill(DrillKind.EMERGENCY, dt.date(2024, 9, 12)) in school.drills
    twice = merge_records(once.roster, records)
    assert twice.roster == once.roster


def test_the_source_offers_the_three_templates() -> None:
    assert SOURCE.templates == ("drills", "inspections", "hazards")
    assert "隐患排查整改台账" in SOURCE.layout.zh
