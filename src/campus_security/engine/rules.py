"""What a regional standard is made of: citations, rules, targets and the standard itself.

A plugin builds these objects and hands them over through the
``campus_security_standards`` hook. Everything here is data plus pure functions; the
engine (:mod:`campus_security.engine.evaluate`) runs them.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

import attrs

from ..model import (
    DeviceKind,
    Every,
    Guard,
    Locality,
    Ownership,
    RegionCode,
    School,
    SchoolKind,
    SecurityCompany,
    Text,
)
from ..model.calendar import Period
from ..model.status import DeviceStatus
from ..model.values import invalid

__all__ = [
    "ALL_SCHOOLS",
    "Applicability",
    "Check",
    "Citation",
    "Context",
    "Outcome",
    "Rule",
    "Standard",
    "Target",
    "Verdict",
    "applies_when",
    "boarding",
    "every_guard",
    "failed",
    "flag_rule",
    "kinds",
    "localities",
    "missing_routines",
    "not_applicable",
    "ownerships",
    "passed",
    "rule",
]

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9][a-z0-9-]*)*$")


def _check_id(_inst: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not _ID_RE.match(value):
        raise invalid(
            f"{attribute.name} {value!r}：编号由小写单词以 '.' 和 '-' 连接，"
            "如 'cangzhou.guard-staffing'",
            f"{attribute.name} {value!r}: ids are lower-case words joined by '.' and '-', "
            "e.g. 'cangzhou.guard-staffing'",
            field=attribute.name,
        )


_KIND_NAMES = {
    "Text": ("双语文本 Text", "a Text (Chinese and English)"),
    "Citation": ("出处 Citation", "a Citation"),
    "date": ("日期 datetime.date", "a datetime.date"),
    "str": ("字符串 str", "a str"),
    "Applicability": ("适用条件 Applicability", "an Applicability"),
    "Rule": ("规则 Rule", "a Rule"),
    "Target": ("目标 Target", "a Target"),
}


def _typed(
    *kinds: type, optional: bool = False
) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    """A validator: the value is one of ``kinds`` (a date, not a datetime), or ``None`` if optional.

    A plugin's standard is data the engine trusts while it evaluates; a wrong type found
    here is a clear error naming the field, not a crash in the middle of a run.
    """

    def check(inst: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        ok = isinstance(value, kinds) and not (dt.date in kinds and isinstance(value, dt.datetime))
        if not ok:
            names = [_KIND_NAMES.get(k.__name__, (k.__name__, k.__name__)) for k in kinds]
            owner = getattr(inst, "id", type(inst).__name__)
            got = f"{type(value).__name__} {value!r:.60}"
            raise invalid(
                f"{owner}：{attribute.name} 应为{'或'.join(n[0] for n in names)}，而不是 {got}",
                f"{owner}: {attribute.name} must be {' or '.join(n[1] for n in names)}, not {got}",
                field=attribute.name,
            )

    return check


def _each(kind: type) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    """A validator: every item of the tuple is a ``kind``."""
    one = _typed(kind)

    def check(inst: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
        for item in value:
            one(inst, attribute, item)

    return check


@attrs.frozen
class Citation:
    """Where a rule comes from: the document (文号) and the clause as the document numbers it.

    >>> str(Citation("沧教〔2019〕79号", "一（一）"))
    '沧教〔2019〕79号 一（一）'
    """

    document: str
    clause: str

    def __str__(self) -> str:
        return f"{self.document} {self.clause}"


# --- evaluation context -------------------------------------------------------------


@attrs.frozen
class Context:
    """What a rule's check may read besides the school: the date and roster-level facts.

    ``on`` is the evaluation date. ``companies`` maps company ids to the roster's
    security companies. ``device_status`` maps device ids to probed statuses, when
    the caller supplied them (otherwise empty: rules judge the declared devices).

    A periodic rule (one that declares ``every``) judges ``period``, which the engine
    gives it: in a check as of a date, the last complete period before ``on``; in a
    window, each period wholly inside the window in turn, with ``on`` the day after
    the period ends (the first day a check as of a date judges it). ``current`` is the
    period in progress, from its first day to ``on`` included, in a check as of a
    date only (``None`` in a window, where every period is judged on its own); a rule
    whose running period may pass early reads it. Both are ``None`` for a rule that
    is not periodic.
    """

    on: dt.date
    companies: Mapping[str, SecurityCompany] = attrs.field(factory=dict)
    device_status: Mapping[str, DeviceStatus] = attrs.field(factory=dict)
    period: Period | None = None
    current: Period | None = None

    @property
    def judged(self) -> Period:
        """``period``, for a periodic rule's check (a ``TypeError`` when there is none)."""
        if self.period is None:
            raise TypeError("ctx.judged: the rule declares no period (rule(..., every=...))")
        return self.period

    def guards(self, school: School, *, full_time: bool = False) -> tuple[Guard, ...]:
        """The school's guards on staff on ``on`` (hired by then): what a rule counts.

        ``full_time=True`` keeps the full-time ones. This is
        ``school.guards_on_staff(ctx.on)``: a guard hired after the evaluation date is
        not yet on staff.
        """
        return school.guards_on_staff(self.on, full_time=True if full_time else None)

    def company(self, company_id: str | None) -> SecurityCompany | None:
        """The roster's company with this id, or ``None``."""
        return None if company_id is None else self.companies.get(company_id)


