"""Census forms in and out: guard census (XLSX/CSV), school census, errors, LibreOffice."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import attrs
import openpyxl
import pytest
from conftest import EXAMPLE_ROSTER, ROOT
from hypothesis import given
from python_calamine import CalamineWorkbook
from stdnum.cn import ric
from strategies import census_rosters

from campus_security import RosterError, dump_roster, load_roster
from campus_security.cli import run
from campus_security.formats import read_roster, registered_suffixes
from campus_security.formats.census import (
    GUARD_CENSUS,
    SCHOOL_CENSUS,
    FormLayout,
    company_id_for,
    excel_serial_date,
    import_census,
    mask_contact,
    school_id_for,
    write_census,
)
from campus_security.hookspecs import hookimpl
from campus_security.model import (
    Equipment,
    EquipmentKind,
    Facilities,
    Gender,
    Guard,
    RegionCode,
    Roster,
    School,
    SchoolKind,
    SecurityCompany,
)
from campus_security.plugins import PluginManager
from campus_security.testing import make_id_number

ON = dt.date(2024, 11, 20)
NINE = (
    "序号",
    "姓名",
    "性别",
    "民族",
    "身份证号码",
    "保安员证编号",
    "保安服务企业名称",
    "保安服务企业性质",
    "属地公安机关",
)
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui",
)

ID_M = make_id_number(dt.date(1985, 3, 4), region="410102", seq=7)  # male
ID_F = make_id_number(dt.date(1990, 5, 6), region="410102", female=True, seq=8)
ID_M2 = make_id_number(dt.date(1972, 12, 31), region="410185", seq=9)


def _roster() -> Roster:
    company = SecurityCompany(
        id="zz-guard",
        name="郑州市保安服务有限公司",
        nature="国有",
        permit_number="豫公保服20100001",
        police_authority="郑州市公安局",
    )
    school = School(
        id="ZZ001",
        name="郑州市第一中学",
        region_code=RegionCode("410102"),
        kind=SchoolKind.SECONDARY,
        contact="张老师 13812345678",
        enrollment=2000,
        staff_count=150,
        boarders=300,
        facilities=Facilities(gatehouse=True),
        equipment=(Equipment(EquipmentKind.STEEL_FORK, 4), Equipment(EquipmentKind.SHIELD, 2)),
        guards=(
            Guard(
                id_number=ID_M,
                name="王建国",
                company_id="zz-guard",
                certificate_number="豫公保20190001",
                ethnicity="汉族",
                hired_on=dt.date(2019, 3, 1),
            ),
            Guard(id_number=ID_F, name="李秀英", ethnicity="回族", full_time=False),
        ),
    )
    other = School(
        id="ZZ002",
        name="郑州市实验幼儿园",
        region_code=RegionCode("410185"),
        kind=SchoolKind.KINDERGARTEN,
        guards=(Guard(id_number=ID_M2, name="赵大海", company_id="zz-guard"),),
    )
    return Roster(schools=(school, other), companies=(company,))


# --- helpers ------------------------------------------------------------------------------


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def _trim(rows: Sequence[Sequence[Any]]) -> list[list[str]]:
    out = [[_text(v) for v in row] for row in rows]
    for row in out:
        while row and row[-1] == "":
            row.pop()
    while out and not out[-1]:
        out.pop()
    return out


def _cells(path: Path) -> dict[str, list[list[str]]]:
    """Every sheet's cells as text, trailing blanks trimmed (read with calamine)."""
    wb = CalamineWorkbook.from_path(str(path))
    return {
        n: _trim(wb.get_sheet_by_name(n).to_python(skip_empty_area=False)) for n in wb.sheet_names
    }


