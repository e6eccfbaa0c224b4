"""The engine: objects and a date in, findings and rates out. No I/O happens here.

Schools are evaluated independently (:meth:`Evaluator.school`); each yields a
:class:`SchoolResult` whose target tallies add up across any split of the roster
(:func:`aggregate`), so a roster can be streamed, batched or spread over processes
and still give the same report.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

import attrs

from ..errors import describe_exception
from ..model import Every, Period, RegionCode, Roster, School, SecurityCompany, Text, Waiver
from ..model.status import DeviceStatus
from ..model.values import invalid
from .results import Finding, Rate, Report, SchoolResult, Status, Tally
from .rollup import (
    PeriodTallies,
    RegionTallies,
    add_region_tallies,
    period_rates_from_tallies,
    rates_from_tallies,
    regional_rates,
)
from .rules import ALL_SCHOOLS, Applicability, Context, Outcome, Rule, Standard, Target, Verdict

__all__ = [
    "Evaluator",
    "aggregate",
    "evaluate",
    "evaluate_school",
    "period_rates_from_tallies",
    "rates_from_tallies",
]

# Tallies are immutable: one school's contribution is one of these four.
_ERRORS, _WAIVED, _MET, _NOT_MET = Tally(errors=1), Tally(waived=1), Tally(met=1), Tally(not_met=1)

_Job = tuple[Context, dt.date, Period | None, bool]
"""One judgement of a rule: the context, its date, the period judged (``None``: the
rule is not periodic) and whether the rule is not yet binding on that date."""

_Step = tuple[
    Rule,
    Callable[[School, Context], Outcome],
    Callable[[School], bool] | None,
    tuple[Target, ...],
    tuple[_Job, ...],
]
"""One rule in the hot loop: the rule, its check, its predicate (``None``: all schools),
its targets, and its judgements: one, except for a periodic rule in a window (one per
period)."""

_VERDICT_STATUS = {
    Verdict.PASS: Status.PASS,
    Verdict.FAIL: Status.FAIL,
    Verdict.NOT_APPLICABLE: Status.NOT_APPLICABLE,
}


def _waiver_for(school: School, rule_id: str, on: dt.date) -> tuple[Waiver | None, bool]:
    """The waiver in force for the rule, else the latest lapsed one (flagged expired)."""
    active: Waiver | None = None
    lapsed: Waiver | None = None
    for w in school.waivers:
        if w.rule_id != rule_id:
            continue
        if w.active(on):
            if active is None or w.until > active.until:
                active = w
        elif lapsed is None or w.until > lapsed.until:
            lapsed = w
    if active is not None:
        return active, False
    return lapsed, lapsed is not None


_OUT_OF_SCOPE: tuple[None, None] = (None, None)
"""What _run gives for a rule that does not apply to the school."""

_DEFERRED = type(Text.template("", "", {}))
"""The class of the messages ``passed`` and ``failed`` build: formatted when first read
(so never read here), always two strings."""


def _raised(exc: BaseException, zh_what: str, en_what: str) -> Text:
    """What a plugin's code did when it raised ``exc``, in both languages."""
    desc = describe_exception(exc)
    if isinstance(exc, SystemExit):
        return Text(
            f"{zh_what}试图结束程序（{desc}），已拦截，其他规则照常检查",
            f"{en_what} tried to end the program ({desc}); it was stopped and the other rules ran",
        )
    return Text(f"{zh_what}出错：{desc}", f"{en_what} raised an error: {desc}")


_CHECK = ("规则执行", "the rule")
_APPLIES = ("规则适用范围的判断", "the rule's applicability test")


def _type_name(value: object) -> str:
    return type(value).__name__


