"""A byte scanner for the JSON roster format: where each part of the ``schools`` array lies.

A JSON roster is one object, so no JSON parser can hand over its schools before it
has read the whole file. This scanner reads the file once, in blocks, and finds the
top-level keys and, in the ``schools`` array, cut points between schools: byte
ranges of whole schools, about ``part_bytes`` long. Each range is then parsed by
orjson on its own (``[`` + range + ``]``), in this process or in a worker that
reads the range from the file itself, so memory is bounded by a part, not by the
roster.

The scanner only tracks brackets outside strings (one Python step per ``{``, ``[``,
``}`` or ``]``; strings and scalars are skipped by a regular expression). It does not
validate JSON: orjson does, on every range and every top-level value it parses, so
whatever the scanner passes over is still checked. What the scanner itself rejects
(an unterminated string, unbalanced brackets, a missing ``:``) is reported as
:class:`JsonSyntaxError` with the byte offset.
"""

from __future__ import annotations

import re
from typing import BinaryIO

import attrs
import orjson

__all__ = ["BLOCK", "JsonSyntaxError", "ScannedRoster", "SchoolsRange", "scan_roster"]

BLOCK = 1 << 22
"""Bytes read at a time."""

_WS = re.compile(rb"[ \t\r\n]*")
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
# everything up to the next bracket outside a string (complete strings included)
_SKIP = re.compile(rb'[^"{}\[\]]*(?:"[^"\\]*(?:\\.[^"\\]*)*"[^"{}\[\]]*)*', re.DOTALL)
_SCALAR = re.compile(rb"[^,}\]\s]*")


def _nested(depth: int) -> bytes:
    """A pattern for an object or array nested at most ``depth`` deep (brackets unpaired)."""
    string = rb'"[^"\\]*+(?:\\.[^"\\]*+)*+"'
    inner = rb'(?:[^"{}\[\]]++|' + string + rb")*+"
    for _ in range(depth):
        inner = rb'(?:[^"{}\[\]]++|' + string + rb"|[{\[]" + inner + rb"[}\]])*+"
    return rb"[{\[]" + inner + rb"[}\]]"


_ELEMENT = re.compile(_nested(8), re.DOTALL)
ELEMENT_LIMIT = 1 << 20
"""An element not matched within this many bytes is scanned bracket by bracket."""


class JsonSyntaxError(Exception):
    """The file is not JSON the scanner can follow; ``offset`` is where it stopped.

    ``message`` says what was wrong in English, ``message_zh`` in Chinese.
    """

    def __init__(self, offset: int, message: str, message_zh: str = "") -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message
        self.message_zh = message_zh or message


@attrs.frozen
class SchoolsRange:
    """Whole schools: bytes ``[start, end)`` of the file hold ``count`` of them, from ``first``."""

    start: int
    end: int
    first: int
    count: int


@attrs.define
class ScannedRoster:
    """Where the top-level values of a JSON roster lie.

    ``values`` maps each top-level key but ``schools`` to the byte range of its value
    (in file order); ``schools_kind`` is the first byte of the ``schools`` value
    (``[`` for an array); ``ranges`` cut the array into parts; ``schools`` counts them.
    """

    values: dict[str, tuple[int, int]] = attrs.field(factory=dict)
    keys: list[str] = attrs.field(factory=list)
    schools_kind: bytes | None = None
    schools_span: tuple[int, int] | None = None
    ranges: list[SchoolsRange] = attrs.field(factory=list)
    schools: int = 0