def _csv_rows(path: Path) -> list[list[str]]:
    return _trim(list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig")))))


def _carried(roster: Roster, *, ids: bool = True, codes: bool = False) -> list[tuple[Any, ...]]:
    """What a guard census carries of each school, in order (with ``codes``: as exported)."""
    out = []
    for s in roster.schools:
        guards = []
        for g in s.guards:
            c = roster.company(g.company_id)
            company = (c.name, c.nature, c.police_authority) if c else None
            guards.append(
                (g.id_number.value, g.name, g.gender, g.ethnicity, g.certificate_number, company)
            )
        where = (s.region_code, s.kind) if codes else None
        out.append((s.id if ids else None, s.name, s.contact, where, tuple(guards)))
    return out


def _problems(exc: pytest.ExceptionInfo[RosterError]) -> dict[str, str]:
    return {p.path: f"{p.message.zh} / {p.message.en}" for p in exc.value.problems}


def _write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def _header(unit: str = "郑州市第一中学", contact: str = "张老师 13800000000") -> list[list[str]]:
    return [
        ["郑州市中小学幼儿园保安员基本情况调查表"],
        ["填报单位：", unit, "", "", "联系人及联系方式：", contact],
        list(NINE),
    ]


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --- layouts and the hook -------------------------------------------------------------------


def test_the_generic_guard_census_layout() -> None:
    assert GUARD_CENSUS.id == "guard-census"
    assert GUARD_CENSUS.title == "中小学幼儿园保安员基本情况调查表"
    assert GUARD_CENSUS.columns == NINE
    assert GUARD_CENSUS.header_fields == ("填报单位", "联系人及联系方式")
    assert GUARD_CENSUS.kind == "guard" and SCHOOL_CENSUS.kind == "school"


@pytest.mark.parametrize(
    "columns, says",
    [
        (("姓名", "身份证号码", "备注"), "备注"),
        (("姓名", "民族"), "身份证号码"),
        (("姓名", "身份证号码", "姓 名"), "duplicate"),
    ],
)
def test_a_layout_takes_only_columns_the_core_knows(columns: tuple[str, ...], says: str) -> None:
    with pytest.raises(ValueError, match=says):
        FormLayout(id="x", title="t", kind="guard", header_fields=(), columns=columns)


class _FormsPlugin:
    def __init__(self, *layouts: object) -> None:
        self.layouts = layouts

    @hookimpl
    def campus_security_census_forms(self) -> Sequence[object]:
        return self.layouts


class _BrokenForms:
    @hookimpl
    def campus_security_census_forms(self) -> Sequence[object]:
        raise RuntimeError("boom")


def test_census_forms_are_collected_from_plugins_with_isolation() -> None:
    mine = FormLayout(
        id="my-census", title="我市保安员调查表", kind="guard", header_fields=(), columns=NINE
    )
    pm = PluginManager(load_entrypoints=False)
    pm.register(_FormsPlugin(mine), "mine")
    pm.register(_BrokenForms(), "broken")
    pm.register(_FormsPlugin("not a layout"), "wrong")
    pm.register(_FormsPlugin(attrs.evolve(mine, title="dup")), "dupe")
    pm.register(_FormsPlugin(attrs.evolve(GUARD_CENSUS)), "shadow")
    ids = [lay.id for lay in pm.census_forms()]
    assert ids == ["guard-census", "school-census", "my-census"]
    failed = {(f.plugin, f.stage) for f in pm.failures}
    assert {p for p, _ in failed} == {"broken", "wrong", "dupe", "shadow"}
    assert {s for _, s in failed} == {"campus_security_census_forms"}
    text = " ".join(str(f) for f in pm.failures)
    assert "boom" in text and "mine" in text and "campus_security" in text


def _zhengzhou_manager() -> tuple[PluginManager, FormLayout]:
    module = pytest.importorskip("campus_security_zhengzhou.census_form")
    pm = PluginManager(load_entrypoints=False)
    assert pm.register(module, "zhengzhou-census")
    (layout,) = [lay for lay in pm.census_forms() if lay.id == "zhengzhou-guard-census"]
    return pm, layout


def test_the_zhengzhou_layout_is_the_printed_annex() -> None:
    _, layout = _zhengzhou_manager()
    assert layout.title == "郑州市中小学幼儿园保安员基本情况调查表"
    assert layout.header_fields == ("填报单位", "联系人及联系方式", "签字（盖章）")
    assert layout.columns[1] == "姓 名"  # printed with a typesetting space
    assert layout.keys == NINE
    seed = ROOT.parent / "shared" / "seeds" / "000_dfa10b52a87dba0c.txt"
    if not seed.exists():
        seed = Path("/work/shared/seeds/000_dfa10b52a87dba0c.txt")
    if seed.exists():  # check against the original where it is at hand
        annex = seed.read_text("utf-8").split("附  件", 1)[1]
        lines = [line.strip() for line in annex.splitlines() if line.strip()]
        assert lines[0] == layout.title
        assert [f + "：" for f in layout.header_fields] == lines[1].split()
        printed = [c for c in lines[2:] if not c.startswith("郑州市教育局办公室")]
        printed = (
            printed[: printed.index("保安服务") + 1] + printed[printed.index("保安服务") + 1 :]
        )
        joined = "".join(printed)
        assert joined.startswith("".join(layout.columns))


def test_export_prints_the_zhengzhou_form_exactly(tmp_path: Path) -> None:
    pm, layout = _zhengzhou_manager()
    path = tmp_path / "zz.xlsx"
    write_census(_roster(), path, layout=layout, show_personal_data=True, school_codes=False)
    sheet = _cells(path)["ZZ001"]
    assert sheet[0] == ["郑州市中小学幼儿园保安员基本情况调查表"]
    labels = [c for c in sheet[1] if c.endswith("：")]
    assert labels == ["填报单位：", "联系人及联系方式：", "签字（盖章）："]
    assert "郑州市第一中学" in sheet[1]
    assert sheet[2] == list(layout.columns)
    assert sheet[3][:5] == ["1", "王建国", "男", "汉族", ID_M.value]
    result = import_census(path, into=_roster(), layouts=pm.census_forms())
    assert dict(result.layouts) == {"ZZ001": "zhengzhou-guard-census", "ZZ002": layout.id}
    assert result.roster == _roster()


# --- round trips ------------------------------------------------------------------------------


@pytest.mark.parametrize("codes", [True, False])
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@given(roster=census_rosters())
def test_roster_form_roster_keeps_every_census_item(
    suffix: str, codes: bool, roster: Roster
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"form{suffix}"
        write_census(roster, path, show_personal_data=True, school_codes=codes)
        if codes:  # our own export re-imports without options
            back = import_census(path, layouts=[GUARD_CENSUS])
        else:  # the form as printed: the options say where the schools are
            back = import_census(path, region_code="410102", kind="primary", layouts=[GUARD_CENSUS])
    # A CSV file has no sheets, so no sheet name to carry the school id.
    ids = suffix == ".xlsx"
    assert _carried(back.roster, ids=ids, codes=codes) == _carried(roster, ids=ids, codes=codes)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@given(roster=census_rosters())
def test_importing_a_form_into_its_roster_changes_nothing(suffix: str, roster: Roster) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"form{suffix}"
        write_census(roster, path, show_personal_data=True)
        back = import_census(path, into=roster, layouts=[GUARD_CENSUS])
    assert back.roster == roster


def test_the_example_roster_round_trips(tmp_path: Path) -> None:
    roster = load_roster(EXAMPLE_ROSTER)
    for suffix in (".xlsx", ".csv"):
        path = tmp_path / f"form{suffix}"
        write_census(roster, path, show_personal_data=True)
        assert import_census(path, into=roster, layouts=[GUARD_CENSUS]).roster == roster
        alone = import_census(path, layouts=[GUARD_CENSUS])  # no options: the form says
        assert _carried(alone.roster, ids=suffix == ".xlsx", codes=True) == _carried(
            roster, ids=suffix == ".xlsx", codes=True
        )


def test_companies_are_found_or_created_by_name(tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    write_census(_roster(), path, show_personal_data=True)
    alone = import_census(path, layouts=[GUARD_CENSUS])
    (company,) = alone.roster.companies
    assert (
        company.id
        == company_id_for("郑州市保安服务有限公司")
        == company_id_for(" 郑州市保安服务有限公司")
    )
    assert company.permit_number is None  # the form does not carry it; nothing is invented
    assert (company.nature, company.police_authority) == ("国有", "郑州市公安局")
    assert [g.company_id for s in alone.roster.schools for g in s.guards] == [
        company.id,
        None,
        company.id,
    ]


def test_an_empty_roster_exports_a_blank_form_that_imports_to_nothing(tmp_path: Path) -> None:
    for suffix in (".xlsx", ".csv"):
        path = tmp_path / f"blank{suffix}"
        write_census(Roster(), path)
        result = import_census(path, layouts=[GUARD_CENSUS])
        assert result.roster == Roster() and result.notes


# --- masking -----------------------------------------------------------------------------------


def test_exports_mask_id_numbers_and_phones_unless_asked(tmp_path: Path) -> None:
    roster = _roster()
    for suffix in (".xlsx", ".csv"):
        masked, full = tmp_path / f"m{suffix}", tmp_path / f"f{suffix}"
        write_census(roster, masked)
        write_census(roster, full, show_personal_data=True)
        if suffix == ".xlsx":
            m_text = repr(_cells(masked))
            f_text = repr(_cells(full))
        else:
            m_text, f_text = masked.read_text("utf-8-sig"), full.read_text("utf-8-sig")
        for ident in (ID_M, ID_F, ID_M2):
            assert ident.value not in m_text and ident.masked in m_text
            assert ident.value in f_text
        assert "13812345678" not in m_text and "138****5678" in m_text
        assert "13812345678" in f_text
        with pytest.raises(RosterError) as exc:  # a masked form is not data
            import_census(masked, into=roster, layouts=[GUARD_CENSUS])
        problems = _problems(exc)
        stem = "ZZ001" if suffix == ".xlsx" else "m"
        assert f"{stem}!E4" in problems and "--show-personal-data" in problems[f"{stem}!E4"]
        assert f"{stem}!D2" in problems  # the masked contact


def test_mask_contact() -> None:
    assert mask_contact("张老师 13812345678，0371-6666888") == "张老师 138****5678，0371-***6888"
    assert mask_contact("王主任") == "王主任"


# --- what people type -------------------------------------------------------------------------


def test_real_world_mess_is_read_not_rejected(tmp_path: Path) -> None:
    fullwidth = ID_M.value.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    lower_x = make_id_number(dt.date(1988, 8, 8), region="410102", seq=5)
    while not lower_x.value.endswith("X"):
        lower_x = make_id_number(dt.date(1988, 8, 8), region="410102")
    spaced = f"{ID_M2.value[:6]} {ID_M2.value[6:14]} {ID_M2.value[14:]}"
    rows = [
        ["", "", "", ""],
        *_header(unit="  郑州市第一中学\u3000", contact="张老师\u3000１３８００００００００"),
        [
            "1.0",
            "王建国 ",
            "男 ",
            "汉族",
            fullwidth,
            "ＨＮ２０１９ ０００１",
            "郑州市保安服务有限公司",
            "国有",
        ],
        ["2", "李四", "", "回族", lower_x.value.lower(), "无", "/", "", ""],
        ["3", "赵大海", "男性", "", f'="{spaced}"', "'A1", "", "", ""],
        ["4", "", "", "", "", "", "", "", ""],
        ["5"],
        [],
        ["注：本表一人一行。"],
        ["", "", ""],
    ]
    path = _write_csv(tmp_path / "mess.csv", rows, encoding="gb18030")
    result = import_census(path, region_code="410102", kind="secondary", layouts=[GUARD_CENSUS])
    (school,) = result.roster.schools
    assert school.name == "郑州市第一中学" and school.contact == "张老师 13800000000"
    assert school.id == school_id_for("郑州市第一中学")
    a, b, c = school.guards
    assert (a.id_number, a.name, a.certificate_number) == (ID_M, "王建国", "HN20190001")
    assert a.company_id == company_id_for("郑州市保安服务有限公司")
    assert (b.id_number, b.certificate_number, b.company_id) == (lower_x, None, None)
    assert (c.id_number, c.gender, c.ethnicity, c.certificate_number) == (
        ID_M2,
        Gender.MALE,
        None,
        "A1",
    )


def test_every_problem_of_a_form_is_reported_at_once_with_its_cell(tmp_path: Path) -> None:
    bad_check = ID_M.value[:17] + ("0" if ID_M.value[17] != "0" else "1")
    body = "410102" + "19901301" + "123"  # month 13
    no_such_day = body + ric.calc_check_digit(body + "0")
    rows = [
        *_header(),
        ["1", "王建国", "女", "汉族", ID_M.value, "", "", "", ""],  # gender disagrees
        ["2", "", "男", "汉族", ID_M2.value, "", "", "国有", ""],  # no name; nature, no company
        ["3", "李四", "男", "", bad_check, "", "", "", ""],
        ["4", "张三", "x", "", ID_M.value, "", "", "", ""],  # bad gender, repeated ID
        ["5", "钱五", "", "", no_such_day, "", "", "", ""],
        ["6", "孙六", "", "", "12345", "", "A公司", "国有", ""],
        ["7", "周七", "", "", ID_F.value, "", "A公司", "民营", "", "备注内容"],
    ]
    path = _write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(RosterError) as exc:
        import_census(path, region_code="410102", kind="primary", layouts=[GUARD_CENSUS])
    problems = _problems(exc)
    assert set(problems) == {
        "bad!C4",
        "bad!B5",
        "bad!G5",
        "bad!E6",
        "bad!C7",
        "bad!E7",
        "bad!E8",
        "bad!E9",
        "bad!H10",
        "bad!J10",
    }
    assert "性别" in problems["bad!C4"] and "disagrees with the ID number" in problems["bad!C4"]
    assert "check digit" in problems["bad!E6"]
    assert "repeats row 4" in problems["bad!E7"]
    assert "birth date" in problems["bad!E8"]
    assert "18" in problems["bad!E9"]
    assert "民营" in problems["bad!H10"] and "国有" in problems["bad!H10"]
    assert "no head" in problems["bad!J10"]
    assert all(p.source == str(path) for p in exc.value.problems)
    assert all(" / " in text for text in problems.values())  # Chinese and English


def test_an_id_number_stored_as_a_number_is_explained(tmp_path: Path) -> None:
    # A sheet made directly with openpyxl: the ID cell holds a number, as when someone
    # types it into a cell formatted as a number.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "一中"
    for row in _header():
        ws.append(row)
    ws.append([1, "王建国", "男", "汉族", int(ID_M.value[:17] + "0"), None, None, None, None])
    ws.append([2.0, "李四", "女", "回族", ID_F.value, None, None, None, None])
    path = tmp_path / "numeric.xlsx"
    wb.save(path)
    with pytest.raises(RosterError) as exc:
        import_census(path, region_code="410102", kind="primary", layouts=[GUARD_CENSUS])
    assert list(_problems(exc)) == ["一中!E4"]
    assert "15" in _problems(exc)["一中!E4"] and "text" in _problems(exc)["一中!E4"]


def test_merged_two_row_heads_and_dates_as_excel_serials(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "ZZ9"
    ws.append(["中小学幼儿园保安员基本情况调查表"])
    ws.merge_cells("A1:K1")
    ws.append(
        ["填报单位：郑州市第九中学", None, None, None, "联系人：王老师", None, "联系电话：123"]
    )
    ws.append(["序号", "姓 名", "性别", "民族", "身份证号码", "保安员证编号", "保安服务企业"])
    ws["J3"], ws["K3"] = "出生日期", "入职日期"
    ws.merge_cells("G3:I3")
    for col in "ABCDEFJK":
        ws.merge_cells(f"{col}3:{col}4")
    ws["G4"], ws["H4"], ws["I4"] = "名称", "性质", "属地公安机关"
    serial = (ID_M.birth_date - dt.date(1899, 12, 30)).days
    ws.append(
        [
            1,
            "王建国",
            "男",
            "汉族",
            ID_M.value,
            "C1",
            "甲公司",
            "民营",
            "某分局",
            serial,
            "2019/3/1",
        ]
    )
    ws.append([2, "李四", "女", "回族", ID_F.value, None, None, None, None, ID_F.birth_date, 43000])
    ws.append([3, "赵大海", "男", "汉族", ID_M2.value, None, None, None, None, "1972年12月", None])
    path = tmp_path / "merged.xlsx"
    wb.save(path)
    result = import_census(path, region_code="410102", kind="secondary", layouts=[GUARD_CENSUS])
    (school,) = result.roster.schools
    assert (school.id, school.name, school.contact) == ("ZZ9", "郑州市第九中学", "王老师 123")
    (company,) = result.roster.companies
    assert (company.name, company.nature, company.police_authority) == ("甲公司", "民营", "某分局")
    assert [g.hired_on for g in school.guards] == [
        dt.date(2019, 3, 1),
        excel_serial_date(43000),
        None,
    ]
    ws["J5"] = serial + 1  # a birth date that disagrees with the ID number
    wb.save(path)
    with pytest.raises(RosterError) as exc:
        import_census(path, region_code="410102", kind="secondary", layouts=[GUARD_CENSUS])
    assert list(_problems(exc)) == ["ZZ9!J5"]


def test_excel_serial_dates() -> None:
    assert excel_serial_date(1) == dt.date(1900, 1, 1)
    assert excel_serial_date(59) == dt.date(1900, 2, 28)
    assert excel_serial_date(61) == dt.date(1900, 3, 1)
    assert excel_serial_date(45616.75) == dt.date(2024, 11, 20)
    with pytest.raises(ValueError):
        excel_serial_date(60)  # 1900-02-29, which Excel counts and the calendar does not


def test_an_unknown_column_is_an_error_only_when_it_holds_data(tmp_path: Path) -> None:
    rows = _header()
    rows[2] = [*NINE, "备注"]
    rows.append(["1", "王建国", "男", "汉族", ID_M.value, "", "", "", "", ""])
    path = _write_csv(tmp_path / "extra.csv", rows)
    assert import_census(path, region_code="410102", kind="primary", layouts=[GUARD_CENSUS])
    rows.append(["2", "李四", "女", "汉族", ID_F.value, "", "", "", "", "调岗"])
    _write_csv(path, rows)
    with pytest.raises(RosterError) as exc:
        import_census(path, region_code="410102", kind="primary", layouts=[GUARD_CENSUS])
    assert list(_problems(exc)) == ["extra!J5"] and "备注" in _problems(exc)["extra!J5"]


def test_header_lines_as_people_type_them(tmp_path: Path) -> None:
    rows = [
        ["附件1"],
        ["郑州市中小学幼儿园保安员基本情况调查表"],
        ["填报单位：", "郑州市", "第一中学", "联系人及联系方式：", "张老师", "13800000000"],
        # heads in another order, one with a note in brackets, one marked required, and a
        # column the model has no place for (fine while it is empty)
        ["序号", "身份证号码（18位）", "姓名*", *NINE[2:4], *NINE[5:], "联系电话"],
        ["1", ID_M.value, "王建国", "男", "汉族", "", "", "", "", ""],
    ]
    path = _write_csv(tmp_path / "quirks.csv", rows)
    result = import_census(path, region_code="410102", kind="primary", layouts=[GUARD_CENSUS])
    (school,) = result.roster.schools
    assert (school.name, school.contact) == ("郑州市 第一中学", "张老师 13800000000")
    assert [(g.name, g.id_number, g.ethnicity) for g in school.guards] == [("王建国", ID_M, "汉族")]
    assert result.layouts == (("quirks", "guard-census"),)  # the title, not 附件1


def test_into_refuses_a_company_name_the_roster_holds_twice(tmp_path: Path) -> None:
    roster = _roster()
    twin = attrs.evolve(roster.companies[0], id="zz-twin", permit_number=None)
    roster = attrs.evolve(roster, companies=(*roster.companies, twin))
    path = tmp_path / "f.xlsx"
    write_census(roster, path, show_personal_data=True)
    with pytest.raises(RosterError) as exc:
        import_census(path, into=roster, layouts=[GUARD_CENSUS])
    assert set(_problems(exc)) == {"ZZ001!G4", "ZZ002!G4"}
    assert "zz-twin" in _problems(exc)["ZZ001!G4"]
    unused = attrs.evolve(twin, name="另一家公司")
    roster = attrs.evolve(roster, companies=(roster.companies[0], unused))
    write_census(roster, path, show_personal_data=True)
    assert import_census(path, into=roster, layouts=[GUARD_CENSUS]).roster == roster


# --- where region code and kind come from ---------------------------------------------------


def test_a_form_without_region_or_kind_is_an_error_not_a_guess(tmp_path: Path) -> None:
    rows = [*_header(), ["1", "王建国", "男", "汉族", ID_M.value, "", "", "", ""]]
    path = _write_csv(tmp_path / "f.csv", rows)
    with pytest.raises(RosterError) as exc:
        import_census(path, layouts=[GUARD_CENSUS])
    assert list(_problems(exc)) == ["f!B2"]
    assert "--region-code" in _problems(exc)["f!B2"] and "--into" in _problems(exc)["f!B2"]
    rows[1] += ["行政区划代码：", "410102", "学校类别：", "中学"]
    _write_csv(path, rows)
    (school,) = import_census(path, layouts=[GUARD_CENSUS]).roster.schools
    assert (school.region_code.value, school.kind) == ("410102", SchoolKind.SECONDARY)
    with pytest.raises(RosterError) as exc:
        import_census(path, region_code="410185", layouts=[GUARD_CENSUS])
    assert list(_problems(exc)) == ["f!H2"]
    with pytest.raises(RosterError) as exc:
        import_census(path, region_code="999999", kind="castle", layouts=[GUARD_CENSUS])
    assert set(_problems(exc)) == {"--region-code", "--kind"}


def test_into_merges_census_items_and_keeps_the_rest(tmp_path: Path) -> None:
    roster = _roster()
    rows = [
        *_header(contact="李老师 010-1234567"),
        ["1", "王建国", "男", "满族", ID_M.value, "", "郑州市保安服务有限公司", "", ""],
        ["2", "新来的", "男", "汉族", ID_M2.value, "C9", "新公司", "民营", "某分局"],
    ]
    path = _write_csv(tmp_path / "update.csv", rows)
    result = import_census(path, into=roster, layouts=[GUARD_CENSUS])
    school = result.roster.schools[0]
    assert school.contact == "李老师 010-1234567"
    wang, li, new = school.guards
    assert (wang.ethnicity, wang.certificate_number, wang.company_id) == ("满族", None, "zz-guard")
    assert wang.hired_on == dt.date(2019, 3, 1)  # not on the form: kept
    assert li == roster.schools[0].guards[1]  # not on the form: kept, and noted
    assert any("not on the form" in n.message.en for n in result.notes)
    assert new.company_id == company_id_for("新公司")
    assert result.roster.schools[1] == roster.schools[1]
    assert result.roster.company("zz-guard") == roster.companies[0]
    rows[3][7] = "民营"  # the roster says 国有
    rows[3][6] = "郑州市保安服务有限公司"
    _write_csv(path, rows)
    with pytest.raises(RosterError) as exc:
        import_census(path, into=roster, layouts=[GUARD_CENSUS])
    assert list(_problems(exc)) == ["update!H4"] and "roster" in _problems(exc)["update!H4"]


def test_into_matches_the_sheet_by_id_and_checks_the_name(tmp_path: Path) -> None:
    roster = _roster()
    path = tmp_path / "f.xlsx"
    write_census(roster, path, show_personal_data=True)
    other = attrs.evolve(roster, schools=(attrs.evolve(roster.schools[0], name="别的学校"),))
    with pytest.raises(RosterError) as exc:
        import_census(path, into=other, layouts=[GUARD_CENSUS])
    assert "ZZ001!B2" in _problems(exc) and "别的学校" in _problems(exc)["ZZ001!B2"]


def test_files_that_are_not_forms(tmp_path: Path) -> None:
    with pytest.raises(RosterError, match="cannot read the file"):
        import_census(tmp_path / "missing.xlsx", layouts=[GUARD_CENSUS])
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(RosterError, match="cannot read the spreadsheet"):
        import_census(broken, layouts=[GUARD_CENSUS])
    plain = _write_csv(tmp_path / "plain.csv", [["a", "b"], ["1", "2"]])
    with pytest.raises(RosterError, match="holds no census form"):
        import_census(plain, layouts=[GUARD_CENSUS])
    with pytest.raises(RosterError, match="unsupported spreadsheet type"):
        import_census(tmp_path / "x.txt", layouts=[GUARD_CENSUS])


def test_read_roster_opens_forms() -> None:
    assert {".xlsx", ".csv", ".ods", ".xls", ".json"} <= set(registered_suffixes())


# --- the school census -------------------------------------------------------------------------


def test_school_census_counts_loudi_items(tmp_path: Path) -> None:
    roster = _roster()
    for suffix in (".xlsx", ".csv"):
        path = tmp_path / f"schools{suffix}"
        write_census(roster, path, layout=SCHOOL_CENSUS, on=ON, unit="郑州市教育局")
        rows = next(iter(_cells(path).values())) if suffix == ".xlsx" else _csv_rows(path)
        assert rows[0] == [SCHOOL_CENSUS.title]
        assert "郑州市教育局" in rows[1] and "2024-11-20" in rows[1]
        heads = rows[2]
        first = dict(zip(heads, rows[3], strict=False))
        assert first["学校编号"] == "ZZ001" and first["学校类别"] == "中学"
        assert first["门卫室"] == "有" and first["防护钢叉"] == "4" and first["防护盾牌"] == "2"
        assert (first["保安员人数"], first["专职保安员"], first["兼职保安员"]) == ("2", "1", "1")
        assert (first["男保安员"], first["女保安员"]) == ("1", "1")
        assert (first["持证保安员"], first["无证保安员"]) == ("1", "1")
        assert first["保安员31至40岁"] == "2"  # 39 and 34 on 2024-11-20
        assert (first["在校生数"], first["教职工数"], first["住宿生数"]) == ("2000", "150", "300")
        second = dict(zip(heads, rows[4], strict=False))
        assert second["保安员51至60岁"] == "1" and second["门卫室"] == "无"


# --- the command line ---------------------------------------------------------------------------


def test_cli_export_import_check(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    roster_path = tmp_path / "roster.json"
    dump_roster(_roster(), roster_path)
    form = tmp_path / "form.xlsx"
    args = ["export", str(roster_path), "--form", "guard-census", "-o", str(form)]
    assert cli(capsys, *args, "--show-personal-data", "--no-school-codes")[0] == 0
    back = tmp_path / "back.json"
    code, _, err = cli(capsys, "import", str(form), "-o", str(back), "--into", str(roster_path))
    assert code == 0 and "2 所学校" in err
    assert load_roster(back) == _roster()
    code, _, err = cli(capsys, "import", str(form), "--region-code", "410102", "--kind", "中学")
    assert code == 0
    code, out, err = cli(capsys, "import", str(form))
    assert code == 2 and "ZZ001!B2" in err and "Traceback" not in err
    # check reads a form directly when the form states region code and kind
    code, _, err = cli(capsys, "check", str(form), "--on", "2024-11-20")
    assert code == 2 and "行政区划代码" in err
    assert cli(capsys, *args, "--show-personal-data", "--school-codes")[0] == 0
    code, out, _ = cli(capsys, "check", str(form), "--on", "2024-11-20", "--format", "json")
    assert code in (0, 1) and '"ZZ001"' in out
    assert read_roster(form).schools[0].region_code == RegionCode("410102")


@pytest.mark.parametrize(
    "args, says",
    [
        (["export", "{roster}", "--form", "nope", "-o", "{tmp}/x.xlsx"], "unknown form: nope"),
        (["export", "{roster}", "-o", "{tmp}/x.pdf"], "unsupported export type"),
        (["export", "{tmp}/missing.json", "-o", "{tmp}/x.xlsx"], "missing.json"),
        (["import", "{tmp}/missing.xlsx"], "missing.xlsx"),
        (["import", "{form}", "--region-code", "12"], "--region-code"),
        (["import", "{masked}", "--into", "{roster}"], "--show-personal-data"),
    ],
)
def test_cli_exit_two_on_bad_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], says: str
) -> None:
    roster = tmp_path / "roster.json"
    dump_roster(_roster(), roster)
    write_census(_roster(), tmp_path / "form.xlsx", show_personal_data=True)
    write_census(_roster(), tmp_path / "masked.xlsx")
    subs = {
        "{roster}": str(roster),
        "{tmp}": str(tmp_path),
        "{form}": str(tmp_path / "form.xlsx"),
        "{masked}": str(tmp_path / "masked.xlsx"),
    }
    argv = []
    for a in args:
        for k, v in subs.items():
            a = a.replace(k, v)
        argv.append(a)
    code, _, err = cli(capsys, *argv)
    assert code == 2 and says in err and "Traceback" not in err


def test_cli_school_census_export(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "schools.csv"
    args = ["export", str(EXAMPLE_ROSTER), "--form", "school-census", "-o", str(out)]
    assert cli(capsys, *args, "--on", "2024-11-20")[0] == 0
    rows = _csv_rows(out)
    assert rows[0] == [SCHOOL_CENSUS.title] and len(rows) == 3 + len(
        load_roster(EXAMPLE_ROSTER).schools
    )


# --- LibreOffice: a real spreadsheet program ---------------------------------------------------


def _soffice(src: Path, convert_to: str, outdir: Path, *, infilter: str | None = None) -> None:
    """Convert with LibreOffice headless, with a fresh profile (no lock clashes)."""
    assert SOFFICE is not None
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        cmd = [
            SOFFICE,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            convert_to,
            "--outdir",
            str(outdir),
        ]
        if infilter:
            cmd.append(f"--infilter={infilter}")
        proc = subprocess.run(
            [*cmd, str(src)], capture_output=True, text=True, timeout=300, check=False
        )
    assert proc.returncode == 0, proc.stderr


_ALL_SHEETS_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def _libreoffice_cells(path: Path, outdir: Path) -> dict[str, list[list[str]]]:
    """What LibreOffice reads in a workbook: every sheet exported by it as CSV."""
    outdir.mkdir()
    _soffice(path, _ALL_SHEETS_CSV, outdir)
    sheets = {}
    for f in sorted(outdir.glob(f"{path.stem}-*.csv")):
        sheets[f.stem[len(path.stem) + 1 :]] = _csv_rows(f)
    return sheets


def _exports(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    roster = load_roster(EXAMPLE_ROSTER)
    layouts = [GUARD_CENSUS, SCHOOL_CENSUS]
    with contextlib.suppress(pytest.skip.Exception):  # the plugin may not be installed
        layouts.append(_zhengzhou_manager()[1])
    for layout in layouts:
        for suffix in (".xlsx", ".csv"):
            path = tmp_path / f"{layout.id}{suffix}"
            write_census(roster, path, layout=layout, on=ON, show_personal_data=True)
            yield layout.id, path


@needs_libreoffice
def test_libreoffice_reads_every_export_cell_for_cell(tmp_path: Path) -> None:
    for form_id, path in _exports(tmp_path):
        if path.suffix == ".xlsx":
            ours = _cells(path)
            theirs = _libreoffice_cells(path, tmp_path / f"lo-{form_id}")
            assert theirs == ours, form_id
            continue
        # A CSV opened as UTF-8 with every column as text, saved by LibreOffice as XLSX.
        width = max(len(r) for r in _csv_rows(path))
        types = "/".join(f"{i}/2" for i in range(1, width + 1))
        outdir = tmp_path / f"lo-{form_id}-csv"
        _soffice(path, "xlsx", outdir, infilter=f"CSV:44,34,76,1,{types}")
        (sheet,) = _cells(outdir / f"{path.stem}.xlsx").values()
        assert sheet == _csv_rows(path), form_id


@needs_libreoffice
def test_a_form_saved_again_by_libreoffice_imports_unchanged(tmp_path: Path) -> None:
    roster = load_roster(EXAMPLE_ROSTER)
    ours = tmp_path / "ours.xlsx"
    write_census(roster, ours, show_personal_data=True)
    outdir = tmp_path / "lo"
    _soffice(ours, "xlsx:Calc MS Excel 2007 XML", outdir)
    resaved = outdir / "ours.xlsx"
    assert resaved.read_bytes() != ours.read_bytes()
    assert import_census(resaved, into=roster, layouts=[GUARD_CENSUS]).roster == roster


# A form filled in by hand: written as a flat ODS (the XML a spreadsheet program saves),
# turned into XLSX by LibreOffice, never touched by our writer.

COVERED = object()


@attrs.frozen
class Span:
    value: object
    cols: int = 1
    rows: int = 1


@attrs.frozen
class Date:
    value: dt.date


def _fods(sheets: dict[str, list[list[object]]]) -> str:
    def cell(v: object) -> str:
        attrs_ = ""
        if isinstance(v, Span):
            attrs_ = (
                f' table:number-columns-spanned="{v.cols}" table:number-rows-spanned="{v.rows}"'
            )
            v = v.value
        if v is COVERED:
            return "<table:covered-table-cell/>"
        if v is None or v == "":
            return f"<table:table-cell{attrs_}/>"
        if isinstance(v, Date):
            iso = v.value.isoformat()
            return (
                f'<table:table-cell{attrs_} table:style-name="date" office:value-type="date" '
                f'office:date-value="{iso}"><text:p>{iso}</text:p></table:table-cell>'
            )
        if isinstance(v, int | float):
            return (
                f'<table:table-cell{attrs_} office:value-type="float" office:value="{v}">'
                f"<text:p>{v}</text:p></table:table-cell>"
            )
        return (
            f'<table:table-cell{attrs_} office:value-type="string">'
            f"<text:p>{escape(str(v))}</text:p></table:table-cell>"
        )

    body = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join(
            "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>"
            for row in rows
        )
        + "</table:table>"
        for name, rows in sheets.items()
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document
 xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles>
 <number:date-style style:name="ymd"><number:year number:style="long"/><number:text>-</number:text>
 <number:month number:style="long"/><number:text>-</number:text>
 <number:day number:style="long"/></number:date-style>
 <style:style style:name="date" style:family="table-cell" style:data-style-name="ymd"/>
</office:automatic-styles>
<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body>
</office:document>
"""


def _hand_made(extra_header: Sequence[object] = ()) -> dict[str, list[list[object]]]:
    fullwidth = ID_M.value.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    x_id = ID_F
    serial = (ID_M2.birth_date - dt.date(1899, 12, 30)).days
    c = COVERED
    return {
        "Sheet1": [
            [Span("郑州市中小学幼儿园保安员基本情况调查表", cols=10), *[c] * 9],
            [
                Span("填报单位：郑州市第一中学 ", cols=4),
                c,
                c,
                c,
                "联系人及联系方式：",
                Span("张老师\u300013812345678", cols=2),
                c,
                "签字（盖章）：",
                *extra_header,
            ],
            [
                Span("序号", rows=2),
                Span("姓 名", rows=2),
                Span("性别", rows=2),
                Span("民族", rows=2),
                Span("身份证号码", rows=2),
                Span("保安员证编号", rows=2),
                Span("保安服务企业", cols=3),
                c,
                c,
                Span("出生日期", rows=2),
            ],
            [c, c, c, c, c, c, "名称", "性质", "属地公安机关", c],
            [
                1,
                "王建国 ",
                "男",
                "汉族",
                fullwidth,
                "豫公保 2019 0001",
                "郑州市保安服务有限公司",
                "国有",
                "郑州市公安局",
                Date(ID_M.birth_date),
            ],
            [
                2,
                "李秀英",
                "女",
                "回族",
                x_id.value.lower(),
                "无",
                "郑州市保安服务有限公司",
                "",
                "",
                None,
            ],
            [
                3,
                "赵大海",
                "男",
                "汉族",
                f"{ID_M2.value[:6]} {ID_M2.value[6:]}",
                "",
                "",
                "",
                "",
                serial,
            ],
            [4],
            [5],
            [],
            ["注：一人一行，身份证号码请设为文本格式。"],
            [],
        ],
        "Sheet2": [],
    }


def _check_hand_made(roster: Roster) -> None:
    (school,) = roster.schools
    assert school.name == "郑州市第一中学" and school.contact == "张老师 13812345678"
    assert [(g.id_number, g.name, g.gender) for g in school.guards] == [
        (ID_M, "王建国", Gender.MALE),
        (ID_F, "李秀英", Gender.FEMALE),
        (ID_M2, "赵大海", Gender.MALE),
    ]
    wang, li, zhao = school.guards
    assert wang.certificate_number == "豫公保20190001" and li.certificate_number is None
    assert wang.company_id == li.company_id == company_id_for("郑州市保安服务有限公司")
    assert zhao.company_id is None
    (company,) = roster.companies
    assert (company.nature, company.police_authority) == ("国有", "郑州市公安局")


@needs_libreoffice
def test_a_form_filled_in_by_hand_imports_and_checks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fods = tmp_path / "hand.fods"
    fods.write_text(_fods(_hand_made()), "utf-8")
    for fmt in ("xlsx", "ods", "xls"):
        _soffice(fods, fmt, tmp_path)
        made = tmp_path / f"hand.{fmt}"
        assert made.exists()
        result = import_census(made, region_code="410102", kind="secondary", layouts=[GUARD_CENSUS])
        _check_hand_made(result.roster)
    hand = tmp_path / "hand.xlsx"
    raw = CalamineWorkbook.from_path(str(hand)).get_sheet_by_name("Sheet1").to_python()
    assert isinstance(raw[4][9], dt.date) and isinstance(raw[6][9], float)  # both date forms
    roster_json = tmp_path / "roster.json"
    code, _, err = cli(
        capsys,
        "import",
        str(hand),
        "-o",
        str(roster_json),
        "--region-code",
        "410102",
        "--kind",
        "secondary",
    )
    assert code == 0, err
    code, out, _ = cli(capsys, "check", str(roster_json), "--on", "2024-11-20", "-v")
    assert code == 1  # the company's permit is not on the form: licensed-company fails
    assert "zhengzhou." in out or "郑" in out


@needs_libreoffice
def test_check_reads_a_hand_made_form_that_states_its_region(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fods = tmp_path / "stated.fods"
    fods.write_text(_fods(_hand_made(["行政区划代码：410102", "学校类别：中学"])), "utf-8")
    _soffice(fods, "xlsx", tmp_path)
    code, out, err = cli(
        capsys, "check", str(tmp_path / "stated.xlsx"), "--on", "2024-11-20", "--format", "json"
    )
    assert code == 1, err
    assert "zhengzhou.guard-certified" in out


@needs_libreoffice
def test_a_hand_made_form_with_errors_lists_them_all(tmp_path: Path) -> None:
    sheets = _hand_made()
    rows = sheets["Sheet1"]
    rows[4][2] = "女"  # disagrees with the ID number
    rows[5][4] = float(ID_F.value[:17] + "0")  # typed as a number: digits lost
    rows[6][9] = Date(dt.date(1999, 1, 1))  # disagrees with the ID number
    rows[7] = [4, "", "男"]  # no name, no ID number
    fods = tmp_path / "errors.fods"
    fods.write_text(_fods(sheets), "utf-8")
    _soffice(fods, "xlsx", tmp_path)
    with pytest.raises(RosterError) as exc:
        import_census(
            tmp_path / "errors.xlsx", region_code="410102", kind="primary", layouts=[GUARD_CENSUS]
        )
    assert set(_problems(exc)) == {
        "Sheet1!C5",
        "Sheet1!E6",
        "Sheet1!J7",
        "Sheet1!B8",
        "Sheet1!E8",
    }
    assert all(p.source == str(tmp_path / "errors.xlsx") for p in exc.value.problems)
