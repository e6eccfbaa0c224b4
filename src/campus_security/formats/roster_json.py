"""The JSON roster format, read and written with cattrs.

A roster file is a JSON object::

    {"format": "campus-security/roster", "version": "1.0",
     "companies": [...], "schools": [...]}

The file says which format and version it is; a file of another format or of an
unknown version is refused. Field names are the glossary's; enums are written by
value; dates are ``YYYY-MM-DD`` calendar dates in China's local time. Fields equal
to their default are omitted when writing, and unknown fields are an error when
reading, so nothing is silently dropped: a canonical file reads and writes back
byte for byte.

Reading collects every problem and raises one :class:`~campus_security.errors.RosterError`
listing each with its path (``schools[3].guards[0].id_number``) and a message in
Chinese and English.

Routine records that carry nothing but their day (a year of daily checks, twice-daily
police patrols) may be written compactly as day series (``inspection_series``,
``police_patrol_series``; see :class:`~campus_security.model.DaySeries`). These are
fields added with defaults, so under the versioning rules of the format reference they
do not change the version: a roster without them reads exactly as before, and a library
that predates them refuses them at their path rather than dropping them.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from os import PathLike
from pathlib import Path
from typing import Any, TypeVar

import orjson
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.preconf.orjson import OrjsonConverter

from .._atomic import write_bytes_atomic
from ..errors import Problem, RosterError, mask_id_numbers, unreadable_file
from ..model import (
    InvalidValue,
    Roster,
    School,
    SecurityCompany,
    Text,
)
from ..model.entities import roster_problems
from .converter import (
    _cattrs_converter,
    _type_name,
    _type_zh,
    cattrs_converter,
    configure_converter,
    short_repr,
)
from .structure import Structurer

__all__ = [
    "FORMAT",
    "MASKED",
    "PERSONAL_DATA",
    "SUPPORTED_VERSIONS",
    "VERSION",
    "RosterConverter",
    "cattrs_converter",
    "configure_converter",
    "dump_roster",
    "dumps_roster",
    "load_roster",
    "loads_roster",
    "make_converter",
    "mask_document",
    "problems_from_exception",
    "short_repr",
]

FORMAT = "campus-security/roster"
VERSION = "1.0"
SUPPORTED_VERSIONS = frozenset({"1.0"})
PERSONAL_DATA = "personal_data"
"""The header field that marks a roster written with its personal data masked."""
MASKED = "masked"
"""Its value in such a roster."""

T = TypeVar("T")


class RosterConverter(OrjsonConverter):
    """The roster format's converter, whose ``structure`` raises a ``RosterError``.

    Every problem of the data is listed with its path relative to the object structured
    (``guards[0].id_number``; ``$`` for the object itself), in Chinese and English, as
    the roster readers report them.
    """

    def structure(self, obj: Any, cl: Any) -> Any:
        """``obj`` as a ``cl``, or a ``RosterError`` listing every problem."""
        try:
            return super().structure(obj, cl)
        except RosterError:
            raise
        except Exception as exc:
            raise RosterError(problems_from_exception(exc)) from None


def make_converter() -> OrjsonConverter:
    """A converter for the roster format: strict, forbids unknown keys, omits defaults.

    Its ``structure`` raises :class:`~campus_security.errors.RosterError` (see
    :class:`RosterConverter`).
    """
    return _cattrs_converter(RosterConverter)


_CONVERTER = cattrs_converter()

READER_MEMO_LIMIT = 10_000
"""Memo entries per class of the reader's fast structurer (one per thread)."""

_LOCAL = threading.local()


def _fast() -> Structurer:
    """The fast structurer of the calling thread: the converter's result (or error), faster.

    :class:`~campus_security.formats.structure.Structurer` applies this module's strict
    hooks and the model's own constructors, and hands anything unusual or wrong to
    the converter, so what it returns or raises is exactly the converter's.
    """
    st: Structurer | None = getattr(_LOCAL, "structurer", None)
    if st is None:
        st = _LOCAL.structurer = Structurer(memo_limit=READER_MEMO_LIMIT)
    return st


# --- error paths ----------------------------------------------------------------------------


def _message_of(exc: BaseException) -> Text:
    if isinstance(exc, InvalidValue):
        return exc.message
    if isinstance(exc, KeyError):
        return Text("缺少必填字段", "required field is missing")
    if isinstance(exc, TypeError):
        return Text(f"类型错误：{exc}", f"wrong type: {exc}")
    return Text(f"无效取值：{exc}", f"invalid value: {exc}")


