"""Record sources: the hook, the table reader, merging records into a roster, the CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import rosters

from campus_security.cli import run
from campus_security.errors import RosterError
from campus_security.formats import dumps_roster, load_roster, loads_roster
from campus_security.model import (
    BackgroundCheck,
    BackgroundFlag,
    CreditCode,
    Provenance,
    RegistryStatus,
    Roster,
    Text,
)
from campus_security.plugins import PluginManager
from campus_security.record_sources import (
    BackgroundReview,
    RecordSource,
    RegisteredCompany,
    RegisteredGuard,
    SourceRead,
)
from campus_security.record_sources.merge import ChangeKind, merge_records, read_sources
from campus_security.record_sources.tables import (
    Cells,
    Column,
    TableError,
    cell_date,
    column_letter,
    read_tables,
)
from campus_security.sdk import hookimpl
from campus_security.testing import make_company, make_guard, make_roster, make_school

AT = dt.datetime(2024, 11, 19, 8, 0, tzinfo=dt.UTC)
PROV = Provenance("registry", "export.xlsx", AT)
ON = dt.date(2024, 11, 20)


def _reg(guard: Any, number: str | None = None, status: RegistryStatus = RegistryStatus.VALID):
    return RegisteredGuard(
        guard.id_number,
        guard.name,
        number if number is not None else guard.certificate_number,
        status,
        PROV,
        "某市公安局",
        dt.date(2019, 3, 1),
        where="保安员!row 3",
    )


def _roster(*guards: Any) -> Roster:
    return make_roster(make_school(id="S1", guards=guards))


# --- merging the registry's guards ------------------------------------------------------


def test_a_valid_registered_certificate_is_recorded_as_verified() -> None:
    g = make_guard(on=ON, certificate_number="C-1")
    out = merge_records(_roster(g), [_reg(g)])
    merged = out.roster.schools[0].guards[0]
    assert merged.registry_check is not None
    assert merged.registry_check.status is RegistryStatus.VALID
    assert merged.registry_check.source == PROV
    assert merged.registry_check.issued_by == "某市公安局"
    assert merged.certificate_valid
    assert [c.kind for c in out.changes] == [ChangeKind.UPDATED]


@pytest.mark.parametrize("status", [RegistryStatus.REVOKED, RegistryStatus.SUSPENDED])
def test_a_revoked_or_suspended_certificate_is_not_valid(status: RegistryStatus) -> None:
    g = make_guard(on=ON, certificate_number="C-1")
    merged = merge_records(_roster(g), [_reg(g, status=status)]).roster.schools[0].guards[0]
    assert merged.certified and not merged.certificate_valid
    assert merged.registry_check is not None and merged.registry_check.status is status


def test_an_empty_certificate_number_is_filled_from_the_registry_and_reported() -> None:
    g = make_guard(on=ON, certificate_number=None)
    out = merge_records(_roster(g), [_reg(g, number="C-9")])
    merged = out.roster.schools[0].guards[0]
    assert merged.certificate_number == "C-9"
    assert merged.certificate_valid
    (change,) = out.of(ChangeKind.UPDATED)
    assert change.path == "schools[0].guards[0].certificate_number"
    assert "C-9" in change.message.en and "C-9" in change.message.zh


def test_a_different_number_is_a_conflict_and_the_roster_keeps_its_own() -> None:
    g = make_guard(on=ON, certificate_number="C-1")
    out = merge_records(_roster(g), [_reg(g, number="C-2")])
    merged = out.roster.schools[0].guards[0]
    assert merged.certificate_number == "C-1"  # never overwritten in silence
    assert merged.registry_check is not None
    assert merged.registry_check.status is RegistryStatus.NUMBER_MISMATCH
    assert merged.registry_check.registered_number == "C-2"
    assert not merged.certificate_valid
    (conflict,) = out.of(ChangeKind.CONFLICT)
    assert conflict.path.endswith("certificate_number")
    assert conflict.record == "export.xlsx: 保安员!row 3"


def test_a_number_the_registry_gives_to_another_id_number_is_a_conflict() -> None:
    mine = make_guard(on=ON, certificate_number="C-1")
    other = make_guard(on=ON, certificate_number="C-1")
    out = merge_records(_roster(mine), [_reg(other)])
    merged = out.roster.schools[0].guards[0]
    assert merged.registry_check is not None
    assert merged.registry_check.status is RegistryStatus.HELD_BY_ANOTHER
    (conflict,) = out.of(ChangeKind.CONFLICT)
    # The other person's ID number is named masked, never in full.
    assert other.id_number.value not in str(conflict)
    assert other.id_number.masked in conflict.message.en
    assert len(out.of(ChangeKind.UNMATCHED)) == 1


def test_a_guard_the_registry_does_not_know_is_a_conflict_recorded_as_not_registered() -> None:
    known = make_guard(on=ON, certificate_number="C-1")
    unknown = make_guard(on=ON, certificate_number="C-7")
    out = merge_records(_roster(known, unknown), [_reg(known)])
    merged = out.roster.schools[0].guards[1]
    assert merged.registry_check is not None
    assert merged.registry_check.status is RegistryStatus.NOT_REGISTERED
    assert merged.registry_check.source == PROV
    assert not merged.certificate_valid
    assert [c.path for c in out.of(ChangeKind.CONFLICT)] == ["schools[0].guards[1].registry_check"]
    assert unknown.id_number.value not in str(out.changes)


def test_pulling_the_same_export_twice_changes_nothing_the_second_time() -> None:
    g = make_guard(on=ON, certificate_number="C-1")
    once = merge_records(_roster(g), [_reg(g)])
    twice = merge_records(once.roster, [_reg(g)])
    assert twice.roster == once.roster
    assert [c.kind for c in twice.changes] == [ChangeKind.UNCHANGED]


def test_a_newer_export_replaces_an_older_check_and_says_so() -> None:
    g = make_guard(on=ON, certificate_number="C-1")
    once = merge_records(_roster(g), [_reg(g)]).roster
    later = attrs.evolve(
        _reg(g, status=RegistryStatus.REVOKED),
        source=attrs.evolve(PROV, retrieved_at=AT + dt.timedelta(days=30)),
    )
    out = merge_records(once, [later])
    (change,) = out.changes
    assert change.kind is ChangeKind.UPDATED
    assert "valid" in change.message.en and "revoked" in change.message.en


# --- companies -------------------------------------------------------------------------

CODE = CreditCode("91350100M000100Y43")


def test_companies_are_matched_by_credit_code_then_by_name() -> None:
    by_code = make_company(id="a", name="甲保安公司", credit_code=CODE, permit_number="P-1")
    by_name = make_company(id="b", name="乙保安公司", permit_number=None)
    stranger = make_company(id="c", name="丙保安公司", permit_number="P-3")
    roster = make_roster(make_school(), companies=[by_code, by_name, stranger])
    records = [
        RegisteredCompany("甲 保安公司（改名）", RegistryStatus.REVOKED, PROV, CODE, "P-1"),
        RegisteredCompany("乙保安公司", RegistryStatus.VALID, PROV, None, "P-2"),
    ]
    out = merge_records(roster, records)
    a, b, c = out.roster.companies
    assert a.registry_check is not None and a.registry_check.status is RegistryStatus.REVOKED
    assert a.licensed and not a.permit_valid
    assert b.permit_number == "P-2" and b.permit_valid  # filled: the roster had none
    assert c.registry_check is not None
    assert c.registry_check.status is RegistryStatus.NOT_REGISTERED
    assert [x.path for x in out.of(ChangeKind.CONFLICT)] == ["companies[2].registry_check"]


def test_a_different_permit_number_is_a_conflict_and_the_roster_keeps_its_own() -> None:
    company = make_company(permit_number="P-1")
    roster = make_roster(make_school(), companies=[company])
    out = merge_records(
        roster, [RegisteredCompany(company.name, RegistryStatus.VALID, PROV, None, "P-2")]
    )
    (merged,) = out.roster.companies
    assert merged.permit_number == "P-1"
    assert merged.registry_check is not None
    assert merged.registry_check.status is RegistryStatus.NUMBER_MISMATCH
    assert not merged.permit_valid


# --- background reviews ------------------------------------------------------------------


def _review(guard: Any, on: dt.date, *flags: BackgroundFlag) -> BackgroundReview:
    check = BackgroundCheck(
        on, frozenset(flags), "某县公安局", attrs.evolve(PROV, source="background")
    )
    return BackgroundReview(guard.id_number, check, where="审查结果!row 2")


def test_background_reviews_become_checks_with_their_source() -> None:
    g = make_guard(on=ON)
    out = merge_records(_roster(g), [_review(g, ON, BackgroundFlag.DRUGS)])
    (check,) = out.roster.schools[0].guards[0].background_checks
    assert check.flags == {BackgroundFlag.DRUGS}
    assert check.reviewed_by == "某县公安局"
    assert check.source is not None and check.source.source == "background"
    assert [c.kind for c in out.changes] == [ChangeKind.ADDED]


def test_a_review_already_in_the_roster_is_not_added_twice() -> None:
    g = make_guard(on=ON, background_checks=(BackgroundCheck(ON),))
    out = merge_records(_roster(g), [_review(g, ON)])
    assert out.roster.schools[0].guards[0].background_checks == (BackgroundCheck(ON),)
    assert [c.kind for c in out.changes] == [ChangeKind.UNCHANGED]


def test_a_review_of_the_same_day_with_other_findings_is_kept_beside_and_reported() -> None:
    g = make_guard(on=ON, background_checks=(BackgroundCheck(ON),))
    out = merge_records(_roster(g), [_review(g, ON, BackgroundFlag.CRIMINAL_RECORD)])
    merged = out.roster.schools[0].guards[0]
    assert len(merged.background_checks) == 2
    last = merged.latest_background_check(ON)
    assert last is not None and BackgroundFlag.CRIMINAL_RECORD in last.flags
    assert [c.kind for c in out.changes] == [ChangeKind.CONFLICT]


def test_a_review_of_someone_not_in_the_roster_is_reported_unmatched_and_masked() -> None:
    g, stranger = make_guard(on=ON), make_guard(on=ON)
    out = merge_records(_roster(g), [_review(stranger, ON)])
    assert out.roster == _roster(g)
    (c,) = out.changes
    assert c.kind is ChangeKind.UNMATCHED
    assert stranger.id_number.value not in str(c) and stranger.id_number.masked in str(c)


def test_records_of_an_unknown_type_are_reported_not_merged() -> None:
    g = make_guard(on=ON)
    out = merge_records(_roster(g), ["not a record"])
    assert out.roster == _roster(g)
    assert "str" in out.problems[0].message.en


# --- properties --------------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(roster=rosters(max_schools=3), data=st.data())
def test_a_registry_of_the_roster_itself_verifies_every_certified_guard(
    roster: Roster, data: st.DataObject
) -> None:
    guards = {g.id_number: g for s in roster.schools for g in s.guards if g.certificate_number}
    records = [_reg(g) for g in guards.values()]
    if not records:
        return
    out = merge_records(roster, records)
    for s_before, s_after in zip(roster.schools, out.roster.schools, strict=True):
        for before, after in zip(s_before.guards, s_after.guards, strict=True):
            # Nothing the roster held was overwritten...
            assert after.certificate_number == before.certificate_number
            assert attrs.evolve(after, registry_check=before.registry_check) == before
            # ...and every guard was judged against the registry.
            assert after.registry_check is not None
            if before.certificate_number:
                assert after.registry_check.status in (
                    RegistryStatus.VALID,
                    RegistryStatus.NUMBER_MISMATCH,
                )
            if not before.certificate_number:
                assert after.registry_check.status is RegistryStatus.NOT_REGISTERED
    # The merged roster round-trips through the roster format.
    assert loads_roster(dumps_roster(out.roster)) == out.roster


# --- reading sources, isolated -------------------------------------------------------------


def _source(name: str, read: Any) -> RecordSource:
    return RecordSource(name, Text("测试", "test"), Text("列", "columns"), read, (".xlsx",))


def test_a_source_that_raises_is_reported_and_the_others_are_read() -> None:
    g = make_guard(on=ON, certificate_number="C-1")

    def broken(location: str, prov: Provenance) -> SourceRead:
        raise ZeroDivisionError("boom")

    def good(location: str, prov: Provenance) -> SourceRead:
        return SourceRead([attrs.evolve(_reg(g), source=prov)])

    def wrong(location: str, prov: Provenance) -> Any:
        return [1, 2]

    records, problems, failed = read_sources(
        [
            (_source("broken", broken), "a.xlsx"),
            (_source("good", good), "b.xlsx"),
            (_source("wrong", wrong), "c.xlsx"),
        ],
        at=AT,
    )
    assert failed == 2
    assert len(records) == 1 and records[0].source == Provenance("good", "b.xlsx", AT)
    assert [p.source for p in problems] == ["a.xlsx", "c.xlsx"]
    assert "broken" in problems[0].message.en and "ZeroDivisionError" in problems[0].message.zh


class _GoodPlugin:
    @hookimpl
    def campus_security_record_sources(self) -> list[RecordSource]:
        return [_source("good", lambda loc, prov: SourceRead())]


class _BrokenPlugin:
    @hookimpl
    def campus_security_record_sources(self) -> list[RecordSource]:
        raise RuntimeError("broken plugin")


class _DupePlugin:
    @hookimpl
    def campus_security_record_sources(self) -> list[Any]:
        return [_source("good", lambda loc, prov: SourceRead())]


class _WrongTypePlugin:
    @hookimpl
    def campus_security_record_sources(self) -> list[Any]:
        return ["registry"]


def test_the_plugin_manager_isolates_each_plugins_record_sources() -> None:
    pm = PluginManager(load_entrypoints=False)
    pm.register(_BrokenPlugin(), "broken")
    pm.register(_GoodPlugin(), "good-plugin")
    pm.register(_DupePlugin(), "dupe")
    pm.register(_WrongTypePlugin(), "wrong")
    assert [s.name for s in pm.record_sources()] == ["good"]
    failures = {f.plugin: f for f in pm.failures}
    assert set(failures) == {"broken", "dupe", "wrong"}
    assert "RuntimeError" in failures["broken"].message.en
    assert "good-plugin" in failures["dupe"].message.en


def test_the_installed_registry_source_is_found() -> None:
    assert "registry" in [s.name for s in PluginManager().record_sources()]


# --- tables ----------------------------------------------------------------------------------

COLUMNS = (
    Column("name", ("姓名", "name"), en="name"),
    Column("on", ("日期", "date"), en="date"),
    Column("note", ("备注",), required=False, en="note"),
)


def test_the_header_is_found_below_a_title_and_cells_are_named(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append(["某某导出 2024"])
    ws.append([])
    ws.append(["备注", "日期\ndate", "姓 名"])
    ws.append(["x", dt.datetime(2024, 3, 1), "张三"])
    ws.append([None, "2024年3月2日", "李四"])
    ws.append([None, "not a date", None])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    (table,), problems = read_tables(path, {"t": COLUMNS})
    assert problems == []
    rows = table.rows
    assert [r.number for r in rows] == [4, 5, 6]
    cells = [Cells(r, COLUMNS, str(path)) for r in rows]
    assert cells[0].date("on") == dt.date(2024, 3, 1) and cells[0].text("name") == "张三"
    assert cells[1].date("on") == dt.date(2024, 3, 2)
    assert cells[2].text("name") is None and cells[2].date("on") is None
    assert [p.path for p in cells[2].problems] == ["名单!C6", "名单!B6"]
    assert cells[2].problems[0].message == Text("姓名：不能为空", "name: must not be empty")
    assert cells[2].problems[1].source == str(path)
    assert "not a date" in cells[2].problems[1].message.en


def test_csv_in_gb18030_reads(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("姓名,日期\n王五,2024/05/06\n".encode("gb18030"))
    (table,), problems = read_tables(path, {"t": COLUMNS})
    assert problems == []
    assert table.rows[0].get("name") == "王五"
    assert table.rows[0].where("on") == "t!B2"


def test_a_sheet_without_the_headers_is_reported_not_skipped(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("foo,bar\n1,2\n", encoding="utf-8")
    tables, problems = read_tables(path, {"t": COLUMNS})
    assert tables == []
    (p,) = problems
    assert p.path == "t!row 1" and "姓名" in p.message.zh and "name" in p.message.en


@pytest.mark.parametrize(("name", "content"), [("t.txt", b"x"), ("t.xlsx", b"not a zip")])
def test_unreadable_files_raise_a_table_error_naming_the_file(
    tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(TableError) as exc:
        read_tables(path, {"t": COLUMNS})
    assert exc.value.problem.source == str(path)


def test_column_letters_and_dates() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]
    assert cell_date("2024.02.29") == dt.date(2024, 2, 29)
    with pytest.raises(ValueError):
        cell_date("2023-02-29")


# --- the command line ------------------------------------------------------------------------


def _registry_xlsx(path: Path, rows: list[list[Any]]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "保安员"
    ws.append(["姓名", "身份证号码", "保安员证编号", "证件状态"])
    for r in rows:
        ws.append(r)
    wb.save(path)


def test_sources_lists_the_installed_sources_and_their_layouts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["sources"]) == 0
    out = capsys.readouterr().out
    assert "registry" in out and "身份证号码" in out and "ID number" in out
    assert run(["sources", "--format", "json"]) == 0
    assert '"name": "registry"' in capsys.readouterr().out


def test_pull_merges_reports_and_writes_atomically(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    g = make_guard(on=ON, certificate_number="C-1")
    h = make_guard(on=ON, certificate_number="C-2")
    roster_path = tmp_path / "roster.json"
    roster_path.write_bytes(dumps_roster(_roster(g, h)))
    export = tmp_path / "reg.xlsx"
    _registry_xlsx(export, [[g.name, g.id_number.value, "C-1", "吊销"]])
    out, report = tmp_path / "out.json", tmp_path / "report.json"
    code = run(
        [
            "pull",
            "registry",
            str(export),
            "--into",
            str(roster_path),
            "-o",
            str(out),
            "--report",
            str(report),
        ]
    )
    assert code == 1  # h is not registered: a conflict
    err = capsys.readouterr().err
    merged = load_roster(out)
    first, second = merged.schools[0].guards
    assert (
        first.registry_check is not None and first.registry_check.status is RegistryStatus.REVOKED
    )
    assert (
        second.registry_check is not None
        and second.registry_check.status is RegistryStatus.NOT_REGISTERED
    )
    for text in (err, report.read_text(encoding="utf-8")):
        assert g.id_number.value not in text and h.id_number.value not in text
        assert h.id_number.masked in text
    assert "冲突" in err and "conflict" in err
    assert not list(tmp_path.glob(".*"))  # no temporary file left behind


def test_pull_with_nothing_readable_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster_path = tmp_path / "roster.json"
    roster_path.write_bytes(dumps_roster(_roster(make_guard(on=ON))))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    out = tmp_path / "out.json"
    assert run(["pull", "registry", str(bad), "--into", str(roster_path), "-o", str(out)]) == 2
    assert not out.exists()
    assert "bad.xlsx" in capsys.readouterr().err


def test_pull_reads_the_good_files_when_one_is_broken(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    g = make_guard(on=ON, certificate_number="C-1")
    roster_path = tmp_path / "roster.json"
    roster_path.write_bytes(dumps_roster(_roster(g)))
    good = tmp_path / "good.xlsx"
    _registry_xlsx(good, [[g.name, g.id_number.value, "C-1", "有效"]])
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"broken")
    out = tmp_path / "out.json"
    assert (
        run(["pull", "registry", str(bad), str(good), "--into", str(roster_path), "-o", str(out)])
        == 1
    )
    assert load_roster(out).schools[0].guards[0].certificate_valid
    assert "bad.xlsx" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["pull", "nosuch", "x.xlsx"], "nosuch"),
        (["pull", "registry", "x.pdf"], "x.pdf"),
    ],
)
def test_pull_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    roster_path = tmp_path / "roster.json"
    roster_path.write_bytes(dumps_roster(_roster()))
    code = run([*args, "--into", str(roster_path), "-o", str(tmp_path / "o.json")])
    assert code == 2
    assert says in capsys.readouterr().err


def test_pull_into_a_bad_roster_reports_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster_path = tmp_path / "roster.json"
    roster_path.write_text("{}", encoding="utf-8")
    export = tmp_path / "reg.xlsx"
    _registry_xlsx(export, [])
    assert (
        run(
            [
                "pull",
                "registry",
                str(export),
                "--into",
                str(roster_path),
                "-o",
                str(tmp_path / "o.json"),
            ]
        )
        == 2
    )
    assert "format" in capsys.readouterr().err
    with pytest.raises(RosterError):
        load_roster(roster_path)


_BOMB_CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from campus_security.record_sources.tables import Column, TableError, read_tables
try:
    read_tables(sys.argv[1], {"guards": [Column("name", ("姓名",))]})
except TableError as exc:
    print(exc.problem.path)
    print(exc.problem.message.en)
"""


