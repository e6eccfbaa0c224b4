"""The size limits of a census spreadsheet, checked before the file is handed to a reader.

A spreadsheet is a zip of XML parts, and a few kilobytes of it can declare a sheet of
17 billion cells (one cell at ``XFD1048576``) or a gigabyte of text; a reader that
believes it allocates that much, or the process dies. So before python-calamine sees an
XLSX, XLSM or ODS file, :func:`check_workbook` inspects the zip (the uncompressed size of
every part, as declared and as read) and streams every sheet's XML with expat, in
bounded memory, to find where its cells really reach and how long each one is. A file
beyond a limit is refused with a :class:`~campus_security.errors.RosterError` naming
the file, the sheet, the cell and the limit; nothing is allocated for it.

The same pass finds the formula cells that hold no saved result (a file written by a
program that does not calculate), so that import can say so instead of "missing".
The limits are documented in ``docs/census.md``.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any
from xml.parsers import expat

import attrs

from ..errors import Problem, RosterError
from ..model import Text

__all__ = [
    "MAX_CELLS",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_UNCOMPRESSED_BYTES",
    "column_letter",
]


def column_letter(index: int) -> str:
    """The spreadsheet column letters of a 0-based column index (0 -> A, 26 -> AA)."""
    s = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        s = chr(65 + rem) + s
    return s


_col_letter = column_letter


MAX_ROWS = 200_000
"""Rows a sheet may reach (its last non-empty row)."""
MAX_COLUMNS = 256
"""Columns a sheet may reach (column ``IV``)."""
MAX_CELLS = 2_000_000
"""Cells of a sheet's grid from ``A1`` to its last row and column (rows × columns)."""
MAX_CELL_CHARS = 32_767
"""Characters in one cell (Excel's own limit)."""
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
"""Bytes of a workbook's parts uncompressed, all together (256 MiB)."""

_MAX_RUN = 1024 * 1024  # bytes of XML without a '>' (text or a tag longer than any cell)
_CHUNK = 256 * 1024
_SNIPPET = 40


@attrs.frozen
class Inspection:
    """What the inspection found that the reader needs: formula cells without a result.

    ``formulas`` maps a sheet's name to ``{(row, column): formula}`` (0-based) of the
    cells that hold a formula and no saved value.
    """

    formulas: dict[str, dict[tuple[int, int], str]] = attrs.Factory(dict)


