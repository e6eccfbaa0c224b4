"""A sheet to write: its rows, merges and formats, and the header line of a form."""

from __future__ import annotations

from typing import Any

import attrs

from ...census_forms import FormLayout


@attrs.define
class _OutSheet:
    name: str
    width: int
    rows: list[list[Any]] = attrs.Factory(list)
    merges: list[tuple[int, int, int, int]] = attrs.Factory(list)
    heading_row: int = 2
    text_columns: set[int] = attrs.Factory(set)
    date_columns: set[int] = attrs.Factory(set)
    widths: dict[int, float] = attrs.Factory(dict)
    gender_column: int | None = None


def _header_row(
    layout: FormLayout, values: dict[str, str], width: int
) -> tuple[list[Any], list[tuple[int, int, int, int]]]:
    """The header line: per field a label cell (``填报单位：``) and a merged value cell."""
    row: list[Any] = [None] * width
    merges: list[tuple[int, int, int, int]] = []
    n = len(layout.header_fields)
    if not n:
        return row, merges
    span = width // n
    if span < 2:
        for i, label in enumerate(layout.header_fields[:width]):
            row[i] = f"{label}：{values.get(label, '')}"
        return row, merges
    for i, label in enumerate(layout.header_fields):
        start = i * span
        stop = width if i == n - 1 else start + span  # exclusive
        row[start] = f"{label}："
        value = values.get(label, "")
        row[start + 1] = value or None
        if stop - (start + 1) > 1:
            merges.append((1, start + 1, 1, stop - 1))
    return row, merges