# --- outcomes of a check ----------------------------------------------------------------


class Verdict(enum.Enum):
    """What a check concluded about one school."""

    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"


@attrs.frozen
class Outcome:
    """The result of one check on one school: a verdict, a message, and the evidence."""

    verdict: Verdict
    message: Text
    evidence: Mapping[str, Any] = attrs.field(factory=dict, hash=False)


def _outcome(verdict: Verdict, zh: str, en: str, evidence: dict[str, Any]) -> Outcome:
    return Outcome(verdict, Text.template(zh, en, evidence), evidence)


def passed(zh: str, en: str, /, **evidence: Any) -> Outcome:
    """A passing outcome; ``zh`` and ``en`` are ``str.format`` templates over ``evidence``.

    >>> passed("{n}名专职保安员", "{n} full-time guards", n=4).message.en
    '4 full-time guards'
    """
    return _outcome(Verdict.PASS, zh, en, evidence)


def failed(zh: str, en: str, /, **evidence: Any) -> Outcome:
    """A failing outcome; see :func:`passed`."""
    return _outcome(Verdict.FAIL, zh, en, evidence)


def not_applicable(zh: str, en: str, /, **evidence: Any) -> Outcome:
    """The rule does not apply to this school; see :func:`passed`."""
    return _outcome(Verdict.NOT_APPLICABLE, zh, en, evidence)


_NO_GUARDS = ("无在岗保安员", "no guards on staff")