class _Refused(Exception):
    def __init__(self, path: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.problem = Problem(path, Text(zh, en))


def _refuse(source: str, problem: Problem) -> RosterError:
    return RosterError([attrs.evolve(problem, source=source)], source)


def _n(value: int) -> str:
    return f"{value:,}"


# --- which kind of file it is -----------------------------------------------------------------

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not merely a character cut at the end
                continue
            text = head[: exc.start].decode(encoding)
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        return printable >= 0.95 * max(len(text), 1)
    return False


def not_a_workbook(path: Path) -> Problem | None:
    """Why a file named ``.xlsx``/``.xlsm``/``.ods`` is no such file, or ``None``.

    A CSV file renamed ``.xlsx`` is the usual case; an old ``.xls`` renamed too.
    """
    with path.open("rb") as f:
        head = f.read(4096)
    if head.startswith(b"PK"):
        return None
    suffix = path.suffix.lower()
    if head.startswith(_OLE2):
        return Problem(
            "$",
            Text(
                f"此文件是旧版 Excel（.xls）文件，却以 {suffix} 命名；请把扩展名改为 .xls",
                f"this is an old Excel (.xls) file named {suffix}; rename it to .xls",
            ),
        )
    if _looks_like_text(head):
        return Problem(
            "$",
            Text(
                f"此文件不是 {suffix} 表格，而是文本（看起来是 CSV）；请把扩展名改为 .csv，"
                "或在表格程序中打开后另存为 XLSX",
                f"this is not a {suffix} spreadsheet but text (it looks like CSV); rename it "
                "to .csv, or open it in a spreadsheet program and save it as XLSX",
            ),
        )
    return Problem(
        "$",
        Text(
            f"此文件不是 {suffix} 表格（不是 zip 压缩包），可能已损坏",
            f"this is not a {suffix} spreadsheet (not a zip archive); it may be broken",
        ),
    )


# --- the zip ----------------------------------------------------------------------------------


def _check_sizes(zf: zipfile.ZipFile) -> None:
    total = 0
    for info in zf.infolist():
        total += info.file_size
        if total > MAX_UNCOMPRESSED_BYTES:
            mib = MAX_UNCOMPRESSED_BYTES // (1024 * 1024)
            raise _Refused(
                "$",
                f"表格解压后超过 {mib} MiB（在 {info.filename} 处），超出上限，不予读取",
                f"the spreadsheet holds more than {mib} MiB uncompressed (at {info.filename}), "
                "beyond the limit; not read",
            )


def _stream(zf: zipfile.ZipFile, name: str, parser: Any, label: str) -> None:
    """Feed a part to an expat parser in chunks, refusing runs of text without markup."""
    run = 0
    with zf.open(name) as f:
        while chunk := f.read(_CHUNK):
            first = chunk.find(b">")
            last = chunk.rfind(b">")
            run = run + (len(chunk) if first < 0 else first)
            if run > _MAX_RUN:
                raise _Refused(
                    f"{label}!A1",
                    f"工作表的 XML 中有超过 1 MiB 的连续文本（超过单元格 {_n(MAX_CELL_CHARS)} "
                    "个字符的上限，或是填充），不予读取",
                    f"the sheet's XML holds a run of more than 1 MiB of text (beyond the "
                    f"limit of {_n(MAX_CELL_CHARS)} characters in a cell, or padding); not read",
                )
            if last >= 0:
                run = len(chunk) - 1 - last
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _parser(start: Any, end: Any, text: Any) -> Any:
    p = expat.ParserCreate()
    p.buffer_text = True
    p.buffer_size = 64 * 1024
    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = text

    def no_dtd(*_args: object) -> None:
        raise _Refused("$", "表格的 XML 含有文档类型定义（DTD）", "the spreadsheet's XML has a DTD")

    p.StartDoctypeDeclHandler = no_dtd
    return p


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _too_long_cell(ref: str) -> _Refused:
    return _Refused(
        ref,
        f"单元格超过 {_n(MAX_CELL_CHARS)} 个字符的上限，不予读取",
        f"the cell holds more than {_n(MAX_CELL_CHARS)} characters, beyond the limit; not read",
    )


def _beyond(ref: str, row: int, col: int) -> _Refused | None:
    """Whether a cell at (row, col), 0-based, lies beyond the limits."""
    if col >= MAX_COLUMNS:
        return _Refused(
            ref,
            f"工作表的数据延伸到第 {_n(col + 1)} 列，超过 {MAX_COLUMNS} 列"
            f"（{_col_letter(MAX_COLUMNS - 1)} 列）的上限，不予读取",
            f"the sheet's data reaches column {_n(col + 1)}, beyond the limit of "
            f"{MAX_COLUMNS} columns ({_col_letter(MAX_COLUMNS - 1)}); not read",
        )
    if row >= MAX_ROWS:
        return _Refused(
            ref,
            f"工作表的数据延伸到第 {_n(row + 1)} 行，超过 {_n(MAX_ROWS)} 行的上限，不予读取",
            f"the sheet's data reaches row {_n(row + 1)}, beyond the limit of "
            f"{_n(MAX_ROWS)} rows; not read",
        )
    return None


def _too_many_cells(ref: str, rows: int, cols: int) -> _Refused:
    return _Refused(
        ref,
        f"工作表的数据区域为 {_n(rows)} 行 × {_n(cols)} 列，超过 {_n(MAX_CELLS)} "
        "个单元格的上限，不予读取",
        f"the sheet's data spans {_n(rows)} rows × {_n(cols)} columns, beyond the limit "
        f"of {_n(MAX_CELLS)} cells; not read",
    )


# --- XLSX ------------------------------------------------------------------------------------


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _small_xml(zf: zipfile.ZipFile, name: str) -> Iterator[tuple[str, dict[str, str]]]:
    """The start tags of a small part (workbook, relationships), streamed."""
    found: list[tuple[str, dict[str, str]]] = []
    if name not in zf.NameToInfo:
        return iter(found)
    p = _parser(lambda n, a: found.append((_local(n), a)), None, None)
    _stream(zf, name, p, name)
    return iter(found)


def _xlsx_sheets(zf: zipfile.ZipFile) -> tuple[list[tuple[str, str]], str | None]:
    """The workbook's sheets as ``(name, part)`` in order, and its shared-strings part."""
    targets: dict[str, str] = {}
    shared: str | None = None
    base = PurePosixPath("xl")
    for tag, a in _small_xml(zf, "xl/_rels/workbook.xml.rels"):
        if tag != "Relationship":
            continue
        target = a.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else str(base / target)
        targets[a.get("Id", "")] = part
        if a.get("Type", "").endswith("/sharedStrings"):
            shared = part
    sheets = []
    for tag, a in _small_xml(zf, "xl/workbook.xml"):
        if tag == "sheet":
            rid = next((v for k, v in a.items() if _local(k) == "id"), "")
            sheet_part = targets.get(rid)
            if sheet_part and sheet_part in zf.NameToInfo:
                sheets.append((a.get("name", sheet_part), sheet_part))
    if not sheets:  # no usable workbook part: every worksheet, by its part's name
        sheets = [
            (PurePosixPath(n).stem, n)
            for n in zf.namelist()
            if n.startswith("xl/worksheets/") and n.endswith(".xml")
        ]
    if shared is None and "xl/sharedStrings.xml" in zf.NameToInfo:
        shared = "xl/sharedStrings.xml"
    return sheets, shared


def _segments(zf: zipfile.ZipFile, name: str, label: str) -> Iterator[bytes]:
    """A part in pieces that each end before a ``<``: no tag or text is cut in two.

    A run of more than 1 MiB without a ``<`` (a cell no limit allows, or padding) is
    refused, so a piece is never much larger than a chunk.
    """
    carry = b""
    with zf.open(name) as f:
        while chunk := f.read(_CHUNK):
            buf = carry + chunk
            last = buf.rfind(b"<")
            if len(buf) - max(last, 0) > _MAX_RUN:
                raise _Refused(
                    f"{label}!A1",
                    f"工作表的 XML 中有超过 1 MiB 的连续文本（超过单元格 {_n(MAX_CELL_CHARS)} "
                    "个字符的上限，或是填充），不予读取",
                    f"the sheet's XML holds a run of more than 1 MiB of text (beyond the "
                    f"limit of {_n(MAX_CELL_CHARS)} characters in a cell, or padding); "
                    "not read",
                )
            if last <= 0:
                carry = buf
                continue
            yield buf[:last]
            carry = buf[last:]
    if carry:
        yield carry


# The tags that matter in a worksheet or the shared strings, opening or closing, with
# their attributes; text lies between a <t> or <v> and the next tag.
_TAG = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]*:)?(c|row|v|f|t|si)(?=[\s/>])([^>]*)>")
_R_CELL = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_R_ROW = re.compile(rb'\br="([0-9]{1,7})"')
_T_ATTR = re.compile(rb'\bt="(\w+)"')
_ENTITY = re.compile(rb"&(#x[0-9A-Fa-f]+|#[0-9]+|\w+);")


