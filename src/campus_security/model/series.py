"""Day series: how many times something happened on each day of a run of days.

A year of daily hazard checks or twice-daily police patrols is hundreds of records a
school, and a national roster holds half a million schools. A :class:`DaySeries` keeps
such routine records as one value: the first day and a count for every day from it,
written in the roster as one short string (run-length encoded)::

    "2023-11-21:2*300,1,2*64"

reads "from 2023-11-21, a count of 2 on each of 300 days, 1 on the next day, then 2 on
each of 64 days". A count of ``0`` is a day without a record. The text form is
canonical (runs of equal counts merged, ``N*1`` written ``N``, no leading or trailing
zero day), so that a series reads and writes back byte for byte; a non-canonical
string is refused with its canonical spelling in the message.

Rules never iterate the raw counts: they ask for a period (:meth:`DaySeries.days`,
:meth:`DaySeries.counts_between`, :meth:`DaySeries.total`), which costs the length of
the period, not of the year.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from itertools import compress

import attrs

from ._checks import check_fields, register_value_type
from .values import invalid

__all__ = ["MAX_COUNT", "MAX_DAYS", "DaySeries"]

MAX_DAYS = 36_600
"""The longest series accepted: a hundred years (a bound against typos like ``1*99999999``)."""
MAX_COUNT = 9_999
"""The largest count accepted for one day."""

# Numbers of at most 9 digits (counts stop at 9 999, series at 36 600 days): int() stays
# cheap and a longer number is a format error; \Z, not $, so a trailing newline is refused.
_TEXT_RE = re.compile(r"(\d{4}-\d{2}-\d{2}):(\d{1,9}(?:\*\d{1,9})?(?:,\d{1,9}(?:\*\d{1,9})?)*)\Z")
_ONE_DAY = dt.timedelta(days=1)


def _counts(value: Iterable[int]) -> tuple[int, ...]:
    if isinstance(value, list | tuple):
        return tuple(value)
    return value  # type: ignore[return-value]  # _check_counts says what is wrong


def _check_end(start: dt.date, days: int) -> None:
    if (dt.date.max - start).days < days - 1:
        raise invalid(
            f"按日计数超出日历（最后一天晚于 9999-12-31）：自 {start} 起 {days} 天",
            f"a day series runs past the calendar's last day (9999-12-31): {days} days "
            f"from {start}",
        )


def _check_counts(
    instance: DaySeries, attribute: attrs.Attribute[tuple[int, ...]], value: tuple[int, ...]
) -> None:
    if type(value) is not tuple:
        raise invalid(
            f"每日计数应为整数数组，实为 {type(value).__name__}",
            f"the counts are an array of integers, got {type(value).__name__}",
            field="counts",
        )
    if not value:
        raise invalid("按日计数不能为空", "a day series needs at least one day", field="counts")
    if len(value) > MAX_DAYS:
        raise invalid(
            f"按日计数过长：{len(value)} 天（上限 {MAX_DAYS} 天）",
            f"a day series is too long: {len(value)} days (at most {MAX_DAYS})",
            field="counts",
        )
    # C-level checks (a year is 365 counts): every count an int (not a bool) in range.
    if set(map(type, value)) != {int} or min(value) < 0 or max(value) > MAX_COUNT:
        bad = next(n for n in value if type(n) is not int or not 0 <= n <= MAX_COUNT)
        raise invalid(
            f"每日计数应为 0 至 {MAX_COUNT} 的整数：{bad!r}",
            f"a day's count is an integer from 0 to {MAX_COUNT}: {bad!r}",
            field="counts",
        )
    if value[0] == 0 or value[-1] == 0:
        raise invalid(
            "按日计数的首日和末日计数须大于 0（以首个有记录的日子为起点）",
            "a day series starts and ends on a day with a count above 0",
            field="counts",
        )
    if isinstance(instance.start, dt.date):
        _check_end(instance.start, len(value))


@attrs.frozen(repr=False)
class DaySeries:
    """Counts per calendar day (按日计数) from ``start``, one count per day.

    >>> s = DaySeries.parse("2024-03-01:2*3,0,1")
    >>> s.end, s.count(dt.date(2024, 3, 4)), s.total()
    (datetime.date(2024, 3, 5), 0, 7)
    >>> str(DaySeries.from_counts({dt.date(2024, 3, 2): 1, dt.date(2024, 3, 3): 1}))
    '2024-03-02:1*2'
    """

    start: dt.date
    """首日: the first day, which has a count above 0."""
    counts: tuple[int, ...] = attrs.field(converter=_counts, validator=_check_counts)
    """每日计数: the count of each day from ``start``; the last one is above 0."""
    _offsets: tuple[int, ...] | None = attrs.field(
        init=False, default=None, eq=False, repr=False, alias="_offsets"
    )
    """Derived, built on the first query: the offsets of the days with a count above 0."""

    __attrs_post_init__ = check_fields

    # --- building -------------------------------------------------------------------

    @classmethod
    def from_counts(cls, counts: Mapping[dt.date, int]) -> DaySeries | None:
        """The series of a day -> count mapping (days with 0 left out); ``None`` if empty."""
        days = sorted(d for d, n in counts.items() if n)
        if not days:
            return None
        first = days[0]
        out = [0] * ((days[-1] - first).days + 1)
        for d in days:
            out[(d - first).days] = counts[d]
        return cls(first, out)

    @classmethod
    def from_days(cls, days: Iterable[dt.date]) -> DaySeries | None:
        """The series counting each occurrence of a day; ``None`` if there are none."""
        tally: dict[dt.date, int] = {}
        for d in days:
            tally[d] = tally.get(d, 0) + 1
        return cls.from_counts(tally)

    @classmethod
    def parse(cls, text: str) -> DaySeries:
        """Read the canonical text ``YYYY-MM-DD:RUN,RUN,...`` (a ``RUN`` is ``N`` or ``N*DAYS``)."""
        m = _TEXT_RE.match(text) if isinstance(text, str) else None
        if m is None:
            raise invalid(
                f"按日计数应写作 YYYY-MM-DD:计数[*天数],...（如 2024-03-01:2*30）：{text!r}",
                f"a day series is written YYYY-MM-DD:COUNT[*DAYS],... (e.g. 2024-03-01:2*30): "
                f"{text!r}",
            )
        try:
            start = dt.date.fromisoformat(m.group(1))
        except ValueError:
            raise invalid(f"日期不存在：{m.group(1)}", f"no such date: {m.group(1)}") from None
        counts: list[int] = []
        canonical = True
        previous = -1
        for run in m.group(2).split(","):
            n_text, star, k_text = run.partition("*")
            n = int(n_text)
            days = int(k_text) if star else 1
            canonical = canonical and (
                n != previous
                and str(n) == n_text
                and (not star or (days >= 2 and str(days) == k_text))
            )
            previous = n
            if n > MAX_COUNT:
                raise invalid(
                    f"每日计数应为 0 至 {MAX_COUNT} 的整数：{n}",
                    f"a day's count is an integer from 0 to {MAX_COUNT}: {n}",
                )
            if len(counts) + days > MAX_DAYS:
                raise invalid(
                    f"按日计数过长（上限 {MAX_DAYS} 天）：{text[:40]!r}",
                    f"a day series is too long (at most {MAX_DAYS} days): {text[:40]!r}",
                )
            counts.extend([n] * days)
        _check_end(start, len(counts))
        if not counts or counts[0] == 0 or counts[-1] == 0 or not canonical:
            trimmed = cls.from_counts(
                {start + dt.timedelta(days=i): c for i, c in enumerate(counts) if c}
            )
            spelled = repr(str(trimmed)) if trimmed is not None else "（无）/ (none)"
            raise invalid(
                f"按日计数须用规范写法（合并相同计数，N*1 写作 N，首末日计数大于 0）："
                f"{text!r} 应写作 {spelled}",
                f"write a day series in canonical form (equal counts merged, N*1 as N, "
                f"first and last day above 0): {text!r} is {spelled}",
            )
        return cls._trusted(start, tuple(counts))

    @classmethod
    def _trusted(cls, start: dt.date, counts: tuple[int, ...]) -> DaySeries:
        """A series from counts already known valid (``parse`` checked every run)."""
        series = object.__new__(cls)
        object.__setattr__(series, "start", start)
        object.__setattr__(series, "counts", counts)
        object.__setattr__(series, "_offsets", None)
        return series

    # --- reading --------------------------------------------------------------------

    @property
    def end(self) -> dt.date:
        """The last day, which has a count above 0."""
        return self.start + dt.timedelta(days=len(self.counts) - 1)

    def count(self, day: dt.date) -> int:
        """The count on ``day`` (0 outside the series)."""
        i = (day - self.start).days
        return self.counts[i] if 0 <= i < len(self.counts) else 0

    def _window(self, start: dt.date | None, end: dt.date | None) -> tuple[int, int]:
        lo = 0 if start is None else max(0, (start - self.start).days)
        hi = len(self.counts) if end is None else min(len(self.counts), (end - self.start).days + 1)
        return lo, hi

    def _index(self, start: dt.date | None, end: dt.date | None) -> tuple[int, ...]:
        """The offsets of the days in ``[start, end]`` with a count above 0."""
        offsets = self._offsets
        if offsets is None:  # once per series: the C loop over every day
            offsets = tuple(compress(range(len(self.counts)), self.counts))
            object.__setattr__(self, "_offsets", offsets)
        lo, hi = self._window(start, end)
        if lo == 0 and hi == len(self.counts):
            return offsets
        return offsets[bisect_left(offsets, lo) : bisect_left(offsets, hi)]

    def counts_between(
        self, start: dt.date | None = None, end: dt.date | None = None
    ) -> list[tuple[dt.date, int]]:
        """``(day, count)`` of every day in ``[start, end]`` with a count above 0, in order."""
        if start is not None and start == end:  # one day (a daily rule's period): no index
            i = (start - self.start).days
            n = self.counts[i] if 0 <= i < len(self.counts) else 0
            return [(start, n)] if n else []
        first, counts, day = self.start.toordinal(), self.counts, dt.date.fromordinal
        return [(day(first + i), counts[i]) for i in self._index(start, end)]

    def days(self, start: dt.date | None = None, end: dt.date | None = None) -> list[dt.date]:
        """The days in ``[start, end]`` with a count above 0, in order."""
        first = self.start.toordinal()
        return list(map(dt.date.fromordinal, [first + i for i in self._index(start, end)]))

    def total(self, start: dt.date | None = None, end: dt.date | None = None) -> int:
        """The sum of the counts in ``[start, end]``."""
        lo, hi = self._window(start, end)
        return sum(self.counts[lo:hi]) if lo < hi else 0

    def __iter__(self) -> Iterator[tuple[dt.date, int]]:
        """``(day, count)`` for every day with a count above 0."""
        return iter(self.counts_between())

    # --- writing --------------------------------------------------------------------

    def __str__(self) -> str:
        runs: list[str] = []
        counts = self.counts
        i, n = 0, len(counts)
        while i < n:
            c, j = counts[i], i + 1
            while j < n and counts[j] == c:
                j += 1
            runs.append(f"{c}*{j - i}" if j - i > 1 else str(c))
            i = j
        return f"{self.start.isoformat()}:{','.join(runs)}"

    def __repr__(self) -> str:
        return f"DaySeries.parse({str(self)!r})"


register_value_type(DaySeries, "按日计数", "a day series", DaySeries.parse)
