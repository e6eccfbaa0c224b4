"""What ``check`` does with a roster.

Moved to :mod:`campus_security.pipeline.cli`; this name keeps working.
"""

from ..pipeline.cli import (
    DETAIL_LIMIT,
    STREAMED_SUFFIXES,
    check_lines,
    is_streamed,
    summarise,
)

__all__ = ["DETAIL_LIMIT", "STREAMED_SUFFIXES", "check_lines", "is_streamed", "summarise"]