_R_FAST = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')  # as every writer puts it
_COMPLEX = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:f|r)[\s/>]")  # a formula, rich text
_LONG_TEXT = re.compile(rb"<[^<]{%d}" % (MAX_CELL_CHARS + 1))
_ROW_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?row>")
_MAX_ROW_BYTES = 16 * 1024 * 1024


def _rows(zf: zipfile.ZipFile, part: str, label: str) -> Iterator[bytes]:
    """A worksheet in pieces of whole rows (the last piece: whatever follows them)."""
    carry = b""
    for seg in _segments(zf, part, label):
        buf = carry + seg
        end, m = buf.rfind(b"row>"), None
        while end >= 0 and m is None:  # the last closing row tag (an opening one may follow)
            m = _ROW_END.match(buf, buf.rfind(b"<", 0, end))
            if m is None or m.end() != end + 4:
                m, end = None, buf.rfind(b"row>", 0, end)
        if m is None:
            if len(buf) > _MAX_ROW_BYTES:
                raise _Refused(
                    f"{label}!A1",
                    "工作表中有一行的 XML 超过 16 MiB，超出上限，不予读取",
                    "a row of the sheet takes more than 16 MiB of XML, beyond the limit; not read",
                )
            carry = buf
            continue
        yield buf[: m.end()]
        carry = buf[m.end() :]
    if carry:
        yield carry


