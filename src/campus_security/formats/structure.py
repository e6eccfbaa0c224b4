"""A fast structurer for model objects that validates exactly what cattrs does.

The roster format's converter (:mod:`campus_security.formats.roster_json`) structures
with cattrs in *detailed validation* mode, which is what lets it report every problem
of a bad roster with its path, and costs about 4 µs per record: a national roster of
half a million schools with a hundred records each would take over three hours.

:class:`Structurer` is the fast path, and every roster reader uses it (the JSON roster
reader through one structurer per thread, the JSON Lines reader one per stream). For
every model class it generates, from the attrs field types, a function that applies
the same strict hooks as the converter (a string is a string, ``1`` is not ``true``,
dates are ``YYYY-MM-DD``, enums by value, no unknown keys) and then builds the object
with its own constructor, so every attrs validator, converter and cross-field check
still runs. Anything it does not handle itself (an unusual shape, any error) makes it
fall back to the cattrs path for the whole object, so the result or the error (with
its path) is exactly cattrs'. No validation is skipped.

Records are immutable values, and validating a value is a pure function of its JSON
form, so leaf records (drills, inspections, trainings...) and value types (region
codes, day series) are memoised by their exact JSON form (``orjson.dumps`` keeps ``1``
and ``true`` apart): the thousands of schools that held a fire drill on 2024-03-05
share one validated :class:`~campus_security.model.Drill`. The memo is bounded (it is
cleared when it grows past ``memo_limit`` entries per class), so memory stays bounded
however long the stream, and a class whose records prove nearly all unique (hazards)
is no longer memoised.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar, Union, get_args, get_origin

import attrs
import orjson

from ..model import (
    BackgroundCheck,
    CreditCode,
    DaySeries,
    Drill,
    Equipment,
    Facilities,
    Hazard,
    IdNumber,
    Inspection,
    PolicePatrol,
    RectificationNotice,
    RegionCode,
    Routines,
    School,
    SecurityCompany,
    SkillAssessment,
    Training,
    Waiver,
)
from .converter import cattrs_converter

__all__ = ["MEMOISED", "Structurer"]

T = TypeVar("T")
Handler = Callable[[Any], Any]

MEMOISED: frozenset[type] = frozenset(
    {
        BackgroundCheck,
        Drill,
        Equipment,
        Facilities,
        Hazard,
        Inspection,
        PolicePatrol,
        RectificationNotice,
        Routines,
        SkillAssessment,
        Training,
        Waiver,
    }
)
"""Classes whose objects are memoised by their JSON form (values without identity)."""


def _compact(key: bytes) -> bytes:
    """A copy of exactly ``len(key)`` bytes: orjson's output may keep a larger buffer."""
    return bytes(memoryview(key))


_MEMO_TRIAL = 20_000
"""Records of a class looked up before the structurer judges whether its memo pays."""


class _Unhandled(Exception):
    """The fast path does not handle this input; the reader's path will."""


def _strict(kind: type) -> Handler:
    def check(v: Any) -> Any:
        if type(v) is not kind:
            raise _Unhandled
        return v

    return check


def _float(v: Any) -> float:
    if type(v) is float:
        return v
    if type(v) is int:
        return float(v)
    raise _Unhandled


def _enum(cls: type[enum.Enum]) -> Handler:
    members = {m.value: m for m in cls if isinstance(m.value, str)}

    def check(v: Any) -> Any:
        if type(v) is not str:
            raise _Unhandled
        m = members.get(v)
        if m is None:
            raise _Unhandled
        return m

    return check


_MISSING = object()
_SCALARS = {str: "str", int: "int", bool: "bool"}


