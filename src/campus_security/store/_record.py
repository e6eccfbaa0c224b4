"""Recording a run: its rows, from the report's finding documents, in one transaction.

A run is recorded from what the pipeline's sinks see: each school's findings as the
report documents them (:func:`campus_security.report_json.finding_document`), the rates
and the hazards and notices the roster held
(:func:`campus_security.pipeline.hazard_documents`).
Findings that did not pass are stored in full; passes and rules that did not apply as
per-school lists of rule numbers. Rows are inserted in batches as they come, so memory
is bounded by a batch, whatever the roster's size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from .. import __version__
from ..engine import Rate, Standard
from . import schema

__all__ = ["SchoolDocuments", "insert_run"]

SchoolDocuments = tuple[str, Sequence[Mapping[str, Any]]]
"""A school's id and its findings as the report documents them."""

_NOT_STORED_IN_FULL = frozenset({"pass", "not_applicable"})


def insert_run(
    conn: sa.Connection,
    schools: Iterable[SchoolDocuments],
    *,
    started: dt.datetime,
    on: dt.date,
    since: dt.date | None,
    roster: tuple[str, str],
    standards: Sequence[Standard],
    rates: Iterable[Rate],
    plugins: Mapping[str, Any],
    hazards: Iterable[Mapping[str, Any]],
    batch_size: int,
) -> int:
    """Insert one run's rows through ``conn`` (inside the caller's transaction); its id."""
    numbers: dict[tuple[str, str], int] = {}
    for s in standards:
        for r in s.rules:
            numbers.setdefault((s.id, r.id), len(numbers))
    inserted = conn.execute(
        schema.runs.insert().values(
            started_at=started,
            finished_at=started,
            on_date=on,
            since_date=since,
            roster_name=roster[0],
            roster_sha256=roster[1],
            standards=[s.id for s in standards],
            plugins=dict(plugins),
            schools=0,
            library_version=__version__,
        )
    ).inserted_primary_key
    assert inserted is not None
    run_id: int = inserted[0]
    count = _insert_schools(conn, run_id, schools, numbers, batch_size)
    if numbers:
        conn.execute(
            schema.rules.insert(),
            [
                {"run_id": run_id, "number": n, "standard_id": s, "rule_id": r}
                for (s, r), n in numbers.items()
            ],
        )
    rate_rows = [_rate_row(run_id, r) for r in rates]
    if rate_rows:
        conn.execute(schema.rates.insert(), rate_rows)
    _insert_batched(conn, schema.hazards, (_hazard_row(run_id, h) for h in hazards), batch_size)
    conn.execute(
        schema.runs.update()
        .where(schema.runs.c.id == run_id)
        .values(finished_at=dt.datetime.now(dt.UTC), schools=count)
    )
    return run_id


def _insert_batched(
    conn: sa.Connection, table: sa.Table, rows: Iterable[dict[str, Any]], batch_size: int
) -> None:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= batch_size:
            conn.execute(table.insert(), batch)
            batch = []
    if batch:
        conn.execute(table.insert(), batch)


def _insert_schools(
    conn: sa.Connection,
    run_id: int,
    schools: Iterable[SchoolDocuments],
    numbers: dict[tuple[str, str], int],
    batch_size: int,
) -> int:
    finding_rows: list[dict[str, Any]] = []
    school_rows: list[dict[str, Any]] = []
    count = 0
    for school_id, docs in schools:
        count += 1
        state: dict[int, str] = {}  # rule number → "pass" | "na" | "other"
        for d in docs:
            n = numbers.setdefault((d["standard_id"], d["rule_id"]), len(numbers))
            status = d["status"]
            if status == "pass":
                if state.get(n, "na") == "na":
                    state[n] = "pass"
            elif status == "not_applicable":
                state.setdefault(n, "na")
            else:
                state[n] = "other"
                finding_rows.append(_finding_row(run_id, school_id, d))
        school_rows.append(
            {
                "run_id": run_id,
                "school_id": school_id,
                "passed": sorted(n for n, s in state.items() if s == "pass"),
                "not_applicable": sorted(n for n, s in state.items() if s == "na"),
            }
        )
        if len(finding_rows) >= batch_size:
            conn.execute(schema.findings.insert(), finding_rows)
            finding_rows = []
        if len(school_rows) >= batch_size:
            conn.execute(schema.school_rules.insert(), school_rows)
            school_rows = []
    if finding_rows:
        conn.execute(schema.findings.insert(), finding_rows)
    if school_rows:
        conn.execute(schema.school_rules.insert(), school_rows)
    return count


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _finding_row(run_id: int, school_id: str, d: Mapping[str, Any]) -> dict[str, Any]:
    period = d.get("period")
    citation = d["citation"]
    return {
        "run_id": run_id,
        "school_id": school_id,
        "standard_id": d["standard_id"],
        "rule_id": d["rule_id"],
        "period_start": _date(period["start"]) if period else None,
        "period_end": _date(period["end"]) if period else None,
        "status": d["status"],
        "severity": d.get("severity"),
        "citation_document": citation["document"],
        "citation_clause": citation["clause"],
        "message_zh": d["message"]["zh"],
        "message_en": d["message"]["en"],
        "evidence": d.get("evidence"),
        "waiver": d.get("waiver"),
        "waiver_expired": bool(d.get("waiver_expired", False)),
    }


def _rate_row(run_id: int, r: Rate) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "standard_id": r.standard_id,
        "target_id": r.target_id,
        "region": r.region.value,
        "period_start": r.period.start if r.period else None,
        "period_end": r.period.end if r.period else None,
        "due": r.due,
        "threshold": r.threshold,
        "met": r.tally.met,
        "not_met": r.tally.not_met,
        "waived": r.tally.waived,
        "errors": r.tally.errors,
        "status": r.status.value,
        "title_zh": r.title.zh,
        "title_en": r.title.en,
    }


def _hazard_row(run_id: int, h: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "school_id": h["school_id"],
        "region": h["region"],
        "kind": h["kind"],
        "item_id": h["id"],
        "found_on": _date(h["found_on"]),
        "rectify_by": _date(h.get("rectify_by")),
        "rectified_on": _date(h.get("rectified_on")),
        "location": h.get("location"),
        "category": h.get("category"),
        "on_the_spot": bool(h.get("on_the_spot", False)),
        "found_by": h.get("found_by"),
        "hazard_ids": list(h.get("hazard_ids") or ()),
    }
