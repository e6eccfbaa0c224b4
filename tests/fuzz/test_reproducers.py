"""Issue 12's reproducers, as regression cases of the fuzzing corpus.

Each input goes through the whole oracle (oracle.fuzz_one: API, check, convert, export,
import, bounded memory and time); some also assert what the issue asked in particular.
Items 4 (plugins) and 8 (the API) are kept by their own tests (tests/test_plugins.py,
tests/test_model.py) and by test_fuzz.test_api_model_objects_with_wrong_values.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from oracle import ON, fuzz_one, run_driver

from campus_security.formats.census import write_census
from campus_security.formats.roster_json import dumps_roster
from campus_security.model import Roster

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "roster.json"
HEADER = '{"format":"campus-security/roster","version":'


def _api_error(tmp: Path, name: str) -> str:
    api, _results, crash = run_driver(tmp / name, [])
    assert crash is None and api is not None
    return str(api.get("error", ""))


# --- item 1: tracebacks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("r.json", HEADER + '[],"schools":[]}'),
        ("r.json", HEADER + '{},"schools":[]}'),
        ("r.json", '{"format":[],"version":"1"}'),
        ("r.json", '{"": 1, "format":"campus-security/roster","version":"1","schools":[]}'),
        ("r.jsonl", HEADER + "[]}\n"),
        ("r.jsonl", HEADER + "{}}\n"),
        ("r.jsonl", '{"": 1}\n'),
    ],
)
def test_item1_odd_roster_headers(tmp_path: Path, name: str, data: str) -> None:
    fuzz_one(tmp_path, name, data.encode())


# --- item 2: spreadsheet bombs -----------------------------------------------------------------


def _xlsx_with_cell(cell: str) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "保安员基本情况调查表"
    ws[cell] = "x"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_with_sheet_padding(padding: int, cell_text_size: int = 0) -> bytes:
    """An XLSX whose sheet XML holds ``padding`` bytes of whitespace, or one huge cell."""
    src = zipfile.ZipFile(io.BytesIO(_xlsx_with_cell("B2")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n in src.namelist():
            body = src.read(n)
            if n == "xl/worksheets/sheet1.xml":
                head, sep, tail = body.partition(b"<sheetData>")
                with z.open(n, "w") as f:
                    f.write(head + sep)
                    chunk = b" " * 2**20
                    for _ in range(padding // len(chunk)):
                        f.write(chunk)
                    if cell_text_size:
                        f.write(b'<row r="9"><c r="A9" t="inlineStr"><is><t>')
                        for _ in range(cell_text_size // len(chunk)):
                            f.write(b"a" * len(chunk))
                        f.write(b"</t></is></c></row>")
                    f.write(tail)
            else:
                z.writestr(n, body)
    return out.getvalue()


@pytest.mark.parametrize("cell", ["XFD1048576", "XFD8000", "XFD2000"])
def test_item2_far_cell(tmp_path: Path, cell: str) -> None:
    fuzz_one(tmp_path, "form.xlsx", _xlsx_with_cell(cell))


def test_item2_whitespace_bomb(tmp_path: Path) -> None:
    fuzz_one(tmp_path, "form.xlsx", _xlsx_with_sheet_padding(150 * 2**20))


def test_item2_one_huge_cell(tmp_path: Path) -> None:
    fuzz_one(tmp_path, "form.xlsx", _xlsx_with_sheet_padding(0, cell_text_size=100 * 2**20))


# --- item 3: wrong locations -------------------------------------------------------------------


def test_item3_invalid_utf8_located_on_its_line(tmp_path: Path) -> None:
    data = dumps_roster(Roster()).replace(b'"schools"', b'"sch\xffools"')
    line = data[: data.index(b"\xff")].count(b"\n") + 1
    assert line > 1
    fuzz_one(tmp_path, "r.json", data)
    message = _api_error(tmp_path, "r.json")
    assert "line 1, column 1" not in message
    assert f"line {line}" in message or f"第{line}行" in message


def _census_roster() -> Roster:
    from campus_security.formats import read_roster

    return read_roster(EXAMPLE)


def test_item3_formula_cells_are_called_formulas(tmp_path: Path) -> None:
    write_census(_census_roster(), tmp_path / "src.xlsx", show_personal_data=True)
    wb = openpyxl.load_workbook(tmp_path / "src.xlsx")
    ws = wb.worksheets[0]
    for row in ws.iter_rows():
        for c in row:
            if c.value == "姓名":
                ws.cell(row=c.row + 1, column=c.column).value = '=CONCAT("张","三")'
    wb.save(tmp_path / "form.xlsx")
    data = (tmp_path / "form.xlsx").read_bytes()
    fuzz_one(tmp_path, "form.xlsx", data)
    assert "公式" in _api_error(tmp_path, "form.xlsx")


def test_item3_csv_renamed_xlsx(tmp_path: Path) -> None:
    write_census(_census_roster(), tmp_path / "src.csv", show_personal_data=True)
    fuzz_one(tmp_path, "form.xlsx", (tmp_path / "src.csv").read_bytes())
    assert "CSV" in _api_error(tmp_path, "form.xlsx")


@pytest.mark.parametrize(("header", "closest"), [("身份证号吗", "身份证号码"), ("姓 明", "姓名")])
def test_item3_misspelt_header_names_sheet_and_closest(
    tmp_path: Path, header: str, closest: str
) -> None:
    write_census(_census_roster(), tmp_path / "src.csv", show_personal_data=True)
    text = (tmp_path / "src.csv").read_bytes().decode("utf-8-sig")
    text = text.replace(closest, header)
    data = text.encode("utf-8-sig")
    fuzz_one(tmp_path, "form.csv", data)
    assert closest in _api_error(tmp_path, "form.csv")


# --- item 6: personal data in messages ---------------------------------------------------------


def _example_doc() -> dict[str, Any]:
    import json

    doc: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return doc


@pytest.mark.parametrize("field", ["hired_on", "name", "certificate_number", "company_id"])
def test_item6_id_number_in_another_field(tmp_path: Path, field: str) -> None:
    import json

    doc = _example_doc()
    doc["schools"][0]["guards"][0][field] = "640402198503010062"
    fuzz_one(tmp_path, "r.json", json.dumps(doc, ensure_ascii=False).encode())


def test_item6_impossible_birth_date_in_the_id_number(tmp_path: Path) -> None:
    import json

    from stdnum.cn import ric

    doc = _example_doc()
    body = "11010519850230001"
    doc["schools"][0]["guards"][0]["id_number"] = body + ric.calc_check_digit(body)
    fuzz_one(tmp_path, "r.json", json.dumps(doc, ensure_ascii=False).encode())
    assert "19850230" not in _api_error(tmp_path, "r.json")


# --- item 7: exit codes and usage --------------------------------------------------------------

PLUGINS = ["cangzhou", "jiangsu", "zhengzhou", "loudi", "pucheng", "tutorial"]


def test_item7_no_standard_installed_is_a_usage_error(tmp_path: Path) -> None:
    blocked = [a for p in PLUGINS for a in ("--block-plugin", p)]
    _api, results, crash = run_driver(EXAMPLE, [["check", str(EXAMPLE), "--on", ON, *blocked]])
    assert crash is None
    assert results[0]["exit"] == 2


def test_item7_unknown_block_plugin_is_an_error(tmp_path: Path) -> None:
    args = ["check", str(EXAMPLE), "--on", ON, "--block-plugin", "no-such-plugin"]
    _api, results, crash = run_driver(EXAMPLE, [args])
    assert crash is None
    assert results[0]["exit"] == 2
