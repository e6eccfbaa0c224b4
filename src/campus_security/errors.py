"""The library's errors. Every problem names where it is and says what, in zh and en."""

from __future__ import annotations

import errno
import re
from collections.abc import Iterable

import attrs

from .model import Text
from .model.values import CampusSecurityError, mask_id_numbers, mask_text

__all__ = [
    "CampusSecurityError",
    "Problem",
    "RosterError",
    "describe_exception",
    "mask_id_numbers",
    "unreadable_file",
]


def _mask_optional(value: str | None) -> str | None:
    return None if value is None else mask_id_numbers(value)


@attrs.frozen
class Problem:
    """One problem in an input: where (``source`` and ``path``) and what (``message``).

    ``path`` is a JSON-style path into the roster (``schools[3].guards[0].id_number``)
    or, for spreadsheets, ``sheet!row:column``. ID-shaped values in all three are
    masked at construction (:func:`mask_id_numbers`): a message may echo what was
    typed, and an ID number typed where it does not belong is personal data all the same.
    """

    path: str = attrs.field(converter=mask_id_numbers)
    message: Text = attrs.field(converter=mask_text)
    source: str | None = attrs.field(default=None, converter=_mask_optional)

    def __str__(self) -> str:
        where = f"{self.source}: {self.path}" if self.source else self.path
        return f"{where}: {self.message.zh} / {self.message.en}"


class RosterError(CampusSecurityError):
    """A roster that cannot be read: every problem found, with its path."""

    def __init__(self, problems: Iterable[Problem], source: str | None = None) -> None:
        self.problems = tuple(problems)
        self.source = source
        n = len(self.problems)
        head = f"{mask_id_numbers(source)}: " if source else ""
        lines = [f"{head}名册有{n}处错误 / the roster has {n} problem{'s' * (n != 1)}:"]
        lines += [f"  {p.path}: {p.message.zh} / {p.message.en}" for p in self.problems]
        super().__init__("\n".join(lines))


_OS_REASONS = {
    errno.ENOENT: ("文件不存在", "no such file"),
    errno.EISDIR: ("这是目录，不是文件", "it is a directory, not a file"),
    errno.EACCES: ("没有读取权限", "permission denied"),
}


def unreadable_file(path: str, exc: BaseException) -> RosterError:
    """The error for a file that cannot be opened, saying why in Chinese and English.

    Some readers (python-calamine) raise a plain OSError whose text ends in
    "(os error N)"; the number is read from there when ``errno`` is unset.
    """
    code = getattr(exc, "errno", None)
    if code is None:
        found = re.search(r"\(os error (\d+)\)", str(exc))
        code = int(found.group(1)) if found else None
    zh, en = _OS_REASONS.get(code, (None, None)) if code is not None else (None, None)
    if zh is None or en is None:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        zh, en = reason, reason
    return RosterError(
        [Problem("$", Text(f"无法读取文件：{zh}", f"cannot read the file: {en}"), path)], path
    )


def describe_exception(exc: BaseException) -> str:
    """``Type: message`` of an exception, for messages about plugin code that raised.

    Never raises: an exception's message is plugin code too, and one that cannot be
    read is said to be so. ID-shaped values in it are masked.

    >>> describe_exception(SystemExit(0)), describe_exception(KeyError())
    ('SystemExit: 0', 'KeyError')
    """
    name = type(exc).__name__
    try:
        text = mask_id_numbers(str(exc).strip())
    except Exception:
        text = "(消息无法读取 / its message cannot be read)"
    return f"{name}: {text}" if text else name
