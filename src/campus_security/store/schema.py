"""The results store's tables (SQLAlchemy Core) and its migrations (Alembic operations).

Tables and columns have readable names, so that ``datasette results.db`` browses a store:

``runs``
    One row per recorded check: when it ran, the evaluation date (``on_date``) or window
    (``since_date``..``on_date``), the roster's name and SHA-256, the standards and the
    plugin distributions (with versions) that produced it.
``findings``
    Every finding of a run that did not pass and was not "not applicable" (failed, waived,
    errored), in full: status, severity, citation, both messages, evidence, waiver.
``school_rules``
    Passes, compactly: per (run, school) the rules the school passed and the rules that did
    not apply to it, as JSON lists of rule numbers (``rules.number``). A rule *passed* when
    every finding it gave the school passed or did not apply, and at least one passed.
``rules``
    Per run, the rules evaluated, numbered from 0 (the numbers ``school_rules`` uses).
``rates``
    Per run, each target's rate (达标率) as it stood: counts, threshold, due date, status,
    the target's title in both languages.
``hazards``
    Per run, the hazards (隐患) and rectification notices (整改通知书) the roster held, as
    they stood: per school (and its region), ``kind`` ``hazard`` or ``notice``, the item's
    id, the day it was found (a notice: issued), its deadline, the day it was rectified (a
    notice: closed), where and what, and the hazards a notice names.

The schema's version is Alembic's revision, kept in ``alembic_version``. Migrations are
plain functions of :class:`alembic.operations.Operations`, applied in order by
``Store.open`` in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic.operations import Operations

__all__ = [
    "MIGRATIONS",
    "findings",
    "hazards",
    "metadata",
    "rates",
    "rules",
    "runs",
    "school_rules",
]

metadata = sa.MetaData()

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("on_date", sa.Date, nullable=False),
    sa.Column("since_date", sa.Date, nullable=True),
    sa.Column("roster_name", sa.String, nullable=False),
    sa.Column("roster_sha256", sa.String(64), nullable=False),
    sa.Column("standards", sa.JSON, nullable=False),
    sa.Column("plugins", sa.JSON, nullable=False),
    sa.Column("schools", sa.Integer, nullable=False),
    sa.Column("library_version", sa.String, nullable=False),
)

rules = sa.Table(
    "rules",
    metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("standard_id", sa.String, nullable=False),
    sa.Column("rule_id", sa.String, nullable=False),
)

findings = sa.Table(
    "findings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("school_id", sa.String, nullable=False),
    sa.Column("standard_id", sa.String, nullable=False),
    sa.Column("rule_id", sa.String, nullable=False),
    sa.Column("period_start", sa.Date, nullable=True),
    sa.Column("period_end", sa.Date, nullable=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("severity", sa.String(16), nullable=True),
    sa.Column("citation_document", sa.String, nullable=False),
    sa.Column("citation_clause", sa.String, nullable=False),
    sa.Column("message_zh", sa.Text, nullable=False),
    sa.Column("message_en", sa.Text, nullable=False),
    sa.Column("evidence", sa.JSON, nullable=False),
    sa.Column("waiver", sa.JSON, nullable=True),
    sa.Column("waiver_expired", sa.Boolean, nullable=False),
)

school_rules = sa.Table(
    "school_rules",
    metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
    sa.Column("school_id", sa.String, primary_key=True),
    sa.Column("passed", sa.JSON, nullable=False),
    sa.Column("not_applicable", sa.JSON, nullable=False),
)


def _rates_columns() -> list[sa.Column[Any]]:
    """The columns of ``rates`` as revision 1 made them."""
    return [
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("standard_id", sa.String, nullable=False),
        sa.Column("target_id", sa.String, nullable=False),
        sa.Column("region", sa.String, nullable=False),
        sa.Column("period_start", sa.Date, nullable=True),
        sa.Column("period_end", sa.Date, nullable=True),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("threshold", sa.Float, nullable=False),
        sa.Column("met", sa.Integer, nullable=False),
        sa.Column("not_met", sa.Integer, nullable=False),
        sa.Column("waived", sa.Integer, nullable=False),
        sa.Column("errors", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
    ]


rates = sa.Table(
    "rates",
    metadata,
    *_rates_columns(),
    sa.Column("title_zh", sa.Text, nullable=True),
    sa.Column("title_en", sa.Text, nullable=True),
)

hazards = sa.Table(
    "hazards",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("school_id", sa.String, nullable=False),
    sa.Column("region", sa.String, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("item_id", sa.String, nullable=False),
    sa.Column("found_on", sa.Date, nullable=False),
    sa.Column("rectify_by", sa.Date, nullable=True),
    sa.Column("rectified_on", sa.Date, nullable=True),
    sa.Column("location", sa.Text, nullable=True),
    sa.Column("category", sa.Text, nullable=True),
    sa.Column("on_the_spot", sa.Boolean, nullable=False),
    sa.Column("found_by", sa.String, nullable=True),
    sa.Column("hazard_ids", sa.JSON, nullable=False),
)


def _revision_1(op: Operations) -> None:
    """The first schema: runs, rules, findings, school_rules, rates.

    When a later revision changes a table, this one must keep creating the tables as they
    were then (copy the old definitions here).
    """
    old = sa.MetaData()
    for table in (runs, rules, findings, school_rules):
        table.to_metadata(old)
    sa.Table("rates", old, *_rates_columns())
    old.create_all(op.get_bind())


def _revision_2(op: Operations) -> None:
    """An index: a run's findings by school (``history``, ``diff``)."""
    op.create_index("findings_by_run_school", "findings", ["run_id", "school_id"])


def _revision_3(op: Operations) -> None:
    """Hazards and notices as they stood; the targets' titles; findings by school, by rule."""
    op.add_column("rates", sa.Column("title_zh", sa.Text, nullable=True))
    op.add_column("rates", sa.Column("title_en", sa.Text, nullable=True))
    hazards.create(op.get_bind())
    op.create_index("hazards_by_run", "hazards", ["run_id", "kind", "school_id"])
    op.create_index("findings_by_school", "findings", ["school_id", "run_id"])
    op.create_index("findings_by_rule", "findings", ["rule_id", "run_id"])


MIGRATIONS: tuple[tuple[str, Callable[[Operations], None]], ...] = (
    ("1", _revision_1),
    ("2", _revision_2),
    ("3", _revision_3),
)
"""The schema's revisions, oldest first: (revision, migration)."""

HEAD = MIGRATIONS[-1][0]
"""The revision this version of the library writes."""
