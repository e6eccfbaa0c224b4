"""Report JSON documents: the encoding of findings, rates and summaries, and the report writer.

Split from :mod:`campus_security.report`, which re-exports every public name.
ID numbers (personal data) are masked unless the caller passes ``show_personal_data=True``.
"""

from __future__ import annotations

import datetime as dt
import enum
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from importlib import resources
from typing import IO, Any

import attrs
import orjson

from .engine import Finding, Rate, RegionalRate, Report, SchoolResult, Status
from .engine.summary import StreamSummary
from .errors import describe_exception, mask_id_numbers
from .model import IdNumber, RegionCode, School, Text
from .model.values import unformatted

REPORT_SCHEMA_RESOURCE = "report.schema.json"
"""The JSON Schema of the report document, shipped in the ``campus_security`` package."""
REPORT_FORMAT = "campus-security/report"
REPORT_VERSION = "2.1"
"""2.1: each rate holds ``regions``, its rate for every city and county under the
jurisdiction with schools (GB/T 2260). 2.0: one document for every roster format and
the API (``standards``, ``totals`` and ``plugin_failures`` always; findings grouped by
school in roster order)."""


def load_report_schema() -> dict[str, Any]:
    """The JSON Schema of the report document (``report.schema.json``, shipped here)."""
    data = resources.files(__package__).joinpath(REPORT_SCHEMA_RESOURCE).read_bytes()
    schema: dict[str, Any] = orjson.loads(data)
    return schema


def _shown(text: str, show_personal_data: bool) -> str:
    return text if show_personal_data else mask_id_numbers(text)


def plain(value: Any, *, show_personal_data: bool = False) -> Any:
    """Evidence and other values as JSON-ready data; ID numbers masked unless asked.

    Unless ``show_personal_data``, every ID-shaped value in a string is masked too
    (:func:`~campus_security.errors.mask_id_numbers`): an ID number typed into another
    field is personal data all the same.
    """
    if isinstance(value, str):
        return _shown(value, show_personal_data)
    if isinstance(value, IdNumber):
        return value.value if show_personal_data else value.masked
    if isinstance(value, Text):
        return {
            "zh": _shown(value.zh, show_personal_data),
            "en": _shown(value.en, show_personal_data),
        }
    if isinstance(value, RegionCode):
        return value.value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {
            _shown(str(k), show_personal_data): plain(v, show_personal_data=show_personal_data)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v, show_personal_data=show_personal_data) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if attrs.has(type(value)):
        return {
            a.name: plain(getattr(value, a.name), show_personal_data=show_personal_data)
            for a in attrs.fields(type(value))
        }
    if value is None or isinstance(value, bool | float):
        return value
    if isinstance(value, int):
        if not _INT_MIN <= value <= _INT_MAX:
            raise TypeError(f"the integer {value} is too large for JSON")
        return value
    if isinstance(value, dt.time):
        return value.isoformat()
    raise TypeError(f"a {type(value).__name__} value cannot be encoded as JSON")


_INT_MIN, _INT_MAX = -(1 << 63), (1 << 64) - 1
"""The integers a JSON report holds (orjson's range)."""