class _Reader:
    def __init__(self, f: BinaryIO) -> None:
        self.f = f
        self.buf = b""
        self.base = 0  # file offset of buf[0]
        self.pos = 0

    def more(self) -> bool:
        data = self.f.read(BLOCK)
        if not data:
            return False
        self.buf = self.buf[self.pos :] + data
        self.base += self.pos
        self.pos = 0
        return True

    @property
    def offset(self) -> int:
        return self.base + self.pos

    def error(self, zh: str, en: str) -> JsonSyntaxError:
        return JsonSyntaxError(self.offset, en, zh)

    def peek(self) -> int:
        """The next byte after whitespace, or -1 at the end of the file."""
        while True:
            self.pos = _WS.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.more():
                return -1

    def expect(self, char: bytes) -> None:
        if self.peek() != char[0]:
            raise self.error(f"此处应为 {char.decode()!r}", f"expected {char.decode()!r}")
        self.pos += 1

    def string(self) -> bytes:
        if self.peek() != 0x22:
            raise self.error("此处应为字符串", "expected a string")
        while True:
            m = _STRING.match(self.buf, self.pos)
            if m is not None:
                self.pos = m.end()
                return m.group()
            if not self.more():
                raise self.error("字符串没有结束引号", "unterminated string")

    def skip_value(self) -> None:
        c = self.peek()
        if c == -1:
            raise self.error("文件意外结束", "unexpected end of file")
        if c == 0x22:
            self.string()
        elif c in b"{[":
            self._skip_nested()
        else:
            start = self.offset
            while True:
                self.pos = _SCALAR.match(self.buf, self.pos).end()  # type: ignore[union-attr]
                if self.pos < len(self.buf) or not self.more():
                    break
            if self.offset == start:
                raise self.error("此处应为一个值", "expected a value")

    def _skip_nested(self) -> None:
        depth = 0
        skip = _SKIP.match
        while True:
            buf = self.buf
            pos = skip(buf, self.pos).end()  # type: ignore[union-attr]
            if pos >= len(buf):
                self.pos = pos
                if not self.more():
                    raise self.error("文件意外结束", "unexpected end of file")
                continue
            c = buf[pos]
            if c == 0x22:  # a string that ends after this block
                self.pos = pos
                if not self.more():
                    raise self.error("字符串没有结束引号", "unterminated string")
                continue
            self.pos = pos + 1
            if c == 0x7B or c == 0x5B:
                depth += 1
            else:
                depth -= 1
                if depth == 0:
                    return

    def _element(self) -> None:
        """Skip one object or array element, in one regular-expression match when it can."""
        while True:
            m = _ELEMENT.match(self.buf, self.pos)
            if m is not None and m.end() < len(self.buf):
                self.pos = m.end()
                return
            if (m is None and len(self.buf) - self.pos > ELEMENT_LIMIT) or not self.more():
                self._skip_nested()  # deeper than the expression goes, or not JSON
                return

    def schools_array(self, part_bytes: int, out: ScannedRoster) -> None:
        """Scan the ``schools`` array (at ``[``), cutting it between elements."""
        self.expect(b"[")
        if self.peek() == 0x5D:
            self.pos += 1
            return
        part_start = self.offset
        first = index = 0
        ranges = out.ranges
        while True:
            c = self.peek()
            if c == 0x7B or c == 0x5B:
                self._element()
            else:
                self.skip_value()
            c = self.peek()
            if c == 0x2C:
                cut = self.offset
                self.pos += 1
                index += 1
                if cut - part_start >= part_bytes:
                    ranges.append(SchoolsRange(part_start, cut, first, index - first))
                    part_start, first = cut + 1, index
            elif c == 0x5D:
                ranges.append(SchoolsRange(part_start, self.offset, first, index - first + 1))
                self.pos += 1
                out.schools = index + 1
                return
            else:
                raise self.error(
                    "schools 数组中此处应为 ',' 或 ']'", "expected ',' or ']' in the schools array"
                )


def scan_roster(f: BinaryIO, part_bytes: int) -> ScannedRoster:
    """Scan a JSON roster file from its start; raise :class:`JsonSyntaxError` if lost."""
    r = _Reader(f)
    out = ScannedRoster()
    if r.peek() != 0x7B:
        raise r.error("名册应为 JSON 对象", "a roster is a JSON object")
    r.pos += 1
    if r.peek() == 0x7D:
        r.pos += 1
    else:
        while True:
            raw = r.string()
            try:
                key = orjson.loads(raw)
            except orjson.JSONDecodeError:
                raise r.error("字段名无效", "invalid key") from None
            if key in out.keys:
                raise r.error(f"字段 {key!r} 出现了两次", f"the key {key!r} appears twice")
            r.expect(b":")
            c = r.peek()
            start = r.offset
            if key == "schools" and c == 0x5B:
                out.schools_kind = b"["
                r.schools_array(part_bytes, out)
                out.schools_span = (start, r.offset)
            else:
                if key == "schools":
                    out.schools_kind = bytes([c]) if c >= 0 else b""
                r.skip_value()
                out.values[key] = (start, r.offset)
            out.keys.append(key)
            c = r.peek()
            r.pos += 1
            if c == 0x7D:
                break
            if c != 0x2C:
                r.pos -= 1
                raise r.error("此处应为 ',' 或 '}'", "expected ',' or '}'")
    if r.peek() != -1:
        raise r.error("名册对象之后还有内容", "data after the roster object")
    return out