def _chars(text: bytes) -> int:
    """Characters of XML text: UTF-8 sequences and character references count one each."""
    n = len(text) - sum(text.count(bytes([b])) for b in range(0x80, 0xC0))
    return n - sum(len(m[0]) - 1 for m in _ENTITY.finditer(text))


def _text_length(text: bytes, so_far: int) -> int:
    """The characters ``text`` adds to a cell (its bytes, counted exactly near the limit)."""
    return len(text) if so_far + len(text) <= MAX_CELL_CHARS else _chars(text)


def _long_shared_strings(zf: zipfile.ZipFile, part: str) -> set[int]:
    """Indices of the shared strings longer than a cell may be."""
    long: set[int] = set()
    index, length, in_t, text_from = -1, 0, False, 0
    for seg in _segments(zf, part, "sharedStrings"):
        for m in _TAG.finditer(seg):
            closing, tag, attrs_ = m[1], m[2], m[3]
            if in_t:
                length += _text_length(seg[text_from : m.start()], length)
                in_t = False
            if tag == b"si" and not closing:
                index, length = index + 1, 0
            elif tag == b"t" and not closing and not attrs_.endswith(b"/"):
                in_t, text_from = True, m.end()
            elif tag == b"si" and closing and length > MAX_CELL_CHARS:
                long.add(index)
        if in_t:  # the text runs to the end of the piece; its closing tag starts the next
            length += _text_length(seg[text_from:], length)
            text_from = 0
    return long