def every_guard(
    school: School,
    ctx: Context,
    ok: Callable[[Guard], bool],
    passes: tuple[str, str],
    fails: tuple[str, str],
    *,
    key: str,
    guards: Iterable[Guard] | None = None,
    none: tuple[str, str] = _NO_GUARDS,
    detailed: bool = False,
) -> Outcome:
    """PASS when ``ok`` holds for every guard; the guards for whom it fails are listed.

    The guards judged are ``guards``, by default the guards on staff
    (``school.guards_on_staff(ctx.on)``). With none, the outcome is NOT_APPLICABLE with
    the message ``none`` (by default "无在岗保安员", "no guards on staff") and the
    evidence ``guards=0``. Otherwise it is PASS when ``ok`` holds for every guard and
    FAIL when not. The failing guards, in order, are listed in the evidence under
    ``key``, each as ``{"name": ..., "id_number": ...}``: the guard's ``IdNumber``
    object, which reports mask (put the number in no message).

    ``passes`` and ``fails`` are ``(Chinese, English)`` templates over the evidence,
    which is one of two shapes:

    - by default, PASS has ``n`` (the guards judged); FAIL has ``count`` (the failing
      guards), ``names`` (their names joined by "、") and ``key``;
    - with ``detailed=True``, PASS has ``guards`` (the guards judged) and ``key`` (an
      empty list); FAIL has ``n`` (the failing guards), ``names``, ``names_en`` (their
      names joined by ", "), ``guards`` and ``key``.

    For example, every guard on staff certified::

        @rule("myregion.guard-certified", ...)
        def guard_certified(school, ctx):
            return every_guard(
                school,
                ctx,
                lambda g: g.certified,
                ("{n}名在岗保安员均持证", "all {n} guard(s) on staff are certified"),
                ("{count}名保安员无证上岗：{names}", "{count} guard(s) uncertified: {names}"),
                key="uncertified",
            )
    """
    judged = school.guards_on_staff(ctx.on) if guards is None else tuple(guards)
    if not judged:
        return not_applicable(*none, guards=0)
    failing = [g for g in judged if not ok(g)]
    bad = [{"name": g.name, "id_number": g.id_number} for g in failing]
    names = "、".join(g.name for g in failing)
    if not detailed:
        if not bad:
            return passed(*passes, n=len(judged))
        return failed(*fails, count=len(bad), names=names, **{key: bad})
    if not bad:
        return passed(*passes, guards=len(judged), **{key: []})
    return failed(
        *fails,
        n=len(bad),
        names=names,
        names_en=", ".join(g.name for g in failing),
        guards=len(judged),
        **{key: bad},
    )


class Check(Protocol):
    """A rule's check: judges one school as of ``ctx.on``."""

    def __call__(self, school: School, ctx: Context, /) -> Outcome:
        """Judge ``school`` as of ``ctx.on``."""
        ...


# --- applicability -------------------------------------------------------------------


@attrs.frozen
class Applicability:
    """Which schools a rule or target applies to: a predicate and its description.

    Combine with ``&``, ``|`` and ``~``; the description follows.
    """

    predicate: Callable[[School], bool] = attrs.field(hash=False, eq=False)
    description: Text

    def __call__(self, school: School) -> bool:
        """Whether the school is in scope."""
        return self.predicate(school)

    def __and__(self, other: Applicability) -> Applicability:
        a, b = self.predicate, other.predicate
        return Applicability(
            lambda s: a(s) and b(s),
            Text(
                f"{self.description.zh}且{other.description.zh}",
                f"{self.description.en} and {other.description.en}",
            ),
        )

    def __or__(self, other: Applicability) -> Applicability:
        a, b = self.predicate, other.predicate
        return Applicability(
            lambda s: a(s) or b(s),
            Text(
                f"{self.description.zh}或{other.description.zh}",
                f"{self.description.en} or {other.description.en}",
            ),
        )

    def __invert__(self) -> Applicability:
        a = self.predicate
        return Applicability(
            lambda s: not a(s),
            Text(f"非（{self.description.zh}）", f"not ({self.description.en})"),
        )


def applies_when(predicate: Callable[[School], bool], zh: str, en: str) -> Applicability:
    """An applicability from any predicate on a school."""
    return Applicability(predicate, Text(zh, en))


ALL_SCHOOLS = applies_when(lambda s: True, "所有学校", "all schools")


def kinds(*kinds_: SchoolKind) -> Applicability:
    """Schools of the given kinds."""
    wanted = frozenset(kinds_)
    return applies_when(
        lambda s: s.kind in wanted,
        "、".join(k.zh for k in kinds_),
        ", ".join(k.value for k in kinds_) + " schools",
    )


def ownerships(*values: Ownership) -> Applicability:
    """Schools of the given ownership (公办 / 民办)."""
    wanted = frozenset(values)
    return applies_when(
        lambda s: s.ownership in wanted,
        "、".join(v.zh for v in values),
        " or ".join(v.value for v in values),
    )


