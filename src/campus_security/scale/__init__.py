"""National scale: synthetic rosters, JSON Lines, streaming, all cores, Dask.

- :mod:`~campus_security.scale.generate`: a seeded, realistic roster generator
  (``campus-security generate``);
- :mod:`~campus_security.scale.jsonl`: the JSON Lines roster format, one school per
  line, read as a stream with path-bearing errors;
- :class:`~campus_security.formats.structure.Structurer` (re-exported here): the fast
  structurer that every roster reader uses, validating exactly what cattrs validates;
- :mod:`~campus_security.scale.stream`: evaluation in bounded memory, summaries that
  merge across batches, processes and cluster partitions;
- :mod:`~campus_security.scale.parallel`: every core of the machine (``check --jobs``);
- :mod:`~campus_security.scale.dask`: a Dask cluster (``check --dask``; the optional
  ``dask`` extra).

The engine stays pure: everything here is an edge around
:class:`~campus_security.engine.Evaluator`.
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
