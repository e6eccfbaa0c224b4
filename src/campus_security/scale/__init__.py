"""National scale: synthetic rosters and Dask.

- :mod:`~campus_security.scale.generate`: a seeded, realistic roster generator
  (``campus-security generate``);
- ``campus_security.scale.dask``: evaluation on a Dask cluster (``check --dask``; the
  optional ``dask`` extra).

Reading, evaluating and reporting a roster of any size is the pipeline's
(:mod:`campus_security.pipeline`); the names that lived here before it
(``scale.jsonl``, ``scale.stream``, ``scale.parallel``, ``scale.report``,
``scale.cli``, and the re-exports below) keep working.
"""

from ..formats.structure import Structurer
from .generate import GeneratorConfig, write_roster
from .jsonl import LinesRoster, dump_lines, dumps_lines, load_lines, open_lines, read_schools
from .parallel import Setup, evaluate_parallel
from .stream import StreamSummary, evaluate_lines, evaluate_schools

__all__ = [
    "GeneratorConfig",
    "LinesRoster",
    "Setup",
    "StreamSummary",
    "Structurer",
    "dump_lines",
    "dumps_lines",
    "evaluate_lines",
    "evaluate_parallel",
    "evaluate_schools",
    "load_lines",
    "open_lines",
    "read_schools",
    "write_roster",
]