def _checked(outcome: object) -> tuple[Outcome | None, Text | None]:
    """A check's result, which must be a sound :class:`Outcome`, else what is wrong with it.

    Sound: an ``Outcome`` whose verdict is a :class:`Verdict`, whose message is a
    :class:`Text` of two strings and whose evidence is a mapping.
    """
    if not isinstance(outcome, Outcome):
        t = _type_name(outcome)
        return None, Text(f"规则返回了 {t}，不是 Outcome", f"the check returned {t}, not Outcome")
    verdict, message, evidence = outcome.verdict, outcome.message, outcome.evidence
    if not isinstance(verdict, Verdict):
        t, v = _type_name(verdict), str(verdict)[:40]
        return None, Text(
            f"检查结论“{v}”是 {t}，不是 Verdict（应为 Verdict.PASS、Verdict.FAIL 或 "
            "Verdict.NOT_APPLICABLE，或使用 passed()、failed()、not_applicable()）",
            f"the outcome's verdict {v!r} is a {t}, not a Verdict (use Verdict.PASS, "
            "Verdict.FAIL or Verdict.NOT_APPLICABLE, or passed(), failed(), not_applicable())",
        )
    if type(message) is not _DEFERRED and not (
        isinstance(message, Text) and isinstance(message.zh, str) and isinstance(message.en, str)
    ):
        t = _type_name(message)
        return None, Text(
            f"检查结果的消息是 {t}，不是由两个字符串组成的 Text（中文、英文）",
            f"the outcome's message is a {t}, not a Text of two strings (Chinese, English)",
        )
    if evidence is not None and not isinstance(evidence, Mapping):
        t = _type_name(evidence)
        return None, Text(
            f"检查结果的证据是 {t}，不是映射（dict）",
            f"the outcome's evidence is a {t}, not a mapping (dict)",
        )
    return outcome, None


def _predicate(rule: Rule) -> Callable[[School], bool] | None:
    """The rule's applicability predicate for the hot loop (``None``: all schools).

    A rule whose ``applies`` is not an :class:`Applicability` gets a predicate that
    raises saying so, which makes each of its findings an ERROR.
    """
    applies = rule.applies
    if applies is ALL_SCHOOLS:
        return None
    if isinstance(applies, Applicability):
        return applies.predicate
    kind = type(applies).__name__

    def unsound(_school: School) -> bool:
        raise TypeError(
            f"Rule.applies 是 {kind}，不是 Applicability（请用 applies_when 等）/ "
            f"Rule.applies is a {kind}, not an Applicability (use applies_when() and the like)"
        )

    return unsound


def _error_finding(
    standard: Standard, rule: Rule, school: School, error: Text, period: Period | None = None
) -> Finding:
    """The ERROR finding of a rule whose plugin code broke, saying what happened."""
    return Finding(
        rule.id,
        standard.id,
        school.id,
        Status.ERROR,
        rule.citation,
        error,
        {"error": error.en},
        period=period,
    )


