"""The registry source: realistic exports read, bad rows reported, verdicts that change."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from campus_security_registry import SOURCE, read

import campus_security as cs
from campus_security.model import Provenance, RegistryStatus, Roster
from campus_security.record_sources import RegisteredCompany, RegisteredGuard
from campus_security.record_sources.merge import merge_records

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "roster.json"
ON = dt.date(2024, 11, 20)
AT = dt.datetime(2024, 11, 19, 9, 30, tzinfo=dt.UTC)

GUARD_HEAD = [
    "序号",
    "姓名",
    "性别",
    "公民身份号码",
    "保安员证号",
    "发证机关",
    "证件状态",
    "发证日期",
]
COMPANY_HEAD = ["序号", "单位名称", "统一社会信用代码", "保安服务许可证号", "许可证状态"]


def _guard_rows(roster: Roster, status: dict[str, str]) -> list[list[Any]]:
    """One row per certified guard of the roster, as the registry exports it."""
    rows = []
    for s in roster.schools:
        for g in s.guards:
            if g.certificate_number:
                rows.append(
                    [
                        len(rows) + 1,
                        g.name,
                        g.gender.zh,
                        g.id_number.value,
                        g.certificate_number,
                        f"{s.region_code.value[:4]}00 公安局",
                        status.get(g.name, "有效"),
                        dt.datetime(2018, 6, 1),
                    ]
                )
    return rows


def _company_rows(roster: Roster, status: dict[str, str]) -> list[list[Any]]:
    return [
        [k + 1, c.name, None, c.permit_number, status.get(c.name, "有效")]
        for k, c in enumerate(roster.companies)
        if c.permit_number
    ]


def export_xlsx(path: Path, roster: Roster, **status: str) -> Path:
    """A registry export as the system writes it: a title row, two sheets."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "保安员信息"
    ws.append(["保安员证信息查询结果（导出时间：2024-11-19 17:30）"])
    ws.append(GUARD_HEAD)
    for row in _guard_rows(roster, status):
        ws.append(row)
        ws.cell(ws.max_row, 8).number_format = "yyyy-mm-dd"
    ws2 = wb.create_sheet("保安服务公司")
    ws2.append(COMPANY_HEAD)
    for row in _company_rows(roster, status):
        ws2.append(row)
    wb.save(path)
    return path


def export_csv(path: Path, rows: list[list[Any]], head: list[str]) -> Path:
    with path.open("w", encoding="gb18030", newline="") as f:
        w = csv.writer(f)
        w.writerow(head)
        for r in rows:
            w.writerow([x.date().isoformat() if isinstance(x, dt.datetime) else x for x in r])
    return path


def _pull(roster: Roster, path: Path) -> Roster:
    got = read(str(path), Provenance("registry", str(path), AT))
    assert got.problems == ()
    return merge_records(roster, got.records).roster


def _finding(report: cs.Report, school: str, rule: str) -> cs.Finding:
    return next(f for f in report.findings if f.school_id == school and f.rule_id == rule)


@pytest.fixture(scope="module")
def example() -> Roster:
    return cs.load_roster(EXAMPLE)


def test_an_xlsx_export_reads_every_row(tmp_path: Path, example: Roster) -> None:
    path = export_xlsx(tmp_path / "reg.xlsx", example)
    got = read(str(path), Provenance("registry", str(path), AT))
    assert got.problems == ()
    guards = [r for r in got.records if isinstance(r, RegisteredGuard)]
    companies = [r for r in got.records if isinstance(r, RegisteredCompany)]
    assert len(guards) == len(_guard_rows(example, {}))
    assert len(companies) == len(_company_rows(example, {}))
    first = guards[0]
    assert first.where == "保安员信息!row 3"
    assert first.issued_on == dt.date(2018, 6, 1) and first.issued_by == "130900 公安局"
    assert first.status is RegistryStatus.VALID and first.source.retrieved_at == AT


def test_a_csv_export_in_gb18030_reads(tmp_path: Path, example: Roster) -> None:
    path = export_csv(tmp_path / "guards.csv", _guard_rows(example, {}), GUARD_HEAD)
    got = read(str(path), Provenance("registry", str(path), AT))
    assert got.problems == ()
    assert len(got.records) == len(_guard_rows(example, {}))


def test_bad_rows_are_reported_with_file_cell_and_column_and_the_rest_read(
    tmp_path: Path, example: Roster
) -> None:
    rows = _guard_rows(example, {})[:4]
    rows[1][3] = "130902198203240089"  # wrong check digit
    rows[2][6] = "作废?"  # no such status
    rows[3][7] = "去年"  # not a date
    path = export_csv(tmp_path / "guards.csv", rows, GUARD_HEAD)
    got = read(str(path), Provenance("registry", str(path), AT))
    assert len(got.records) == 1  # the good row
    where = [(p.source, p.path) for p in got.problems]
    assert where == [(str(path), "guards!D3"), (str(path), "guards!G4"), (str(path), "guards!H5")]
    for p in got.problems:
        assert p.message.zh and p.message.en and p.message.zh != p.message.en
    assert got.problems[0].message.zh.startswith("身份证号码")
    assert "status" in got.problems[1].message.en and "有效" in got.problems[1].message.zh
    assert "130902198203240089" not in " ".join(str(p) for p in got.problems)