def problems_from_exception(exc: BaseException, path: str = "") -> Iterator[Problem]:
    """Flatten a cattrs validation error into problems with paths.

    ``path`` is where ``exc`` happened. An attrs validator that fails during
    construction is reported by cattrs against the object; :class:`InvalidValue`
    carries the field's name, which is appended here so the path reaches the field.
    """
    if isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields):
            yield Problem(
                join_path(path, key),
                Text(
                    "未知字段（本格式中没有此字段）",
                    "unknown field (this format has no such field)",
                ),
            )
        return
    if isinstance(exc, ClassValidationError | IterableValidationError):
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            step: str | int = note.index if isinstance(note, IterableValidationNote) else note.name
            if isinstance(sub, KeyError) and isinstance(note, AttributeValidationNote):
                yield Problem(join_path(path, step), _message_of(sub))
            else:
                yield from problems_from_exception(sub, join_path(path, step))
        for sub in without:
            yield from problems_from_exception(sub, path)
        return
    if isinstance(exc, InvalidValue) and exc.field:
        # the field may be a path itself (``guards[1]``): joined as it is
        yield Problem(f"{path}.{exc.field}" if path else exc.field, exc.message)
        return
    yield Problem(path or "$", _message_of(exc))


_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def join_path(path: str, step: str | int) -> str:
    """``path`` one step further: ``a[3]``, ``a.b``, or ``a["odd key"]``.

    A key that is not a plain name (an empty key, spaces, dots) is quoted, so that
    every path names one place.
    """
    if isinstance(step, int):
        return f"{path}[{step}]"
    if not _NAME.match(step):
        quoted = orjson.dumps(step).decode()
        return f"{path or '$'}[{quoted}]"
    return f"{path}.{step}" if path else step


def json_error(
    data: bytes | str, exc: orjson.JSONDecodeError, *, scope: tuple[str, str] = ("文件", "the file")
) -> tuple[str, Text]:
    """Where (``line L, column C``) and what is wrong with JSON text that does not parse.

    orjson reports text that is not UTF-8 at line 1, column 1; the real place is found
    here (the first byte that is not UTF-8, its line, its column in characters; the
    message counts the byte in ``scope``, the file or the line).
    """
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as bad:
            start = bad.start
            line_start = raw.rfind(b"\n", 0, start) + 1
            line = raw.count(b"\n", 0, start) + 1
            column = len(raw[line_start:start].decode("utf-8", "replace")) + 1
            byte = raw[start : start + 1].hex().upper()
            return (
                f"line {line}, column {column}",
                Text(
                    f"不是有效的 UTF-8 文本：{scope[0]}第{start + 1}字节（0x{byte}）无法解码；"
                    "名册应以 UTF-8 编码保存",
                    f"not valid UTF-8 text: byte {start + 1} of {scope[1]} (0x{byte}) cannot be "
                    "decoded; save the roster as UTF-8",
                ),
            )
    return (
        f"line {exc.lineno}, column {exc.colno}",
        Text(f"不是有效的 JSON：{exc.msg}", f"not valid JSON: {exc.msg}"),
    )


# --- reading and writing --------------------------------------------------------------------


def _check_header(doc: Any) -> list[Problem]:
    if not isinstance(doc, dict):
        return [
            Problem(
                "$",
                Text(
                    f"名册应为 JSON 对象，实为{_type_zh(doc)}",
                    f"a roster is a JSON object, got {_type_name(doc)}",
                ),
            )
        ]
    fmt, version = doc.get("format"), doc.get("version")
    if fmt == FORMAT and doc.get(PERSONAL_DATA) == MASKED:
        return [Problem(PERSONAL_DATA, masked_roster_text())]
    if fmt != FORMAT:
        return [
            Problem(
                "format",
                Text(
                    f"不是 campus-security 名册：format 应为 {FORMAT!r}，实为 {short_repr(fmt)}",
                    f"not a campus-security roster: format must be {FORMAT!r}, "
                    f"got {short_repr(fmt)}",
                ),
            )
        ]
    if not isinstance(version, str) or version not in SUPPORTED_VERSIONS:
        known = ", ".join(sorted(SUPPORTED_VERSIONS))
        return [
            Problem(
                "version",
                Text(
                    f"不支持的名册版本 {short_repr(version)}（本版本库支持：{known}）；"
                    "请升级 campus-security",
                    f"unsupported roster version {short_repr(version)} (this library reads: "
                    f"{known}); upgrade campus-security to read it",
                ),
            )
        ]
    return []


def masked_roster_text() -> Text:
    """The message for a roster written with ``--mask-personal-data``, which is not read."""
    return Text(
        "名册中的身份证号码已脱敏（--mask-personal-data），仅供共享，不能读取或检查；请使用原名册",
        "the roster's ID numbers are masked (--mask-personal-data): it is for sharing and "
        "cannot be read or checked; use the original roster",
    )


def _structure_list(items: Any, cls: type[T], path: str, problems: list[Problem]) -> list[T]:
    if not isinstance(items, list):
        problems.append(
            Problem(
                path,
                Text(
                    f"应为数组，实为{_type_zh(items)}",
                    f"expected an array, got {_type_name(items)}",
                ),
            )
        )
        return []
    out: list[T] = []
    fast = _fast()
    for i, item in enumerate(items):
        try:
            out.append(fast.structure(item, cls))
        except Exception as exc:
            problems.extend(problems_from_exception(exc, f"{path}[{i}]"))
    return out


