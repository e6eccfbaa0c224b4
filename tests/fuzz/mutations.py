"""Structure-aware mutations: valid rosters and census forms, broken as people break them.

A JSON roster is mutated as a tree (a key deleted, duplicated or added, a value of the
wrong type, a huge number, odd Unicode, an ID number typed into another field, a
subtree moved where it does not belong), then as text or bytes (flipped bytes,
truncation, invalid UTF-8). A JSON Lines roster also loses, repeats or swaps lines. A
census form is written by the library (XLSX or CSV), then cells are changed (ID
numbers in other columns, formulas, dates, long text, misspelt headers), rows and
sheets deleted, and the file itself truncated or flipped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from stdnum.cn import ric

from campus_security.formats.census import write_census
from campus_security.formats.roster_json import roster_document
from campus_security.model import Roster

_ID_SHAPED = re.compile(r"(?<!\d)\d{14,}[\dXx](?![\dXx])")


class Pairs(list[tuple[str, Any]]):
    """A JSON object written with its pairs as they are: keys may repeat."""


def dumps(value: Any) -> str:
    """JSON text of ``value``; :class:`Pairs` keeps repeated keys, floats may be inf/nan."""
    if isinstance(value, Pairs):
        return "{" + ",".join(f"{dumps(k)}:{dumps(v)}" for k, v in value) + "}"
    if isinstance(value, dict):
        return "{" + ",".join(f"{dumps(k)}:{dumps(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(dumps(v) for v in value) + "]"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if value == value and abs(value) != float("inf") else "1e999"
    if isinstance(value, Raw):
        return value.text
    s = str(value)
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif o < 0x20 or 0xD800 <= o <= 0xDFFF:
            out.append(f"\\u{o:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


class Raw:
    """JSON text put in as it is (a number JSON cannot hold, a lone surrogate escape)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"Raw({self.text!r})"


@st.composite
def id_shaped(draw: st.DrawFn) -> str:
    """A valid 18-character ID number, one with a wrong check digit, or a 15-digit one."""
    region = draw(st.sampled_from(["110105", "130903", "410102", "320102", "431302", "640402"]))
    birth = draw(st.dates(dt.date(1950, 1, 1), dt.date(2008, 12, 31)))
    seq = draw(st.integers(0, 999))
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    valid = body + ric.calc_check_digit(body)
    kind = draw(st.sampled_from(["valid", "wrong check", "fifteen", "bad date"]))
    if kind == "wrong check":
        digit = ric.calc_check_digit(body)
        return body + ("0" if digit != "0" else "1")
    if kind == "fifteen":
        return f"{region}{birth:%y%m%d}{seq:03d}"
    if kind == "bad date":
        bad = f"{region}{birth:%Y}0230{seq:03d}"
        return bad + ric.calc_check_digit(bad)
    return valid


odd_text = st.sampled_from(
    [
        "",
        " ",
        "\u0000",
        "\ufeff",
        "\u202e反向",
        "ｆｕｌｌ１２３",
        "e\u0301\u0301\u0301",
        "😀" * 3,
        "\ud800",
        "无",
        "-",
        "=1+1",
        "'0123",
        "1970-01-01",
        "9999-12-31",
        "2024-02-30",
        "x" * 5000,
        "张" * 300,
        "null",
        "NaN",
        "\n\r\t",
    ]
)

odd_values = st.one_of(
    st.none(),
    st.booleans(),
    st.just([]),
    st.just({}),
    st.just([[[]]]),
    st.sampled_from([0, -1, 1, 2**31, 2**63, -(2**63) - 1, 10**30, 10**400]),
    st.sampled_from([0.5, -0.0, 1e308, 5e-324]),
    st.sampled_from([Raw("1e999"), Raw("-1e999"), Raw('"\\ud800"'), Raw('"\\udfff x"')]),
    odd_text,
    id_shaped(),
    st.text(max_size=20),
)


