"""The store as a sink of the one pipeline: ``check --store`` records the run it checks.

The parts are spooled to an unnamed temporary file as they come (each part's school
ids, its finding documents and its hazards), so memory stays bounded by a part; at
``finish`` the whole run is recorded in ONE transaction. The store is therefore never
locked while the roster is evaluated, only while the run is written; a run whose roster
had problems, that was interrupted, or that was killed records nothing (the spool is
unnamed: it vanishes with the process).
"""

import datetime as dt
import struct
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, Any

import orjson

from ..engine import Standard
from ..errors import mask_id_numbers
from ..pipeline.run import Outcome
from ..pipeline.stream import PartResult
from ..plugins import PluginVersion
from ._store import RosterIdentity, Run, Store

__all__ = ["StoreSink"]

_HEAD = struct.Struct("<QQQ")
_IN_BRIEF = frozenset({"pass", "not_applicable"})
_BRIEF = ("school_id", "standard_id", "rule_id", "status")


class StoreSink:
    """Records a pipeline run into a :class:`~campus_security.store.Store` (one transaction).

    ``roster``: the roster's identity; ``show_personal_data`` must be the run's (the
    parts' finding documents are masked unless it is set, and the school ids are
    matched to them the same way). After ``finish``, ``run`` is the recorded run.
    """

    wants_findings = True
    wants_names = True
    wants_hazards = True

    def __init__(
        self,
        store: Store,
        roster: RosterIdentity,
        *,
        plugins: Mapping[str, PluginVersion] | None = None,
        show_personal_data: bool = False,
        batch_size: int = 1000,
    ) -> None:
        self.store = store
        self.roster = roster
        self.plugins = plugins
        self.show_personal_data = show_personal_data
        self.batch_size = batch_size
        self.run: Run | None = None
        self._spool: IO[bytes] | None = None
        self._started = dt.datetime.now(dt.UTC)

    def start(
        self, on: dt.date, standards: Sequence[Standard], since: dt.date | None = None
    ) -> None:
        """Open the spool; the run starts now."""
        self._started = dt.datetime.now(dt.UTC)
        self._spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed by finish/abort)

    def part(self, result: PartResult) -> None:
        """Spool the part's school ids, finding documents and hazards.

        Passes and findings that did not apply are kept only as far as the store keeps
        them (standard, rule and status, once per school): a fraction of their documents.
        """
        assert self._spool is not None
        ids = [sid for sid, _name in result.names or ()]
        names = orjson.dumps(ids)
        kept: list[dict[str, Any]] = []
        seen: set[tuple[str, str, str, str]] = set()
        for d in orjson.loads(b"[" + (result.findings or b"") + b"]"):
            status = d["status"]
            if status not in _IN_BRIEF:
                kept.append(d)
                continue
            key = (d["school_id"], d["standard_id"], d["rule_id"], status)
            if key not in seen:
                seen.add(key)
                kept.append({k: d[k] for k in _BRIEF})
        findings = orjson.dumps(kept)
        hazards = orjson.dumps(result.hazards or [])
        self._spool.write(_HEAD.pack(len(names), len(findings), len(hazards)))
        self._spool.write(names)
        self._spool.write(findings)
        self._spool.write(hazards)

    def _parts(self) -> Iterator[tuple[bytes, bytes, bytes]]:
        assert self._spool is not None
        spool = self._spool
        spool.flush()
        spool.seek(0)
        while head := spool.read(_HEAD.size):
            a, b, c = _HEAD.unpack(head)
            yield spool.read(a), spool.read(b), spool.read(c)

    def _schools(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        show = self.show_personal_data
        for names, findings, _hazards in self._parts():
            by_school: dict[str, list[dict[str, Any]]] = {}
            for d in orjson.loads(findings):
                by_school.setdefault(d["school_id"], []).append(d)
            for sid in orjson.loads(names):
                shown = sid if show else mask_id_numbers(sid)
                yield shown, by_school.pop(shown, [])

    def _hazards(self) -> Iterator[dict[str, Any]]:
        show = self.show_personal_data
        for _names, _findings, hazards in self._parts():
            for h in orjson.loads(hazards):
                if not show:
                    h["school_id"] = mask_id_numbers(h["school_id"])
                yield h

    def finish(self, outcome: Outcome) -> None:
        """Record the run in one transaction (:class:`~campus_security.store.StoreError`).

        The rates recorded are the jurisdictions' and, under them, every city's and
        county's with schools (``Outcome.regional_rates``), so ``trend --region`` follows
        a county.
        """
        regional = getattr(outcome, "regional_rates", ())
        rates = [*outcome.rates, *(r.rate for r in regional if r.parent is not None)]
        try:
            self.run = self.store.record_documents(
                self._schools(),
                on=outcome.on,
                since=outcome.since,
                roster=self.roster,
                standards=outcome.standards,
                rates=rates,
                plugins=self.plugins,
                started_at=self._started,
                hazards=self._hazards(),
                batch_size=self.batch_size,
            )
        finally:
            self.abort()

    def abort(self) -> None:
        """Drop the spool: nothing is recorded."""
        if self._spool is not None:
            self._spool.close()
            self._spool = None
