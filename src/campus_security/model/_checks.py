"""Type checks of the model's fields at construction, generated per class from its type hints.

attrs checks no types by itself: ``School(kind="kindergarten")`` would be built and the
engine would fail on it later. Each model class calls :func:`check_fields` in its
``__attrs_post_init__``. The check function of a class is generated once, as
straight-line code like attrs' own ``__init__``, from the field types: a field whose
value already has the declared type costs one ``type(x) is T`` test (the roster readers
build every field with its declared type, so reading pays almost nothing); a value that
can stand for the declared type without loss is converted (an enum's value ``"primary"``
to :class:`~campus_security.model.SchoolKind`, ``"130902"`` to a
:class:`~campus_security.model.RegionCode`, a list to a tuple); anything else raises
:class:`~campus_security.model.InvalidValue` naming the field, in Chinese and English.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from collections.abc import Callable
from typing import Any, Union, get_args, get_origin

import attrs

from .values import CreditCode, IdNumber, InvalidValue, RegionCode, Text, invalid

__all__ = ["check_fields"]

_CHECKS: dict[type, Callable[[Any], None]] = {}

_PLAIN: dict[type, tuple[str, str]] = {
    str: ("字符串", "a string"),
    bool: ("布尔值（true 或 false）", "true or false"),
    int: ("整数", "a whole number"),
    float: ("数字", "a number"),
    dt.date: ("日期（datetime.date）", "a date (datetime.date)"),
    dt.datetime: ("带时区的时间（datetime.datetime）", "a timestamp (datetime.datetime)"),
}


_VALUES: dict[type, tuple[str, str, Callable[[str], Any]]] = {
    RegionCode: ("行政区划代码", "a region code", RegionCode),
    IdNumber: ("身份证号码", "an ID number", IdNumber),
    CreditCode: ("统一社会信用代码", "a unified social credit code", CreditCode),
}


def register_value_type(cls: type, zh: str, en: str, parse: Callable[[str], Any]) -> None:
    """Let fields of type ``cls`` take its text.

    The day series registers itself: it uses these checks, so this module cannot import it.
    """
    _VALUES[cls] = (zh, en, parse)


def _values() -> dict[type, tuple[str, str, Callable[[str], Any]]]:
    """Value types built from their text."""
    return _VALUES


def _type_of(value: object) -> str:
    return type(value).__name__


def _wrong(field: str, what: tuple[str, str], value: object) -> InvalidValue:
    return invalid(
        f"应为{what[0]}，实为 {_type_of(value)}",
        f"expected {what[1]}, got {_type_of(value)}",
        field=field,
    )


def _is_plain(tp: type, value: object) -> bool:
    if tp is float:
        return type(value) in (float, int)
    if tp is dt.date:  # a datetime is a date subclass, but does not compare with dates
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, tp)


def _converter(tp: Any, field: str) -> Callable[[Any], Any]:
    """A function that returns ``value`` as a ``tp`` (converted if it can be) or raises."""
    if tp in _PLAIN:
        what = _PLAIN[tp]

        def plain(value: Any) -> Any:
            if _is_plain(tp, value):
                return float(value) if tp is float else value
            raise _wrong(field, what, value)

        return plain
    if tp in _values():
        zh, en, make = _values()[tp]

        def value_type(value: Any) -> Any:
            if isinstance(value, tp):
                return value
            if type(value) is not str:
                raise _wrong(field, (zh, en), value)
            try:
                return make(value)
            except InvalidValue as exc:
                raise InvalidValue(exc.message, field=field) from None

        return value_type
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        members = {m.value: m for m in tp}
        allowed = ", ".join(str(m.value) for m in tp)

        def member(value: Any) -> Any:
            if isinstance(value, tp):
                return value
            found = members.get(value) if isinstance(value, str) else None
            if found is None:
                shown = repr(value) if isinstance(value, str) else _type_of(value)
                raise invalid(
                    f"无效取值 {shown[:60]}，可选：{allowed}",
                    f"invalid value {shown[:60]}, expected one of: {allowed}",
                    field=field,
                )
            return found

        return member
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(tp) if a is not type(None)]
        if len(options) != 1:
            raise TypeError(f"no field check for {tp!r}")
        inner = _converter(options[0], field)
        return lambda value: None if value is None else inner(value)
    if origin in (tuple, frozenset):
        args = get_args(tp)
        kind: type = origin
        item_type = args[0]
        item = _converter(item_type, field)
        exact = item_type if isinstance(item_type, type) else None
        zh, en = ("数组", "an array (a tuple or list)")

        def sequence(value: Any) -> Any:
            if type(value) is not kind:
                if isinstance(value, str | bytes | dict | Text) or not isinstance(
                    value, tuple | list | set | frozenset
                ):
                    raise _wrong(field, (zh, en), value)
                value = kind(value)
            if not value or (exact is not None and {exact}.issuperset(map(type, value))):
                return value
            items = []
            for i, e in enumerate(value):
                try:
                    items.append(item(e))
                except InvalidValue as exc:
                    at = f"{field}[{i}]" if kind is tuple else field
                    raise InvalidValue(exc.message, field=at) from None
            return kind(items)

        return sequence
    if isinstance(tp, type) and attrs.has(tp):
        what = (f" {tp.__name__} 对象", f"a {tp.__name__}")

        def record(value: Any) -> Any:
            if isinstance(value, tp):
                return value
            raise _wrong(field, what, value)

        return record
    if tp is Any or tp is object:
        return lambda value: value
    raise TypeError(f"no field check for {tp!r}")


def _compile(cls: type) -> Callable[[Any], None]:
    """The check function of ``cls``: straight-line code, one exact-type test per field."""
    hints = typing.get_type_hints(cls)
    env: dict[str, Any] = {
        "_set": object.__setattr__,
        "type": type,
        "map": map,
        "cls": cls,
        "check_fields": check_fields,
    }
    lines = [
        "def check(self):",
        "    if type(self) is not cls:",  # a subclass, whose fields may differ
        "        return check_fields(self)",
    ]
    for i, a in enumerate(attrs.fields(cls)):
        if not a.init:
            continue
        tp = hints[a.name]
        env[f"c{i}"] = _converter(tp, a.name)
        origin = get_origin(tp)
        optional = origin in (Union, types.UnionType) and type(None) in get_args(tp)
        base = next(x for x in get_args(tp) if x is not type(None)) if optional else tp
        lines.append(f"    v = self.{a.name}")
        container = get_origin(base)
        if container in (tuple, frozenset):
            item_type = get_args(base)[0]
            env[f"t{i}"] = container
            env[f"s{i}"] = frozenset({item_type} if isinstance(item_type, type) else ())
            # the usual case (the right container, every item of the right type) inline
            lines.append(
                f"    if type(v) is not t{i} or (v and not s{i}.issuperset(map(type, v))):"
            )
            lines.append(f"        w = c{i}(v)")
            lines.append("        if w is not v:")
            lines.append(f"            _set(self, {a.name!r}, w)")
        elif isinstance(base, type):
            fast = base
            env[f"t{i}"] = fast
            test = f"type(v) is not t{i}"
            if optional:
                test = f"v is not None and {test}"
            lines.append(f"    if {test}:")
            lines.append(f"        w = c{i}(v)")
            lines.append("        if w is not v:")
            lines.append(f"            _set(self, {a.name!r}, w)")
        else:
            lines.append(f"    w = c{i}(v)")
            lines.append("    if w is not v:")
            lines.append(f"        _set(self, {a.name!r}, w)")
    lines.append("    return None")
    namespace: dict[str, Any] = {}
    exec(compile("\n".join(lines), f"<field checks {cls.__qualname__}>", "exec"), env, namespace)
    check: Callable[[Any], None] = namespace["check"]
    return check


def check_fields(obj: Any) -> None:
    """Check (and where lossless, convert) every field of the attrs object ``obj``.

    A class whose ``__attrs_post_init__`` is this function gets its generated check
    function in its place on first use (one call fewer per object).
    """
    cls = type(obj)
    check = _CHECKS.get(cls)
    if check is None:
        check = _CHECKS[cls] = _compile(cls)
        if cls.__dict__.get("__attrs_post_init__") is check_fields:
            cls.__attrs_post_init__ = check
    check(obj)