def _containers(doc: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every dict and list in ``doc`` (the root included)."""
    found: list[tuple[Any, ...]] = []
    if isinstance(doc, Pairs):
        return found  # already mutated (a repeated key): left as it is
    if isinstance(doc, dict):
        found.append(path)
        for k, v in doc.items():
            found += _containers(v, (*path, k))
    elif isinstance(doc, list):
        found.append(path)
        for i, v in enumerate(doc):
            found += _containers(v, (*path, i))
    return found


def _get(doc: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        doc = doc[p]
    return doc


@st.composite
def mutate_tree(draw: st.DrawFn, doc: Any) -> Any:
    """One structural mutation of a JSON document (modified in place, and returned)."""
    places = _containers(doc)
    if not places:  # a scalar: replaced
        return draw(odd_values)
    where = draw(st.sampled_from(places))
    node = _get(doc, where)
    op = draw(
        st.sampled_from(["delete", "retype", "add", "duplicate", "move", "id", "grow", "rename"])
    )
    if isinstance(node, dict) and node:
        key = draw(st.sampled_from(sorted(node)))
        if op == "delete":
            del node[key]
        elif op in ("retype", "grow"):
            node[key] = draw(odd_values)
        elif op == "add":
            node[draw(st.sampled_from(["", "$", "extra", "schools", "\u0000", "a.b[0]"]))] = draw(
                odd_values
            )
        elif op == "duplicate":
            pairs = Pairs(node.items())
            pairs.append((key, draw(odd_values)))
            _replace(doc, where, pairs)
        elif op == "move":
            other = _get(doc, draw(st.sampled_from(places)))
            node[key] = _copy(other)
        elif op == "id":
            node[key] = draw(id_shaped())
        elif op == "rename":
            node[key + draw(st.sampled_from(["_", "s", " ", "X"]))] = node.pop(key)
    elif isinstance(node, list):
        if op == "delete" and node:
            del node[draw(st.integers(0, len(node) - 1))]
        elif op in ("duplicate", "grow") and node:
            i = draw(st.integers(0, len(node) - 1))
            node.extend([_copy(node[i])] * draw(st.integers(1, 3)))
        elif op == "move":
            node.append(_copy(_get(doc, draw(st.sampled_from(places)))))
        else:
            node.append(draw(odd_values))
    elif where == ():
        return draw(odd_values)
    return doc


def _copy(v: Any) -> Any:
    if isinstance(v, Pairs):
        return Pairs((k, _copy(x)) for k, x in v)
    if isinstance(v, dict):
        return {k: _copy(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_copy(x) for x in v]
    return v


def _replace(doc: Any, path: tuple[Any, ...], value: Any) -> None:
    if not path:
        return  # the root stays a dict (its duplicate is dropped)
    _get(doc, path[:-1])[path[-1]] = value


@st.composite
def mutate_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """One byte-level mutation: flip, truncate, insert, delete, or invalid UTF-8."""
    if not data:
        return draw(st.binary(max_size=20))
    op = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "utf8", "bom"]))
    i = draw(st.integers(0, len(data) - 1))
    if op == "flip":
        b = bytearray(data)
        b[i] ^= 1 << draw(st.integers(0, 7))
        return bytes(b)
    if op == "truncate":
        return data[:i]
    if op == "insert":
        return data[:i] + draw(st.binary(min_size=1, max_size=8)) + data[i:]
    if op == "delete":
        return data[:i] + data[i + draw(st.integers(1, 16)) :]
    if op == "utf8":
        return (
            data[:i]
            + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00"]))
            + data[i:]
        )
    return b"\xef\xbb\xbf" + data


def ids_in(roster: Roster) -> set[str]:
    """The ID numbers a roster holds (what must never be printed in full)."""
    return {str(g.id_number) for s in roster.schools for g in s.guards if g.id_number is not None}


def id_shaped_in(data: bytes | str) -> set[str]:
    """Every ID-shaped value in a text (15 or more digits, the last maybe X)."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    return {m.group(0).upper() for m in _ID_SHAPED.finditer(text)}


@st.composite
def json_rosters(draw: st.DrawFn, roster: Roster) -> bytes:
    """A JSON roster (``.json``), mutated 0 to 4 times as a tree, maybe as bytes."""
    doc = roster_document(roster)
    for _ in range(draw(st.integers(0, 4))):
        doc = draw(mutate_tree(doc))
    data = dumps(doc).encode("utf-8", "surrogatepass")
    for _ in range(draw(st.integers(0, 2))):
        if draw(st.booleans()):
            data = draw(mutate_bytes(data))
    return data


@st.composite
def jsonl_rosters(draw: st.DrawFn, roster: Roster) -> bytes:
    """A JSON Lines roster (``.jsonl``), mutated by line, by tree and by bytes."""
    doc = roster_document(roster)
    header = {k: v for k, v in doc.items() if k not in ("companies", "schools")}
    lines: list[Any] = [header]
    lines += [{"company": c} for c in doc.get("companies", [])]
    lines += [{"school": s} for s in doc.get("schools", [])]
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["tree", "tree", "drop", "repeat", "swap", "blank", "junk"]))
        if op == "tree":
            lines[i] = draw(mutate_tree(lines[i]))
        elif op == "drop" and len(lines) > 1:
            del lines[i]
        elif op == "repeat":
            lines.insert(i, _copy(lines[i]))
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "blank":
            lines.insert(i, Raw(""))
        else:
            lines.insert(i, draw(odd_values))
    data = "".join(dumps(line) + "\n" for line in lines).encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 3)) == 0:
        data = draw(mutate_bytes(data))
    return data


# --- census forms --------------------------------------------------------------------------

HEADERS = [
    "姓名",
    "身份证号码",
    "性别",
    "民族",
    "出生日期",
    "保安员证号",
    "身份证号",
    "姓 名",
    "填报单位",
]

cell_values = st.one_of(
    odd_text,
    id_shaped(),
    st.sampled_from(HEADERS),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
    st.sampled_from(["=A1", "=1/0", "=SUM(A1:A3)", "=NOW()", '=HYPERLINK("x")']),
    st.text(max_size=30),
    st.none(),
)


