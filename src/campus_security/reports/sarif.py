"""``check --format sarif``: a SARIF 2.1.0 log, for code-scanning dashboards and CI.

One run. ``tool.driver`` is campus-security (its version) with the rule catalogue of
every standard evaluated as ``rules`` (id, a PascalCase ``name``, short and full
descriptions in both languages, ``helpUri`` when the standard has an address, the
level its severity gives as ``defaultConfiguration``, and ``properties``: citation,
severity, standard); each plugin distribution is a ``tool.extensions`` entry with its
version.

A result per finding that is not passing (with ``--verbose``, passing ones too), in
the report's order: ``ruleId`` and ``ruleIndex``; ``kind`` and ``level`` by status and
severity (:func:`kind_and_level`); the message in Chinese, then English; as location
the roster file (an artifact) and, as a logical location, the school: its roster path
``schools[N]`` (N counts the roster's schools from 0, whatever its format) named by the
school's id; the finding's stable id as ``partialFingerprints`` (``findingId/v1``);
a waiver as an accepted external suppression; and in ``properties`` the finding
document's status, citation, evidence, period and waiver. The run's ``properties``
hold what the JSON report ends with: the date, the counts, the rates (each with its
cities and counties), the totals; its
``invocations`` the plugins that failed. Results are streamed: memory stays constant
whatever the roster's size.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from ..engine import Rule, Standard, Status
from ..pipeline.run import Outcome
from ..pipeline.sinks import Output
from ..pipeline.stream import PartResult
from ..report_json import failure_document, plain, rate_documents, summary_document
from ._documents import (
    finding_id,
    level,
    library_version,
    masked,
    part_findings,
    plugin_versions,
    rule_severity,
    rules_of,
    school_index,
    severity_of,
    shown,
)

__all__ = ["FINGERPRINT", "SARIF_SCHEMA", "SARIF_VERSION", "SarifReportSink", "kind_and_level"]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
FINGERPRINT = "findingId/v1"
"""The ``partialFingerprints`` key of a result's stable finding id."""
TOOL = "campus-security"


def kind_and_level(status: str, severity: str | None) -> tuple[str, str]:
    """A finding's SARIF ``kind`` and ``level``.

    Failing and waived findings are ``fail`` at their severity's level (critical:
    ``error``, major: ``warning``, minor: ``note``; ``warning`` when the rule declares
    none); a rule in error is ``fail`` at ``error`` (its outcome is unknown: someone
    must look); not applicable is ``notApplicable`` and passing ``pass``, both at level
    ``none`` (SARIF's rule for a kind other than ``fail``).
    """
    if status in (Status.FAIL.value, Status.WAIVED.value):
        return "fail", level(severity)
    if status == Status.ERROR.value:
        return "fail", "error"
    if status == Status.NOT_APPLICABLE.value:
        return "notApplicable", "none"
    return "pass", "none"


def _pascal(slug: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in re.split(r"[^0-9A-Za-z]+", slug) if w)


def _both(zh: str, en: str) -> str:
    return f"{zh}\n{en}"


def rule_descriptor(standard: Standard, rule: Rule) -> dict[str, Any]:
    """A rule as a SARIF ``reportingDescriptor``."""
    lines_zh = [rule.title.zh]
    lines_en = [rule.title.en]
    if rule.passes is not None:
        lines_zh.append(f"合格：{rule.passes.zh}")
        lines_en.append(f"passes: {rule.passes.en}")
    if rule.fails is not None:
        lines_zh.append(f"不合格：{rule.fails.zh}")
        lines_en.append(f"fails: {rule.fails.en}")
    lines_zh.append(f"适用：{rule.applies.description.zh}")
    lines_en.append(f"applies to: {rule.applies.description.en}")
    lines_zh.append(f"出处：{rule.citation}")
    lines_en.append(f"source: {rule.citation}")
    severity = rule_severity(rule)
    props: dict[str, Any] = {
        "standard": standard.id,
        "citation": str(rule.citation),
        "document": rule.citation.document,
        "clause": rule.citation.clause,
        "tags": [standard.id] + ([severity] if severity else []),
    }
    if severity is not None:
        props["severity"] = severity
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": _pascal(rule.id.removeprefix(standard.id + ".")) or rule.id,
        "shortDescription": {"text": f"{rule.title.zh} / {rule.title.en}"},
        "fullDescription": {"text": "\n".join(lines_zh) + "\n\n" + "\n".join(lines_en)},
        "defaultConfiguration": {"level": level(severity)},
        "properties": props,
    }
    if standard.url and urllib.parse.urlsplit(standard.url).scheme in ("http", "https"):
        descriptor["helpUri"] = standard.url
    return descriptor