def _compile_build(cls: type, fields: dict[str, Handler], hints: dict[str, Any]) -> Handler:
    """The structure function of one model class, as straight-line Python code.

    For each field present in the object: a scalar (``str``, ``int``, ``bool``, or an
    optional one) has its exact type checked inline; any other field goes through its
    handler. Then the class's own constructor, so every validator runs. Generated once
    per class, like attrs' own ``__init__``; what it accepts and refuses is what the
    handlers in ``fields`` accept and refuse.
    """
    env: dict[str, Any] = {
        "cls": cls,
        "known": frozenset(fields),
        "_M": _MISSING,
        "_Unhandled": _Unhandled,
        "str": str,
        "int": int,
        "bool": bool,
    }
    lines = [
        "def build(v):",
        "    if type(v) is not dict or not known.issuperset(v):",
        "        raise _Unhandled",
        "    kw = {}",
    ]
    for i, (name, handler) in enumerate(fields.items()):
        tp = hints[name]
        args = get_args(tp)
        optional = get_origin(tp) in (Union, types.UnionType) and type(None) in args
        base = next((a for a in args if a is not type(None)), None) if optional else tp
        lines.append(f"    x = v.get({name!r}, _M)")
        lines.append("    if x is not _M:")
        if base in _SCALARS and (not optional or len(args) == 2):
            test = f"type(x) is not {_SCALARS[base]}"
            if optional:
                test = f"x is not None and {test}"
            lines.append(f"        if {test}:")
            lines.append("            raise _Unhandled")
            lines.append(f"        kw[{name!r}] = x")
        else:
            env[f"h{i}"] = handler
            lines.append(f"        kw[{name!r}] = h{i}(x)")
    lines.append("    return cls(**kw)")
    namespace: dict[str, Any] = {}
    source = "\n".join(lines)  # field names are identifiers of the model, not input
    exec(compile(source, f"<structure {cls.__qualname__}>", "exec"), env, namespace)
    build: Handler = namespace["build"]
    return build


def _optional(inner: Handler) -> Handler:
    def check(v: Any) -> Any:
        return None if v is None else inner(v)

    return check


