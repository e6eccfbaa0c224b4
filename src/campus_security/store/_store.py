"""The results store: open (and migrate), record a run in one transaction, list, diff."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations

from ..engine import Citation, Rate, SchoolResult, Standard, Status
from ..model import Period, RegionCode, Text
from ..model.values import CampusSecurityError, mask_id_numbers
from ..plugins import PluginVersion
from ..report_json import documented_finding, plain
from . import schema
from ._queries import (
    HazardReport,
    HistoryEntry,
    TrendPoint,
    hazard_report,
    history,
    stored_hazards,
    trend,
)
from ._record import insert_run

__all__ = [
    "FAILING",
    "Diff",
    "RosterIdentity",
    "Run",
    "Store",
    "StoreError",
    "StoredFinding",
    "roster_identity",
]

FAILING = frozenset({Status.FAIL, Status.ERROR})
"""The statuses ``diff`` compares: a finding is failing when its rule failed or broke."""

_BATCH = 1000

_version_table = sa.Table(
    "alembic_version",
    sa.MetaData(),
    sa.Column("version_num", sa.String(32), primary_key=True),
)


class StoreError(CampusSecurityError):
    """A store that cannot be opened, read or written; the message is bilingual."""

    def __init__(self, message: Text) -> None:
        self.message = message
        super().__init__(f"{message.zh} / {message.en}")


@attrs.frozen
class RosterIdentity:
    """Which roster a run checked: its name (the file's name) and its SHA-256."""

    name: str
    sha256: str


def roster_identity(path: Path) -> RosterIdentity:
    """The identity of the roster file at ``path`` (read in blocks, never whole)."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return RosterIdentity(path.name, h.hexdigest())


@attrs.frozen
class Run:
    """One recorded check."""

    id: int
    started_at: dt.datetime
    finished_at: dt.datetime
    on: dt.date
    """The evaluation date (a window's last day)."""
    since: dt.date | None
    """A window's first day; ``None``: the run checked as of ``on``."""
    roster: RosterIdentity
    standards: tuple[str, ...]
    plugins: Mapping[str, Any]
    """Plugin name → ``{"distribution": …, "version": …}``."""
    schools: int


@attrs.frozen
class StoredFinding:
    """A non-passing finding as the store holds it."""

    school_id: str
    standard_id: str
    rule_id: str
    period: Period | None
    status: Status
    severity: str | None
    citation: Citation
    message: Text
    evidence: Any
    waiver: Mapping[str, Any] | None
    waiver_expired: bool

    @property
    def key(self) -> tuple[str, str, str, dt.date | None, dt.date | None]:
        """The finding's identity: school, standard, rule and period."""
        p = self.period
        return (
            self.school_id,
            self.standard_id,
            self.rule_id,
            p.start if p else None,
            p.end if p else None,
        )

    def document(self, *, show_personal_data: bool = False) -> dict[str, Any]:
        """A JSON-ready object; ID numbers masked unless ``show_personal_data``."""
        shown = plain
        return {
            "school_id": shown(self.school_id, show_personal_data=show_personal_data),
            "standard_id": self.standard_id,
            "rule_id": self.rule_id,
            "period": None
            if self.period is None
            else {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
            "status": self.status.value,
            "severity": self.severity,
            "citation": str(self.citation),
            "message": shown(self.message, show_personal_data=show_personal_data),
            "evidence": shown(self.evidence, show_personal_data=show_personal_data),
            "waiver": shown(self.waiver, show_personal_data=show_personal_data),
            "waiver_expired": self.waiver_expired,
        }


@attrs.frozen
class Diff:
    """What changed from run ``a`` to run ``b`` among failing findings (:data:`FAILING`)."""

    a: Run
    b: Run
    new: tuple[StoredFinding, ...]
    """Failing in ``b``, not in ``a``."""
    resolved: tuple[StoredFinding, ...]
    """Failing in ``a`` (as it stood then), not in ``b``."""
    still_failing: tuple[StoredFinding, ...]
    """Failing in both (as it stands in ``b``)."""


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _error(zh: str, en: str) -> StoreError:
    return StoreError(Text(zh, en))


def _engine_url(url: str) -> sa.URL:
    """The SQLAlchemy URL of ``url``: a path, ``sqlite:///…`` or ``postgresql://…``."""
    if url == ":memory:":
        return sa.URL.create("sqlite")
    if "://" not in url:
        path = Path(url).expanduser()
        return sa.URL.create("sqlite", database=str(path.resolve()))
    try:
        parsed = sa.make_url(url)
    except (sa.exc.ArgumentError, ValueError):
        raise _error(
            f"结果库地址无法识别：{mask_id_numbers(url.split('@')[-1])}",
            f"the store URL is not understood: {mask_id_numbers(url.split('@')[-1])}",
        ) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite" and parsed.drivername in ("sqlite", "sqlite+pysqlite"):
        return parsed.set(drivername="sqlite")
    if backend in ("postgresql", "postgres") and parsed.drivername in (
        "postgresql",
        "postgres",
        "postgresql+psycopg",
    ):
        return parsed.set(drivername="postgresql+psycopg")
    shown = parsed.render_as_string(hide_password=True)
    raise _error(
        f"不支持的结果库地址：{shown}（可用：文件路径、sqlite:///…、postgresql://…）",
        f"unsupported store URL: {shown} (use a file path, sqlite:///… or postgresql://…)",
    )


def _reason(exc: BaseException, password: object) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = " ".join(str(orig).split())
    if isinstance(password, str) and password:
        text = text.replace(password, "***")
    return mask_id_numbers(text)


def _sqlite_engine(url: sa.URL) -> sa.Engine:
    db = url.database or ""
    if db and db != ":memory:":
        parent = Path(db).parent
        if not parent.is_dir():
            raise _error(
                f"结果库所在目录不存在：{parent}", f"the store's folder does not exist: {parent}"
            )
        if Path(db).is_dir():
            raise _error(
                f"结果库路径是目录，不是文件：{db}", f"the store path is a folder, not a file: {db}"
            )
    engine = sa.create_engine(url)

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # transactions are begun below, explicitly
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout = 60000")  # a second writer waits, then records
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        # a writer takes the write lock at once: two recordings queue, never deadlock
        write = conn.get_execution_options().get("campus_security_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _refuse_read_only(url: sa.URL) -> None:
    """Name a read-only SQLite store (SQLite itself says 'unable to open database file')."""
    db = url.database or ""
    if url.get_backend_name() != "sqlite" or not db or db == ":memory:":
        return
    path = Path(db)
    for p in (path, path.parent):
        if p.exists() and not os.access(p, os.W_OK):
            raise _error(
                f"结果库只读（文件或所在目录不可写），无法打开：{path}",
                f"the store is read-only (the file or its folder cannot be written): {path}",
            )


class Store:
    """A results store (SQLite file or PostgreSQL database); see :meth:`open`."""

    def __init__(self, engine: sa.Engine, notes: Sequence[Text] = ()) -> None:
        self._engine = engine
        self.notes: tuple[Text, ...] = tuple(notes)
        """What opening did, e.g. a schema upgrade (bilingual; the CLI prints them)."""

    @classmethod
    def open(cls, url: str, *, note: Callable[[Text], None] | None = None) -> Store:
        """Open (creating or upgrading) the store at ``url``.

        ``url``: a file path or ``sqlite:///…`` (an SQLite file, WAL mode) or
        ``postgresql://user:password@host/db`` (psycopg 3). A store made by an older
        version is upgraded in one transaction and :attr:`notes` says so (``note`` is
        called with each note too); one made by a newer version is refused.
        Raises :class:`StoreError` for a bad URL or a store that cannot be opened; its
        message never shows the password.
        """
        target = _engine_url(url)
        password = target.password if isinstance(target.password, str) else None
        engine = (
            _sqlite_engine(target)
            if target.get_backend_name() == "sqlite"
            else sa.create_engine(target, connect_args={"connect_timeout": 10})
        )
        shown = target.render_as_string(hide_password=True)
        try:
            with engine.connect() as conn:
                conn.execution_options(campus_security_write=True)
                with conn.begin():
                    notes = _migrate(conn)
        except StoreError:
            engine.dispose()
            raise
        except sa.exc.SQLAlchemyError as exc:
            engine.dispose()
            reason = _reason(exc, password)
            _refuse_read_only(target)
            raise _error(
                f"无法打开结果库 {shown}：{reason}", f"cannot open the store {shown}: {reason}"
            ) from None
        for n in notes:
            if note is not None:
                note(n)
        return cls(engine, notes)

    def close(self) -> None:
        """Release the store's connections."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- recording --------------------------------------------------------------------

    def record(
        self,
        results: Iterable[SchoolResult],
        *,
        on: dt.date,
        roster: RosterIdentity,
        standards: Sequence[Standard],
        since: dt.date | None = None,
        rates: Iterable[Rate] = (),
        plugins: Mapping[str, PluginVersion] | None = None,
        started_at: dt.datetime | None = None,
        hazards: Iterable[Mapping[str, Any]] = (),
        batch_size: int = _BATCH,
    ) -> Run:
        """Record one run, in ONE transaction: all of it or (on any failure) none of it.

        ``results`` is consumed once, school by school (a generator is fine): findings are
        inserted in batches of ``batch_size``, so memory stays bounded. Failed, waived
        and errored findings are stored in full (ID numbers as the roster holds them);
        passes and rules that did not apply, as per-school lists of rule numbers (see
        ``campus_security.store.schema``). ``hazards``: the hazards and notices as they
        stood (:func:`campus_security.pipeline.hazard_documents`).
        """
        documents = (
            (r.school_id, [documented_finding(f, show_personal_data=True)[0] for f in r.findings])
            for r in results
        )
        return self.record_documents(
            documents,
            on=on,
            roster=roster,
            standards=standards,
            since=since,
            rates=rates,
            plugins=plugins,
            started_at=started_at,
            hazards=hazards,
            batch_size=batch_size,
        )

    def record_documents(
        self,
        schools: Iterable[tuple[str, Sequence[Mapping[str, Any]]]],
        *,
        on: dt.date,
        roster: RosterIdentity,
        standards: Sequence[Standard],
        since: dt.date | None = None,
        rates: Iterable[Rate] = (),
        plugins: Mapping[str, PluginVersion] | None = None,
        started_at: dt.datetime | None = None,
        hazards: Iterable[Mapping[str, Any]] = (),
        batch_size: int = _BATCH,
    ) -> Run:
        """:meth:`record` from each school's findings as the report documents them.

        ``schools``: (school id, finding documents) in roster order, every school once
        (a school without findings with an empty list), as the pipeline's sinks see them
        (:func:`campus_security.report_json.finding_document`). One transaction.
        """
        started = _utc(started_at or dt.datetime.now(dt.UTC))
        plugin_doc = {
            name: {"distribution": v.distribution, "version": v.version}
            for name, v in (plugins or {}).items()
        }
        try:
            with self._engine.connect() as conn:
                conn.execution_options(campus_security_write=True)
                with conn.begin():
                    run_id = insert_run(
                        conn,
                        schools,
                        started=started,
                        on=on,
                        since=since,
                        roster=(roster.name, roster.sha256),
                        standards=standards,
                        rates=rates,
                        plugins=plugin_doc,
                        hazards=hazards,
                        batch_size=batch_size,
                    )
        except sa.exc.SQLAlchemyError as exc:
            reason = _reason(exc, self._engine.url.password)
            raise _error(
                f"无法记录到结果库（本次未记录）：{reason}",
                f"cannot record into the store (nothing of this run was kept): {reason}",
            ) from None
        except OSError as exc:
            raise _error(
                f"无法记录到结果库（本次未记录）：{exc.strerror or exc}",
                f"cannot record into the store (nothing of this run was kept): "
                f"{exc.strerror or exc}",
            ) from None
        return self.run(run_id)

    # --- asking -----------------------------------------------------------------------

    def runs(self) -> tuple[Run, ...]:
        """Every recorded run, oldest first."""
        with self._read() as conn:
            rows = conn.execute(sa.select(schema.runs).order_by(schema.runs.c.id)).all()
        return tuple(_run(r) for r in rows)

    def run(self, run_id: int) -> Run:
        """The run ``run_id``; :class:`StoreError` when the store has none such."""
        with self._read() as conn:
            row = conn.execute(
                sa.select(schema.runs).where(schema.runs.c.id == run_id)
            ).one_or_none()
        if row is None:
            raise _error(f"结果库中没有第{run_id}次运行", f"the store has no run {run_id}")
        return _run(row)

    def findings(self, run_id: int) -> Iterator[StoredFinding]:
        """The stored (non-passing, applicable) findings of a run, by school, rule, period."""
        f = schema.findings.c
        query = (
            sa.select(schema.findings)
            .where(f.run_id == run_id)
            .order_by(f.school_id, f.standard_id, f.rule_id, f.period_start)
        )
        with self._read() as conn:
            for row in conn.execute(query):
                yield _finding(row)

    def passed(self, run_id: int, school_id: str) -> tuple[tuple[str, str], ...]:
        """(standard id, rule id) of every rule school ``school_id`` passed in run ``run_id``."""
        with self._read() as conn:
            row = conn.execute(
                sa.select(schema.school_rules.c.passed).where(
                    schema.school_rules.c.run_id == run_id,
                    schema.school_rules.c.school_id == school_id,
                )
            ).one_or_none()
            if row is None:
                return ()
            rules = {
                n: (s, r)
                for n, s, r in conn.execute(
                    sa.select(
                        schema.rules.c.number, schema.rules.c.standard_id, schema.rules.c.rule_id
                    ).where(schema.rules.c.run_id == run_id)
                )
            }
        return tuple(sorted(rules[n] for n in row[0]))

    def diff(self, a: int | None = None, b: int | None = None) -> Diff:
        """New, resolved and still failing findings from run ``a`` to run ``b``.

        By default ``b`` is the last run and ``a`` the one before ``b``. Findings are matched
        by identity (school, standard, rule, period); see :data:`FAILING`.
        """
        runs = self.runs()
        ids = [r.id for r in runs]
        if b is None:
            b = ids[-1] if ids else None
        if b is not None and a is None and b in ids and ids.index(b) > 0:
            a = ids[ids.index(b) - 1]
        if a is None or b is None:
            raise _error(
                f"比较需要两次运行，结果库中只有{len(ids)}次",
                f"a diff needs two runs; the store has {len(ids)}",
            )
        run_a, run_b = self.run(a), self.run(b)
        old = {f.key: f for f in self.findings(a) if f.status in FAILING}
        new = {f.key: f for f in self.findings(b) if f.status in FAILING}
        return Diff(
            run_a,
            run_b,
            tuple(f for k, f in new.items() if k not in old),
            tuple(f for k, f in old.items() if k not in new),
            tuple(f for k, f in new.items() if k in old),
        )

    # --- across runs ------------------------------------------------------------------

    def history(
        self, school_id: str | None = None, rule_id: str | None = None
    ) -> tuple[HistoryEntry, ...]:
        """A school's (or a rule's, or a school's rule's) failing findings run by run.

        Each entry says what failed in the run, what was new and what was resolved since
        the previous run in which the school (the rule) was checked.
        """
        if school_id is None and rule_id is None:
            raise _error("需要学校编号或规则编号", "a school id or a rule id is needed")
        f = schema.findings.c
        query = sa.select(schema.findings)
        if school_id is not None:
            query = query.where(f.school_id == school_id)
        if rule_id is not None:
            query = query.where(f.rule_id == rule_id)
        query = query.order_by(f.run_id, f.school_id, f.standard_id, f.rule_id, f.period_start)
        runs = self.runs()
        with self._read() as conn:
            found = [(row._mapping["run_id"], _finding(row)) for row in conn.execute(query)]
            checked: set[int] = set()
            if school_id is not None:
                sr = schema.school_rules.c
                checked = set(
                    conn.execute(sa.select(sr.run_id).where(sr.school_id == school_id)).scalars()
                )
            if rule_id is not None:
                rc = schema.rules.c
                by_rule = set(
                    conn.execute(sa.select(rc.run_id).where(rc.rule_id == rule_id)).scalars()
                )
                checked = by_rule if school_id is None else checked & by_rule
        return history(runs, found, checked.__contains__)

    def trend(self, target_id: str, region: str | None = None) -> tuple[TrendPoint, ...]:
        """A target's rate as each run recorded it (in ``region`` only, if given)."""
        runs = {r.id: r for r in self.runs()}
        with self._read() as conn:
            return trend(conn, runs, target_id, region)

    def hazards(
        self,
        run_id: int | None = None,
        *,
        as_of: dt.date | None = None,
        since: int | None = None,
        region: str | None = None,
    ) -> HazardReport:
        """The hazards and notices run ``run_id`` (default: the last) recorded.

        Judged as of ``as_of`` (default: the run's date), against run ``since`` (default:
        the run before; items open then and rectified since, or gone from the roster).
        ``region`` keeps the schools of that region (and the regions under it).
        """
        runs = self.runs()
        if not runs:
            raise _error("结果库中还没有运行记录", "the store holds no runs yet")
        run = self.run(run_id) if run_id is not None else runs[-1]
        ids = [r.id for r in runs]
        if since is None and ids.index(run.id) > 0:
            since = ids[ids.index(run.id) - 1]
        earlier = self.run(since) if since is not None else None
        code = None
        if region is not None:
            try:
                code = RegionCode(region)
            except CampusSecurityError as exc:
                raise _error(f"地区代码有误：{exc}", f"bad region code: {exc}") from None
        with self._read() as conn:
            items = stored_hazards(conn, run.id, code)
            before = stored_hazards(conn, earlier.id, code) if earlier is not None else []
        return hazard_report(run, items, as_of or run.on, earlier, before)

    def _read(self) -> sa.Connection:
        try:
            return self._engine.connect()
        except sa.exc.SQLAlchemyError as exc:
            reason = _reason(exc, self._engine.url.password)
            raise _error(f"无法读取结果库：{reason}", f"cannot read the store: {reason}") from None


def _migrate(conn: sa.Connection) -> list[Text]:
    """Bring the schema to :data:`schema.HEAD`; refuse a newer one. Returns notes."""
    if conn.dialect.name == "postgresql":  # two processes opening a new store: one migrates
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(16016)")
    ctx = MigrationContext.configure(conn)
    current = ctx.get_current_revision()
    known = [rev for rev, _ in schema.MIGRATIONS]
    if current is None:
        if sa.inspect(conn).has_table("runs"):
            raise _error(
                "这个数据库有 runs 表但没有架构版本，不是本工具的结果库",
                "this database has a runs table but no schema revision: it is not a store",
            )
        start = 0
    elif current not in known:
        raise _error(
            f"结果库由较新版本的 campus-security 创建（架构版本 {current}，"
            f"本版本最高支持 {schema.HEAD}），请升级 campus-security 后再打开",
            f"the store was made by a newer campus-security (schema revision {current}; "
            f"this version knows up to {schema.HEAD}): upgrade campus-security to open it",
        )
    else:
        start = known.index(current) + 1
    todo = schema.MIGRATIONS[start:]
    if not todo:
        return []
    ops = Operations(ctx)
    for _rev, migration in todo:
        migration(ops)
    _version_table.create(conn, checkfirst=True)
    conn.execute(_version_table.delete())
    conn.execute(_version_table.insert().values(version_num=schema.HEAD))
    if current is None:
        return []
    return [
        Text(
            f"结果库架构已从版本 {current} 升级到 {schema.HEAD}",
            f"the store's schema was upgraded from revision {current} to {schema.HEAD}",
        )
    ]


def _run(row: sa.Row[Any]) -> Run:
    m = row._mapping
    return Run(
        id=m["id"],
        started_at=_utc(m["started_at"]),
        finished_at=_utc(m["finished_at"]),
        on=m["on_date"],
        since=m["since_date"],
        roster=RosterIdentity(m["roster_name"], m["roster_sha256"]),
        standards=tuple(m["standards"]),
        plugins=m["plugins"],
        schools=m["schools"],
    )


def _finding(row: sa.Row[Any]) -> StoredFinding:
    m = row._mapping
    start, end = m["period_start"], m["period_end"]
    return StoredFinding(
        school_id=m["school_id"],
        standard_id=m["standard_id"],
        rule_id=m["rule_id"],
        period=Period(start, end) if start is not None and end is not None else None,
        status=Status(m["status"]),
        severity=m["severity"],
        citation=Citation(m["citation_document"], m["citation_clause"]),
        message=Text(m["message_zh"], m["message_en"]),
        evidence=m["evidence"],
        waiver=m["waiver"],
        waiver_expired=bool(m["waiver_expired"]),
    )


def store_url_from_env() -> str | None:
    """The store URL from ``CAMPUS_SECURITY_STORE``, if set and not empty."""
    return os.environ.get("CAMPUS_SECURITY_STORE") or None
