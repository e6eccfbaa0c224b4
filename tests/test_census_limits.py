"""Hostile and broken census spreadsheets (issue 12, items 2, 3 and 10).

Spreadsheet bombs are small files that declare huge sheets or cells: each is read in a
subprocess with a 1 GiB address-space limit, so a regression fails the test (the child
dies or runs out of memory) instead of killing pytest. Every refusal must be a located,
bilingual error naming the limit.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import EXAMPLE_ROSTER

from campus_security import RosterError, load_roster
from campus_security.cli import run
from campus_security.formats.census import GUARD_CENSUS, import_census, write_census
from campus_security.spreadsheets.limits import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UNCOMPRESSED_BYTES,
)
from campus_security.testing import make_id_number

# --- building XLSX and ODS files by hand -------------------------------------------------------

_CT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WB = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="一中" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<dimension ref="{dim}"/><sheetData>'
)
_SHEET_TAIL = "</sheetData></worksheet>"


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _xlsx(
    path: Path,
    rows: str,
    *,
    dim: str = "A1",
    shared: list[str] | None = None,
    padding: int = 0,
) -> Path:
    """A one-sheet workbook (sheet 一中) whose sheetData is ``rows``.

    ``padding`` bytes of whitespace go before the rows, written in chunks (the zip stays
    small however large the padding).
    """
    strings = "".join(f"<si><t>{s}</t></si>" for s in shared or [])
    sst = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{strings}</sst>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        z.writestr("xl/sharedStrings.xml", sst)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(_SHEET_HEAD.format(dim=dim).encode())
            chunk = b" " * (1 << 20)
            left = padding
            while left > 0:
                f.write(chunk[: min(left, len(chunk))])
                left -= len(chunk)
            f.write(rows.encode())
            f.write(_SHEET_TAIL.encode())
    return path


def _ods(path: Path, rows: str) -> Path:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        "<office:body><office:spreadsheet>"
        f'<table:table table:name="一中">{rows}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
        'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


ID = make_id_number(dt.date(1985, 3, 4), region="410102", seq=7)
_ODS_X = '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
_LONG = "长" * (MAX_CELL_CHARS + 1)

# name -> (how to build it, the cell the error names, a word of the English message)
BOMBS: dict[str, tuple[Any, str, str]] = {
    # issue 12: one cell at XFD1048576 (SIGABRT: 512 GB), XFD2000 (1.5 GB), XFD8000 (panic)
    "xfd1048576.xlsx": (
        lambda p: _xlsx(
            p,
            f'<row r="1">{_cell("A1", "x")}</row><row r="1048576">{_cell("XFD1048576", "y")}</row>',
            dim="A1:XFD1048576",
        ),
        "一中!XFD1048576",
        f"limit of {MAX_COLUMNS} columns",
    ),
    "xfd2000.xlsx": (
        lambda p: _xlsx(p, f'<row r="2000">{_cell("XFD2000", "y")}</row>', dim="A1:XFD2000"),
        "一中!XFD2000",
        f"limit of {MAX_COLUMNS} columns",
    ),
    "xfd8000.xlsx": (
        lambda p: _xlsx(p, f'<row r="8000">{_cell("XFD8000", "y")}</row>'),  # no dimension
        "一中!XFD8000",
        f"limit of {MAX_COLUMNS} columns",
    ),
    "rows.xlsx": (
        lambda p: _xlsx(p, f'<row r="{MAX_ROWS + 1}">{_cell(f"A{MAX_ROWS + 1}", "y")}</row>'),
        f"一中!A{MAX_ROWS + 1}",
        f"limit of {MAX_ROWS:,} rows",
    ),
    # within the row and column limits, beyond the cells: IV8000 = 256 x 8,000
    "area.xlsx": (
        lambda p: _xlsx(p, f'<row r="8000">{_cell("IV8000", "y")}</row>'),
        "一中!IV8000",
        f"limit of {MAX_CELLS:,} cells",
    ),
    # cells without a position count on from the last one
    "unnumbered.xlsx": (
        lambda p: _xlsx(p, "<row>" + '<c t="inlineStr"><is><t>x</t></is></c>' * 300 + "</row>"),
        "一中!IW1",
        f"limit of {MAX_COLUMNS} columns",
    ),
    # issue 12: a 200 MB cell (here just over the limit), shared or inline
    "long-shared.xlsx": (
        lambda p: _xlsx(p, '<row r="3"><c r="B3" t="s"><v>1</v></c></row>', shared=["a", _LONG]),
        "一中!B3",
        f"{MAX_CELL_CHARS:,} characters",
    ),
    "long-inline.xlsx": (
        lambda p: _xlsx(p, f'<row r="2">{_cell("C2", _LONG)}</row>'),
        "一中!C2",
        f"{MAX_CELL_CHARS:,} characters",
    ),
    # issue 12: 1 GB of whitespace in a 1 MB file (here just over the workbook limit)
    "whitespace.xlsx": (
        lambda p: _xlsx(p, "", padding=MAX_UNCOMPRESSED_BYTES + (1 << 20)),
        "$",
        f"{MAX_UNCOMPRESSED_BYTES // (1 << 20)} MiB",
    ),
    # padding under the workbook limit: a run of text no cell can hold
    "padding.xlsx": (
        lambda p: _xlsx(p, _cell("A1", "x"), padding=3 << 20),
        "一中!A1",
        "1 MiB",
    ),
    # ODS: a value repeated across every column, a row repeated to the end, spaces
    "columns.ods": (
        lambda p: _ods(
            p,
            '<table:table-row><table:table-cell office:value-type="string" '
            'table:number-columns-repeated="16384"><text:p>x</text:p></table:table-cell>'
            "</table:table-row>",
        ),
        "一中!XFD1",
        f"limit of {MAX_COLUMNS} columns",
    ),
    "rows.ods": (
        lambda p: _ods(
            p,
            f'<table:table-row table:number-rows-repeated="1048576">{_ODS_X}</table:table-row>',
        ),
        "一中!A1048576",
        f"limit of {MAX_ROWS:,} rows",
    ),
    "spaces.ods": (
        lambda p: _ods(
            p,
            '<table:table-row><table:table-cell office:value-type="string"><text:p>'
            '<text:s text:c="1000000000"/></text:p></table:table-cell></table:table-row>',
        ),
        "一中!A1",
        f"{MAX_CELL_CHARS:,} characters",
    ),
    # CSV: a cell beyond the limit, a line of too many columns
    "long.csv": (
        lambda p: p.write_text(f"姓名,身份证号码\n张三,{_LONG}\n", "utf-8"),
        "long!B2",
        f"{MAX_CELL_CHARS:,} characters",
    ),
    "wide.csv": (
        lambda p: p.write_text("," * 1000 + "x\n", "utf-8"),
        "wide!ALM1",
        f"limit of {MAX_COLUMNS} columns",
    ),
}

_CHILD = textwrap.dedent(
    """
    import json, resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    from campus_security.errors import RosterError
    from campus_security.formats.census import import_census
    out = {}
    for path in sys.argv[1:]:
        try:
            import_census(path, region_code="410102", kind="primary", layouts=[])
            out[path] = None
        except RosterError as exc:
            out[path] = [[p.path, p.message.zh, p.message.en, p.source] for p in exc.problems]
    print(json.dumps(out))
    """
)


@pytest.fixture(scope="module")
def refused(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every bomb read in one child process limited to 1 GiB of address space."""
    folder = tmp_path_factory.mktemp("bombs")
    paths = []
    for name, (build, _, _) in BOMBS.items():
        build(folder / name)
        paths.append(str(folder / name))
    assert max(Path(p).stat().st_size for p in paths) < 2 << 20  # the bombs are small
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, *paths],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    return {Path(p).name: v for p, v in json.loads(proc.stdout).items()}


