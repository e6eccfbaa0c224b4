"""The campus-security tutorial plugin: a fictional standard for Hangzhou (330100).

教程〔2024〕1号 does not exist. This distribution is the worked example of the plugin
author's tutorial (docs/plugin-authors.md), installed and tested with the library so
that the tutorial cannot drift from working code. Its rules are not a regulation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from campus_security.sdk import Standard, Text, hookimpl

from .rules import DOCUMENT, RULES, TARGETS

__all__ = ["STANDARD", "campus_security_standards"]

# --8<-- [start:standard]
STANDARD = Standard(
    id="tutorial",
    title=Text(
        "教程示例：杭州市中小学幼儿园安全防范要求（虚构）",
        "Tutorial example: school security requirements for Hangzhou (fictional)",
    ),
    document=DOCUMENT,
    issued_by=Text(
        "campus-security 教程（虚构文件，并非真实规定）",
        "the campus-security tutorial (a fictional document, not a real regulation)",
    ),
    jurisdiction=["330100"],  # 杭州市 and every code under it (3301xx)
    in_force_from=dt.date(2024, 9, 1),
    rules=RULES,
    targets=TARGETS,
)


@hookimpl
def campus_security_standards() -> Iterable[Standard]:
    """Provide the tutorial standard."""
    return [STANDARD]


# --8<-- [end:standard]