class _XlsxSheet:
    """Scans one worksheet: where its cells reach, their lengths, formulas without values."""

    def __init__(self, name: str, long_strings: set[int]) -> None:
        self.name = name
        self.long_strings = long_strings
        self.row = -1
        self.col = -1
        self.last_row = -1
        self.last_col = -1
        self.formulas: dict[tuple[int, int], str] = {}
        # the cell being read
        self.at: tuple[int, int] | None = None
        self.shared = False
        self.length = 0
        self.formula: bytes | None = None
        self.value = False
        self.index = b""

    def ref(self, r: int, c: int) -> str:
        return f"{self.name}!{_col_letter(c)}{r + 1}"

    def text(self, kind: bytes, text: bytes) -> None:
        if self.at is None:
            return
        if kind == b"f":
            self.formula = (self.formula or b"") + text[:_SNIPPET]
            return
        self.length += _text_length(text, self.length)
        if self.length > MAX_CELL_CHARS:
            raise _too_long_cell(self.ref(*self.at))
        if kind == b"v" and text.strip():
            self.value = True
            if self.shared:
                self.index += text.strip()[:16]

    def scan(self, zf: zipfile.ZipFile, part: str) -> None:
        for piece in _rows(zf, part, self.name):
            if not self.fast(piece):
                self.slow(piece)

    def fast(self, piece: bytes) -> bool:
        """Where a piece's cells reach, when that is all there is to know of them.

        Pieces with a formula, rich text, a text near a cell's limit, a long shared
        string or a cell without its position, and pieces beyond a limit, are left to
        :meth:`slow`, which finds and names the cell.
        """
        if _COMPLEX.search(piece) or _LONG_TEXT.search(piece):
            return False
        if self.long_strings and b't="s"' in piece:
            return False
        refs = _R_FAST.findall(piece)
        cells = piece.count(b"<c ") + piece.count(b"<c>") + piece.count(b"<c/")
        if not refs or len(refs) != cells:
            return False
        last_row = int(max((r for _, r in refs), key=lambda r: (len(r), r))) - 1
        letters = max((c for c, _ in refs), key=lambda c: (len(c), c))
        last_col = _col_index(letters.decode())
        rows = max(self.last_row, last_row) + 1
        cols = max(self.last_col, last_col) + 1
        if last_row >= MAX_ROWS or last_col >= MAX_COLUMNS or rows * cols > MAX_CELLS:
            return False
        self.last_row, self.last_col = rows - 1, cols - 1
        self.row = int(refs[-1][1]) - 1
        return True

    def slow(self, piece: bytes) -> None:
        """Every tag of a piece: positions, text lengths, formulas and their values."""
        text_in: bytes | None = None  # b"t", b"v" or b"f" while inside one
        text_from = 0
        for m in _TAG.finditer(piece):
            closing, tag, attrs_ = m[1], m[2], m[3]
            if text_in is not None:
                self.text(text_in, piece[text_from : m.start()])
                text_in = None
            empty = attrs_.endswith(b"/")
            if tag == b"c" and not closing:
                self.at = self.cell(attrs_)
                t = _T_ATTR.search(attrs_)
                self.shared = bool(t and t[1] == b"s")
                self.length, self.formula, self.value, self.index = 0, None, False, b""
                if empty:
                    self.at = None
            elif tag == b"c" and closing and self.at is not None:
                self.end_cell(self.at)
                self.at = None
            elif tag == b"row" and not closing:
                r = _R_ROW.search(attrs_)
                self.row = int(r[1]) - 1 if r else self.row + 1
                self.col = -1
            elif tag in (b"t", b"v", b"f") and not closing and self.at is not None:
                if tag == b"f":
                    self.formula = self.formula or b""
                if not empty:
                    text_in, text_from = tag, m.end()
        if text_in is not None:
            self.text(text_in, piece[text_from:])

    def end_cell(self, at: tuple[int, int]) -> None:
        if self.formula is not None and not self.value:
            self.formulas[at] = self.formula.decode("utf-8", "replace")
        if self.shared and self.index.isdigit() and int(self.index) in self.long_strings:
            raise _too_long_cell(self.ref(*at))

    def cell(self, attrs_: bytes) -> tuple[int, int]:
        m = _R_CELL.search(attrs_)
        if m:
            self.col, self.row = _col_index(m[1].decode()), int(m[2]) - 1
        else:
            self.col += 1
        r, c = max(self.row, 0), self.col
        if r >= MAX_ROWS or c >= MAX_COLUMNS:
            refused = _beyond(self.ref(r, c), r, c)
            if refused is not None:
                raise refused
        if r > self.last_row or c > self.last_col:
            self.last_row, self.last_col = max(self.last_row, r), max(self.last_col, c)
            rows, cols = self.last_row + 1, self.last_col + 1
            if rows * cols > MAX_CELLS:
                raise _too_many_cells(self.ref(r, c), rows, cols)
        return r, c


def _inspect_xlsx(zf: zipfile.ZipFile) -> Inspection:
    sheets, shared = _xlsx_sheets(zf)
    long_strings = _long_shared_strings(zf, shared) if shared else set()
    found = Inspection()
    for name, part in sheets:
        scan = _XlsxSheet(name, long_strings)
        scan.scan(zf, part)
        if scan.formulas:
            found.formulas[name] = scan.formulas
    return found


# --- ODS -------------------------------------------------------------------------------------


