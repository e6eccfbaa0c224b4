"""A JSON Schema of the roster format, generated from the model.

The schema is built from the attrs classes of :mod:`campus_security.model` and the
conventions of the roster converter (:mod:`campus_security.formats.roster_json`):

- field names are the attribute names; unknown fields are refused
  (``additionalProperties: false``);
- a field with a default may be left out (the writer omits fields equal to their
  default) and carries the default as ``default``; the others are ``required``;
- enums are written by value (``"primary"``), with the Chinese labels in the
  description;
- dates are ``YYYY-MM-DD`` strings;
- ID numbers (GB 11643), region codes (GB/T 2260) and unified social credit codes
  (GB 32100) are strings with a pattern;
- validators become keywords: non-empty text (``minLength``, ``pattern``), whole
  numbers zero or more (``minimum: 0``) or one or more (``minimum: 1``);
- descriptions come from the model's docstrings.

What a schema cannot say, the library checks when it reads a roster: check digits and
birth dates of ID numbers, that a region code exists in GB/T 2260, unique ids, that
every ``company_id`` and ``hazard_ids`` entry refers to something in the roster, dates
that must not precede another (``rectify_by`` after ``found_on``) and ``boarders <=
enrollment``. The schema is the first gate, for systems that prepare rosters; the
library is the last.

The generated schema ships in the package as ``roster.schema.json`` (:func:`load_schema`)
and a test keeps it equal to a fresh generation. Regenerate it with::

    python -m campus_security.formats.schema > src/campus_security/formats/roster.schema.json
"""

from __future__ import annotations

import ast
import datetime as dt
import enum
import inspect
import itertools
import re
import sys
import textwrap
import types
import typing
from functools import cache
from importlib import resources
from typing import Any

import attrs
import orjson

from ..model import CreditCode, DaySeries, IdNumber, RegionCode, School, SecurityCompany
from ..model import entities as _entities
from .roster_json import FORMAT, SUPPORTED_VERSIONS, VERSION, unstructure

__all__ = ["SCHEMA_ID", "SCHEMA_RESOURCE", "load_schema", "roster_schema", "schema_bytes"]

SCHEMA_ID = f"urn:campus-security:roster-schema:{VERSION}"
"""The schema's ``$id``."""
SCHEMA_RESOURCE = "roster.schema.json"
"""The shipped schema's file name in the ``campus_security.formats`` package."""

_DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_VALUE_TYPES: dict[type, dict[str, Any]] = {
    IdNumber: {
        "type": "string",
        "pattern": "^[0-9]{17}[0-9X]$",
        "description": "居民身份证号码 (GB 11643): 17 digits and a check character (0-9 or "
        "X). The library also checks the check character, the birth date it holds and "
        "its GB/T 2260 region code. Personal data.",
    },
    RegionCode: {
        "type": "string",
        "pattern": "^[0-9]{6}$",
        "description": "行政区划代码 (GB/T 2260): six digits. The library also checks that "
        "the code exists in GB/T 2260.",
    },
    CreditCode: {
        "type": "string",
        "pattern": "^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$",
        "description": "统一社会信用代码 (GB 32100): 18 characters. The library also checks "
        "the check character.",
    },
    DaySeries: {
        "type": "string",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}:[0-9]+(\\*[0-9]+)?(,[0-9]+(\\*[0-9]+)?)*$",
        "description": "按日计数: a count per day from a first day, run-length encoded: "
        "YYYY-MM-DD:COUNT[*DAYS],... (2023-11-21:2*300,1,2*64). The library also checks "
        "the canonical form (equal counts merged, N*1 written N, first and last count "
        "above 0) and the limits (at most 36600 days, counts up to 9999).",
    },
}


# --- docstrings ----------------------------------------------------------------------------

_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")


def _plain(doc: str) -> str:
    """A docstring as plain text: reST roles and literals unwrapped, lines joined."""
    text = _ROLE.sub(lambda m: m.group(1).rsplit(".", 1)[-1], inspect.cleandoc(doc))
    for py, js in (("``None``", "null"), ("``True``", "true"), ("``False``", "false")):
        text = text.replace(py, js)
    text = text.replace("``", "")
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