def test_a_spreadsheet_bomb_is_refused_by_the_table_reader(tmp_path: Path) -> None:
    """Issue 12: the record sources read spreadsheets within the census forms' limits.

    One cell at XFD1048576 made the spreadsheet library allocate 512 GB and abort the
    process; the table reader must refuse it, naming the cell, before reading it. The
    reader runs in a child process with 1 GiB of address space, so a regression fails
    this test instead of killing the test run.
    """
    import subprocess
    import sys

    bomb = tmp_path / "registry.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "保安员"
    ws["A1"] = "姓名"
    ws["XFD1048576"] = "y"
    wb.save(bomb)
    assert bomb.stat().st_size < 20_000
    proc = subprocess.run(
        [sys.executable, "-c", _BOMB_CHILD, str(bomb)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    path, message = proc.stdout.splitlines()
    assert path == "保安员!XFD1048576"
    assert "limit" in message


def test_pull_school_merges_into_that_school_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    g = make_guard(on=ON, certificate_number="C-1")
    h = make_guard(on=ON, certificate_number="C-2")
    roster = make_roster(
        make_school(id="S1", name="一小", guards=[g]), make_school(id="S2", name="二小", guards=[h])
    )
    roster_path = tmp_path / "roster.json"
    roster_path.write_bytes(dumps_roster(roster))
    export = tmp_path / "reg.xlsx"
    _registry_xlsx(
        export,
        [[g.name, g.id_number.value, "C-1", "吊销"], [h.name, h.id_number.value, "C-2", "吊销"]],
    )
    out = tmp_path / "out.json"
    args = ["pull", "registry", str(export), "--into", str(roster_path), "-o", str(out)]
    assert run([*args, "--school", "S2"]) == 0
    s1, s2 = load_roster(out).schools
    assert s1 == roster.schools[0]  # the other school is left as it was
    check = s2.guards[0].registry_check
    assert check is not None and check.status is RegistryStatus.REVOKED
    patrols = tmp_path / "patrol.csv"
    patrols.write_text(
        "学校,巡查时间,巡查部位\nS1,2024-11-18 22:31,学生宿舍\n二小,2024-11-18 23:00,食堂\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    code = run(
        ["pull", "patrol", str(patrols), "--into", str(out), "-o", str(out), "--school", "S2"]
    )
    assert code == 0
    assert "skipped 1 record" in capsys.readouterr().err
    s1, s2 = load_roster(out).schools
    assert not s1.school_patrols and len(s2.school_patrols) == 1
    assert run([*args, "--school", "S9"]) == 2
    assert "S9" in capsys.readouterr().err