class Evaluator:
    """Evaluates schools as of one date, or over a window, against a fixed set of standards.

    Build it once per evaluation; it caches which standards apply to each region
    code, so evaluating a school costs only its rules.

    As of ``on`` (no ``since``), a periodic rule (``Rule.every``) judges the last
    complete period before ``on`` (``lookback`` periods for a rule that asks so). Over
    the window ``since``..``on`` (both included), it judges every one of its periods
    lying wholly inside the window, each as of the day after it ends (so that its
    finding is the one a check as of that day gives); a period cut by the window's
    edges is not judged. A rule that is not periodic is judged once, as of ``on``.
    Findings carry their period (``Finding.period``). In a window, targets are also
    rated per period (``SchoolResult.period_tallies``, ``Rate.period``): a periodic
    rule's by its periods, any other rule's by ``rate_every`` (quarters by default:
    monthly rates cost a one-year window about a third more), each as of the period's
    last day.

    >>> ev = Evaluator([], dt.date(2024, 9, 1))
    >>> ev.applicable(RegionCode("130902"))
    ()
    """

    def __init__(
        self,
        standards: Iterable[Standard],
        on: dt.date,
        *,
        companies: Mapping[str, SecurityCompany] | Iterable[SecurityCompany] = (),
        device_status: Mapping[str, DeviceStatus] | None = None,
        since: dt.date | None = None,
        rate_every: Every = Every.QUARTER,
    ) -> None:
        if since is not None and since > on:
            raise invalid(
                f"评估区间的开始日晚于结束日：{since} > {on}",
                f"the window starts after it ends: {since} > {on}",
            )
        self.on = on
        self.since = since
        """The window's first day; ``None``: a check as of ``on``."""
        standards = tuple(standards)
        if not isinstance(companies, Mapping):
            companies = {c.id: c for c in companies}
        self.context = Context(
            on=on, companies=dict(companies), device_status=dict(device_status or {})
        )
        self._by_region: dict[str, tuple[tuple[Standard, RegionCode], ...]] = {}
        self._periodic: dict[tuple[Every, int], tuple[_Job, ...]] = {}
        # Per standard, each rule with what the hot loop needs, resolved once per
        # evaluation instead of once per school: its check, its predicate (``None``:
        # applies to all), its targets and its judgements (context, date, period, and
        # whether it is not yet binding then).
        self._steps: dict[str, tuple[_Step, ...]] = {}
        self._rate_steps: dict[str, tuple[_Step, ...]] = {}
        self.rate_every = rate_every
        """In a window, the period by which the targets of rules that are not periodic
        are rated (each as of the period's last day)."""
        judged: list[Standard] = []
        for s in standards:
            by_rule: dict[str, list[Target]] = defaultdict(list)
            for t in s.targets:
                by_rule[t.rule_id].append(t)
            steps = []
            for r in s.rules:
                jobs = tuple(
                    (ctx, day, period, r.binding_from is not None and day < r.binding_from)
                    for ctx, day, period, _ in self._jobs(r)
                    if s.in_force(day)
                )
                if jobs:
                    steps.append(
                        (
                            r,
                            r.check,
                            _predicate(r),
                            tuple(by_rule.get(r.id, ())),
                            jobs,
                        )
                    )
            if steps or s.in_force(on):
                judged.append(s)
                self._steps[s.id] = tuple(steps)
                if since is not None:
                    self._rate_steps[s.id] = self._rating(s, by_rule, rate_every)
        self.standards = tuple(judged)
        """The standards judged: in force on ``on`` (in a window, also those in force on
        the day after one of a periodic rule's periods)."""
        self._not_applicable: dict[str, Text] = {}

    def _rating(
        self, standard: Standard, by_rule: Mapping[str, list[Target]], every: Every
    ) -> tuple[_Step, ...]:
        """In a window, the rules with targets that are not periodic, rated per period.

        Each is judged for its rates only, as of the last day of each ``every`` period
        inside the window.
        """
        assert self.since is not None
        months = [p for p in every.within(self.since, self.on) if standard.in_force(p.end)]
        out = []
        for r in standard.rules:
            targets = tuple(by_rule.get(r.id, ()))
            if r.every is not None or not targets or not months:
                continue
            jobs = tuple((attrs.evolve(self.context, on=p.end), p.end, p, False) for p in months)
            out.append((r, r.check, _predicate(r), targets, jobs))
        return tuple(out)

    def _jobs(self, rule: Rule) -> tuple[_Job, ...]:
        """A rule's judgements (the binding flag is filled in by the caller)."""
        if rule.every is None:
            return ((self.context, self.on, None, False),)
        key = (rule.every, rule.lookback)
        hit = self._periodic.get(key)
        if hit is None:
            every, base, on = rule.every, self.context, self.on
            if self.since is None:
                period = every.last_complete(on, rule.lookback)
                current = Period(every.of(on).start, on)
                hit = ((attrs.evolve(base, period=period, current=current), on, period, False),)
            else:
                one_day = dt.timedelta(days=1)
                hit = tuple(
                    (attrs.evolve(base, on=p.end + one_day, period=p), p.end + one_day, p, False)
                    for p in every.within(self.since, on)
                )
            self._periodic[key] = hit
        return hit

    def applicable(self, region: RegionCode) -> tuple[tuple[Standard, RegionCode], ...]:
        """The standards in force whose jurisdiction covers ``region``, with the covering code."""
        hit = self._by_region.get(region.value)
        if hit is None:
            found = []
            for s in self.standards:
                for j in s.jurisdiction:
                    if j.covers(region):
                        found.append((s, j))
                        break
            hit = self._by_region[region.value] = tuple(found)
        return hit

    def _run(
        self, rule: Rule, school: School, ctx: Context | None = None
    ) -> tuple[Outcome | None, Text | None]:
        """Run one rule's predicate and check, isolating anything they raise.

        Gives ``(outcome, None)``, ``(None, None)`` when the rule does not apply, or
        ``(None, what went wrong)``. A ``KeyboardInterrupt`` (Ctrl-C) is let through.
        """
        try:
            predicate = _predicate(rule)
            if predicate is not None and not predicate(school):
                return _OUT_OF_SCOPE
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # a broken plugin must not stop the others
            return None, _raised(exc, *_APPLIES)
        try:
            outcome = rule.check(school, ctx or self._jobs(rule)[0][0])
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # SystemExit included: a rule must not end the run
            return None, _raised(exc, *_CHECK)
        return _checked(outcome)

    def _not_applicable_text(self, rule: Rule) -> Text:
        hit = self._not_applicable.get(rule.id)
        if hit is None:
            d = rule.applies.description
            hit = self._not_applicable[rule.id] = Text(
                f"不适用：本条适用于{d.zh}", f"not applicable: the rule applies to {d.en}"
            )
        return hit

    def _finding(
        self,
        standard: Standard,
        rule: Rule,
        school: School,
        ran: tuple[Outcome | None, Text | None] | None = None,
        job: _Job | None = None,
    ) -> tuple[Finding, Verdict | None]:
        # ``ran``: what a check that already ran gave (see _run); else run it now.
        # ``job``: the judgement (context, date, period); by default the rule's first.
        ctx, on, period, _ = job or self._jobs(rule)[0]
        outcome, error = self._run(rule, school, ctx) if ran is None else ran
        if error is not None:
            return _error_finding(standard, rule, school, error, period), None
        if outcome is None:
            return Finding(
                rule.id,
                standard.id,
                school.id,
                Status.NOT_APPLICABLE,
                rule.citation,
                self._not_applicable_text(rule),
                {},
                period=period,
            ), Verdict.NOT_APPLICABLE
        verdict = outcome.verdict
        # identity tests: an Enum's __hash__ is Python code, and this runs per finding
        if verdict is Verdict.PASS:
            status = Status.PASS
        elif verdict is Verdict.FAIL:
            status = Status.FAIL
        else:
            status = _VERDICT_STATUS[verdict]
        message = outcome.message
        waiver, expired = (None, False)
        if status is Status.FAIL and rule.binding_from is not None and on < rule.binding_from:
            status = Status.NOT_APPLICABLE
            message = Text(
                f"尚未到期：本条自{rule.binding_from}起适用（目前：{message.zh}）",
                f"not yet binding: the rule binds from {rule.binding_from} "
                f"(currently: {message.en})",
            )
        if status is Status.FAIL:
            waiver, expired = _waiver_for(school, rule.id, on)
            if waiver is not None and not expired:
                status = Status.WAIVED
                message = Text(
                    f"已豁免（{waiver.granted_by}，至{waiver.until}：{waiver.reason}）；{message.zh}",
                    f"waived by {waiver.granted_by} until {waiver.until} ({waiver.reason}); "
                    f"{message.en}",
                )
            elif expired and waiver is not None:
                message = Text(
                    f"{message.zh}（豁免已于{waiver.until}到期）",
                    f"{message.en} (the waiver expired on {waiver.until})",
                )
        return Finding(
            rule.id,
            standard.id,
            school.id,
            status,
            rule.citation,
            message,
            outcome.evidence or {},
            waiver,
            expired,
            period,
        ), verdict

    def school(self, school: School) -> SchoolResult:
        """Evaluate one school against every applicable standard.

        Everything a plugin's code does here is isolated: a predicate or check that
        raises (``SystemExit`` and any other ``BaseException`` included) or returns an
        unsound outcome makes that rule an ERROR finding saying what happened, and
        every other rule still runs. Only ``KeyboardInterrupt`` (Ctrl-C) goes through.
        """
        findings: list[Finding] = []
        tallies: list[tuple[str, str, RegionCode, Tally]] = []
        by_period: list[tuple[str, str, RegionCode, Period, Tally]] = []
        window = self.since
        sid = school.id
        PASS, FAIL = Verdict.PASS, Verdict.FAIL  # locals for the hot loop
        NA = Status.NOT_APPLICABLE
        verdict: Verdict | None
        ran: tuple[Outcome | None, Text | None]
        for standard, region in self.applicable(school.region_code):
            std_id = standard.id
            for rule, check, predicate, targets, jobs in self._steps[std_id]:
                broken: Text | None = None
                try:  # try blocks cost nothing until something is raised
                    in_scope = predicate is None or bool(predicate(school))
                except KeyboardInterrupt:
                    raise
                except BaseException as exc:  # a broken plugin must not stop the others
                    in_scope, broken = True, _raised(exc, *_APPLIES)
                if not in_scope:
                    na, rid, cite = self._not_applicable_text(rule), rule.id, rule.citation
                    findings.extend(
                        [
                            Finding(rid, std_id, sid, NA, cite, na, {}, None, False, job[2])
                            for job in jobs
                        ]
                    )
                    continue  # not applicable: no tally
                for job in jobs:
                    ctx, _, period, not_yet_binding = job
                    # The common path inline (a rule that applies, runs and passes or
                    # fails with a sound outcome and no binding date or waiver to
                    # consider); anything else goes to _finding, which handles every case.
                    try:
                        if broken is not None:
                            ran = (None, broken)
                        else:
                            try:
                                outcome = check(school, ctx)
                            except KeyboardInterrupt:
                                raise
                            except BaseException as exc:  # SystemExit too: not the run's end
                                ran = (None, _raised(exc, *_CHECK))
                            else:
                                if (
                                    type(outcome) is Outcome
                                    and (
                                        (verdict := outcome.verdict) is PASS
                                        or (
                                            verdict is FAIL
                                            and not not_yet_binding
                                            and not school.waivers
                                        )
                                    )
                                    and (
                                        (kind := type(message := outcome.message)) is _DEFERRED
                                        or (
                                            kind is Text
                                            and type(message.zh) is str
                                            and type(message.en) is str
                                        )
                                    )
                                    and type(evidence := outcome.evidence) is dict
                                ):
                                    findings.append(
                                        Finding(
                                            rule.id,
                                            std_id,
                                            sid,
                                            Status.PASS if verdict is PASS else Status.FAIL,
                                            rule.citation,
                                            message,
                                            evidence,
                                            None,
                                            False,
                                            period,
                                        )
                                    )
                                    if targets:
                                        self._tally(
                                            findings,
                                            tallies if period is None or window is None else None,
                                            by_period,
                                            standard,
                                            region,
                                            targets,
                                            school,
                                            _MET if verdict is PASS else _NOT_MET,
                                        )
                                    continue
                                ran = _checked(outcome)
                        # an error, not applicable, not yet binding, a waiver: the full path
                        finding, verdict = self._finding(standard, rule, school, ran, job)
                    except KeyboardInterrupt:
                        raise
                    except BaseException as exc:  # reading the outcome ran plugin code
                        what = _raised(exc, "读取规则的检查结果时", "reading the rule's outcome")
                        finding = _error_finding(standard, rule, school, what, period)
                        verdict = None
                    findings.append(finding)
                    if not targets or verdict is Verdict.NOT_APPLICABLE:
                        continue
                    status = finding.status
                    if status is Status.ERROR:
                        t = _ERRORS
                    elif status is Status.WAIVED:
                        t = _WAIVED
                    elif verdict is PASS:
                        t = _MET
                    else:
                        t = _NOT_MET
                    self._tally(
                        findings,
                        tallies if period is None or window is None else None,
                        by_period,
                        standard,
                        region,
                        targets,
                        school,
                        t,
                    )
            if window is not None:
                by_period.extend(self._rated(school, std_id, region))
        return SchoolResult(sid, tuple(findings), tuple(tallies), tuple(by_period))

    @staticmethod
    def _tally(
        findings: list[Finding],
        tallies: list[tuple[str, str, RegionCode, Tally]] | None,
        by_period: list[tuple[str, str, RegionCode, Period, Tally]],
        standard: Standard,
        region: RegionCode,
        targets: tuple[Target, ...],
        school: School,
        t: Tally,
    ) -> None:
        """Count the school's last finding towards each target whose population holds it.

        Into ``tallies``, or when that is ``None`` (a periodic rule in a window) into
        ``by_period`` under the finding's period. A target whose applicability test
        raises makes that finding an ERROR saying so; the school then counts as an
        error for the rule's other targets.
        """
        last = findings[-1]
        std_id, period = standard.id, last.period
        counted: list[tuple[str, Tally]] = []
        for target in targets:
            try:
                inside = target.applies(school)
            except KeyboardInterrupt:
                raise
            except BaseException as exc:
                findings[-1] = _error_finding(
                    standard,
                    standard.rule(last.rule_id),
                    school,
                    _raised(
                        exc,
                        f"目标 {target.id} 适用范围的判断",
                        f"the applicability test of target {target.id}",
                    ),
                    period,
                )
                counted = []
                for other in targets:
                    if other is target:
                        continue
                    try:
                        if other.applies(school):
                            counted.append((other.id, _ERRORS))
                    except KeyboardInterrupt:
                        raise
                    except BaseException:  # already reported by the finding
                        continue
                break
            if inside:
                counted.append((target.id, t))
        if tallies is not None:
            tallies.extend([(std_id, tid, region, c) for tid, c in counted])
        else:
            assert period is not None
            by_period.extend([(std_id, tid, region, period, c) for tid, c in counted])

    def _rated(
        self, school: School, std_id: str, region: RegionCode
    ) -> list[tuple[str, str, RegionCode, Period, Tally]]:
        """In a window, the per-period tallies of the rules that are not periodic.

        Plugin code is isolated as in :meth:`school`: a rule or target whose code
        raises counts as an error (its finding says why), or not at all when its
        population cannot be told.
        """
        out: list[tuple[str, str, RegionCode, Period, Tally]] = []
        PASS, NA = Verdict.PASS, Verdict.NOT_APPLICABLE
        for rule, check, predicate, targets, jobs in self._rate_steps.get(std_id, ()):
            try:
                if predicate is not None and not predicate(school):
                    continue
                ids = [t.id for t in targets if t.applies(school)]
            except KeyboardInterrupt:
                raise
            except BaseException:  # the rule's finding says what broke
                continue
            if not ids:
                continue
            for ctx, on, period, _ in jobs:
                try:
                    sound, _error = _checked(check(school, ctx))
                    if sound is None:
                        t = _ERRORS
                    elif (verdict := sound.verdict) is PASS:
                        t = _MET
                    elif verdict is NA:
                        continue
                    elif school.waivers and (w := _waiver_for(school, rule.id, on))[0] and not w[1]:
                        t = _WAIVED
                    else:
                        t = _NOT_MET
                except KeyboardInterrupt:
                    raise
                except BaseException:  # a broken rule must not stop the others
                    t = _ERRORS
                assert period is not None
                out.extend([(std_id, i, region, period, t) for i in ids])
        return out

    def rates(self, results: Iterable[SchoolResult]) -> tuple[Rate, ...]:
        """Rates against every target, from the tallies of any number of schools."""
        return aggregate(self.standards, self.on, results)


