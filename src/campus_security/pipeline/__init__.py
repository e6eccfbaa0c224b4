"""The pipeline: every roster source streams schools into one evaluator and out to every sink.

::

    sources                    schools        evaluator                      sinks
    ─────────────────────      ───────        ──────────────────────         ─────────────────
    JsonSource     .json   ─┐                 ┌ in this process    ┐    ┌─ TextReportSink
    LinesSource    .jsonl  ─┤  parts, in      │ --jobs N processes │    │  (blocks or counts)
    RosterSource   census  ─┼─ roster order ──┤ --dask cluster     ├────┼─ JsonReportSink
    SchoolsSource  an app's─┘  (byte ranges   └ same run_part ─────┘    │  (one document)
                   iterable     or batches)     results in order        └─ your own Sink

1. A **source** (``pipeline.sources``) opens a roster, gives its security companies, then
   its schools as *parts*: byte ranges of whole schools for JSON (found by
   ``pipeline.jsonscan``) and JSON Lines files, batches for rosters in memory (census
   forms) and an application's own iterable of :class:`~campus_security.model.School`.
2. The **evaluator** runs each part through :func:`run_part` (read, check,
   evaluate, count) in this process, on worker processes (``pipeline.parallel``) or on
   a Dask cluster (``campus_security.scale.dask``), and :func:`run` takes the
   results back in roster order. The three give the same bytes.
3. **Sinks** (``pipeline.sinks``) receive each part's results in roster order: the text
   report and the JSON report document (written by the one
   :class:`~campus_security.report.JsonReportWriter`), atomically.

Memory is bounded by a few parts, not by the roster. A roster with problems raises
one :class:`~campus_security.errors.RosterError` listing them all at the end, and no
sink leaves anything behind.

From Python::

    import datetime as dt
    from campus_security.pipeline import JsonReportSink, Setup, open_source, run

    outcome = run(
        open_source("roster.json"),
        Setup(on=dt.date(2024, 11, 20)),
        sinks=[JsonReportSink(Path("report.json"))],
        jobs=4,
    )
    print(outcome.summary.schools, outcome.failed)
"""

from .filters import SchoolFilter
from .parallel import Setup, available_cores
from .run import MODES, Outcome, RostersError, Sink, choose_mode, run
from .sinks import DETAIL_LIMIT, JsonReportSink, Output, TextReportSink
from .sources import (
    JsonSource,
    LinesSource,
    Part,
    RosterSource,
    SchoolsSource,
    Source,
    open_source,
)
from .stream import PartResult, StreamSummary, evaluate_schools, hazard_documents, run_part

__all__ = [
    "DETAIL_LIMIT",
    "MODES",
    "JsonReportSink",
    "JsonSource",
    "LinesSource",
    "Outcome",
    "Output",
    "Part",
    "PartResult",
    "RosterSource",
    "RostersError",
    "SchoolFilter",
    "SchoolsSource",
    "Setup",
    "Sink",
    "Source",
    "StreamSummary",
    "TextReportSink",
    "available_cores",
    "choose_mode",
    "evaluate_schools",
    "hazard_documents",
    "open_source",
    "run",
    "run_part",
]
