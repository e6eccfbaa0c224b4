"""The roster format's cattrs converter: strict scalar hooks and every problem of an object.

Shared by the JSON roster reader (:mod:`campus_security.formats.roster_json`) and the
fast structurer (``campus_security.formats.structure``), which hands anything unusual
to this converter so that its results and errors are exactly the converter's.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from typing import Any, TypeVar

import attrs
from cattrs.errors import AttributeValidationNote, ClassValidationError
from cattrs.gen import make_dict_structure_fn
from cattrs.preconf.orjson import OrjsonConverter
from cattrs.preconf.orjson import configure_converter as _configure_orjson

from ..model import CreditCode, DaySeries, IdNumber, InvalidValue, RegionCode, Text

__all__ = ["cattrs_converter", "configure_converter", "short_repr"]

T = TypeVar("T")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _bad(zh: str, en: str) -> InvalidValue:
    return InvalidValue(Text(zh, en))


_TYPE_NAMES = {
    dict: ("对象", "object"),
    list: ("数组", "array"),
    str: ("字符串", "string"),
    bool: ("布尔值", "boolean"),
    int: ("整数", "integer"),
    float: ("小数", "number"),
    type(None): ("空值", "null"),
}


def _type_name(value: object, lang: int = 1) -> str:
    names = _TYPE_NAMES.get(type(value))
    return names[lang] if names else type(value).__name__


def _type_zh(value: object) -> str:
    return _type_name(value, 0)


def short_repr(value: object, limit: int = 60) -> str:
    """``repr(value)``, cut to ``limit`` characters (an echoed value must not flood a message)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- strict scalar hooks: no silent coercion ("12" is not 12, 1.5 is not 1) -------------


def _structure_str(value: Any, cls: type) -> Any:
    if issubclass(cls, enum.Enum):  # str-based enums dispatch here (str precedes Enum)
        return _structure_enum(value, cls)
    if not isinstance(value, str):
        raise _bad(
            f"应为字符串，实为{_type_zh(value)}", f"expected a string, got {_type_name(value)}"
        )
    return value


