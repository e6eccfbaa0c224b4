"""Record sources (数据来源): read another system's export or API into a roster.

The seed documents rest on systems that already hold the facts the rules judge: the
police certificate registry (保安服务监管信息系统), the background review, electronic
patrol platforms, grid hazard management, a school's own ledgers (台账). A
:class:`RecordSource` reads one such system's export file (or API) and returns
records (:class:`SourceRead`); :func:`~campus_security.record_sources.merge.merge_records`
merges them into a roster without ever overwriting what the roster holds in silence:
what it adds, updates and finds in conflict is reported, and conflicts become facts
the rules judge (a :class:`~campus_security.model.RegistryCheck` on a guard whose
certificate the registry does not know).

Plugins provide sources through the ``campus_security_record_sources`` hook. Every
record carries its :class:`~campus_security.model.Provenance` (the source, the file or
URL, when it was read) and ``where``, the row or path in the export it came from.

(Not to be confused with the *roster* sources of a pipeline: a record source feeds
records into a roster, it does not supply the roster.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

import attrs

from ..errors import Problem
from ..model import (
    BackgroundCheck,
    CreditCode,
    Drill,
    GridArea,
    Hazard,
    IdNumber,
    Inspection,
    Provenance,
    RegistryStatus,
    SchoolPatrol,
    Text,
)

__all__ = [
    "RECORD_TYPES",
    "BackgroundReview",
    "GridRecord",
    "LedgerRecord",
    "PatrolRecord",
    "RecordSource",
    "RegisteredCompany",
    "RegisteredGuard",
    "SourceRead",
]


@attrs.frozen
class RegisteredGuard:
    """保安员证登记: one guard's certificate as the certificate registry records it."""

    id_number: IdNumber
    """身份证号码 of the holder (personal data: masked in every output)."""
    name: str
    """姓名 of the holder."""
    certificate_number: str
    """保安员证编号."""
    status: RegistryStatus
    """证件状态: ``valid``, ``revoked`` or ``suspended``."""
    source: Provenance
    """The export it was read from."""
    issued_by: str | None = None
    """发证机关."""
    issued_on: dt.date | None = None
    """发证日期."""
    where: str = ""
    """The row in the export (``sheet!row 7``)."""


@attrs.frozen
class RegisteredCompany:
    """保安服务许可证登记: one security company's permit as the registry records it."""

    name: str
    """企业名称."""
    status: RegistryStatus
    """许可证状态: ``valid``, ``revoked`` or ``suspended``."""
    source: Provenance
    """The export it was read from."""
    credit_code: CreditCode | None = None
    """统一社会信用代码."""
    permit_number: str | None = None
    """保安服务许可证编号."""
    where: str = ""
    """The row in the export."""


@attrs.frozen
class BackgroundReview:
    """背景审查结果: one person's review, to become a :class:`BackgroundCheck` of the guard."""

    id_number: IdNumber
    """身份证号码 of the person reviewed (personal data)."""
    check: BackgroundCheck
    """The check to add: its date, its findings, its authority and its ``source``."""
    where: str = ""
    """The row in the export."""


@attrs.frozen
class PatrolRecord:
    """电子巡查记录: one check-in of a school's own patrol, for the school the export names."""

    school: str
    """The school, by its id in the roster or its exact name."""
    patrol: SchoolPatrol
    """The check-in to add (with its ``source``)."""
    where: str = ""
    """The row in the export."""

    @property
    def source(self) -> Provenance | None:
        """Where the record was read (the patrol's provenance)."""
        return self.patrol.source


@attrs.frozen
class GridRecord:
    """网格化管理记录: a grid area, a check of an area, or a hazard found, for a school.

    ``item`` is a :class:`~campus_security.model.GridArea`, an
    :class:`~campus_security.model.Inspection` (a check, with its cadence and its
    ``grid_area``) or a :class:`~campus_security.model.Hazard`.
    """

    school: str
    """The school, by its id in the roster or its exact name."""
    item: GridArea | Inspection | Hazard
    source: Provenance
    """The export it was read from."""
    where: str = ""
    """The row in the export."""


@attrs.frozen
class LedgerRecord:
    """台账记录: a row of a school's own ledger: a drill, a check or a hazard."""

    school: str
    """The school, by its id in the roster or its exact name."""
    item: Drill | Inspection | Hazard
    source: Provenance
    """The ledger it was read from."""
    where: str = ""
    """The row in the ledger."""


RECORD_TYPES: tuple[type, ...] = (
    RegisteredGuard,
    RegisteredCompany,
    BackgroundReview,
    PatrolRecord,
    GridRecord,
    LedgerRecord,
)
"""The kinds of record a source may return; the merge knows how to merge each."""


def _records(items: Iterable[object]) -> tuple[object, ...]:
    return tuple(items)


def _problems(items: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(items)


@attrs.frozen
class SourceRead:
    """What a source read from one export: the records, and every problem, with where.

    A row that cannot be read is left out of ``records`` and reported in ``problems``
    (file, row or path, field; in Chinese and English), so nothing read is lost in
    silence.
    """

    records: tuple[object, ...] = attrs.field(default=(), converter=_records)
    problems: tuple[Problem, ...] = attrs.field(default=(), converter=_problems)


Reader = Callable[[str, Provenance], SourceRead]
"""``read(location, provenance) -> SourceRead``: ``location`` is a file path or a URL."""


@attrs.frozen
class RecordSource:
    """A record source: the system it reads, the layout of its export, and its reader.

    ``read(location, provenance)`` reads the export at ``location`` (a file path, or a
    URL for an API) and returns a :class:`SourceRead`; ``provenance`` is what each
    record should carry (the source's name, the location, the time of the read). It
    reports bad rows as problems and raises only when the export cannot be read at all
    (a :class:`~campus_security.errors.RosterError` naming the file is best); the
    caller isolates it either way.
    """

    name: str
    """The name users pass to ``campus-security pull``; unique across plugins."""
    title: Text
    """The system the source reads (``保安服务监管信息系统``)."""
    layout: Text
    """The export layout it reads: the columns or the API, in both languages."""
    read: Reader
    suffixes: tuple[str, ...] = ()
    """File types it reads (``(".xlsx", ".csv")``); empty for an API (a URL)."""
    records: tuple[type, ...] = ()
    """The record types it returns (from :data:`RECORD_TYPES`), for the listing."""
    templates: tuple[str, ...] = ()
    """Blank forms it can write for people to fill in (``campus-security template NAME``)."""
    write_template: Callable[[str], bytes] | None = None
    """``write_template(name)``: the blank form ``name`` (one of ``templates``) as XLSX bytes."""

    def reads(self, location: str) -> bool:
        """Whether ``location`` is a file type (or, for an API source, a URL) it reads."""
        if not self.suffixes:
            return location.startswith(("http://", "https://"))
        return location.lower().endswith(self.suffixes)


def now() -> dt.datetime:
    """The current time in UTC (what a read's provenance records)."""
    return dt.datetime.now(dt.UTC)


def describe(types: Sequence[type]) -> str:
    """Record type names for listings."""
    return ", ".join(t.__name__ for t in types)
