r"""``check --format junit``: JUnit XML, for CI dashboards that read test reports.

A ``testsuite`` per standard evaluated (in the order of the standards; one with no
school covered has no test case), and in it a ``testcase`` per school and rule: per
finding, so every finding, passing ones included, is a test case (a review window
makes one per period a periodic rule judged, its name followed by the period; as of
a date the name is the rule's id alone, so that it stays the same from run to run).
``classname`` is the school's id, ``name`` the rule's id. A failing finding holds a
``failure``, a rule in error an ``error``, a finding not applicable or waived a
``skipped``; each with its message in Chinese and English and the citation as the
``message`` attribute, and as text the citation, both messages, the severity, the
evidence and the waiver. Each suite's ``properties`` hold the standard's title and
document, the evaluation date, the versions, and its rates: for its jurisdiction and
for each city and county under it with schools. Plugins that failed to
load make a last suite, ``campus-security.plugins``, with an error for each.

The layout is the one Jenkins' xUnit plugin (``junit-10.xsd``), GitLab, GitHub
actions and ``junitparser`` read. The test cases are written as they arrive, to one
temporary file per standard (a suite's counts come before its cases), and put
together at the end: memory stays constant whatever the roster's size. Characters
XML cannot hold (control characters) are written as ``\xNN``.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

import orjson

from ..engine import Rate, RegionalRate, Rule, Standard, Status
from ..pipeline.run import Outcome
from ..pipeline.sinks import Output
from ..pipeline.stream import PartResult
from ..report_json import failure_document
from ._documents import library_version, masked, part_findings, plugin_versions, severity_of

__all__ = ["PLUGIN_SUITE", "JunitReportSink", "outcome_element"]

PLUGIN_SUITE = "campus-security.plugins"
"""The suite that lists the plugins that failed to load (an error each), when any did."""

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SEVERITY_ZH = {"critical": "重大", "major": "较大", "minor": "一般"}


def _clean(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _attr(text: str) -> str:
    return quoteattr(_clean(text), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _text(text: str) -> str:
    return escape(_clean(text), {"\r": "&#13;"})  # a bare CR would be read as LF


def outcome_element(status: str) -> str | None:
    """The child element of a finding's test case (``None``: the test case passed)."""
    return {
        Status.FAIL.value: "failure",
        Status.ERROR.value: "error",
        Status.NOT_APPLICABLE.value: "skipped",
        Status.WAIVED.value: "skipped",
    }.get(status)


class _Suite:
    """One standard's test cases so far, in a temporary file, and their counts."""

    def __init__(self, standard: Standard | None, sid: str) -> None:
        self.standard = standard
        self.id = sid
        self.file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the sink
        self.counts = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)


