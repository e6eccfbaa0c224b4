"""The report sinks.

Moved to :mod:`campus_security.pipeline.sinks`; this name keeps working.
"""

from ..pipeline.sinks import (
    JsonReportWriter,
    render_summary,
    summary_document,
)

__all__ = ["JsonReportWriter", "render_summary", "summary_document"]