@pytest.mark.parametrize("name", list(BOMBS))
def test_a_spreadsheet_bomb_is_refused_naming_sheet_cell_and_limit(
    refused: dict[str, Any], name: str
) -> None:
    _, where, limit = BOMBS[name]
    problems = refused[name]
    assert problems is not None, f"{name} was read"
    assert len(problems) == 1
    path, zh, en, source = problems[0]
    assert (path, source.endswith(name)) == (where, True)
    assert limit in en and "not read" in en
    assert "上限" in zh


def test_a_form_within_the_limits_reads_as_before(tmp_path: Path) -> None:
    """The largest sheet the limits allow in one dimension is read (no false alarm)."""
    idn = make_id_number(dt.date(1985, 3, 4), region="410102", seq=7)
    heads = "".join(_cell(f"{chr(65 + c)}3", h) for c, h in enumerate(GUARD_CENSUS.columns))
    rows = (
        f'<row r="1">{_cell("A1", GUARD_CENSUS.title)}</row>'
        f'<row r="2">{_cell("A2", "填报单位：")}{_cell("B2", "郑州市第一中学")}</row>'
        f'<row r="3">{heads}{_cell("IV3", "备注")}</row>'
        f'<row r="4">{_cell("B4", "王建国")}{_cell("E4", idn.value)}</row>'
    )
    path = _xlsx(tmp_path / "ok.xlsx", rows, dim="A1:IV4")
    result = import_census(path, region_code="410102", kind="primary", layouts=[GUARD_CENSUS])
    assert [g.name for s in result.roster.schools for g in s.guards] == ["王建国"]


