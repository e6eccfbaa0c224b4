"""The library's errors. Every problem names where it is and says what, in zh and en."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from .model import Text

__all__ = ["CampusSecurityError", "Problem", "RosterError"]


class CampusSecurityError(Exception):
    """Base class of every error the library raises on purpose."""


@attrs.frozen
class Problem:
    """One problem in an input: where (``source`` and ``path``) and what (``message``).

    ``path`` is a JSON-style path into the roster (``schools[3].guards[0].id_number``)
    or, for spreadsheets, ``sheet!row:column``.
    """

    path: str
    message: Text
    source: str | None = None

    def __str__(self) -> str:
        where = f"{self.source}: {self.path}" if self.source else self.path
        return f"{where}: {self.message.zh} / {self.message.en}"


class RosterError(CampusSecurityError):
    """A roster that cannot be read: every problem found, with its path."""

    def __init__(self, problems: Iterable[Problem], source: str | None = None) -> None:
        self.problems = tuple(problems)
        self.source = source
        n = len(self.problems)
        head = f"{source}: " if source else ""
        lines = [f"{head}名册有{n}处错误 / the roster has {n} problem{'s' * (n != 1)}:"]
        lines += [f"  {p.path}: {p.message.zh} / {p.message.en}" for p in self.problems]
        super().__init__("\n".join(lines))