@cache
def _field_docs(cls: type) -> dict[str, str]:
    """The string literal under each attribute of a class body, by attribute name."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return {}
    body = ast.parse(source).body[0]
    assert isinstance(body, ast.ClassDef)
    docs: dict[str, str] = {}
    for stmt, after in itertools.pairwise(body.body):
        if (
            isinstance(stmt, ast.AnnAssign)
            and isinstance(stmt.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[stmt.target.id] = _plain(after.value.value)
    return docs


def _class_doc(cls: type) -> str:
    return _plain(cls.__doc__ or "")


# --- types to schemas ----------------------------------------------------------------------


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def ref(self, name: str) -> dict[str, Any]:
        return {"$ref": f"#/$defs/{name}"}

    def of(self, tp: Any) -> dict[str, Any]:
        origin = typing.get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            args = typing.get_args(tp)
            others = [a for a in args if a is not type(None)]
            if len(others) != 1 or len(args) != 2:
                return {"anyOf": [self.of(a) for a in args]}
            inner = self.of(others[0])
            if "$ref" in inner:
                return {"anyOf": [inner, {"type": "null"}]}
            return {**inner, "type": [inner["type"], "null"]}
        if origin is tuple:
            (item, _ellipsis) = typing.get_args(tp)
            return {"type": "array", "items": self.of(item)}
        if origin is frozenset:
            (item,) = typing.get_args(tp)
            return {"type": "array", "items": self.of(item), "uniqueItems": True}
        if tp is type(None):
            return {"type": "null"}
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            return {"type": "integer"}
        if tp is float:
            return {"type": "number"}
        if tp is dt.datetime:
            return {"type": "string", "format": "date-time"}
        if tp is dt.date:
            return {"type": "string", "format": "date", "pattern": _DATE_PATTERN}
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return self.enum(tp)
        if tp is str:
            return {"type": "string"}
        if tp in _VALUE_TYPES:
            name = tp.__name__
            self.defs.setdefault(name, dict(_VALUE_TYPES[tp]))
            return self.ref(name)
        if isinstance(tp, type) and attrs.has(tp):
            return self.attrs_class(tp)
        raise TypeError(f"no JSON Schema for {tp!r}")

    def enum(self, cls: type[enum.Enum]) -> dict[str, Any]:
        name = cls.__name__
        if name not in self.defs:
            labels = "; ".join(
                f"{m.value} {zh}" if (zh := getattr(m, "zh", None)) else str(m.value) for m in cls
            )
            self.defs[name] = {
                "description": f"{_class_doc(cls)}\n\nValues: {labels}.",
                "type": "string",
                "enum": [m.value for m in cls],
            }
        return self.ref(name)

    def attrs_class(self, cls: type) -> dict[str, Any]:
        name = cls.__name__
        if name in self.defs:
            return self.ref(name)
        self.defs[name] = {}  # reserve the slot: definitions appear in discovery order
        hints = typing.get_type_hints(cls)
        docs = _field_docs(cls)
        properties: dict[str, Any] = {}
        required: list[str] = []
        for a in attrs.fields(cls):
            prop = dict(self.of(hints[a.name]))
            prop.update(_validator_keywords(a.validator))
            if a.default is attrs.NOTHING:
                required.append(a.name)
            else:
                default = a.default
                if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                    default = default.factory()
                prop["default"] = unstructure(default)
            if a.name in docs:
                prop = {"description": docs[a.name], **prop}
            properties[a.name] = prop
        schema: dict[str, Any] = {
            "title": name,
            "description": _class_doc(cls),
            "type": "object",
            "properties": properties,
        }
        if required:
            schema["required"] = required
        schema["additionalProperties"] = False
        self.defs[name] = schema
        return self.ref(name)


def _validator_keywords(validator: Any) -> dict[str, Any]:
    if validator is _entities._non_empty:
        return {"minLength": 1, "pattern": "\\S"}
    if validator is _entities._non_negative:
        return {"minimum": 0}
    if validator is _entities._positive:
        return {"minimum": 1}
    return {}


def roster_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the roster format, built from the model now."""
    b = _Builder()
    companies = b.of(SecurityCompany)
    schools = b.of(School)
    versions = sorted(SUPPORTED_VERSIONS)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"campus-security roster {VERSION}",
        "description": _plain(
            f"""A campus-security roster ({FORMAT}, version {VERSION}): the security
            companies and the schools a platform tracks, as campus-security reads and
            writes them. Generated from the model of campus-security; the library checks
            more than this schema can say (check digits, GB/T 2260 codes, unique ids,
            references between objects, date order, boarders <= enrollment)."""
        ),
        "type": "object",
        "properties": {
            "format": {"description": "Which format the file is.", "const": FORMAT},
            "version": {
                "description": "The format's version; the library refuses versions it "
                "does not know.",
                "enum": versions,
            },
            "companies": {
                "description": "保安服务企业: the security companies.",
                "type": "array",
                "items": companies,
            },
            "schools": {
                "description": "学校: the schools, kindergartens included.",
                "type": "array",
                "items": schools,
            },
        },
        "required": ["format", "version"],
        "additionalProperties": False,
        "$defs": b.defs,
    }


def schema_bytes() -> bytes:
    """The schema as the shipped file holds it: indented UTF-8 JSON with a final newline."""
    return orjson.dumps(roster_schema(), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


def load_schema() -> dict[str, Any]:
    """The schema shipped in the package (``roster.schema.json``)."""
    data = resources.files(__package__).joinpath(SCHEMA_RESOURCE).read_bytes()
    schema: dict[str, Any] = orjson.loads(data)
    return schema


if __name__ == "__main__":
    sys.stdout.buffer.write(schema_bytes())