def _extension(plugin: str, distribution: str | None, version: str | None) -> dict[str, Any]:
    ext: dict[str, Any] = {"name": distribution or plugin, "properties": {"plugin": plugin}}
    if version:
        ext["version"] = version
    return ext


def artifact_uri(name: str) -> str | None:
    """The URI of a roster file as named on the command line (``None``: not a file)."""
    if not name or name == "-" or name.startswith("<"):
        return None
    path = Path(name)
    if path.is_absolute():
        return path.as_uri()
    return urllib.parse.quote(path.as_posix())


class SarifReportSink:
    """Writes the SARIF log, results streamed as the findings arrive, atomically."""

    wants_findings = True
    wants_names = True

    def __init__(
        self,
        output: Path | None,
        *,
        verbose: bool = False,
        show_personal_data: bool = False,
        rosters: Sequence[str] = (),
        versions: Mapping[str, Any] | None = None,
        plugin_failures: Iterable[Any] = (),
    ) -> None:
        self.output = output
        self.verbose = verbose
        self.show_personal_data = show_personal_data
        self.rosters = tuple(rosters)
        self.versions = dict(versions or {})
        self.plugin_failures = plugin_failures
        self._out: Output | None = None
        self._rules: dict[str, Rule] = {}
        self._index: dict[str, int] = {}
        self._schools: dict[str | None, int] = {}
        """Schools met so far in each roster (``None``: the only one)."""
        self._first = True
        self._artifact: int | None = None
        self._artifacts: dict[str, int] = {}
        """With several rosters, each file's artifact index by its name."""

    def start(
        self, on: dt.date, standards: Sequence[Standard], since: dt.date | None = None
    ) -> None:
        """Open the output; write the log's head: the tool, its rules, the artifacts."""
        catalogue = list(rules_of(standards))
        self._rules = {r.id: r for _s, r in catalogue}
        self._index = {r.id: i for i, (_s, r) in enumerate(catalogue)}
        extensions = [_extension(p, dist, v) for p, dist, v in plugin_versions(self.versions)]
        uris = [artifact_uri(r) for r in self.rosters]
        artifacts = [
            {"location": {"uri": u}, "roles": ["analysisTarget"]} for u in uris if u is not None
        ]
        self._artifact = 0 if len(uris) == 1 and uris[0] is not None else None
        named = [r for r, u in zip(self.rosters, uris, strict=True) if u is not None]
        self._artifacts = {r: i for i, r in enumerate(named)} if len(self.rosters) > 1 else {}
        run: dict[str, Any] = {
            "tool": {
                "driver": {
                    "name": TOOL,
                    "version": library_version(),
                    "rules": [rule_descriptor(s, r) for s, r in catalogue],
                },
                "extensions": extensions,
            },
            "artifacts": artifacts,
        }
        head = orjson.dumps({"$schema": SARIF_SCHEMA, "version": SARIF_VERSION})
        body = orjson.dumps(run)
        self._out = Output(self.output)
        self._out.file.write(head[:-1] + b',"runs":[' + body[:-1] + b',"results":[\n')

    def part(self, result: PartResult) -> None:
        """Write a result for each finding of the part the format lists."""
        assert self._out is not None
        show = self.show_personal_data
        seen = self._schools.get(result.roster, 0)
        index = school_index([(masked(sid, show), name) for sid, name in result.names or ()], seen)
        self._schools[result.roster] = seen + len(result.names or ())
        write = self._out.file.write
        for doc in part_findings(result):
            if not shown(doc, self.verbose):
                continue
            if not self._first:
                write(b",\n")
            write(orjson.dumps(self.result(doc, index.get(doc["school_id"]))))
            self._first = False

    def result(self, doc: Mapping[str, Any], school: int | None) -> dict[str, Any]:
        """One finding document as a SARIF ``result``."""
        show = self.show_personal_data
        severity = severity_of(doc, self._rules)
        kind, lvl = kind_and_level(doc["status"], severity)
        message = doc["message"]
        school_id = masked(doc["school_id"], show)
        logical: dict[str, Any] = {"name": school_id, "kind": "object"}
        if school is not None:
            logical["fullyQualifiedName"] = f"schools[{school}]"
        location: dict[str, Any] = {"logicalLocations": [logical]}
        if self._artifact is not None:
            location["physicalLocation"] = {
                "artifactLocation": {
                    "uri": artifact_uri(self.rosters[0]),
                    "index": self._artifact,
                }
            }
        elif doc.get("roster") in self._artifacts:  # several rosters: the finding's own
            location["physicalLocation"] = {
                "artifactLocation": {
                    "uri": artifact_uri(doc["roster"]),
                    "index": self._artifacts[doc["roster"]],
                }
            }
        props: dict[str, Any] = {
            "status": doc["status"],
            "standard": doc["standard_id"],
            "school": school_id,
            "citation": f"{doc['citation']['document']} {doc['citation']['clause']}",
            "message": {"zh": masked(message["zh"], show), "en": masked(message["en"], show)},
            "evidence": plain(doc.get("evidence"), show_personal_data=show),
            "period": doc.get("period"),
            "waiver": plain(doc.get("waiver"), show_personal_data=show),
            "waiverExpired": bool(doc.get("waiver_expired")),
        }
        if severity is not None:
            props["severity"] = severity
        out: dict[str, Any] = {
            "ruleId": doc["rule_id"],
            "kind": kind,
            "level": lvl,
            "message": {"text": masked(_both(message["zh"], message["en"]), show)},
            "locations": [location],
            "partialFingerprints": {FINGERPRINT: masked(finding_id(doc), show)},
            "properties": props,
        }
        rule_index = self._index.get(doc["rule_id"])
        if rule_index is not None:
            out["ruleIndex"] = rule_index
        if doc["status"] == Status.WAIVED.value and doc.get("waiver"):
            w = doc["waiver"]
            out["suppressions"] = [
                {
                    "kind": "external",
                    "status": "accepted",
                    "justification": masked(
                        f"{w.get('granted_by', '')}: {w.get('reason', '')} "
                        f"(至 / until {w.get('until', '')})",
                        show,
                    ),
                }
            ]
        return out

    def finish(self, outcome: Outcome) -> None:
        """Write the run's invocation and properties (counts, rates, totals); publish."""
        assert self._out is not None
        counts = outcome.status_counts()
        failures = [failure_document(f) for f in self.plugin_failures]
        invocation: dict[str, Any] = {
            "executionSuccessful": True,
            "toolExecutionNotifications": [
                {
                    "level": "error",
                    "message": {"text": _both(f["message"]["zh"], f["message"]["en"])},
                    "properties": f,
                }
                for f in failures
            ],
        }
        tail = {
            "invocations": [invocation],
            "properties": {
                "on": outcome.on.isoformat(),
                "since": outcome.since.isoformat() if outcome.since else None,
                "standards": [s.id for s in outcome.standards],
                "summary": {s.value: counts[s] for s in Status},
                "rates": rate_documents(outcome.rates, outcome.regional_rates),
                "totals": summary_document(
                    outcome.summary, show_personal_data=self.show_personal_data
                ),
                "plugin_failures": failures,
            },
        }
        self._out.file.write(b"\n]," + orjson.dumps(tail)[1:] + b"]}\n")
        self._out.commit()

    def abort(self) -> None:
        """Leave no report."""
        if self._out is not None:
            self._out.discard()