def test_an_xls_sheet_beyond_the_limits_is_refused_before_its_cells_are_read(
    tmp_path: Path,
) -> None:
    """XLS has no zip to inspect: the loaded sheet's size is checked (the format caps it)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui"
        )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "一中"
    ws["A1"], ws["IV60000"] = "x", "y"
    wb.save(tmp_path / "far.xlsx")
    profile = (tmp_path / "profile").as_uri()
    proc = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", "xls", "--outdir", str(tmp_path), str(tmp_path / "far.xlsx")],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    with pytest.raises(RosterError) as exc:
        import_census(tmp_path / "far.xls", region_code="410102", kind="primary", layouts=[])
    (problem,) = exc.value.problems
    assert problem.path == "一中!IV60000"
    assert f"limit of {MAX_CELLS:,} cells" in problem.message.en and "上限" in problem.message.zh


def test_an_ods_formula_without_a_value_is_named_as_a_formula(tmp_path: Path) -> None:
    def cell(text: str) -> str:
        cell = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
        return cell.format(text)

    heads = "".join(cell(h) for h in GUARD_CENSUS.columns)
    rows = (
        f"<table:table-row>{cell(GUARD_CENSUS.title)}</table:table-row>"
        f"<table:table-row>{cell('填报单位：')}{cell('郑州市第一中学')}</table:table-row>"
        f"<table:table-row>{heads}</table:table-row>"
        f"<table:table-row>{cell('1')}"
        '<table:table-cell table:formula="of:=CONCATENATE(&quot;王&quot;)"/>'
        f"<table:table-cell/><table:table-cell/>{cell(ID.value)}</table:table-row>"
    )
    path = _ods(tmp_path / "f.ods", rows)
    with pytest.raises(RosterError) as exc:
        import_census(path, region_code="410102", kind="primary", layouts=[GUARD_CENSUS])
    problems = _problems(exc)
    assert list(problems) == ["一中!B4"]
    assert "formula (=of:=CONCATENATE(" in problems["一中!B4"]


# --- wrong locations (issue 12, item 3) ---------------------------------------------------------


def _problems(exc: pytest.ExceptionInfo[RosterError]) -> dict[str, str]:
    return {p.path: f"{p.message.zh} / {p.message.en}" for p in exc.value.problems}


def _form(path: Path, heads: list[str], rows: list[list[Any]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "一中"
    ws.append(["中小学幼儿园保安员基本情况调查表"])
    ws.append(["填报单位：", "郑州市第一中学"])
    ws.append(heads)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_a_formula_without_a_saved_result_is_named_as_a_formula(tmp_path: Path) -> None:
    row = [1, '=CONCATENATE("王","建国")', None, "=A4", ID.value, None, None, None, None]
    path = _form(tmp_path / "f.xlsx", list(GUARD_CENSUS.columns), [row])
    with pytest.raises(RosterError) as exc:
        import_census(path, region_code="410102", kind="primary", layouts=[GUARD_CENSUS])
    problems = _problems(exc)
    assert set(problems) == {"一中!B4", "一中!D4"}  # not "the name is missing"
    assert "公式" in problems["一中!B4"] and "formula (=CONCATENATE(" in problems["一中!B4"]
    assert "formula (=A4)" in problems["一中!D4"]  # a value that would have been lost


def test_a_csv_file_named_xlsx_is_said_to_be_csv(tmp_path: Path) -> None:
    path = tmp_path / "form.xlsx"
    path.write_text("姓名,身份证号码\n王建国,410102198503040078\n", "utf-8")
    with pytest.raises(RosterError) as exc:
        import_census(path, layouts=[GUARD_CENSUS])
    (problem,) = exc.value.problems
    assert "looks like CSV" in problem.message.en and "CSV" in problem.message.zh
    assert "Zip" not in problem.message.en
    gbk = tmp_path / "gbk.xlsx"
    gbk.write_bytes("姓名\t身份证号码\n王建国\t410102\n".encode("gb18030"))
    with pytest.raises(RosterError, match="looks like CSV"):
        import_census(gbk, layouts=[GUARD_CENSUS])


@pytest.mark.parametrize(
    ("heads", "missing", "closest"),
    [
        (["序号", "姓名", "身份证号吗", "民族"], "身份证号码", "'身份证号吗' in C3"),
        (["序号", "姓 命", "身份证号码", "民族"], "姓名", "'姓 命' in B3"),
        (["序号", "身份证号码", "民族", "性别"], "姓名", "no head in that row is close"),
    ],
)
def test_a_misspelt_or_missing_head_names_sheet_row_and_closest_head(
    tmp_path: Path, heads: list[str], missing: str, closest: str
) -> None:
    path = _form(tmp_path / "f.xlsx", heads, [[1, "王建国", ID.value, "汉族"]])
    with pytest.raises(RosterError) as exc:
        import_census(path, region_code="410102", kind="primary", layouts=[GUARD_CENSUS])
    problems = _problems(exc)
    assert list(problems) == ["一中!3:3"]  # the sheet and its heading row, not "$"
    assert f"has no {missing} column" in problems["一中!3:3"]
    assert closest in problems["一中!3:3"]
    assert "缺少" in problems["一中!3:3"]


# --- our own export re-imports (issue 12, item 10) ----------------------------------------------


def test_a_sheet_without_codes_is_reported_once_naming_the_sheets(tmp_path: Path) -> None:
    roster = load_roster(EXAMPLE_ROSTER)
    path = tmp_path / "printed.xlsx"
    write_census(roster, path, show_personal_data=True, school_codes=False)
    with pytest.raises(RosterError) as exc:
        import_census(path, layouts=[GUARD_CENSUS])
    problems = [p for p in exc.value.problems if "cannot tell" in p.message.en]
    assert len(problems) == 1
    schools = [s.id for s in roster.schools]
    (problem,) = problems
    assert f"{len(schools)} sheets" in problem.message.en
    for school_id in schools[:20]:
        assert school_id in problem.message.en and school_id in problem.message.zh


def test_the_full_export_of_the_demo_roster_re_imports_without_flags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    form, back = tmp_path / "demo.xlsx", tmp_path / "back.json"
    args = ["export", str(EXAMPLE_ROSTER), "-o", str(form), "--show-personal-data"]
    assert run(args) == 0
    assert run(["import", str(form), "-o", str(back)]) == 0
    err = capsys.readouterr().err
    assert "cannot tell" not in err and "Traceback" not in err
    roster, imported = load_roster(EXAMPLE_ROSTER), load_roster(back)
    assert [(s.id, s.region_code, s.kind) for s in imported.schools] == [
        (s.id, s.region_code, s.kind) for s in roster.schools
    ]
    assert [len(s.guards) for s in imported.schools] == [len(s.guards) for s in roster.schools]
