"""Value types of the domain: bilingual text, ID numbers, region codes, credit codes.

Each value type validates itself at construction and raises :class:`InvalidValue`
(a :class:`ValueError`) with a message in Chinese and English. The roster reader
registers a structure hook for each, so a bad value is reported at the path of the
field that holds it (``schools[3].guards[0].id_number``).
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Mapping
from functools import lru_cache
from operator import mul
from typing import Any

import attrs
from stdnum import numdb
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError

from .regions import FunctionalZone, functional_zone

__all__ = [
    "CreditCode",
    "IdNumber",
    "InvalidValue",
    "RegionCode",
    "Text",
    "age_on",
    "gb11643_check_digit",
    "mask_id_numbers",
]


class CampusSecurityError(Exception):
    """Base class of every error the library raises on purpose.

    Defined here, below every other module, so that the model's own
    :class:`~campus_security.model.InvalidValue` derives from it; documented and exported by
    :mod:`campus_security.errors`.
    """


# --- masking ID-shaped values (personal data) ------------------------------------------

_MASK_KEEP = 4

_ID_SHAPED = re.compile(r"(?<!\d)\d{14,}[\dXx](?![\dXx])")
"""A run of 15 or more digits (the last may be X): an ID number, 15 or 18 characters long,
or anything long enough to hold one."""


def _mask_match(m: re.Match[str]) -> str:
    v = m.group()
    return v[:_MASK_KEEP] + "*" * (len(v) - 2 * _MASK_KEEP) + v[-_MASK_KEEP:]


def mask_id_numbers(text: str) -> str:
    """``text`` with every ID-shaped value masked.

    A value is masked as :attr:`~campus_security.model.IdNumber.masked` masks a number.
    ID-shaped is a run of 15 or more digits, the last of which may be ``X`` (an 18- or
    15-character resident identity number, or a longer run that could hold one). The
    first four and last four characters are kept. Every error message and every output
    that does not explicitly show personal data passes its text through this function,
    so a number typed into the wrong field (a date, a name) is never shown in full.

    >>> mask_id_numbers("not a date: '11010519491231002X'")
    "not a date: '1101**********002X'"
    >>> mask_id_numbers("phone 13812345678, school 2024")
    'phone 13812345678, school 2024'
    """
    if len(text) < 15:
        return text
    return _ID_SHAPED.sub(_mask_match, text)


def _strip(value: object) -> str:
    return str(value).strip()


def _strip_upper(value: object) -> str:
    return str(value).strip().upper()


@attrs.frozen
class Text:
    """A message in Chinese (``zh``) and English (``en``).

    Every string the library shows a user is a :class:`Text`.

    >>> Text("合格", "pass").en
    'pass'
    """

    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"

    def format(self, **values: Any) -> Text:
        """Return a copy with ``str.format`` applied to both languages."""
        return Text(self.zh.format(**values), self.en.format(**values))

    @staticmethod
    def template(zh: str, en: str, values: Mapping[str, Any]) -> Text:
        """The two ``str.format`` templates over ``values``, formatted when first read.

        Equal to (and hashing like) ``Text(zh.format(**values), en.format(**values))``.
        A national evaluation makes millions of messages and a report shows few of them,
        so rule outcomes defer the formatting. The templates' field names are checked
        against ``values`` at once (a missing one raises :class:`KeyError` here, in the
        rule, as ``str.format`` would); ``values`` must not change afterwards.

        >>> t = Text.template("{n}名", "{n} guards", {"n": 3})
        >>> t == Text("3名", "3 guards"), t.en
        (True, '3 guards')
        """
        for name in _fields_of(zh) | _fields_of(en):
            if name not in values:
                raise KeyError(name)
        return _Deferred(zh, en, values)


_FIELD_NAME = re.compile(r"[.\[]")


@lru_cache(maxsize=4096)
def _fields_of(template: str) -> frozenset[str]:
    """The top-level field names a ``str.format`` template reads (``{a.b}`` reads ``a``)."""
    names: set[str] = set()
    for _, field, _, _ in _FORMATTER.parse(template):
        if field is not None:
            name = _FIELD_NAME.split(field, maxsplit=1)[0]
            if name == "" or name.isdigit():
                raise IndexError(f"positional field in a message template: {template!r}")
            names.add(name)
    return frozenset(names)


_FORMATTER = string.Formatter()


class _Unformatted(tuple[str, str]):
    """The text of a :meth:`Text.template` whose templates could not be formatted.

    It says so; :func:`unformatted` tells a report to count the finding as an error.
    """

    __slots__ = ()


def unformatted(text: Text) -> str | None:
    """Why ``text`` (from :meth:`Text.template`) could not be formatted, or ``None``.

    >>> unformatted(Text.template("{n:d}", "{n:d}", {"n": "x"}))[:44]
    'the message template could not be formatted '
    >>> unformatted(Text("合格", "passes")) is None
    True
    """
    if type(text) is not _Deferred:
        return None
    rendered = text._render()
    if type(rendered) is not _Unformatted:
        return None
    return rendered[1][: rendered[1].rindex("): ") + 1]


class _Deferred(Text):
    """A :class:`Text` formatted from its templates on first read (see :meth:`Text.template`)."""

    __slots__ = ("_templates", "_text", "_values")
    _templates: tuple[str, str]
    _values: Mapping[str, Any]
    _text: tuple[str, str] | None

    def __init__(self, zh: str, en: str, values: Mapping[str, Any]) -> None:  # no super(): lazy
        object.__setattr__(self, "_templates", (zh, en))
        object.__setattr__(self, "_values", values)
        object.__setattr__(self, "_text", None)

    def _render(self) -> tuple[str, str]:
        text: tuple[str, str] | None = self._text
        if text is None:
            zh, en = self._templates
            try:
                text = (zh.format(**self._values), en.format(**self._values))
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # a bad format spec must not break a report
                try:
                    desc = f"{type(exc).__name__}: {exc}"
                except Exception:  # the exception's own message is plugin code too
                    desc = type(exc).__name__
                text = _Unformatted(
                    (
                        f"消息模板无法格式化（{desc}）：{zh}",
                        f"the message template could not be formatted ({desc}): {en}",
                    )
                )
            object.__setattr__(self, "_text", text)
        return text

    @property
    def zh(self) -> str:
        return self._render()[0]

    @property
    def en(self) -> str:
        return self._render()[1]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Text):
            return NotImplemented
        return (self.zh, self.en) == (other.zh, other.en)

    def __ne__(self, other: object) -> bool:
        if not isinstance(other, Text):
            return NotImplemented
        return (self.zh, self.en) != (other.zh, other.en)

    def __hash__(self) -> int:
        return Text.__hash__(self)

    def __repr__(self) -> str:
        return repr(Text(self.zh, self.en))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Text, (self.zh, self.en))


class InvalidValue(CampusSecurityError, ValueError):
    """A value that breaks a rule of the domain, explained in Chinese and English.

    ``field`` names the attribute that holds the value when the error is raised by a
    class-level validator, so that error reports can point at the field rather than
    at the object. ID-shaped values in the message are masked
    (:func:`~campus_security.errors.mask_id_numbers`): the message may echo what was
    typed.
    """

    def __init__(self, message: Text, *, field: str | None = None) -> None:
        message = mask_text(message)
        super().__init__(str(message))
        self.message = message
        self.field = field


def mask_text(message: Text) -> Text:
    """Both languages of ``message`` with ID-shaped values masked (``mask_id_numbers``)."""
    zh, en = message.zh, message.en
    mzh, men = mask_id_numbers(zh), mask_id_numbers(en)
    if mzh is zh and men is en:
        return message
    return Text(mzh, men)


def invalid(zh: str, en: str, *, field: str | None = None) -> InvalidValue:
    """Build an :class:`InvalidValue` from the two languages."""
    return InvalidValue(Text(zh, en), field=field)


# --- ID numbers (居民身份证号码, GB 11643) -------------------------------------------


_GB11643_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_GB11643_ZERO = 48 * sum(_GB11643_WEIGHTS)


def gb11643_check_digit(number: str) -> str:
    """The check character of an ID number (GB 11643, ISO 7064 MOD 11-2).

    Only the first 17 digits are read. The same result as ``stdnum.cn.ric``'s, without
    its string cleaning, which dominated reading large rosters.

    >>> gb11643_check_digit("11010519491231002")
    'X'
    """
    # C loops only (no bytecode per digit): the bytes are ASCII digits, b"0" is 48.
    total = sum(map(mul, _GB11643_WEIGHTS, number[:17].encode())) - _GB11643_ZERO
    return "0123456789X"[(12 - total % 11) % 11]


@attrs.frozen(repr=False)
class IdNumber:
    """An 18-character resident identity number (身份证号码), GB 11643.

    The check digit and the embedded birth date are validated at construction; a
    lower-case ``x`` check digit is normalised to ``X``. The birth date is derived,
    never stored separately.

    The number is personal data: ``str()`` and ``repr()`` give the masked form
    (``3201**********123X``); :attr:`value` is the full number, for callers that
    explicitly need it.
    """

    value: str = attrs.field(converter=_strip_upper)
    """The full number, unmasked: use it only where the number itself is needed."""

    def __attrs_post_init__(self) -> None:
        v = self.value
        if len(v) != 18:
            raise invalid(
                f"身份证号码应为18位，实为{len(v)}位",
                f"an ID number has 18 characters, this one has {len(v)}",
            )
        if not (v[:17].isascii() and v[:17].isdigit()) or v[17] not in "0123456789X":
            raise invalid(
                "身份证号码前17位应为数字，末位为数字或X",
                "an ID number is 17 digits followed by a digit or X",
            )
        if gb11643_check_digit(v) != v[17]:
            raise invalid(
                "身份证号码校验码错误（GB 11643）",
                "the ID number's check digit is wrong (GB 11643)",
            )
        try:
            dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
        except ValueError:
            # The digits are not shown: a birth date derived from an ID number is personal data.
            raise invalid(
                "身份证号码中的出生日期（第7-14位）不存在",
                "the birth date in the ID number (digits 7-14) does not exist",
            ) from None
        if _region_name(v[:6]) is None:
            # Any code of the GB/T 2260 table, current or historical: numbers were issued
            # with the code in force at registration, which may postdate the birth, so
            # stdnum's "code existed in the birth year" test would reject real numbers.
            # Not the functional zones of the statistical codes (model.regions): GB 11643
            # 4.2 takes the address code from GB/T 2260 only.
            raise invalid(
                "身份证号码前6位不是 GB/T 2260 行政区划代码",
                "the ID number's first six digits are not a GB/T 2260 region code",
            )

    @property
    def birth_date(self) -> dt.date:
        """Birth date (出生日期) encoded in digits 7-14."""
        v = self.value
        return dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))

    @property
    def masked(self) -> str:
        """The masked form: first four and last four characters kept."""
        v = self.value
        return v[:_MASK_KEEP] + "*" * (len(v) - 2 * _MASK_KEEP) + v[-_MASK_KEEP:]

    def age_on(self, on: dt.date) -> int:
        """Age in whole years (周岁) on the date ``on``."""
        return age_on(self.birth_date, on)

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"IdNumber({self.masked!r})"


def age_on(birth: dt.date, on: dt.date) -> int:
    """Whole years (周岁) between ``birth`` and ``on``.

    The birthday counts from the day itself; someone born on 29 February turns a year
    older on 1 March in common years.

    >>> age_on(dt.date(1975, 6, 1), dt.date(2025, 5, 31))
    49
    >>> age_on(dt.date(1975, 6, 1), dt.date(2025, 6, 1))
    50
    """
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


# --- Region codes (行政区划代码, GB/T 2260) -------------------------------------------

_REGION_RE = re.compile(r"^\d{6}$")


@lru_cache(maxsize=1)
def _region_db() -> Any:
    return numdb.get("cn/loc")


@lru_cache(maxsize=8192)
def _region_name(code: str) -> str | None:
    info = _region_db().info(code)
    if len(info) != 2 or "county" not in info[1][1]:
        return None
    province = str(info[0][1].get("province", ""))
    county = re.sub(r"^\[[^\]]*\]", "", str(info[1][1]["county"]))
    if code.endswith("0000"):
        return province
    return county if county.startswith(province) else province + county


def _region_or_zone_name(code: str) -> str | None:
    name = _region_name(code)
    if name is not None:
        return name
    zone = functional_zone(code)
    if zone is None:
        return None
    return (_region_name(code[:2] + "0000") or "") + zone.name


@attrs.frozen(order=True, repr=False)
class RegionCode:
    """A six-digit administrative division code (行政区划代码) of GB/T 2260, or a functional zone.

    Codes are checked against the GB/T 2260 table that python-stdnum ships (current
    and historical codes) and the functional zones (功能区: development zones, high-tech
    zones, new areas) of the statistics bureau's 统计用区划代码 in
    ``campus_security.model.regions.FUNCTIONAL_ZONES``, which lie under their
    city (``130971``, a Cangzhou zone, under ``130900``). A region *covers* the codes
    under it: a province code ``320000`` covers every code starting ``32``, a
    prefecture ``130900`` every code starting ``1309`` (its zones included), and a
    county code only itself.

    >>> RegionCode("320000").covers(RegionCode("320102"))
    True
    >>> RegionCode("130900").covers(RegionCode("131002"))
    False
    """

    value: str = attrs.field(converter=_strip)
    """The six digits."""

    def __attrs_post_init__(self) -> None:
        if not _REGION_RE.match(self.value):
            raise invalid(
                f"行政区划代码应为6位数字：{self.value!r}",
                f"a region code is six digits: {self.value!r}",
            )
        if _region_or_zone_name(self.value) is None:
            raise invalid(
                f"GB/T 2260 中没有行政区划代码 {self.value}，也不是统计用区划代码中的功能区",
                f"{self.value} is not a region code of GB/T 2260 nor a functional zone of "
                "the statistical division codes",
            )

    @property
    def prefix(self) -> str:
        """The significant digits: the code without its trailing ``00`` pairs."""
        v = self.value
        if v.endswith("0000"):
            return v[:2]
        if v.endswith("00"):
            return v[:4]
        return v

    @property
    def name(self) -> str:
        """The region's Chinese name from the GB/T 2260 table (or the zone table)."""
        return _region_or_zone_name(self.value) or self.value

    @property
    def zone(self) -> FunctionalZone | None:
        """The functional zone this code is, or ``None`` for a GB/T 2260 code."""
        return functional_zone(self.value)

    def covers(self, other: RegionCode) -> bool:
        """Whether ``other`` is this region or lies within it."""
        return other.value.startswith(self.prefix)

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"RegionCode({self.value!r})"


# --- Unified social credit codes (统一社会信用代码, GB 32100) ------------------------


@attrs.frozen(repr=False)
class CreditCode:
    """An 18-character unified social credit code (统一社会信用代码) of a company."""

    value: str = attrs.field(converter=_strip_upper)
    """The 18 characters, upper case."""

    def __attrs_post_init__(self) -> None:
        try:
            uscc.validate(self.value)
        except ValidationError:
            raise invalid(
                f"统一社会信用代码无效：{self.value!r}",
                f"invalid unified social credit code: {self.value!r}",
            ) from None

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"CreditCode({self.value!r})"
