"""What a run checks: rules by id glob, schools by id glob and by region (``check --rule``...).

The filters travel in the run's :class:`~campus_security.pipeline.Setup`, so that the
same schools meet the same rules in this process, on worker processes and on a Dask
cluster.

**Rules** (``--rule GLOB``, ``--skip-rule GLOB``, :func:`fnmatch.fnmatchcase` on rule ids
such as ``jiangsu.guard-staffing``): a rule is checked when some ``--rule`` glob matches
it (or none is given) and no ``--skip-rule`` glob does. A skipped rule is taken out of
its standard with the targets that rate it (each target rates one rule), so a rate
reported is always the whole rate of its target over the schools checked; the targets of
skipped rules are not reported at all. A standard left without rules is not evaluated.

**Schools** (``--school GLOB`` on school ids, ``--region CODE``): a school is checked
when some glob matches its id (or none is given) and its region code lies under one of
the regions (or none is given). A region covers the codes under it as GB/T 2260 nests
them: ``320000`` a province, ``320100`` a city with its counties and functional zones,
``320102`` one county (:meth:`~campus_security.model.RegionCode.covers`). Schools left
out are read and checked for problems like any other (a roster with problems is still
refused) but not evaluated nor counted: rates are those of the schools checked.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from fnmatch import fnmatchcase

import attrs

from ..engine import Standard
from ..model import RegionCode, School

__all__ = [
    "SchoolFilter",
    "closest",
    "narrow_standards",
    "rule_selected",
    "unmatched_globs",
]


def rule_selected(rule_id: str, rules: Sequence[str], skip: Sequence[str]) -> bool:
    """Whether a rule is checked: a ``rules`` glob matches it (or none given), no ``skip`` one."""
    if rules and not any(fnmatchcase(rule_id, g) for g in rules):
        return False
    return not any(fnmatchcase(rule_id, g) for g in skip)


def narrow_standards(
    standards: Iterable[Standard], rules: Sequence[str], skip: Sequence[str]
) -> tuple[Standard, ...]:
    """The standards with only their selected rules and those rules' targets.

    A standard with no rule left is dropped; with no filter, ``standards`` as they are.
    """
    standards = tuple(standards)
    if not rules and not skip:
        return standards
    out = []
    for s in standards:
        kept = tuple(r for r in s.rules if rule_selected(r.id, rules, skip))
        if not kept:
            continue
        if len(kept) == len(s.rules):
            out.append(s)
            continue
        ids = {r.id for r in kept}
        out.append(
            attrs.evolve(s, rules=kept, targets=tuple(t for t in s.targets if t.rule_id in ids))
        )
    return tuple(out)


def unmatched_globs(globs: Iterable[str], names: Iterable[str]) -> list[str]:
    """The globs that match none of ``names``."""
    names = tuple(names)
    return [g for g in globs if not any(fnmatchcase(n, g) for n in names)]


def closest(word: str, names: Iterable[str], n: int = 8) -> list[str]:
    """``names`` ordered for an error message: the closest to ``word`` first, then the rest.

    Closeness is :func:`difflib.get_close_matches`'s, after the names sharing ``word``'s
    longest prefix (``jiangsu.gaurd*`` finds ``jiangsu.guard-staffing``).
    """
    names = sorted(set(names))
    stem = word.split("*")[0].split("?")[0].split("[")[0]
    close = difflib.get_close_matches(word, names, n=n, cutoff=0.5)
    prefix: list[str] = []
    for k in range(len(stem), 0, -1):
        prefix = [x for x in names if x.startswith(stem[:k])]
        if prefix:
            break
    first = list(dict.fromkeys([*close, *prefix[:n]]))
    return first + [x for x in names if x not in first]


@attrs.frozen
class SchoolFilter:
    """Which schools a run checks (picklable: it goes to worker processes)."""

    ids: tuple[str, ...] = ()
    """School id globs; empty: every id."""
    regions: tuple[RegionCode, ...] = ()
    """Regions; empty: every region."""

    def __call__(self, school: School) -> bool:
        """Whether ``school`` is checked."""
        if self.ids and not any(fnmatchcase(school.id, g) for g in self.ids):
            return False
        code = school.region_code
        return not self.regions or any(r.covers(code) for r in self.regions)
