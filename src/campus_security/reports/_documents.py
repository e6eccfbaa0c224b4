"""What the CSV, SARIF and JUnit formats share: reading a part's finding documents.

Every format renders the report document: a part's findings arrive as the JSON
objects the report holds (``PartResult.findings``, comma-separated), each school's
sorted by standard and rule, schools in roster order. These helpers read them back,
name each finding by its stable id, say which findings a format shows, and give a
finding's severity. Nothing here evaluates or reads a roster.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping, Sequence
from importlib import metadata
from typing import Any

import orjson

from ..engine import Rule, Standard
from ..errors import mask_id_numbers
from ..pipeline.stream import PartResult

__all__ = [
    "DEFAULT_LEVEL",
    "SEVERITY_LEVELS",
    "finding_id",
    "library_version",
    "masked",
    "part_findings",
    "rule_severity",
    "rules_of",
    "shown",
]

SEVERITY_LEVELS = {"critical": "error", "major": "warning", "minor": "note"}
"""A severity's SARIF level (the session's shared decision)."""
DEFAULT_LEVEL = "warning"
"""The level of a finding whose rule declares no severity."""


def part_findings(result: PartResult) -> Iterator[dict[str, Any]]:
    """The finding documents a part carries, one at a time (none when it has none).

    A part's findings are compact JSON objects joined by a comma and a newline
    (:func:`~campus_security.pipeline.stream.run_part`); compact JSON holds no newline
    byte, so each object is cut out and parsed alone: only one finding's document is
    held at a time, beside the part's bytes.
    """
    data = result.findings
    if not data:
        return
    view = memoryview(data)
    start = 0
    while True:
        end = data.find(b",\n", start)
        doc: dict[str, Any] = orjson.loads(view[start : len(data) if end < 0 else end])
        yield doc
        if end < 0:
            return
        start = end + 2


def finding_id(doc: Mapping[str, Any]) -> str:
    """A finding's stable id: ``SCHOOL/RULE``, and ``@START..END`` for a periodic rule.

    A finding is identified by its school, its rule (whose id starts with its
    standard's) and the period it judged; the id is the same from run to run and in
    every format (SARIF ``partialFingerprints``, the CSV's ``finding_id``). Rule ids
    hold no ``/`` nor ``@``, so the id reads back unambiguously from the right.
    """
    key = f"{doc['school_id']}/{doc['rule_id']}"
    period = doc.get("period")
    if period:
        key += f"@{period['start']}..{period['end']}"
    return key


def shown(doc: Mapping[str, Any], everything: bool) -> bool:
    """Whether a format that lists what is not passing lists this finding.

    Every finding but a passing one; passing ones too with ``everything``
    (``check --verbose``).
    """
    return everything or doc["status"] != "pass"


def masked(text: str, show_personal_data: bool) -> str:
    """``text`` with ID-shaped values masked unless ``show_personal_data``."""
    return text if show_personal_data else mask_id_numbers(text)


def rules_of(standards: Iterable[Standard]) -> Iterator[tuple[Standard, Rule]]:
    """Every rule of ``standards``, with its standard, in catalogue order."""
    for s in standards:
        for r in s.rules:
            yield s, r


def rule_severity(rule: Rule | None) -> str | None:
    """The severity a rule declares (``critical``, ``major``, ``minor``), if any."""
    value = getattr(rule, "severity", None)
    if isinstance(value, enum.Enum):
        value = value.value
    return value if isinstance(value, str) else None


def severity_of(doc: Mapping[str, Any], rules: Mapping[str, Rule]) -> str | None:
    """A finding's severity: its document's, else its rule's (``None`` if neither says)."""
    value = doc.get("severity")
    if isinstance(value, str):
        return value
    return rule_severity(rules.get(doc["rule_id"]))


def level(severity: str | None) -> str:
    """The SARIF level of a severity (:data:`DEFAULT_LEVEL` for none)."""
    return SEVERITY_LEVELS.get(severity or "", DEFAULT_LEVEL)


def library_version() -> str:
    """The installed version of the ``campus-security`` distribution."""
    try:
        return metadata.version("campus-security")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a bare source tree
        return "0+unknown"


def plugin_versions(versions: Mapping[str, Any]) -> list[tuple[str, str | None, str | None]]:
    """``(plugin, distribution, version)`` of each plugin, by plugin name.

    ``versions`` maps a plugin's name to a
    :class:`~campus_security.plugins.PluginVersion` (or to a version string).
    """
    out: list[tuple[str, str | None, str | None]] = []
    for name, v in sorted(versions.items()):
        if isinstance(v, str):
            out.append((name, None, v))
        else:
            out.append((name, getattr(v, "distribution", None), getattr(v, "version", None)))
    return out


def school_index(names: Sequence[tuple[str, str]] | None, first: int) -> dict[str, int]:
    """Each school id of a part at its position in the roster (the part's first at ``first``)."""
    return {sid: first + k for k, (sid, _name) in enumerate(names or ())}
