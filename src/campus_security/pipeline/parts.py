"""What a source's parts are: runs of schools that any process can read.

The protocols the sources (:mod:`campus_security.pipeline.sources`) implement and the
workers (:mod:`~campus_security.pipeline.stream`, :mod:`~campus_security.pipeline.parallel`)
read, in a module of their own so that neither side imports the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from ..formats.structure import Structurer
from ..model import School, SecurityCompany
from .jsonl import LineProblem

__all__ = ["Part", "Reader"]


class Reader(Protocol):
    """What a part reads its schools through (:class:`LineReader`, :class:`ElementReader`)."""

    problems: list[LineProblem]
    problem_count: int
    ids: list[str]
    id_lines: list[int]


class Part(Protocol):
    """A run of schools of a source that any process can read (picklable)."""

    @property
    def index(self) -> int:
        """The part's place in the source (from 0)."""

    @property
    def size(self) -> int:
        """Bytes (file parts) or schools (parts in memory), for progress."""

    def reader(
        self, companies: Iterable[SecurityCompany], structurer: Structurer, seen: set[str] | None
    ) -> Reader:
        """A reader for this part's schools."""

    def schools(self, reader: Any) -> Iterator[School]:
        """The part's valid schools, in roster order; problems go to ``reader``."""