class Structurer:
    """Validating, memoising structure functions for schools and companies.

    :meth:`school` and :meth:`company` return exactly what the roster reader's
    converter returns for the same data, or raise what it raises (a cattrs
    validation error that :func:`campus_security.formats.roster_json.problems_from_exception`
    turns into problems with paths).

    One structurer per thread or process: its memo is not locked.
    """

    def __init__(self, *, memo_limit: int = 100_000) -> None:
        self.converter = cattrs_converter()
        self.memo_limit = memo_limit
        self._handlers: dict[Any, Handler] = {}
        self._memos: dict[type, dict[bytes, Any]] = {}
        self._school = self._handler(School)
        self._company = self._handler(SecurityCompany)
        self.fast = 0
        """Objects built by the fast path (schools and companies)."""
        self.fallbacks = 0
        """Objects the fast path handed to the reader's path."""

    # --- public ---------------------------------------------------------------------

    def school(self, data: Any) -> School:
        """A :class:`School` from its JSON-ready form (raises on invalid data)."""
        return self._structure(data, School, self._school)

    def company(self, data: Any) -> SecurityCompany:
        """A :class:`SecurityCompany` from its JSON-ready form (raises on invalid data)."""
        return self._structure(data, SecurityCompany, self._company)

    def structure(self, data: Any, cls: type[T]) -> T:
        """Any model class (fast path where compiled, else the reader's path)."""
        return self._structure(data, cls, self._handler(cls))

    # --- machinery ------------------------------------------------------------------------

    def _structure(self, data: Any, cls: type[T], handler: Handler) -> T:
        try:
            obj: T = handler(data)
        except Exception:
            self.fallbacks += 1
            return self.converter.structure(data, cls)  # the reader's result or its error
        self.fast += 1
        return obj

    def _handler(self, tp: Any) -> Handler:
        hit = self._handlers.get(tp)
        if hit is None:
            try:
                hit = self._compile(tp)
            except _Unhandled:  # a type the fast path does not know: the reader's hook
                hit = self._slow(tp)
            self._handlers[tp] = hit
        return hit

    def _slow(self, tp: Any) -> Handler:
        structure = self.converter.structure
        return lambda v: structure(v, tp)

    def _compile(self, tp: Any) -> Handler:
        if tp is str:
            return _strict(str)
        if tp is bool:
            return _strict(bool)
        if tp is int:
            return _strict(int)
        if tp is float:
            return _float
        if tp is dt.date:
            return self._memo_scalar(dt.date)
        if tp in (RegionCode, CreditCode, DaySeries):
            return self._memo_scalar(tp)
        if tp is IdNumber:
            slow = self.converter.get_structure_hook(IdNumber)
            return lambda v: slow(v, IdNumber)
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return _enum(tp)
        origin = get_origin(tp)
        if origin in (Union, types.UnionType):
            args = get_args(tp)
            if len(args) == 2 and type(None) in args:
                inner = args[0] if args[1] is type(None) else args[1]
                return _optional(self._handler(inner))
            raise _Unhandled
        if origin is tuple:
            args = get_args(tp)
            if len(args) == 2 and args[1] is Ellipsis:
                return self._sequence(args[0], tuple)
            raise _Unhandled
        if origin is frozenset:
            return self._sequence(get_args(tp)[0], frozenset)
        if isinstance(tp, type) and attrs.has(tp):
            handler = self._class_handler(tp)
            return self._memo_object(tp, handler) if tp in MEMOISED else handler
        raise _Unhandled

    def _memo_scalar(self, cls: type) -> Handler:
        """Scalars validated by the reader's hook once per distinct string."""
        slow = self.converter.get_structure_hook(cls)
        memo: dict[str, Any] = {}
        limit = self.memo_limit

        def check(v: Any) -> Any:
            if type(v) is not str:
                raise _Unhandled
            hit = memo.get(v)
            if hit is None:
                hit = slow(v, cls)
                if len(memo) >= limit:
                    memo.clear()
                memo[v] = hit
            return hit

        return check

    def _memo_object(self, cls: type, build: Handler) -> Handler:
        """One object memoised by its exact JSON bytes (``true`` and ``1`` differ)."""
        memo: dict[bytes, Any] = {}
        dumps = orjson.dumps
        limit = self.memo_limit

        def check(v: Any) -> Any:
            key = dumps(v)
            hit = memo.get(key)
            if hit is None:
                hit = build(v)
                if len(memo) >= limit:
                    memo.clear()
                memo[_compact(key)] = hit
            return hit

        check.build = build  # type: ignore[attr-defined]
        return check

    def _sequence(self, item_type: Any, kind: type) -> Handler:
        item = self._handler(item_type)
        build: Handler | None = getattr(item, "build", None)
        if build is None:

            def plain(v: Any) -> Any:
                if type(v) is not list:
                    raise _Unhandled
                return kind([item(e) for e in v])

            return plain
        return self._memo_sequence(item_type, build, kind)

    def _memo_sequence(self, cls: type, build: Handler, kind: type) -> Handler:
        """Arrays of memoised records: one ``dumps`` of the array, split into records.

        When every element is an object, ``dumps`` of the array is ``[{`` + the members
        of each object joined by ``},{`` + ``}]``; split on ``},{`` it gives each object's
        exact members (bytes), unless a string holds ``},{``, which the count shows (then
        each record is dumped on its own). The keys are the members, so a key stands for
        an object and nothing else.
        """
        memo = self._memos.setdefault(cls, {})
        dumps = orjson.dumps
        lookup = memo.__getitem__
        limit = self.memo_limit

        def keys_of(v: list[Any]) -> list[bytes]:
            keys = dumps(v)[2:-2].split(b"},{")
            if len(keys) != len(v):  # a string holds "},{": one record at a time
                keys = [dumps(e)[1:-1] for e in v]
            return keys

        # Records that are nearly all unique (hazards, notices) gain nothing from the
        # memo and would churn it: once _MEMO_TRIAL records of a class have been looked
        # up, a class of which over 90 % were new is built directly from then on. (The
        # trial is long, so that a memo that is merely warming up, say a year of drill
        # days met for the first time, is not judged on its first misses.)
        stats = [0, 0]  # records looked up, records built

        def memoised(v: Any) -> Any:
            if type(v) is not list:
                raise _Unhandled
            if not v:
                return kind()
            if type(v[0]) is not dict or len(set(map(type, v))) != 1:
                raise _Unhandled  # not all objects: the reader's path says what is wrong
            if stats[0] >= _MEMO_TRIAL and 10 * stats[1] > 9 * stats[0]:
                out = tuple(map(build, v))  # the memo does not pay for this class
                return out if kind is tuple else kind(out)
            keys = keys_of(v)
            stats[0] += len(keys)
            try:
                out = tuple(map(lookup, keys))  # C loops: no bytecode per record
            except KeyError:
                if len(memo) + len(keys) > limit:
                    memo.clear()
                for key, e in zip(keys, v, strict=True):
                    if key not in memo:
                        memo[key] = build(e)
                        stats[1] += 1
                out = tuple(map(lookup, keys))
            return out if kind is tuple else kind(out)

        return memoised

    def _class_handler(self, cls: type) -> Handler:
        """Field by field with the reader's strict hooks, then the class's own constructor."""
        hints = typing.get_type_hints(cls)
        fields: dict[str, Handler] = {}
        for a in attrs.fields(cls):
            if not a.init or a.alias != a.name:
                raise _Unhandled
            fields[a.name] = self._handler(hints[a.name])

        return _compile_build(cls, fields, hints)
