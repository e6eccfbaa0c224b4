"""Record source ``registry``: the police certificate registry (保安服务监管信息系统).

The registry holds every guard's national guard certificate (保安员证) and every
security company's security service permit (保安服务许可证), with their status. Its
export is read here: an XLSX workbook with a sheet of guards and a sheet of companies
(in any order, a title or note above each table is fine), or CSV files of either table
(UTF-8 or GB18030). Columns are found by their headers, in any order:

guards (保安员)
    姓名 · 身份证号码 (公民身份号码) · 保安员证编号 (保安员证号, 证件编号) · 发证机关 (optional) ·
    证件状态 (状态): 有效 / 吊销 / 暂扣 (also valid / revoked / suspended) · 发证日期 (optional)

companies (保安服务企业)
    企业名称 (单位名称) · 统一社会信用代码 (optional) · 保安服务许可证编号 (许可证号) ·
    许可证状态 (状态): 有效 / 吊销 / 暂扣

Merged into a roster (``campus-security pull registry EXPORT --into ROSTER -o OUT``),
every guard of the roster is checked against the export (by ID number, then by
certificate number) and every company (by credit code, else by name); each gets a
``registry_check`` that the certificate rules judge. Guards and companies the export
does not know are ``not_registered``: pull the export that covers the roster's region.

What it cannot verify: the export says the status on the day it was made, not since
when (a certificate revoked after the evaluation date still fails); a company matched
by name only when the roster has no credit code.
"""

from __future__ import annotations

from collections.abc import Sequence

from campus_security.sdk import (
    Cells,
    Column,
    CreditCode,
    IdNumber,
    Provenance,
    RecordSource,
    RegisteredCompany,
    RegisteredGuard,
    RegistryStatus,
    SourceRead,
    Text,
    hookimpl,
    read_tables,
)

__all__ = ["COMPANY_COLUMNS", "GUARD_COLUMNS", "SOURCE", "campus_security_record_sources", "read"]

GUARD_COLUMNS: tuple[Column, ...] = (
    Column("name", ("姓名", "name"), en="name"),
    Column("id_number", ("身份证号码", "公民身份号码", "身份证号", "ID number"), en="ID number"),
    Column(
        "certificate_number",
        ("保安员证编号", "保安员证号", "证件编号", "certificate number"),
        en="certificate number",
    ),
    Column("issued_by", ("发证机关", "issuing authority"), required=False, en="issuing authority"),
    Column("status", ("证件状态", "状态", "status"), en="status"),
    Column("issued_on", ("发证日期", "issued on"), required=False, en="issued on"),
)
COMPANY_COLUMNS: tuple[Column, ...] = (
    Column("name", ("企业名称", "单位名称", "company name", "name"), en="company name"),
    Column(
        "credit_code",
        ("统一社会信用代码", "credit code"),
        required=False,
        en="credit code",
    ),
    Column(
        "permit_number",
        ("保安服务许可证编号", "保安服务许可证号", "许可证编号", "许可证号", "permit number"),
        en="permit number",
    ),
    Column("status", ("许可证状态", "状态", "status"), en="status"),
)

STATUSES = {
    "有效": RegistryStatus.VALID,
    "正常": RegistryStatus.VALID,
    "valid": RegistryStatus.VALID,
    "吊销": RegistryStatus.REVOKED,
    "已吊销": RegistryStatus.REVOKED,
    "revoked": RegistryStatus.REVOKED,
    "暂扣": RegistryStatus.SUSPENDED,
    "暂停": RegistryStatus.SUSPENDED,
    "suspended": RegistryStatus.SUSPENDED,
}
"""The status words the export uses (compared without spaces, ignoring case)."""


def _guards(cells: Cells, prov: Provenance) -> RegisteredGuard | None:
    name = cells.text("name")
    idn = cells.value("id_number", IdNumber)
    number = cells.text("certificate_number")
    status = cells.choice("status", STATUSES)
    issued_by = cells.text("issued_by", required=False)
    issued_on = cells.date("issued_on", required=False)
    if not cells.ok or name is None or idn is None or number is None or status is None:
        return None
    return RegisteredGuard(
        idn, name, number, status, prov, issued_by, issued_on, where=cells.row.where()
    )


def _companies(cells: Cells, prov: Provenance) -> RegisteredCompany | None:
    name = cells.text("name")
    code = cells.value("credit_code", CreditCode, required=False)
    number = cells.text("permit_number")
    status = cells.choice("status", STATUSES)
    if not cells.ok or name is None or status is None:
        return None
    return RegisteredCompany(name, status, prov, code, number, where=cells.row.where())


def read(location: str, provenance: Provenance) -> SourceRead:
    """Read a registry export (XLSX/XLS/ODS with both sheets, or a CSV of either)."""
    tables, problems = read_tables(
        location, {"guards": GUARD_COLUMNS, "companies": COMPANY_COLUMNS}
    )
    records: list[object] = []
    for table in tables:
        columns: Sequence[Column] = GUARD_COLUMNS if table.layout == "guards" else COMPANY_COLUMNS
        build = _guards if table.layout == "guards" else _companies
        for row in table.rows:
            cells = Cells(row, columns, location)
            record = build(cells, provenance)
            problems.extend(cells.problems)
            if record is not None:
                records.append(record)
    return SourceRead(records, problems)


SOURCE = RecordSource(
    name="registry",
    title=Text(
        "保安服务监管信息系统（保安员证、保安服务许可证）", "guard certificate and permit registry"
    ),
    layout=Text(
        "保安员表：姓名、身份证号码、保安员证编号、发证机关、证件状态（有效/吊销/暂扣）、发证日期；"
        "企业表：企业名称、统一社会信用代码、保安服务许可证编号、许可证状态",
        "guards: name, ID number, certificate number, issuing authority, status "
        "(valid/revoked/suspended), issued on; companies: name, credit code, permit number, "
        "permit status",
    ),
    read=read,
    suffixes=(".xlsx", ".xls", ".ods", ".csv"),
    records=(RegisteredGuard, RegisteredCompany),
)


@hookimpl
def campus_security_record_sources() -> list[RecordSource]:
    """The registry source."""
    return [SOURCE]