class _OdsContent:
    """Streams ``content.xml``: per table, where its non-empty cells reach, and their lengths.

    Repeated rows and cells (``number-rows-repeated``) count as often as they repeat;
    empty ones after the last value do not (readers drop them, and every sheet a
    spreadsheet program saves has them).
    """

    def __init__(self) -> None:
        self.name = ""
        self.row = 0  # rows before the current one
        self.row_repeat = 1
        self.col = 0  # columns before the current cell
        self.col_repeat = 1
        self.last_row = -1
        self.last_col = -1
        self.in_cell = False
        self.nonempty = False
        self.length = 0
        self.formula: str | None = None
        self.row_formulas: list[tuple[int, str]] = []
        self.formulas: dict[str, dict[tuple[int, int], str]] = {}

    def ref(self, r: int, c: int) -> str:
        return f"{self.name}!{_col_letter(c)}{r + 1}"

    def start(self, name: str, a: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "table":
            self.name = next((v for k, v in a.items() if _local(k) == "name"), "")
            self.row, self.last_row, self.last_col = 0, -1, -1
        elif tag == "table-row":
            self.row_repeat = _repeat(a, "number-rows-repeated")
            self.col = 0
            self.row_formulas = []
        elif tag in ("table-cell", "covered-table-cell"):
            self.in_cell = True
            self.col_repeat = _repeat(a, "number-columns-repeated")
            keys = {_local(k): v for k, v in a.items()}
            self.nonempty = "value-type" in keys
            self.formula = keys.get("formula")
            self.length = max((len(v) for k, v in keys.items() if k.endswith("value")), default=0)
        elif tag == "p" and self.in_cell:
            self.nonempty = True
        elif tag in ("s", "tab", "line-break") and self.in_cell:
            self.text(" " * min(_repeat(a, "c"), MAX_CELL_CHARS + 1))

    def end(self, name: str) -> None:
        tag = _local(name)
        if tag in ("table-cell", "covered-table-cell"):
            self.in_cell = False
            if self.length > MAX_CELL_CHARS:
                raise _too_long_cell(self.ref(self.row, self.col))
            if self.nonempty:
                self.reach(self.row, self.col + self.col_repeat - 1)
            elif self.formula is not None:
                self.row_formulas.append((self.col, self.formula[:_SNIPPET]))
            self.col += self.col_repeat
        elif tag == "table-row":
            if self.last_row >= self.row:  # the row had a value: repeats count
                self.reach(self.row + self.row_repeat - 1, self.last_col)
            if self.row_formulas:
                cells = self.formulas.setdefault(self.name, {})
                cells.update({(self.row, c): f for c, f in self.row_formulas})
            self.row += self.row_repeat

    def reach(self, r: int, c: int) -> None:
        refused = _beyond(self.ref(r, c), r, c)
        if refused is not None:
            raise refused
        self.last_row, self.last_col = max(self.last_row, r), max(self.last_col, c)
        rows, cols = self.last_row + 1, self.last_col + 1
        if rows * cols > MAX_CELLS:
            raise _too_many_cells(self.ref(r, c), rows, cols)

    def text(self, data: str) -> None:
        if self.in_cell:
            self.length += len(data)
            if self.length > MAX_CELL_CHARS:
                raise _too_long_cell(self.ref(self.row, self.col))


def _repeat(a: dict[str, str], attribute: str) -> int:
    value = next((v for k, v in a.items() if _local(k) == attribute), "1")
    return int(value) if value.isdigit() and int(value) > 0 else 1


def _inspect_ods(zf: zipfile.ZipFile) -> Inspection:
    if "content.xml" not in zf.NameToInfo:
        return Inspection()
    scan = _OdsContent()
    _stream(zf, "content.xml", _parser(scan.start, scan.end, scan.text), "content.xml")
    return Inspection(scan.formulas)


# --- the whole file --------------------------------------------------------------------------


def check_workbook(path: Path) -> Inspection:
    """Inspect an XLSX, XLSM or ODS file before it is read; raise if it is beyond a limit.

    Raises :class:`~campus_security.errors.RosterError` naming the file, the sheet and
    cell, and the limit. Broken zips and XML are left for the reader to report.
    """
    source = str(path)
    problem = not_a_workbook(path)
    if problem is not None:
        raise _refuse(source, problem)
    try:
        with zipfile.ZipFile(path) as zf:
            _check_sizes(zf)
            if path.suffix.lower() == ".ods":
                return _inspect_ods(zf)
            return _inspect_xlsx(zf)
    except _Refused as exc:
        raise _refuse(source, exc.problem) from None
    except (zipfile.BadZipFile, expat.ExpatError, ValueError, KeyError, EOFError):
        return Inspection()  # broken: the reader reports it


def check_grid_size(source: str, sheet: str, height: int, width: int) -> None:
    """Refuse a sheet a reader has loaded (XLS) before it becomes Python objects."""
    corner = f"{sheet}!{_col_letter(max(width - 1, 0))}{max(height, 1)}"
    refused = _beyond(corner, height - 1, width - 1) if height and width else None
    if refused is None and height * width > MAX_CELLS:
        refused = _too_many_cells(corner, height, width)
    if refused is not None:
        raise _refuse(source, refused.problem)
