"""Evaluating a JSON Lines roster on a Dask cluster.

The roster is cut into parts at line boundaries, exactly as for
:mod:`campus_security.scale.parallel`, and each part is a Dask task that evaluates
its byte range with :func:`campus_security.scale.stream.evaluate_part` and returns a
small :class:`~campus_security.scale.stream.PartResult`. Each worker process builds
its evaluator once and keeps it for every task of the run. Results are taken in file
order, so the summary, the rates and any findings file equal a single process's.

Without an address, a :class:`distributed.LocalCluster` of one single-threaded worker
process per core is started for the run and closed after it. With an address
(``tcp://scheduler:8786``) the run goes to that cluster's scheduler; the workers
must then

- have campus-security and the same regional plugins installed (the same versions as
  the client), and
- see the roster file at the same path as the client (a shared filesystem).

Dask is an optional dependency: ``pip install 'campus-security[dask]'``.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import uuid
from collections.abc import Callable
from os import PathLike
from pathlib import Path
from typing import Any

from ..engine import Rate, Standard
from ..errors import CampusSecurityError
from ..formats.structure import Structurer
from ..model import SecurityCompany
from .jsonl import open_lines
from .parallel import Setup, available_cores, part_size, run_parts, split
from .stream import PartChecker, PartResult, StreamSummary, evaluate_part

__all__ = ["DaskUnavailable", "evaluate_dask"]


class DaskUnavailable(CampusSecurityError):
    """Dask (``dask[distributed]``) is not installed."""


_EVALUATORS: dict[str, tuple[Any, Structurer]] = {}


def _dask_part(
    path: str,
    index: int,
    start: int,
    end: int,
    setup: Setup,
    companies: tuple[SecurityCompany, ...],
    token: str,
) -> PartResult:
    """One task: evaluate a part on a worker, building the evaluator once per run."""
    hit = _EVALUATORS.get(token)
    if hit is None:
        _EVALUATORS.clear()  # one run at a time per worker process
        hit = _EVALUATORS[token] = (setup.evaluator(companies), Structurer())
    evaluator, structurer = hit
    return evaluate_part(
        path,
        index,
        start,
        end,
        evaluator,
        structurer=structurer,
        collect_findings=setup.collect_findings,
        show_personal_data=setup.show_personal_data,
    )


def evaluate_dask(
    path: str | PathLike[str],
    setup: Setup,
    *,
    address: str | None = None,
    workers: int | None = None,
    part_bytes: int | None = None,
    on_part: Callable[[PartResult], None] | None = None,
) -> tuple[StreamSummary, tuple[Rate, ...], tuple[Standard, ...]]:
    """Evaluate a JSON Lines roster on a Dask cluster; same results as one process.

    ``address`` is a scheduler address; without it a LocalCluster of ``workers``
    single-threaded processes (default: one per core) runs for the call. ``on_part``
    receives each part's result in file order. Returns the merged summary, the rates
    and the standards in force; raises
    :class:`~campus_security.errors.RosterError` at the end if any line had a problem.
    """
    try:  # optional, and untyped: held as Any
        distributed: Any = importlib.import_module("dask.distributed")
    except ImportError:
        raise DaskUnavailable(
            "Dask 未安装：pip install 'campus-security[dask]' / "
            "Dask is not installed: pip install 'campus-security[dask]'"
        ) from None
    roster = open_lines(Path(path))
    in_force = setup.evaluator(roster.companies).standards
    n = workers or available_cores()
    ranges = split(roster, part_size(roster, n, part_bytes))
    stat = os.stat(roster.path)
    token = hashlib.sha1(
        f"{roster.path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}:{setup!r}:{uuid.uuid4()}".encode()
    ).hexdigest()[:16]
    summary = StreamSummary()
    checker = PartChecker(roster)
    cluster: Any = None
    if address is None:
        cluster = distributed.LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=40,
        )
        client = distributed.Client(cluster)
    else:
        client = distributed.Client(address)
    try:
        setup_f = client.scatter(setup, broadcast=True)
        companies_f = client.scatter(roster.companies, broadcast=True)
        name = str(roster.path)

        def submit(index: int, start: int, end: int) -> Any:
            return client.submit(
                _dask_part,
                name,
                index,
                start,
                end,
                setup_f,
                companies_f,
                token,
                pure=False,
                key=f"campus-security-part-{token}-{index}",
            )

        window = max(4, 4 * len(client.scheduler_info().get("workers", {}) or [1]))
        for part in run_parts(submit, ranges, window=window):
            summary.merge(part.summary)
            checker.add(part)
            if on_part is not None:
                on_part(part)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    checker.finish()
    return summary, summary.rates(in_force, setup.on), in_force