@st.composite
def xlsx_forms(draw: st.DrawFn, roster: Roster, tmp: Path) -> bytes:
    """A guard census written by the library (IDs in full), then edited like a person would."""
    import openpyxl

    source = tmp / "source.xlsx"
    write_census(roster, source, show_personal_data=True, school_codes=draw(st.booleans()))
    wb = openpyxl.load_workbook(source)
    for _ in range(draw(st.integers(0, 5))):
        ws = wb.worksheets[draw(st.integers(0, len(wb.worksheets) - 1))]
        op = draw(st.sampled_from(["cell", "cell", "cell", "row", "sheet", "merge"]))
        rows = max(ws.max_row, 1)
        cols = max(ws.max_column, 1)
        if op == "cell":
            r, c = draw(st.integers(1, rows + 1)), draw(st.integers(1, cols + 1))
            _set(ws, r, c, draw(cell_values))
        elif op == "row":
            ws.delete_rows(draw(st.integers(1, rows)), draw(st.integers(1, 3)))
        elif op == "sheet" and len(wb.worksheets) > 1:
            wb.remove(ws)
        elif op == "merge":
            r, c = draw(st.integers(1, rows)), draw(st.integers(1, cols))
            with contextlib.suppress(ValueError, TypeError, AttributeError):
                ws.merge_cells(start_row=r, start_column=c, end_row=r + 1, end_column=c + 1)
    if draw(st.integers(0, 4)) == 0:  # a far cell, now and then as far as a sheet goes (a bomb);
        # last: openpyxl's own row deletion crawls over every row up to it
        ws = wb.worksheets[draw(st.integers(0, len(wb.worksheets) - 1))]
        if draw(st.integers(0, 3)) == 0:
            row, col = draw(st.integers(1, 1048576)), draw(st.integers(1, 16384))
        else:
            row, col = draw(st.integers(1, 3000)), draw(st.integers(1, 200))
        _set(ws, row, col, "x")
    buf = io.BytesIO()
    wb.save(buf)
    data = _deterministic(buf.getvalue())
    if draw(st.integers(0, 4)) == 0:
        data = draw(mutate_bytes(data))
    elif draw(st.integers(0, 6)) == 0:
        data = _mutate_zip_member(draw, data)
    return data


_STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?")


def _deterministic(data: bytes) -> bytes:
    """The XLSX with its save times fixed: the same draw must give the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n in src.namelist():
            body = src.read(n)
            if n == "docProps/core.xml":
                body = _STAMP.sub(b"2024-01-01T00:00:00Z", body)
            z.writestr(zipfile.ZipInfo(n, date_time=(2024, 1, 1, 0, 0, 0)), body)
    return out.getvalue()


def _set(ws: Any, row: int, column: int, value: Any) -> None:
    """Set a cell, or put "?" where openpyxl refuses the value; merged cells stay."""
    if isinstance(value, str) and not value.isascii():
        try:
            value.encode("utf-8")  # a lone surrogate: openpyxl takes it, then cannot save
        except UnicodeEncodeError:
            value = "?"
    for v in (value, "?"):
        try:
            ws.cell(row=row, column=column).value = v
        except AttributeError:
            return  # a merged cell: read-only
        except Exception:  # IllegalCharacterError and the like: not a value a sheet holds
            continue
        return


def _mutate_zip_member(draw: st.DrawFn, data: bytes) -> bytes:
    """Rewrite one member of the XLSX's zip with a byte-level mutation (valid zip, bad XML)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    victim = draw(st.sampled_from(names))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n in names:
            body = src.read(n)
            z.writestr(n, draw(mutate_bytes(body)) if n == victim else body)
    return out.getvalue()


@st.composite
def csv_forms(draw: st.DrawFn, roster: Roster, tmp: Path) -> bytes:
    """A guard census as CSV written by the library, then edited as text and as bytes."""
    source = tmp / "source.csv"
    write_census(roster, source, show_personal_data=True, school_codes=draw(st.booleans()))
    text = source.read_bytes().decode("utf-8-sig")
    rows = [r.split(",") for r in text.split("\r\n")]
    for _ in range(draw(st.integers(0, 5))):
        i = draw(st.integers(0, len(rows) - 1))
        op = draw(st.sampled_from(["cell", "cell", "drop", "repeat", "tab"]))
        if op == "cell":
            row = rows[i]
            j = draw(st.integers(0, len(row)))
            value = str(draw(cell_values)).replace(",", "，")
            row[j:j] = [value] if j == len(row) else []
            if j < len(row):
                row[j] = value
        elif op == "drop":
            del rows[i]
        elif op == "repeat":
            rows.insert(i, list(rows[i]))
        else:
            rows[i] = ["\t".join(rows[i])]
    out = "\r\n".join(",".join(r) for r in rows)
    encoding = draw(st.sampled_from(["utf-8-sig", "utf-8", "gb18030", "utf-16"]))
    try:
        data = out.encode(encoding)
    except UnicodeEncodeError:
        data = out.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 4)) == 0:
        data = draw(mutate_bytes(data))
    return data