def _cross_check(schools: list[School], companies: list[SecurityCompany]) -> list[Problem]:
    return [Problem(p.field or "$", p.message) for p in roster_problems(schools, companies)]


def roster_from_document(doc: Any, *, source: str | None = None) -> Roster:
    """Build a roster from a parsed JSON document, or raise :class:`RosterError`."""
    problems = _check_header(doc)
    if problems:
        raise RosterError(problems, source)
    extra = sorted(set(doc) - {"format", "version", "companies", "schools"})
    problems = [
        Problem(
            join_path("", k),
            Text("未知字段（本格式中没有此字段）", "unknown field (this format has no such field)"),
        )
        for k in extra
    ]
    companies = _structure_list(doc.get("companies", []), SecurityCompany, "companies", problems)
    schools = _structure_list(doc.get("schools", []), School, "schools", problems)
    if not problems:
        problems = _cross_check(schools, companies)
    if problems:
        raise RosterError([Problem(p.path, p.message, source) for p in problems], source)
    return Roster(schools=schools, companies=companies)


def loads_roster(data: bytes | str, *, source: str | None = None) -> Roster:
    """Read a roster from JSON text."""
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        where, what = json_error(data, exc)
        raise RosterError([Problem(where, what, source)], source) from None
    return roster_from_document(doc, source=source)


def load_roster(path: str | PathLike[str]) -> Roster:
    """Read a roster file."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise unreadable_file(str(p), exc) from None
    return loads_roster(data, source=str(p))


def mask_document(data: Any) -> Any:
    """A JSON-ready value with every ID-shaped value in its strings and keys masked.

    What a roster written with ``mask_personal_data`` holds: ID numbers, and any other
    run of 15 or more digits (see :func:`~campus_security.errors.mask_id_numbers`),
    masked as reports mask them.
    """
    if isinstance(data, str):
        return mask_id_numbers(data)
    if isinstance(data, list):
        return [mask_document(x) for x in data]
    if isinstance(data, dict):
        return {mask_id_numbers(k): mask_document(v) for k, v in data.items()}
    return data


def roster_document(roster: Roster, *, mask_personal_data: bool = False) -> dict[str, Any]:
    """The roster as a JSON-ready document.

    A roster holds ID numbers in full: they are the data itself. With
    ``mask_personal_data`` (a roster to be shared), every ID-shaped value is masked
    (``mask_document``) and the document says so in ``"personal_data": "masked"``;
    such a roster cannot be read back (its guards' ID numbers are gone), and the readers
    refuse it saying why.
    """
    companies = _CONVERTER.unstructure(list(roster.companies))
    schools = _CONVERTER.unstructure(list(roster.schools))
    if not mask_personal_data:
        return {"format": FORMAT, "version": VERSION, "companies": companies, "schools": schools}
    return {
        "format": FORMAT,
        "version": VERSION,
        PERSONAL_DATA: MASKED,
        "companies": mask_document(companies),
        "schools": mask_document(schools),
    }


def dumps_roster(roster: Roster, *, indent: bool = True, mask_personal_data: bool = False) -> bytes:
    """Write a roster as JSON bytes (UTF-8, keys in model order).

    ID numbers are written in full unless ``mask_personal_data``: then every ID-shaped
    value is masked and the document is marked ``"personal_data": "masked"``, which the
    readers refuse (a roster to be shared, not read back).
    """
    option = orjson.OPT_INDENT_2 if indent else 0
    doc = roster_document(roster, mask_personal_data=mask_personal_data)
    return orjson.dumps(doc, option=option | orjson.OPT_APPEND_NEWLINE)


def dump_roster(
    roster: Roster,
    path: str | PathLike[str],
    *,
    indent: bool = True,
    mask_personal_data: bool = False,
) -> None:
    """Write a roster file (ID numbers in full unless ``mask_personal_data``).

    Atomically: a reader sees the old file or the whole new one.
    """
    write_bytes_atomic(
        path, dumps_roster(roster, indent=indent, mask_personal_data=mask_personal_data)
    )


def unstructure(obj: Any) -> Any:
    """Any model object as JSON-ready data, with the roster format's conventions."""
    return _CONVERTER.unstructure(obj)


def structure(data: Any, cls: type[T], *, path: str = "", source: str | None = None) -> T:
    """Any model object from JSON-ready data; problems raise :class:`RosterError`."""
    try:
        return _fast().structure(data, cls)
    except Exception as exc:
        raise RosterError(
            [Problem(p.path, p.message, source) for p in problems_from_exception(exc, path)],
            source,
        ) from None


def iter_problems(items: Iterable[Problem]) -> list[str]:
    """Problems as display lines."""
    return [str(p) for p in items]
