"""Evaluation on every core.

Moved to :mod:`campus_security.pipeline.parallel`; this name keeps working.
"""

from ..pipeline.parallel import PART_BYTES, Setup, available_cores, run_parts, split
from ..pipeline.run import evaluate_parallel

__all__ = ["PART_BYTES", "Setup", "available_cores", "evaluate_parallel", "run_parts", "split"]