def localities(*values: Locality) -> Applicability:
    """Schools in the given localities (城区 / 镇区 / 乡村)."""
    wanted = frozenset(values)
    return applies_when(
        lambda s: s.locality in wanted,
        "、".join(v.zh for v in values),
        " or ".join(v.value for v in values),
    )


def boarding() -> Applicability:
    """Boarding schools (寄宿制): schools with boarders."""
    return applies_when(lambda s: s.is_boarding, "寄宿制学校", "boarding schools")


# --- rules, targets, standards ------------------------------------------------------------


@attrs.frozen
class Rule:
    """One checkable requirement of a standard.

    ``id`` is stable and unique across every installed plugin
    (``<standard>.<slug>``). ``binding_from`` is the first day the requirement binds a
    school (a dated obligation such as "by the end of 2019"): before it, a failing
    check is reported as not yet applicable, with the date, while its outcome still
    counts towards the standard's rate targets. ``passes`` and ``fails`` describe what
    passes and what fails, for the rule catalogue.
    """

    id: str = attrs.field(validator=_check_id)
    title: Text
    citation: Citation
    check: Check = attrs.field(eq=False, hash=False, repr=False)
    applies: Applicability = ALL_SCHOOLS
    binding_from: dt.date | None = None
    passes: Text | None = None
    fails: Text | None = None
    devices: tuple[DeviceKind, ...] = ()
    """Device kinds whose probed status the check reads (for device adapters)."""
    every: Every | None = None
    """The cadence of a periodic rule: the engine hands its check ``ctx.period``."""
    lookback: int = attrs.field(default=1)
    """How many complete periods a check as of a date judges as one span (jiangsu's
    police patrols: the 7 days before the date); a window judges each period alone."""

    @lookback.validator
    def _lookback(self, _attribute: attrs.Attribute[int], value: int) -> None:
        if value < 1:
            raise invalid(
                f"规则 {self.id}：lookback 为期间数，至少为 1",
                f"rule {self.id}: lookback is a number of periods, at least 1",
                field="lookback",
            )
        if value > 1 and self.every is None:
            raise invalid(
                f"规则 {self.id}：lookback 需要周期（every=...）",
                f"rule {self.id}: lookback needs a period (every=...)",
                field="lookback",
            )


def rule(
    id: str,
    *,
    title: tuple[str, str] | Text,
    citation: Citation,
    applies: Applicability = ALL_SCHOOLS,
    binding_from: dt.date | None = None,
    passes: tuple[str, str] | Text | None = None,
    fails: tuple[str, str] | Text | None = None,
    devices: Iterable[DeviceKind] = (),
    every: Every | None = None,
    lookback: int = 1,
) -> Callable[[Check], Rule]:
    """Decorator: turn a check function into a :class:`Rule`.

    A periodic rule declares its cadence with ``every`` (an
    :class:`~campus_security.model.Every`) and reads
    the period to judge from ``ctx.period`` (see :class:`Context`).

    ::

        @rule("example.guards", title=("配备保安员", "guards on staff"),
              citation=Citation("示例〔2024〕1号", "一"))
        def guards(school, ctx):
            if ctx.guards(school, full_time=True):
                return passed("有专职保安员", "has full-time guards")
            return failed("无专职保安员", "no full-time guard")
    """

    def as_text(value: tuple[str, str] | Text | None) -> Text | None:
        return Text(*value) if isinstance(value, tuple) else value

    def wrap(check: Check) -> Rule:
        t = as_text(title)
        assert t is not None
        return Rule(
            id=id,
            title=t,
            citation=citation,
            check=check,
            applies=applies,
            binding_from=binding_from,
            passes=as_text(passes),
            fails=as_text(fails),
            devices=tuple(devices),
            every=every,
            lookback=lookback,
        )

    return wrap


