"""Finding the forms in a grid: the column heads, the title and header line above them."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

import attrs

from ...census_forms import (
    _LOOKUP,
    CONTACT,
    GUARD_CENSUS,
    ID_NUMBER,
    NAME,
    FormLayout,
    _column_key,
    _label,
)
from ...spreadsheets.grids import _Grid
from .cells import _FIELD_BY_LABEL, _FIELD_LABELS, _FIELD_RE, _cell_text, _clean_code, _ref

# --- reading: finding the forms in a grid --------------------------------------------------


@attrs.define
class _Field:
    value: str
    ref: str


@attrs.define
class _Block:
    """One form found in a grid: its preamble, its columns and its data rows."""

    grid: _Grid
    head_top: int
    head_bottom: int
    columns: dict[int, str]  # column index -> canonical head
    unknown: dict[int, str]  # column index -> printed head the core does not know
    first_data: int = 0
    end: int = 0  # exclusive
    preamble_start: int = 0
    title: str | None = None
    title_ref: str | None = None
    fields: dict[str, _Field] = attrs.Factory(dict)


def _row_texts(grid: _Grid, r: int) -> list[str]:
    return [_cell_text(v) for v in grid.rows[r]] if r < len(grid.rows) else []


def _heads_of(texts: Sequence[str]) -> dict[int, str]:
    return {c: k for c, t in enumerate(texts) if t and (k := _column_key(t, "guard"))}


def _combined_heads(grid: _Grid, top: int) -> tuple[dict[int, str], dict[int, str]]:
    """Heads of a two-row heading (a group head over sub-heads, merged cells)."""
    upper, lower = _row_texts(grid, top), _row_texts(grid, top + 1)
    width = max(len(upper), len(lower))
    heads: dict[int, str] = {}
    unknown: dict[int, str] = {}
    carried = ""
    for c in range(width):
        u = upper[c] if c < len(upper) else ""
        lo = lower[c] if c < len(lower) else ""
        if u:
            carried = u
        elif lo:
            u = carried  # the group head of a merged range sits in its first cell
        if not (u or lo):
            continue
        for candidate in (u + lo, lo, u):
            key = _column_key(candidate, "guard") if candidate else None
            if key:
                heads[c] = key
                break
        else:
            unknown[c] = (u + lo) if lo else u
    return heads, unknown


def _looks_like_data(texts: Sequence[str], id_col: int | None) -> bool:
    if id_col is None or id_col >= len(texts):
        return False
    return sum(ch.isdigit() for ch in _clean_code(texts[id_col])) >= 6


def _find_blocks(grid: _Grid) -> list[_Block]:
    blocks: list[_Block] = []
    r = 0
    n = len(grid.rows)
    while r < n:
        texts = _row_texts(grid, r)
        single = _heads_of(texts)
        if len(single) < 2:  # a heading row holds heads itself (a header line holds none)
            r += 1
            continue
        combined, unknown2 = _combined_heads(grid, r) if r + 1 < n else ({}, {})
        id_col = next((c for c, k in single.items() if k == ID_NUMBER), None)
        next_texts = _row_texts(grid, r + 1)
        two_rows = (
            len(combined) > len(single)
            and not _looks_like_data(next_texts, id_col)
            and {NAME, ID_NUMBER} <= set(combined.values())
        )
        if not two_rows and not {NAME, ID_NUMBER} <= set(single.values()):
            r += 1
            continue
        if two_rows:
            heads, unknown, bottom = combined, unknown2, r + 1
        else:
            heads = single
            unknown = {c: t for c, t in enumerate(texts) if t and c not in single}
            bottom = r
        blocks.append(_Block(grid, r, bottom, heads, unknown))
        r = bottom + 1
    for i, b in enumerate(blocks):
        b.first_data = b.head_bottom + 1
        b.end = blocks[i + 1].head_top if i + 1 < len(blocks) else n
        if not i:
            continue  # the first form's preamble is everything above its heads
        start = b.head_top
        while start > blocks[i - 1].head_bottom + 1 and _is_preamble_row(
            grid, start - 1, blocks[i - 1]
        ):
            start -= 1
        b.preamble_start = start
        blocks[i - 1].end = start
    return blocks


def _is_preamble_row(grid: _Grid, r: int, previous: _Block) -> bool:
    """Whether row ``r``, above a form's heads, belongs to that form rather than the one before.

    Blank rows, rows with header-line labels and single text cells (a title) do; a row
    with an ID number in the previous form's column does not.
    """
    texts = [t for t in _row_texts(grid, r) if t]
    if not texts or any(_FIELD_RE.search(t) for t in texts):
        return True
    id_col = next((c for c, k in previous.columns.items() if k == ID_NUMBER), None)
    if _looks_like_data(_row_texts(grid, r), id_col):
        return False
    return len(texts) == 1 and not re.fullmatch(r"[\d.]+", texts[0])


def _read_preamble(block: _Block, layouts: Sequence[FormLayout]) -> None:
    grid = block.grid
    titles = {_label(lay.title) for lay in layouts}
    current: str | None = None
    for r in range(block.preamble_start, block.head_top):
        current = None
        for c, value in enumerate(grid.rows[r] if r < len(grid.rows) else ()):
            raw = _cell_text(value)
            if not raw:
                continue
            ref = _ref(grid.name, r, c)
            if _label(raw) in titles:  # a known title wins over any line above it (附件1)
                block.title, block.title_ref = raw, ref
                continue
            pos = 0
            for m in _FIELD_RE.finditer(raw):
                before = raw[pos : m.start()].strip()
                if before:
                    current = _assign(block, current, before, ref)
                label = _canonical_field_label(m.group(1))
                current = _FIELD_BY_LABEL.get(label) or f"ignored:{label}"
                block.fields.setdefault(current, _Field("", ref))
                pos = m.end()
            rest = raw[pos:].strip()
            if rest:
                current = _assign(block, current, rest, ref)
    # 联系人：… and 联系电话：… printed as two fields make one contact.
    split = [block.fields[k] for k in ("person", "phone") if k in block.fields]
    joined = " ".join(f.value for f in split if f.value)
    if joined and not (CONTACT in block.fields and block.fields[CONTACT].value):
        block.fields[CONTACT] = _Field(joined, split[0].ref)


def _canonical_field_label(text: str) -> str:
    lab = _label(text)
    for known, _ in _FIELD_LABELS:
        if _label(known) == lab:
            return known
    return lab


def _assign(block: _Block, current: str | None, text: str, ref: str) -> str | None:
    """Give text to the field whose label came last in the line (or take it as the title).

    A value typed over several cells (``张老师`` | ``138…``) is joined with a space.
    """
    if current is None:
        if block.title is None:
            block.title, block.title_ref = text, ref
        return None
    f = block.fields[current]
    block.fields[current] = _Field(f"{f.value} {text}", f.ref) if f.value else _Field(text, ref)
    return current


def _choose_layout(block: _Block, layouts: Sequence[FormLayout]) -> FormLayout:
    guard_layouts = [lay for lay in layouts if lay.kind == "guard"] or [GUARD_CENSUS]
    if block.title is not None:
        for lay in guard_layouts:
            if _label(lay.title) == _label(block.title):
                return lay
    present = set(block.columns.values())
    complete = [lay for lay in guard_layouts if set(lay.keys) <= present]
    if complete:
        return next((lay for lay in complete if lay.id == GUARD_CENSUS.id), complete[0])
    return next((lay for lay in guard_layouts if lay.id == GUARD_CENSUS.id), guard_layouts[0])


# --- a sheet whose heads are not found --------------------------------------------------------

_GUARD_LOOKUP = _LOOKUP["guard"]


def _similarity(text: str, head: str) -> float:
    labels = [lab for lab, h in _GUARD_LOOKUP.items() if h == head]
    lab = _label(text)
    return max(difflib.SequenceMatcher(None, lab, known).ratio() for known in labels)


def _closest_known(text: str) -> str | None:
    """The known head a printed head is closest to (a misspelling), or ``None``."""
    found = difflib.get_close_matches(_label(text), list(_GUARD_LOOKUP), n=1, cutoff=0.6)
    return _GUARD_LOOKUP[found[0]] if found else None


@attrs.frozen
class MissingHead:
    """A required head the likeliest heading row of a sheet lacks, and the closest cell."""

    head: str
    row: int
    closest: tuple[int, str] | None  # column index and printed text


def missing_heads(grid: _Grid, scan: int = 100) -> list[MissingHead] | None:
    """Why a sheet holds no form: the heading row it most likely has, and what it lacks.

    The heading row is the one (of the first ``scan``) with the most cells that are
    known heads or close to one; ``None`` when no row has two.
    """
    best: tuple[int, int] | None = None
    for r in range(min(len(grid.rows), scan)):
        texts = _row_texts(grid, r)
        score = sum(
            1
            for t in texts
            if t and len(t) <= 30 and (_column_key(t, "guard") or _closest_known(t))
        )
        if score >= 2 and (best is None or score > best[0]):
            best = (score, r)
    if best is None:
        return None
    r = best[1]
    texts = _row_texts(grid, r)
    heads = _heads_of(texts)
    out = []
    for need in (NAME, ID_NUMBER):
        if need in heads.values():
            continue
        candidates = [
            (_similarity(t, need), c, t)
            for c, t in enumerate(texts)
            if t and c not in heads and len(t) <= 30
        ]
        ratio, c, t = max(candidates, default=(0.0, -1, ""))
        out.append(MissingHead(need, r, (c, t) if ratio >= 0.5 else None))
    return out