def _valid(text: str) -> str:
    """``text`` with anything UTF-8 cannot hold (lone surrogates) replaced."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _unencodable(f: Finding, exc: BaseException) -> Finding:
    """The ERROR finding that replaces ``f`` when its message or evidence cannot be encoded."""
    desc = _valid(describe_exception(exc))
    try:
        said = _valid(f"{f.status.value}: {f.message.en}")
    except Exception:
        said = f.status.value
    return Finding(
        f.rule_id,
        f.standard_id,
        f.school_id,
        Status.ERROR,
        f.citation,
        Text(
            f"规则的检查结果无法写入报告（{desc}）；原结论：{f.status.zh}",
            f"the rule's outcome cannot be written to the report ({desc}); "
            f"the rule had said {said}",
        ),
        {"error": desc},
        period=f.period,
    )


def finding_json(f: Finding, *, show_personal_data: bool = False) -> tuple[bytes, Finding]:
    """A finding as the JSON object a report file holds, and the finding it documents.

    As :func:`documented_finding`, down to the bytes: a finding that cannot be encoded
    is written, and returned, as an ERROR finding saying so. Never raises, but for
    ``KeyboardInterrupt``.
    """
    try:
        return orjson.dumps(finding_document(f, show_personal_data=show_personal_data)), f
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # plugin data: a broken finding must not break the report
        g = _unencodable(f, exc)
        return orjson.dumps(finding_document(g, show_personal_data=show_personal_data)), g


def documented_finding(
    f: Finding, *, show_personal_data: bool = False
) -> tuple[dict[str, Any], Finding]:
    """A finding as a JSON-ready object, and the finding that object documents.

    When the finding's message or evidence cannot be encoded (a value JSON does not
    hold, a string that is not valid Unicode, plugin code that raises while being
    read), the object documents an ERROR finding saying so instead, which is returned
    in its place (for the report's counts and exit status). The object is encoded once
    to be sure. Never raises, but for ``KeyboardInterrupt``.
    """
    try:
        doc = finding_document(f, show_personal_data=show_personal_data)
        orjson.dumps(doc)
        return doc, f
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # plugin data: a broken finding must not break the report
        g = _unencodable(f, exc)
        return finding_document(g, show_personal_data=show_personal_data), g


def finding_document(f: Finding, *, show_personal_data: bool = False) -> dict[str, Any]:
    """One finding as a JSON-ready object (ID-shaped values masked unless asked).

    Raises :class:`TypeError` for evidence JSON cannot hold and :class:`ValueError` for a
    message whose templates could not be formatted; :func:`documented_finding` never
    raises.
    """
    show = show_personal_data
    broken = unformatted(f.message)
    if broken is not None:
        raise ValueError(broken)
    return {
        "rule_id": f.rule_id,
        "standard_id": f.standard_id,
        "school_id": _shown(f.school_id, show),
        "status": f.status.value,
        "citation": {"document": f.citation.document, "clause": f.citation.clause},
        "message": {"zh": _shown(f.message.zh, show), "en": _shown(f.message.en, show)},
        "evidence": plain(f.evidence, show_personal_data=show_personal_data),
        "waiver": plain(f.waiver) if f.waiver else None,
        "waiver_expired": f.waiver_expired,
        "period": None
        if f.period is None
        else {"start": f.period.start.isoformat(), "end": f.period.end.isoformat()},
    }


def rate_document(r: Rate, regions: Iterable[RegionalRate] | None = None) -> dict[str, Any]:
    """One rate as a JSON-ready object; with ``regions``, the rows under its jurisdiction.

    ``regions`` are the :class:`~campus_security.engine.RegionalRate` rows of the
    cities and counties under the rate's jurisdiction (the jurisdiction's own row is
    the rate itself), written as ``regions`` (:func:`region_document`).
    """
    doc = {
        "target_id": r.target_id,
        "standard_id": r.standard_id,
        "region": r.region.value,
        "title": {"zh": r.title.zh, "en": r.title.en},
        "citation": {"document": r.citation.document, "clause": r.citation.clause},
        "due": r.due.isoformat(),
        "threshold": r.threshold,
        "met": r.tally.met,
        "not_met": r.tally.not_met,
        "waived": r.tally.waived,
        "errors": r.tally.errors,
        "value": r.value,
        "status": r.status.value,
        "period": None
        if r.period is None
        else {"start": r.period.start.isoformat(), "end": r.period.end.isoformat()},
    }
    if regions is not None:
        doc["regions"] = [region_document(row) for row in regions]
    return doc


def region_document(row: RegionalRate) -> dict[str, Any]:
    """A city's or county's rate under a jurisdiction as a JSON-ready object.

    The region's code and short name (``null`` when the GB/T 2260 table has none), its
    level (``city``, ``county``), the code of the row it adds up into, its tally,
    value and status; the target, threshold, due date and period are its rate's.
    """
    r = row.rate
    return {
        "region": r.region.value,
        "name": row.name,
        "level": row.level.value,
        "parent": None if row.parent is None else row.parent.value,
        "met": r.tally.met,
        "not_met": r.tally.not_met,
        "waived": r.tally.waived,
        "errors": r.tally.errors,
        "value": r.value,
        "status": r.status.value,
    }


def rate_documents(
    rates: Iterable[Rate], regional_rates: Iterable[RegionalRate]
) -> list[dict[str, Any]]:
    """The report's ``rates``: each jurisdiction's rate with the regions under it."""
    under: dict[tuple[str, str, str, Any], list[RegionalRate]] = {}
    for row in regional_rates:
        if row.parent is not None:
            r = row.rate
            key = (r.standard_id, r.target_id, row.jurisdiction.value, r.period)
            under.setdefault(key, []).append(row)
    return [
        rate_document(r, under.get((r.standard_id, r.target_id, r.region.value, r.period), []))
        for r in rates
    ]


def summary_document(summary: StreamSummary, *, show_personal_data: bool = False) -> dict[str, Any]:
    """The counts of a summary as JSON-ready data (the report's ``totals``).

    ID-shaped values in the sample of failing schools are masked unless asked.
    """
    show = show_personal_data
    by_standard: dict[str, dict[str, int]] = {}
    for (std, status), n in sorted(summary.counts.items()):
        by_standard.setdefault(std, dict.fromkeys((s.value for s in Status), 0))[status] = n
    by_rule: dict[str, dict[str, int]] = {}
    for (rule, status), n in sorted(summary.rule_counts.items()):
        by_rule.setdefault(rule, dict.fromkeys((s.value for s in Status), 0))[status] = n
    return {
        "schools": summary.schools,
        "schools_not_covered": summary.uncovered,
        "failing_schools": summary.failing_schools,
        "failing_sample": [
            {"school_id": _shown(sid, show), "name": _shown(name, show), "failing": n}
            for sid, name, n in summary.failing
        ],
        "by_standard": by_standard,
        "by_rule": by_rule,
    }


def failure_document(failure: Any) -> dict[str, Any]:
    """A plugin failure (:class:`~campus_security.plugins.PluginFailure`) as JSON-ready data."""
    return {
        "plugin": failure.plugin,
        "stage": failure.stage,
        "message": {"zh": failure.message.zh, "en": failure.message.en},
    }


class JsonReportWriter:
    """The one writer of the JSON report document, streamed to a binary file.

    The document (``format`` ``campus-security/report``, version :data:`REPORT_VERSION`;
    see ``docs/report-format.md`` and ``report.schema.json``) is written in this
    order: ``format``, ``version``, ``on``, ``since``, ``standards``, then ``findings``, one per
    line, as :meth:`add` hands them over (comma-separated JSON objects, as
    :func:`finding_bytes` gives them), then on :meth:`close` ``summary``, ``rates``,
    ``totals`` and ``plugin_failures``. Nothing but the counts is held in memory.
    """

    def __init__(
        self,
        out: IO[bytes],
        on: dt.date,
        standards: Iterable[str] = (),
        *,
        since: dt.date | None = None,
    ) -> None:
        self.out = out
        self._first = True
        head = orjson.dumps(
            {
                "format": REPORT_FORMAT,
                "version": REPORT_VERSION,
                "on": on,
                "since": since,
                "standards": list(standards),
            }
        )
        out.write(head[:-1] + b',\n"findings":[\n')

    def add(self, findings: bytes | None) -> None:
        """Append findings (comma-separated JSON objects); empty input is ignored."""
        if not findings:
            return
        if not self._first:
            self.out.write(b",\n")
        self.out.write(findings)
        self._first = False

    def close(
        self,
        summary: StreamSummary,
        rates: Iterable[Rate],
        extra: Mapping[str, Any] | None = None,
        *,
        plugin_failures: Iterable[Any] = (),
        show_personal_data: bool = False,
        regional_rates: Iterable[RegionalRate] = (),
    ) -> None:
        """Finish the document: status counts, rates, totals, plugin failures (and ``extra``).

        Each rate holds the rows of ``regional_rates`` under its jurisdiction (``regions``).
        """
        counts = summary.status_counts()
        tail: dict[str, Any] = {
            "summary": {s.value: counts[s] for s in Status},
            "rates": rate_documents(rates, regional_rates),
            "totals": summary_document(summary, show_personal_data=show_personal_data),
            "plugin_failures": [failure_document(f) for f in plugin_failures],
        }
        if extra:
            tail.update(extra)
        self.out.write(b"\n]," + orjson.dumps(tail, option=orjson.OPT_APPEND_NEWLINE)[1:])


def finding_bytes(
    findings: Iterable[Finding], *, show_personal_data: bool = False
) -> Iterator[bytes]:
    """Each finding as the JSON object a report file holds (ID numbers masked unless asked).

    A finding that cannot be encoded is written as an ERROR finding saying so
    (:func:`finding_json`).
    """
    for f in findings:
        yield finding_json(f, show_personal_data=show_personal_data)[0]


def _finding_order(f: Finding) -> tuple[str, str, dt.date]:
    return (f.standard_id, f.rule_id, f.period.start if f.period else dt.date.min)


def _by_school(
    report: Report, schools: Sequence[School] | None
) -> list[tuple[str, str, list[Finding]]]:
    """(school id, name, findings sorted by standard and rule) in roster (or report) order."""
    groups: dict[str, list[Finding]] = {}
    for f in report.findings:
        groups.setdefault(f.school_id, []).append(f)
    if schools is None:
        order = [(sid, "") for sid in groups]
    else:
        order = [(s.id, s.name) for s in schools]
        listed = {sid for sid, _ in order}
        order += [(sid, "") for sid in groups if sid not in listed]
    return [(sid, name, sorted(groups.get(sid, ()), key=_finding_order)) for sid, name in order]


def report_summary(report: Report, schools: Sequence[School] | None = None) -> StreamSummary:
    """A report's counts as a :class:`~campus_security.engine.StreamSummary`.

    ``schools`` gives the names and the schools no finding names (not covered).
    """
    summary = StreamSummary()
    for sid, name, findings in _by_school(report, schools):
        summary.add(_Named(sid, name), SchoolResult(sid, tuple(findings)))  # type: ignore[arg-type]
    return summary


@attrs.frozen
class _Named:
    id: str
    name: str


def write_report(
    report: Report,
    out: IO[bytes],
    *,
    schools: Sequence[School] | None = None,
    standards: Iterable[str] | None = None,
    plugin_failures: Iterable[Any] = (),
    show_personal_data: bool = False,
    extra: Mapping[str, Any] | None = None,
) -> None:
    """Write a whole :class:`Report` as the JSON report document, with the one writer.

    ``schools`` (the roster's) puts the findings in roster order and counts the
    schools no standard covers, as ``campus-security check`` does; without it the
    findings keep the report's order. ``standards`` are the ids of the standards in
    force (default: those the findings and rates name).
    """
    if standards is None:
        standards = sorted(
            {f.standard_id for f in report.findings} | {r.standard_id for r in report.rates}
        )
    writer = JsonReportWriter(out, report.on, standards, since=report.since)
    summary = StreamSummary()
    for sid, name, findings in _by_school(report, schools):
        # a finding that cannot be encoded is written, and counted, as an ERROR finding
        encoded = [finding_json(f, show_personal_data=show_personal_data) for f in findings]
        if encoded:
            writer.add(b",\n".join(data for data, _ in encoded))
        documented = SchoolResult(sid, tuple(g for _, g in encoded))
        summary.add(_Named(sid, name), documented)  # type: ignore[arg-type]
    writer.close(
        summary,
        report.rates,
        extra,
        plugin_failures=plugin_failures,
        show_personal_data=show_personal_data,
        regional_rates=report.regional_rates,
    )


def report_document(
    report: Report,
    *,
    show_personal_data: bool = False,
    extra: Mapping[str, Any] | None = None,
    schools: Sequence[School] | None = None,
    standards: Iterable[str] | None = None,
    plugin_failures: Iterable[Any] = (),
) -> dict[str, Any]:
    """The whole report as the JSON report document (what :func:`write_report` writes).

    With the roster's ``schools``, the installed ``standards`` in force and the plugin
    manager's ``plugin_failures``, this is exactly the document ``campus-security check
    --format json`` writes for the roster.
    """
    buf = io.BytesIO()
    write_report(
        report,
        buf,
        schools=schools,
        standards=standards,
        plugin_failures=plugin_failures,
        show_personal_data=show_personal_data,
        extra=extra,
    )
    doc: dict[str, Any] = orjson.loads(buf.getvalue())
    return doc