def flag_rule(
    id: str,
    *,
    title: tuple[str, str] | Text,
    citation: Citation,
    flag: Callable[[School], bool],
    passes: tuple[str, str] | Text,
    fails: tuple[str, str] | Text,
    evidence: str | None = None,
    applies: Applicability = ALL_SCHOOLS,
    binding_from: dt.date | None = None,
) -> Rule:
    """A rule that passes when one recorded fact about the school holds.

    Many requirements are a single yes/no fact of the roster: a facility exists
    (``school.facilities.guard_room``), a routine is in place
    (``school.routines.visitor_registration``). ``flag`` reads it; ``passes`` and
    ``fails`` are both the catalogue's descriptions and the finding's message;
    ``evidence`` names the key under which the fact is recorded in the finding.

    >>> r = flag_rule("example.guard-room", title=("校园警卫室", "guard room"),
    ...               citation=Citation("示例〔2024〕1号", "一"),
    ...               flag=lambda s: s.facilities.guard_room, evidence="guard_room",
    ...               passes=("有警卫室", "has a guard room"), fails=("无警卫室", "no guard room"))
    >>> r.passes.en
    'has a guard room'
    """
    yes = Text(*passes) if isinstance(passes, tuple) else passes
    no = Text(*fails) if isinstance(fails, tuple) else fails

    def check(school: School, ctx: Context) -> Outcome:
        holds = bool(flag(school))
        ev = {evidence: holds} if evidence else {}
        return Outcome(Verdict.PASS if holds else Verdict.FAIL, yes if holds else no, ev)

    return rule(
        id,
        title=title,
        citation=citation,
        applies=applies,
        binding_from=binding_from,
        passes=yes,
        fails=no,
    )(check)


def missing_routines(school: School, fields: Iterable[tuple[str, str]]) -> Outcome | None:
    """The failing outcome when some of the school's routines are not in place, else ``None``.

    ``fields`` pairs a :class:`~campus_security.model.Routines` field name with its
    Chinese name as the document words it. The message lists what is missing in both
    languages (the English side names the fields); the evidence's ``missing`` lists the
    field names. The caller words its own passing outcome.
    """
    missing = [(f, zh) for f, zh in fields if not getattr(school.routines, f)]
    if not missing:
        return None
    return failed(
        "缺少：{zh}",
        "missing: {en}",
        zh="、".join(zh for _, zh in missing),
        en=", ".join(f for f, _ in missing),
        missing=[f for f, _ in missing],
    )


@attrs.frozen
class Target:
    """A dated rate target: the share of a jurisdiction's schools that must pass a rule.

    The population is the schools the rule applies to, narrowed by ``applies``.
    Before ``due`` the target is reported as pending, with the date it becomes due.
    """

    id: str = attrs.field(validator=_check_id)
    title: Text = attrs.field(validator=_typed(Text))
    citation: Citation = attrs.field(validator=_typed(Citation))
    rule_id: str = attrs.field(validator=_typed(str))
    due: dt.date = attrs.field(validator=_typed(dt.date))
    threshold: float = attrs.field(default=1.0)
    applies: Applicability = attrs.field(default=ALL_SCHOOLS, validator=_typed(Applicability))

    @threshold.validator
    def _threshold(self, _attribute: attrs.Attribute[float], value: float) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 < value <= 1.0:
            raise invalid(
                f"达标比例应在 (0, 1] 之间：{value}",
                f"threshold is a share in (0, 1]: {value}",
                field="threshold",
            )


_RULE_FIELD_TYPES = {
    "title": _typed(Text),
    "citation": _typed(Citation),
    "binding_from": _typed(dt.date, optional=True),
}
"""What :meth:`Standard.check` checks of each rule: the fields every finding and report reads.

(``applies`` is not among them: a rule whose applicability is not an ``Applicability``
is judged an ERROR finding school by school, like any other misbehaving rule code.)"""


