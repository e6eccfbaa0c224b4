"""The JSON Lines roster format.

Moved to :mod:`campus_security.pipeline.jsonl`; this name keeps working.
"""

from ..pipeline.jsonl import (
    LINES_FORMAT,
    LINES_VERSION,
    SUPPORTED_LINES_VERSIONS,
    LineProblem,
    LineReader,
    LinesRoster,
    batched,
    count_lines,
    dump_lines,
    dumps_lines,
    duplicate_text,
    header_line,
    iter_lines,
    load_lines,
    object_line,
    open_lines,
    raise_problems,
    read_schools,
)

__all__ = [
    "LINES_FORMAT",
    "LINES_VERSION",
    "SUPPORTED_LINES_VERSIONS",
    "LineProblem",
    "LineReader",
    "LinesRoster",
    "batched",
    "count_lines",
    "dump_lines",
    "dumps_lines",
    "duplicate_text",
    "header_line",
    "iter_lines",
    "load_lines",
    "object_line",
    "open_lines",
    "raise_problems",
    "read_schools",
]