def _structure_int(value: Any, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(
            f"应为整数，实为{_type_zh(value)}", f"expected an integer, got {_type_name(value)}"
        )
    return value


def _structure_float(value: Any, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _bad(
            f"应为数字，实为{_type_zh(value)}", f"expected a number, got {_type_name(value)}"
        )
    return float(value)


def _structure_bool(value: Any, _: type) -> bool:
    if not isinstance(value, bool):
        raise _bad(
            f"应为 true 或 false，实为{_type_zh(value)}",
            f"expected true or false, got {_type_name(value)}",
        )
    return value


def _structure_date(value: Any, _: type) -> dt.date:
    if not isinstance(value, str) or not _DATE_RE.match(value):
        raise _bad(f"日期应写作 YYYY-MM-DD：{value!r}", f"a date is written YYYY-MM-DD: {value!r}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _bad(f"日期不存在：{value}", f"no such date: {value}") from None


def _structure_datetime(value: Any, _: type) -> dt.datetime:
    if not isinstance(value, str):
        raise _bad("时间应为 ISO 8601 字符串", "a timestamp is an ISO 8601 string")
    try:
        stamp = dt.datetime.fromisoformat(value)
    except ValueError:
        raise _bad(f"时间格式无效：{value!r}", f"invalid timestamp: {value!r}") from None
    if stamp.tzinfo is None:
        raise _bad(f"时间须带时区：{value!r}", f"a timestamp needs a UTC offset: {value!r}")
    return stamp


def _structure_enum(value: Any, cls: type[enum.Enum]) -> enum.Enum:
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in cls)
        raise _bad(
            f"无效取值 {value!r}，可选：{allowed}",
            f"invalid value {value!r}, expected one of: {allowed}",
        ) from None


def _value_type(cls: Callable[[str], T]) -> Any:
    def structure(value: Any, _: type) -> T:
        if not isinstance(value, str):
            raise _bad(
                f"应为字符串，实为{_type_zh(value)}", f"expected a string, got {_type_name(value)}"
            )
        return cls(value)

    return structure


class _PartialObject:
    """Stands in for an object that could not be built, for validators that read siblings."""

    def __init__(self, conv: OrjsonConverter, cls: type, data: dict[str, Any]) -> None:
        self._conv, self._types, self._data = (
            conv,
            {a.name: a.type for a in attrs.fields(cls)},
            data,
        )

    def __getattr__(self, name: str) -> Any:
        try:
            return self._conv.structure(self._data[name], self._types[name])
        except Exception:
            return None


def _attrs_hook_factory(conv: OrjsonConverter) -> Callable[[type], Any]:
    """Structure hooks for model classes that report every problem of an object.

    cattrs reports type problems per field but, when any field fails, never builds
    the object, so the attrs validators of the other fields never run and their
    problems would surface only on the next attempt. On failure, this hook runs each
    remaining field's validator on its own and adds what it finds, with the field's
    name, so one read lists every problem.
    """

    def factory(cls: type) -> Any:
        base: Callable[[Any, type], Any] = make_dict_structure_fn(
            cls,
            conv,
            _cattrs_forbid_extra_keys=conv.forbid_extra_keys,
            _cattrs_detailed_validation=True,
        )
        checked = [a for a in attrs.fields(cls) if a.validator is not None]

        def structure(data: Any, _: type) -> Any:
            try:
                return base(data, cls)
            except ClassValidationError as exc:
                if not isinstance(data, dict):
                    raise
                failed = {
                    note.name
                    for _, note in exc.group_exceptions()[0]
                    if isinstance(note, AttributeValidationNote)
                }
                extra: list[Exception] = []
                partial = _PartialObject(conv, cls, data)
                for a in checked:
                    if a.name in failed or a.name not in data:
                        continue
                    try:
                        value = conv.structure(data[a.name], a.type)
                        a.validator(partial, a, value)
                    except InvalidValue as problem:
                        found = InvalidValue(problem.message)  # the note names the field
                        found.__notes__ = [
                            AttributeValidationNote(
                                f"Structuring class {cls.__qualname__} @ attribute {a.name}",
                                a.name,
                                a.type,
                            )
                        ]
                        extra.append(found)
                    except Exception:
                        continue
                if not extra:
                    raise
                raise ClassValidationError(exc.message, [*exc.exceptions, *extra], cls) from None

        return structure

    return factory


def configure_converter(conv: OrjsonConverter) -> OrjsonConverter:
    """Register the domain's hooks on a cattrs converter (cattrs' preconf pattern)."""
    conv.register_structure_hook_factory(
        lambda t: attrs.has(t) and t.__module__.startswith("campus_security."),
        _attrs_hook_factory(conv),
    )
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(enum.Enum, _structure_enum)
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_structure_hook(dt.datetime, _structure_datetime)
    conv.register_unstructure_hook(dt.datetime, dt.datetime.isoformat)
    for cls in (IdNumber, RegionCode, CreditCode):
        conv.register_structure_hook(cls, _value_type(cls))
        conv.register_unstructure_hook(cls, lambda v: v.value)
    conv.register_structure_hook(DaySeries, _value_type(DaySeries.parse))
    conv.register_unstructure_hook(DaySeries, str)
    # Sets are written sorted, so that equal rosters give identical files.
    conv.register_unstructure_hook_func(
        lambda t: t is frozenset or getattr(t, "__origin__", None) is frozenset,
        lambda s: sorted(conv.unstructure(x) for x in s),
    )
    return conv


def _cattrs_converter(cls: type[OrjsonConverter] = OrjsonConverter) -> OrjsonConverter:
    conv = cls(
        forbid_extra_keys=True,
        omit_if_default=True,
        unstruct_collection_overrides={AbstractSet: list},
    )
    _configure_orjson(conv)
    return configure_converter(conv)


def cattrs_converter() -> OrjsonConverter:
    """The same converter raising cattrs' own validation errors (for the readers' paths).

    :func:`problems_from_exception` turns what it raises into problems with paths.
    """
    return _cattrs_converter()