def _as_tuple(values: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(values)


def _region_codes(values: Iterable[RegionCode | str]) -> tuple[RegionCode, ...]:
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise invalid(
            f"适用地区应为行政区划代码的列表，而不是 {type(values).__name__} {values!r:.40}",
            f"the jurisdiction is a list of region codes, not {type(values).__name__} "
            f"{values!r:.40}",
            field="jurisdiction",
        )
    return tuple(v if isinstance(v, RegionCode) else RegionCode(v) for v in values)


@attrs.frozen
class Standard:
    """A regional standard: one source document's rules and targets for a jurisdiction.

    The standard applies to a school when one of its ``jurisdiction`` codes covers the
    school's region code and the evaluation date lies in ``[in_force_from,
    in_force_until]`` (an open end when ``in_force_until`` is ``None``).
    """

    id: str = attrs.field(validator=_check_id)
    title: Text = attrs.field(validator=_typed(Text))
    document: str = attrs.field(validator=_typed(str))
    issued_by: Text = attrs.field(validator=_typed(Text))
    jurisdiction: tuple[RegionCode, ...] = attrs.field(converter=_region_codes)
    in_force_from: dt.date = attrs.field(validator=_typed(dt.date))
    in_force_until: dt.date | None = attrs.field(
        default=None, validator=_typed(dt.date, optional=True)
    )
    rules: tuple[Rule, ...] = attrs.field(default=(), converter=_as_tuple, validator=_each(Rule))
    targets: tuple[Target, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_each(Target)
    )
    url: str | None = attrs.field(default=None, validator=_typed(str, optional=True))

    def __attrs_post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Check the standard whole: each field's type, then what the fields say together.

        Construction runs it; the plugin manager runs it again on every standard a plugin
        returns (a standard can be altered after construction), so that a malformed
        standard is reported against its plugin instead of breaking a run.
        Raises :class:`~campus_security.model.InvalidValue`.
        """
        attrs.validate(self)
        if not all(isinstance(j, RegionCode) for j in self.jurisdiction):
            raise invalid(
                f"标准 {self.id}：适用地区应为行政区划代码",
                f"standard {self.id}: the jurisdiction must be region codes",
                field="jurisdiction",
            )
        if self.in_force_until is not None and self.in_force_until < self.in_force_from:
            raise invalid(
                f"标准 {self.id}：失效日 {self.in_force_until} 早于生效日 {self.in_force_from}",
                f"standard {self.id}: in force until {self.in_force_until}, before it is in "
                f"force from {self.in_force_from}",
                field="in_force_until",
            )
        for r in self.rules:
            for name, check in _RULE_FIELD_TYPES.items():
                check(r, attrs.fields_dict(Rule)[name], getattr(r, name))
            if not callable(r.check):
                raise invalid(
                    f"规则 {r.id}：check 应为可调用对象",
                    f"rule {r.id}: check must be callable",
                    field="rules",
                )
        if not self.jurisdiction:
            raise invalid(
                f"标准 {self.id}：适用地区为空",
                f"standard {self.id}: the jurisdiction is empty",
                field="jurisdiction",
            )
        ids = [r.id for r in self.rules]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise invalid(
                f"标准 {self.id}：规则编号重复 {dupes}",
                f"standard {self.id}: duplicate rule ids {dupes}",
                field="rules",
            )
        for r in self.rules:
            if not r.id.startswith(self.id + "."):
                raise invalid(
                    f"标准 {self.id}：规则编号 {r.id!r} 应以 '{self.id}.' 开头",
                    f"standard {self.id}: rule id {r.id!r} must start with '{self.id}.'",
                    field="rules",
                )
        for t in self.targets:
            if t.rule_id not in ids:
                raise invalid(
                    f"标准 {self.id}：目标 {t.id} 统计的规则 {t.rule_id!r} 不存在",
                    f"standard {self.id}: target {t.id} counts unknown rule {t.rule_id!r}",
                    field="targets",
                )

    def in_force(self, on: dt.date) -> bool:
        """Whether the standard is in force on ``on``."""
        return self.in_force_from <= on and (
            self.in_force_until is None or on <= self.in_force_until
        )

    def covers(self, region: RegionCode) -> bool:
        """Whether the jurisdiction includes ``region``."""
        return any(j.covers(region) for j in self.jurisdiction)

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id (KeyError when there is none)."""
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)