def test_the_source_lists_its_layout() -> None:
    assert SOURCE.name == "registry"
    assert "保安员证编号" in SOURCE.layout.zh and "certificate number" in SOURCE.layout.en
    assert SOURCE.reads("x.XLSX") and SOURCE.reads("x.csv") and not SOURCE.reads("x.pdf")


# --- verdicts that change because of pulled data --------------------------------------------

CERTIFICATE_RULES = [
    ("CA001", "cangzhou.guard-certified"),
    ("JI001", "jiangsu.guard-certificate"),
    ("LO001", "loudi.certified-guards"),
    ("PU001", "pucheng.guard-certified"),
]


@pytest.mark.parametrize(("school_id", "rule_id"), CERTIFICATE_RULES)
def test_a_revoked_certificate_fails_a_rule_that_passed_and_cites_the_export(
    tmp_path: Path, example: Roster, school_id: str, rule_id: str
) -> None:
    before = _finding(cs.check(example, on=ON), school_id, rule_id)
    assert before.status is cs.Status.PASS
    school = next(s for s in example.schools if s.id == school_id)
    revoked = school.guards[0]
    path = export_xlsx(tmp_path / "reg.xlsx", example, **{revoked.name: "吊销"})
    after = _finding(cs.check(_pull(example, path), on=ON), school_id, rule_id)
    assert after.status is cs.Status.FAIL
    assert revoked.name in after.message.zh and "已吊销" in after.message.zh
    assert "revoked" in after.message.en and str(path) in after.message.en
    (entry,) = [e for e in after.evidence["registry"] if e["status"] != "valid"]
    assert entry["name"] == revoked.name and entry["source"]["location"] == str(path)


@pytest.mark.parametrize(("school_id", "rule_id"), CERTIFICATE_RULES)
def test_a_guard_the_registry_does_not_know_fails(
    tmp_path: Path, example: Roster, school_id: str, rule_id: str
) -> None:
    school = next(s for s in example.schools if s.id == school_id)
    missing = school.guards[-1]
    roster = Roster(
        schools=example.schools,
        companies=example.companies,
    )
    rows = [r for r in _guard_rows(roster, {}) if r[3] != missing.id_number.value]
    path = export_csv(tmp_path / "guards.csv", rows, GUARD_HEAD)
    after = _finding(cs.check(_pull(roster, path), on=ON), school_id, rule_id)
    assert after.status is cs.Status.FAIL
    assert missing.name in after.message.zh and "未登记" in after.message.zh
    assert "not_registered" in after.message.en


@pytest.mark.parametrize(("school_id", "rule_id"), CERTIFICATE_RULES)
def test_a_registry_that_holds_every_certificate_keeps_the_verdict_and_says_verified(
    tmp_path: Path, example: Roster, school_id: str, rule_id: str
) -> None:
    path = export_xlsx(tmp_path / "reg.xlsx", example)
    before = _finding(cs.check(example, on=ON), school_id, rule_id)
    after = _finding(cs.check(_pull(example, path), on=ON), school_id, rule_id)
    assert after.status is before.status
    assert after.message.zh.startswith(before.message.zh)
    assert "已在保安员证登记中核验有效" in after.message.zh
    assert "verified valid in the certificate registry" in after.message.en


def test_every_verdict_is_unchanged_by_a_registry_that_agrees_with_the_roster(
    tmp_path: Path, example: Roster
) -> None:
    """Outside the certificate rules, a registry that agrees changes no finding at all."""
    # Uncertified guards are not_registered: give the registry no opinion on them.
    path = export_xlsx(tmp_path / "reg.xlsx", example)
    pulled = _pull(example, path)
    pulled = attrs.evolve(
        pulled,
        schools=[
            attrs.evolve(
                s,
                guards=[
                    g if g.certified else attrs.evolve(g, registry_check=None) for g in s.guards
                ],
            )
            for s in pulled.schools
        ],
    )
    before = {(f.school_id, f.rule_id): f.status for f in cs.check(example, on=ON).findings}
    after = {(f.school_id, f.rule_id): f.status for f in cs.check(pulled, on=ON).findings}
    assert after == before


def test_a_revoked_permit_fails_the_licensed_company_rule(tmp_path: Path, example: Roster) -> None:
    rule_id = "cangzhou.guard-licensed-company"
    assert _finding(cs.check(example, on=ON), "CA001", rule_id).status is cs.Status.PASS
    company = next(c for c in example.companies if c.id == "cz-guard")
    path = export_xlsx(tmp_path / "reg.xlsx", example, **{company.name: "吊销"})
    after = _finding(cs.check(_pull(example, path), on=ON), "CA001", rule_id)
    assert after.status is cs.Status.FAIL
    assert "permit_invalid" in {p["reason"] for p in after.evidence["problems"]}
    assert company.name in after.message.zh and "已吊销" in after.message.zh