def aggregate(
    standards: Iterable[Standard], on: dt.date, results: Iterable[SchoolResult]
) -> tuple[Rate, ...]:
    """Add up the target tallies of school results into rates.

    Tallies are plain counts, so results from any split of a roster (batches,
    processes, cluster partitions) aggregate to the same rates.
    """
    standards = tuple(standards)
    totals: dict[tuple[str, str, RegionCode], Tally] = {}
    by_period: dict[tuple[str, str, RegionCode, Period], Tally] = {}
    for result in results:
        for std_id, target_id, region, tally in result.tallies:
            key = (std_id, target_id, region)
            totals[key] = totals.get(key, Tally()) + tally
        for std_id, target_id, region, period, tally in result.period_tallies:
            pkey = (std_id, target_id, region, period)
            by_period[pkey] = by_period.get(pkey, Tally()) + tally
    return rates_from_tallies(standards, on, totals) + period_rates_from_tallies(
        standards, by_period
    )


def evaluate_school(
    school: School,
    on: dt.date,
    standards: Iterable[Standard],
    *,
    companies: Mapping[str, SecurityCompany] | Iterable[SecurityCompany] = (),
    device_status: Mapping[str, DeviceStatus] | None = None,
    since: dt.date | None = None,
) -> SchoolResult:
    """Evaluate one school on its own (an application saving one school's form)."""
    return Evaluator(
        standards, on, companies=companies, device_status=device_status, since=since
    ).school(school)


