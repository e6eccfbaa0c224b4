"""Streaming evaluation: schools in, a bounded summary out, findings to a sink.

A roster of half a million schools yields tens of millions of findings; keeping them
all is what makes a whole-roster :class:`~campus_security.engine.Report` big. Here
each school is evaluated, its findings go to an optional sink (a callback, or bytes
of JSON for a report file) and then only counts stay: a :class:`StreamSummary`
holds the counts per standard, rule and status, the target tallies per jurisdiction
(which add up across batches, processes and cluster partitions, so rates come out
the same however the roster was split) and a bounded sample of failing schools.
Memory is bounded by one school and the summary, not by the roster.

The same per-part function (:func:`run_part`) runs in this process, in the worker
processes of :mod:`campus_security.pipeline.parallel` and on the workers of a Dask
cluster (:mod:`campus_security.scale.dask`), so the three give the same results.
:class:`StreamSummary` lives in :mod:`campus_security.engine.summary`.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import attrs
import orjson

from ..engine import Evaluator, Finding, SchoolResult
from ..engine.summary import FAILING_SAMPLE, StreamSummary
from ..formats.structure import Structurer
from ..model import School
from ..report import finding_bytes, finding_json
from .jsonl import LineProblem

if TYPE_CHECKING:
    from .parts import Part

__all__ = [
    "FAILING_SAMPLE",
    "PartResult",
    "StreamSummary",
    "encode_result",
    "evaluate_schools",
    "finding_bytes",
    "gc_paused",
    "hazard_documents",
    "run_part",
]


def evaluate_schools(
    schools: Iterable[School],
    evaluator: Evaluator,
    *,
    summary: StreamSummary | None = None,
    on_result: Callable[[School, SchoolResult], None] | None = None,
) -> StreamSummary:
    """Evaluate schools one at a time into a summary; hand each result to ``on_result``."""
    summary = summary if summary is not None else StreamSummary()
    evaluate, add = evaluator.school, summary.add
    for school in schools:
        result = evaluate(school)
        add(school, result)
        if on_result is not None:
            on_result(school, result)
    return summary


def encode_result(
    result: SchoolResult, *, show_personal_data: bool = False
) -> tuple[list[bytes], SchoolResult]:
    """A school's findings as report JSON objects, and the result they document.

    The result is ``result`` itself unless a finding could not be encoded: then that
    finding is an ERROR finding saying so, in the bytes and in the returned result, so
    that what is counted is what is written.
    """
    out: list[bytes] = []
    fixed: list[Finding] | None = None
    for i, f in enumerate(result.findings):
        data, g = finding_json(f, show_personal_data=show_personal_data)
        out.append(data)
        if g is not f:
            if fixed is None:
                fixed = list(result.findings)
            fixed[i] = g
    return out, result if fixed is None else attrs.evolve(result, findings=tuple(fixed))


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (JSON-derived data has no cycles to collect).

    Parsing and structuring allocate about a thousand containers per school, so with
    the collector on, young-generation collections run every school and full ones
    grow with everything the process holds. Reference counting frees the parsed
    documents either way; the collector is restored (and run) on exit.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def hazard_documents(school: School) -> list[dict[str, Any]]:
    """The school's hazards and rectification notices as they stand, as plain data.

    One object per item: ``kind`` (``hazard`` or ``notice``), the school and its region,
    the item's id, the day it was found (a notice: issued), its deadline, the day it was
    rectified (a notice: closed), where and what, who found (issued) it, and the hazards
    a notice names. Values as the roster holds them (a results store keeps them so).
    """
    region = school.region_code.value
    docs: list[dict[str, Any]] = [
        {
            "school_id": school.id,
            "region": region,
            "kind": "hazard",
            "id": h.id,
            "found_on": h.found_on,
            "rectify_by": h.rectify_by,
            "rectified_on": h.rectified_on,
            "location": h.location,
            "category": h.category,
            "on_the_spot": h.on_the_spot,
            "found_by": h.found_by.value if h.found_by is not None else None,
            "hazard_ids": [],
        }
        for h in school.hazards
    ]
    docs.extend(
        {
            "school_id": school.id,
            "region": region,
            "kind": "notice",
            "id": n.id,
            "found_on": n.issued_on,
            "rectify_by": n.rectify_by,
            "rectified_on": n.closed_on,
            "location": None,
            "category": None,
            "on_the_spot": False,
            "found_by": n.issued_by.value,
            "hazard_ids": list(n.hazard_ids),
        }
        for n in school.rectification_notices
    )
    return docs


# --- one part of a source: the unit of every evaluation mode -----------------------------


def _finding_order(f: Finding) -> tuple[str, str, dt.date]:
    return (f.standard_id, f.rule_id, f.period.start if f.period else dt.date.min)


@attrs.define
class PartResult:
    """What evaluating one part of a source gives.

    ``findings`` is the part's findings as comma-separated JSON objects when they
    were asked for (each school's sorted by standard and rule), else ``None``;
    ``names`` the (id, name) of each school when asked for (for a detailed text
    report). Problems are numbered as the part's reader numbers them; ``ids`` and
    ``id_lines`` let the caller find school ids repeated across parts.
    """

    index: int
    start: int
    end: int
    summary: StreamSummary
    findings: bytes | None = None
    problems: list[LineProblem] = attrs.field(factory=list)
    problem_count: int = 0
    ids: list[str] = attrs.field(factory=list)
    id_lines: list[int] = attrs.field(factory=list)
    names: list[tuple[str, str]] | None = None
    hazards: list[dict[str, Any]] | None = None
    """The hazards and notices of the part's schools when asked for (:func:`hazard_documents`)."""
    part: Any = None
    """The part evaluated (a :class:`~campus_security.pipeline.Part`)."""
    roster: str | None = None
    """The roster the part is of, when one run reads several (its findings name it too)."""


def run_part(
    part: Part,
    evaluator: Evaluator,
    *,
    structurer: Structurer | None = None,
    collect_findings: bool = False,
    show_personal_data: bool = False,
    names: bool = False,
    on_result: Callable[[School, SchoolResult], None] | None = None,
    whole: bool = False,
    admit: Callable[[School], bool] | None = None,
    roster: str | None = None,
    hazards: bool = False,
) -> PartResult:
    """Read and evaluate one part of any source: the one code path of every mode.

    ``evaluator`` must know the roster's companies. ``whole`` says the part is the
    whole source: repeated ids are then found on the spot. ``admit`` chooses the
    schools evaluated (the others are read and checked, not evaluated nor counted:
    ``campus_security.pipeline.filters``); ``roster`` is written in every finding
    document (a run of several rosters). ``hazards`` asks for the
    schools' hazards and notices (:func:`hazard_documents`).
    """
    reader: Any = part.reader(
        evaluator.context.companies.values(),
        structurer or Structurer(),
        set() if whole else None,
    )
    summary = StreamSummary()
    chunks: list[bytes] = []
    school_names: list[tuple[str, str]] | None = [] if names else None
    school_hazards: list[dict[str, Any]] | None = [] if hazards else None
    evaluate, add = evaluator.school, summary.add
    tag = None if roster is None else b',"roster":' + orjson.dumps(roster) + b"}"
    with gc_paused():
        for school in part.schools(reader):
            if admit is not None and not admit(school):
                continue
            result = evaluate(school)
            if collect_findings and result.findings:
                # encoded before counted: a finding that cannot be written is an error
                encoded, result = encode_result(
                    attrs.evolve(
                        result, findings=tuple(sorted(result.findings, key=_finding_order))
                    ),
                    show_personal_data=show_personal_data,
                )
                if tag is not None:  # each object ends in "}": the key goes last
                    encoded = [e[:-1] + tag for e in encoded]
                chunks.extend(encoded)
            add(school, result)
            if school_names is not None:
                school_names.append((school.id, school.name))
            if school_hazards is not None and (school.hazards or school.rectification_notices):
                school_hazards.extend(hazard_documents(school))
            if on_result is not None:
                on_result(school, result)
    start = getattr(part, "start", 0)
    end = getattr(part, "end", None)
    return PartResult(
        part.index,
        start,
        end if end is not None else start + part.size,
        summary,
        b",\n".join(chunks) if collect_findings else None,
        reader.problems,
        reader.problem_count,
        reader.ids,
        reader.id_lines,
        school_names,
        school_hazards,
        part,
        roster,
    )
