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
import uuid
from collections.abc import Callable, Iterable, Iterator
from os import PathLike
from typing import Any

from ..engine import Rate, Standard
from ..errors import CampusSecurityError
from ..formats.structure import Structurer
from ..model import SecurityCompany
from ..pipeline.parallel import Setup, available_cores, run_parts, work_part
from ..pipeline.sources import LinesSource, Part, PartChecker
from ..pipeline.stream import PartResult, StreamSummary

__all__ = ["DaskUnavailable", "evaluate_dask", "evaluate_dask_parts"]


class DaskUnavailable(CampusSecurityError):
    """Dask (``dask[distributed]``) is not installed."""


_EVALUATORS: dict[str, tuple[Any, Structurer]] = {}


def _dask_part(
    part: Part,
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
    return work_part(part, evaluator, structurer, setup)


def evaluate_dask_parts(
    parts: Iterable[Part],
    setup: Setup,
    companies: tuple[SecurityCompany, ...],
    *,
    address: str | None = None,
    workers: int | None = None,
) -> Iterator[PartResult]:
    """Evaluate parts on a Dask cluster; results in roster order.

    ``address`` is a scheduler address; without it a LocalCluster of ``workers``
    single-threaded processes (default: one per core) runs for the call.
    """
    try:  # optional, and untyped: held as Any
        distributed: Any = importlib.import_module("dask.distributed")
    except ImportError:
        raise DaskUnavailable(
            "Dask 未安装：pip install 'campus-security[dask]' / "
            "Dask is not installed: pip install 'campus-security[dask]'"
        ) from None
    n = workers or available_cores()
    token = hashlib.sha1(f"{setup!r}:{uuid.uuid4()}".encode()).hexdigest()[:16]
    cluster: Any = None
    if address is None:
        cluster = distributed.LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # any free port: 8787 may be taken (another run)
            silence_logs=40,
        )
        client = distributed.Client(cluster)
    else:
        client = distributed.Client(address)
    try:
        setup_f = client.scatter(setup, broadcast=True)
        companies_f = client.scatter(companies, broadcast=True)

        def submit(part: Part) -> Any:
            return client.submit(
                _dask_part,
                part,
                setup_f,
                companies_f,
                token,
                pure=False,
                key=f"campus-security-part-{token}-{part.index}",
            )

        window = max(4, 4 * len(client.scheduler_info().get("workers", {}) or [1]))
        yield from run_parts(submit, parts, window=window)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


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
    (``campus_security.pipeline.run`` with ``dask=`` does this for any source.)
    """
    try:
        importlib.import_module("dask.distributed")
    except ImportError:
        raise DaskUnavailable(
            "Dask 未安装：pip install 'campus-security[dask]' / "
            "Dask is not installed: pip install 'campus-security[dask]'"
        ) from None
    source = LinesSource(path)
    source.open()
    in_force = setup.evaluator(source.companies).standards
    n = workers or available_cores()
    summary = StreamSummary()
    checker = PartChecker(source)
    for part in evaluate_dask_parts(
        source.parts(part_bytes, n), setup, source.companies, address=address, workers=n
    ):
        summary.merge(part.summary)
        checker.add(part)
        if on_part is not None:
            on_part(part)
    checker.finish()
    return summary, summary.rates(in_force, setup.on), in_force