def evaluate(
    roster: Roster,
    on: dt.date,
    standards: Iterable[Standard],
    *,
    device_status: Mapping[str, DeviceStatus] | None = None,
    since: dt.date | None = None,
    rate_every: Every = Every.QUARTER,
) -> Report:
    """Evaluate every school of the roster as of ``on`` and compute the rates.

    The rates are the jurisdictions' (``Report.rates``) and, rolled up along GB/T 2260,
    every city's and county's under them with schools (``Report.regional_rates``).

    With ``since``, over the window ``since``..``on`` (both included): every periodic
    rule judges each of its periods lying wholly inside the window, rules that are not
    periodic are judged as of ``on``, and the targets are rated per period too (see
    :class:`Evaluator`).
    """
    ev = Evaluator(
        standards,
        on,
        companies=roster.companies,
        device_status=device_status,
        since=since,
        rate_every=rate_every,
    )
    results = [ev.school(s) for s in roster.schools]
    by_region: RegionTallies = {}
    by_region_period: PeriodTallies = {}
    for school, result in zip(roster.schools, results, strict=True):
        add_region_tallies(by_region, by_region_period, school.region_code.value, result)
    return Report.combine(
        on,
        (f for r in results for f in r.findings),
        ev.rates(results),
        since=since,
        regional_rates=regional_rates(ev.standards, on, by_region, by_region_period),
    )
