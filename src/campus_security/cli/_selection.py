"""``check``'s selection options, checked against what exists: standards, rules, regions.

Each name that matches nothing is a usage error (exit 2) listing what exists, the
closest to what was typed first (:func:`~campus_security.pipeline.filters.closest`):
``--standard ID``, ``--rule GLOB``, ``--region CODE``. A ``--skip-rule`` glob that
matches nothing is only noted on standard error (a configuration file may skip the
rules of a plugin that is not installed everywhere).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import click

from ..engine import Standard
from ..model import RegionCode
from ..model.values import InvalidValue
from ..pipeline.filters import narrow_standards, unmatched_globs
from ._app import unknown

__all__ = ["check_regions", "select_rules", "select_standards"]


def select_standards(found: Sequence[Standard], ids: Sequence[str]) -> tuple[Standard, ...]:
    """The standards of ``ids`` (all when empty); an id not installed is a usage error."""
    if not ids:
        return tuple(found)
    missing = [i for i in dict.fromkeys(ids) if i not in {s.id for s in found}]
    if missing:
        unknown("标准", "standard", missing, [s.id for s in found])
    return tuple(s for s in found if s.id in ids)


def select_rules(
    standards: Sequence[Standard], rules: Sequence[str], skip: Sequence[str], *, quiet: bool
) -> tuple[Standard, ...]:
    """The standards narrowed to the rules the globs keep (``campus_security.pipeline.filters``).

    A ``--rule`` glob matching no rule of the selected standards is a usage error; a
    ``--skip-rule`` one is noted; no rule left at all is a usage error.
    """
    ids = [r.id for s in standards for r in s.rules]
    missing = unmatched_globs(rules, ids)
    if missing:
        unknown("规则", "rule", missing, ids)
    idle = unmatched_globs(skip, ids)
    if idle and not quiet:
        click.echo(
            f"注意：--skip-rule {', '.join(idle)} 没有匹配任何规则 / "
            f"note: --skip-rule {', '.join(idle)} matches no rule",
            err=True,
        )
    narrowed = narrow_standards(standards, rules, skip)
    if not narrowed:
        raise click.UsageError(
            "--rule/--skip-rule 之后没有剩下任何规则 / no rule is left to check after "
            f"--rule {' '.join(rules) or '—'} --skip-rule {' '.join(skip) or '—'}"
        )
    return narrowed


def _near(typed: str) -> list[str]:
    """Region codes that exist near ``typed``: its city's counties, its province's cities."""
    digits = "".join(c for c in typed if c.isdigit())[:6].ljust(2, "0")
    out = []
    bases = [digits[:4].ljust(4, "0") + "{:02d}", digits[:2] + "{:02d}00"]
    for base in bases:
        for k in range(100):
            code = base.format(k)
            try:
                out.append(RegionCode(code))
            except InvalidValue:
                continue
    return [str(c) for c in out]


def check_regions(codes: Sequence[str], standards: Iterable[Standard]) -> tuple[str, ...]:
    """The codes of ``--region``, checked: one that is no region is a usage error.

    What exists is listed: the codes near it (its city's counties and zones, its
    province's cities) and the jurisdictions of the standards, closest first, with names.
    """
    bad = []
    for c in codes:
        try:
            RegionCode(c)
        except InvalidValue:
            bad.append(c)
    if bad:
        pool = {str(j) for s in standards for j in s.jurisdiction}
        for b in bad:
            pool.update(_near(b))
        typed = bad[0]

        def nearness(code: str) -> tuple[int, bool, str]:
            shared = next((k for k in range(6, 0, -1) if code[:k] == typed[:k]), 0)
            return (-shared, not code.endswith("00"), code)  # then the city or province first

        named = [f"{c} {RegionCode(c).name}" for c in sorted(pool, key=nearness)]
        unknown("地区代码（GB/T 2260）", "region code (GB/T 2260)", bad, named, ordered=True)
    return tuple(RegionCode(c).value for c in codes)
