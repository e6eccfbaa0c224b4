"""Streaming evaluation.

Moved to :mod:`campus_security.pipeline` (``stream``, ``sources``, ``run``); this name
keeps working.
"""

from ..pipeline.run import evaluate_lines, evaluate_part
from ..pipeline.sources import PartChecker
from ..pipeline.stream import (
    FAILING_SAMPLE,
    PartResult,
    StreamSummary,
    encode_result,
    evaluate_schools,
    finding_bytes,
    gc_paused,
)

__all__ = [
    "FAILING_SAMPLE",
    "PartChecker",
    "PartResult",
    "StreamSummary",
    "encode_result",
    "evaluate_lines",
    "evaluate_part",
    "evaluate_schools",
    "finding_bytes",
    "gc_paused",
]