class JunitReportSink:
    """Writes the JUnit XML report: a suite per standard, a case per finding; atomically."""

    wants_findings = True
    wants_names = False

    def __init__(
        self,
        output: Path | None,
        *,
        show_personal_data: bool = False,
        versions: Mapping[str, Any] | None = None,
        plugin_failures: Iterable[Any] = (),
    ) -> None:
        self.output = output
        self.show_personal_data = show_personal_data
        self.versions = dict(versions or {})
        self.plugin_failures = tuple(plugin_failures)
        self._suites: dict[str, _Suite] = {}
        self._rules: dict[str, Rule] = {}
        self._on = dt.date.min
        self._since: dt.date | None = None

    def start(
        self, on: dt.date, standards: Sequence[Standard], since: dt.date | None = None
    ) -> None:
        """Open a temporary file per standard."""
        self._on, self._since = on, since
        self._rules = {r.id: r for s in standards for r in s.rules}
        self._suites = {s.id: _Suite(s, s.id) for s in standards}

    def part(self, result: PartResult) -> None:
        """Append a test case per finding of the part to its standard's file."""
        for doc in part_findings(result):
            sid = doc["standard_id"]
            suite = self._suites.get(sid)
            if suite is None:  # a standard not announced at the start: kept all the same
                suite = self._suites[sid] = _Suite(None, sid)
            suite.file.write(self.testcase(doc, suite.counts).encode("utf-8"))

    def testcase(self, doc: Mapping[str, Any], counts: dict[str, int]) -> str:
        """One finding document as a ``testcase`` element; ``counts`` are updated."""
        show = self.show_personal_data
        name = doc["rule_id"]
        period = doc.get("period")
        if period and self._since is not None:  # a window: a case per period judged
            name += f" [{period['start']}..{period['end']}]"
        head = f"<testcase classname={_attr(masked(doc['school_id'], show))} name={_attr(name)}"
        counts["tests"] += 1
        element = outcome_element(doc["status"])
        if element is None:
            return head + "/>\n"
        counts[{"failure": "failures", "error": "errors", "skipped": "skipped"}[element]] += 1
        cite = f"{doc['citation']['document']} {doc['citation']['clause']}"
        zh, en = doc["message"]["zh"], doc["message"]["en"]
        message = masked(f"{zh} / {en} ({cite})", show)
        severity = severity_of(doc, self._rules)
        lines = [f"出处 / source: {cite}", zh, en]
        if period:
            lines.append(f"期间 / period: {period['start']}..{period['end']}")
        if severity is not None:
            lines.append(f"严重程度 / severity: {_SEVERITY_ZH.get(severity, severity)} {severity}")
        if doc.get("evidence"):
            lines.append("证据 / evidence: " + orjson.dumps(doc["evidence"]).decode("utf-8"))
        if doc.get("waiver"):
            lines.append("豁免 / waiver: " + orjson.dumps(doc["waiver"]).decode("utf-8"))
        if doc.get("waiver_expired"):
            lines.append("豁免已过期 / a waiver for this rule has expired")
        kind = severity or doc["status"]
        body = _text(masked("\n".join(lines), show))
        return (
            f"{head}><{element} message={_attr(message)} type={_attr(kind)}>{body}"
            f"</{element}></testcase>\n"
        )

    def _properties(self, suite: _Suite, outcome: Outcome) -> list[tuple[str, str]]:
        props = [("on", self._on.isoformat())]
        if self._since is not None:
            props.append(("since", self._since.isoformat()))
        s = suite.standard
        if s is not None:
            props += [
                ("title", f"{s.title.zh} / {s.title.en}"),
                ("document", s.document),
                ("issued_by", f"{s.issued_by.zh} / {s.issued_by.en}"),
            ]
        props.append(("campus-security", library_version()))
        for plugin, dist, version in plugin_versions(self.versions):
            props.append((f"plugin:{plugin}", f"{dist or plugin} {version or ''}".strip()))
        rows: list[tuple[Rate, RegionalRate | None]] = [(r, None) for r in outcome.rates]
        rows += [(row.rate, row) for row in outcome.regional_rates if row.parent is not None]
        for r, row in rows:
            if r.standard_id != suite.id:
                continue
            key = f"rate:{r.target_id}:{r.region.value}"
            if r.period is not None:
                key += f":{r.period.start.isoformat()}..{r.period.end.isoformat()}"
            value = "-" if r.value is None else f"{r.value:.4f}"
            where = "" if row is None else f"{row.label} ({row.level.value}) "
            props.append(
                (
                    key,
                    f"{where}{value} ({r.status.value}; 目标 / target {r.threshold:g} "
                    f"by {r.due.isoformat()}; met {r.tally.met}, not met {r.tally.not_met})",
                )
            )
        return props

    def finish(self, outcome: Outcome) -> None:
        """Write the document: every suite with its counts, properties and cases; publish."""
        out = Output(self.output)
        try:
            f = out.file
            totals = dict.fromkeys(("tests", "failures", "errors"), 0)
            plugins = self._plugin_suite()
            for suite in self._suites.values():
                for k in totals:
                    totals[k] += suite.counts[k]
            totals["tests"] += len(self.plugin_failures)
            totals["errors"] += len(self.plugin_failures)
            f.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
            f.write(
                (
                    f'<testsuites name={_attr("campus-security")} tests="{totals["tests"]}" '
                    f'failures="{totals["failures"]}" errors="{totals["errors"]}">\n'
                ).encode()
            )
            for suite in self._suites.values():
                c = suite.counts
                f.write(
                    (
                        f'<testsuite name={_attr(suite.id)} tests="{c["tests"]}" '
                        f'failures="{c["failures"]}" errors="{c["errors"]}" '
                        f'skipped="{c["skipped"]}">\n'
                        "<properties>\n"
                    ).encode()
                )
                for name, value in self._properties(suite, outcome):
                    f.write(f"<property name={_attr(name)} value={_attr(value)}/>\n".encode())
                f.write(b"</properties>\n")
                suite.file.seek(0)
                shutil.copyfileobj(suite.file, f)
                f.write(b"</testsuite>\n")
            f.write(plugins.encode("utf-8"))
            f.write(b"</testsuites>\n")
        except BaseException:
            out.discard()
            self._close()
            raise
        self._close()
        out.commit()

    def _plugin_suite(self) -> str:
        """The plugins that failed, as a suite of errors (nothing when none failed)."""
        if not self.plugin_failures:
            return ""
        n = len(self.plugin_failures)
        cases = []
        for failure in self.plugin_failures:
            doc = failure_document(failure)
            message = f"{doc['message']['zh']} / {doc['message']['en']}"
            cases.append(
                f"<testcase classname={_attr(doc['plugin'])} name={_attr(doc['stage'])}>"
                f'<error message={_attr(message)} type="plugin">{_text(message)}</error>'
                "</testcase>\n"
            )
        return (
            f'<testsuite name={_attr(PLUGIN_SUITE)} tests="{n}" failures="0" '
            f'errors="{n}" skipped="0">\n' + "".join(cases) + "</testsuite>\n"
        )

    def _close(self) -> None:
        for suite in self._suites.values():
            suite.file.close()

    def abort(self) -> None:
        """Leave no report (the temporary files go)."""
        self._close()
