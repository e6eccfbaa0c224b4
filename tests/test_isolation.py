"""A plugin that breaks must not break the others nor silence the run (issue 12, item 4).

Every kind of plugin code is tried here with the fake plugins of ``tests/fakeplugins``:
checks, applicability predicates, outcomes, hooks. Each must become an ERROR finding
(or a reported plugin failure) saying what happened, in Chinese and English, while
every other rule and standard still reports; only a real Ctrl-C goes through.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE_ROSTER

from campus_security.cli import run
from campus_security.engine import Evaluator, Status, evaluate_school
from campus_security.plugins import PluginManager
from campus_security.sdk import (
    Citation,
    Outcome,
    Target,
    Text,
    Verdict,
    applies_when,
    hookimpl,
    passed,
    rule,
)
from campus_security.testing import make_guard, make_school

ON = dt.date(2024, 11, 20)
HEBEI = "130902"


def _fake(name: str) -> Any:
    return importlib.import_module(f"fakeplugins.{name}")


def _findings(standard: Any, school: Any = None) -> dict[str, Any]:
    school = school or make_school(region_code=HEBEI, guards=[make_guard()])
    return {f.rule_id: f for f in evaluate_school(school, ON, [standard]).findings}


def _standard(module: str) -> Any:
    (std,) = _fake(module).campus_security_standards()
    return std


@pytest.mark.parametrize(
    "module, zh, en",
    [
        ("exits", "试图结束程序（SystemExit: 0）", "tried to end the program (SystemExit: 0)"),
        ("panics", "规则执行出错：Panic: the plugin panicked", "Panic: the plugin panicked"),
        (
            "raising_predicate",
            "规则适用范围的判断出错：ValueError: the predicate broke",
            "the rule's applicability test raised an error: ValueError: the predicate broke",
        ),
        ("string_verdict", "检查结论“pass”是 str，不是 Verdict", "verdict 'pass' is a str"),
    ],
)
def test_a_misbehaving_rule_is_an_error_finding_and_the_other_rules_run(
    module: str, zh: str, en: str
) -> None:
    std = _standard(module)
    findings = _findings(std)
    bad, fine = findings[f"{std.id}.bad"], findings[f"{std.id}.fine"]
    assert fine.status is Status.PASS
    assert bad.status is Status.ERROR, bad.message
    assert zh in bad.message.zh and en in bad.message.en
    assert bad.evidence == {"error": bad.message.en}
    assert bad.citation == Citation("坏〔2024〕1号", "二")


def test_a_real_ctrl_c_goes_through() -> None:
    with pytest.raises(KeyboardInterrupt):
        _findings(_standard("interrupts"))


CITE = Citation("测〔2024〕1号", "一")


def _rule(check: Any, **kw: Any) -> Any:
    return rule("demo.r", title=("测", "test"), citation=CITE, **kw)(check)


def _one(r: Any, targets: tuple[Target, ...] = ()) -> tuple[Any, Any]:
    from campus_security.testing import standard_for

    std = standard_for(r, targets=targets, jurisdiction=(HEBEI,))
    result = Evaluator([std], ON).school(make_school(region_code=HEBEI))
    (finding,) = result.findings
    return finding, result.tallies


@pytest.mark.parametrize(
    "outcome, en",
    [
        (Outcome(Verdict.PASS, "合格 passes"), "message is a str, not a Text"),  # type: ignore[arg-type]
        (Outcome(Verdict.FAIL, Text("不合格", 0)), "message is a Text, not a Text of two strings"),  # type: ignore[arg-type]
        (Outcome(Verdict.PASS, Text("合格", "ok"), ["a"]), "evidence is a list, not a mapping"),  # type: ignore[arg-type]
        (Outcome("fail", Text("不合格", "fails")), "verdict 'fail' is a str, not a Verdict"),  # type: ignore[arg-type]
        (Outcome(None, Text("?", "?")), "verdict 'None' is a NoneType"),  # type: ignore[arg-type]
        (None, "the check returned NoneType, not Outcome"),
    ],
)
def test_an_unsound_outcome_is_an_error_finding(outcome: Any, en: str) -> None:
    finding, _ = _one(_rule(lambda s, c: outcome))
    assert finding.status is Status.ERROR and en in finding.message.en
    assert finding.message.zh and finding.message.zh != finding.message.en


def test_evidence_given_as_none_reads_as_empty() -> None:
    finding, _ = _one(_rule(lambda s, c: Outcome(Verdict.PASS, Text("合格", "ok"), None)))  # type: ignore[arg-type]
    assert finding.status is Status.PASS and finding.evidence == {}


def test_applies_that_is_not_an_applicability_is_an_error_finding() -> None:
    finding, _ = _one(_rule(lambda s, c: passed("合格", "ok"), applies=lambda s: True))
    assert finding.status is Status.ERROR
    assert "Rule.applies is a function, not an Applicability" in finding.message.en


def _broken_population(_school: Any) -> bool:
    raise SystemExit("population unknown")


@pytest.mark.parametrize("verdict", [Verdict.PASS, Verdict.FAIL])
def test_a_target_whose_population_test_raises_makes_the_finding_an_error(
    verdict: Verdict,
) -> None:
    r = _rule(lambda s, c: Outcome(verdict, Text("结论", "verdict")))
    broken = Target(
        id="demo.broken",
        title=Text("坏目标", "broken target"),
        citation=CITE,
        rule_id=r.id,
        due=dt.date(2020, 1, 1),
        applies=applies_when(_broken_population, "某些学校", "some schools"),
    )
    sound = Target(
        id="demo.sound",
        title=Text("好目标", "sound target"),
        citation=CITE,
        rule_id=r.id,
        due=dt.date(2020, 1, 1),
    )
    finding, tallies = _one(r, (sound, broken))
    assert finding.status is Status.ERROR
    assert "target demo.broken" in finding.message.en and "demo.broken" in finding.message.zh
    assert "SystemExit: population unknown" in finding.message.en
    # the school counts as an error for the other target, and for no verdict
    assert [(t, tally.errors, tally.counted) for _, t, _, tally in tallies] == [
        ("demo.sound", 1, 0)
    ]


def test_an_exception_whose_message_raises_is_still_described() -> None:
    class Weird(Exception):
        def __str__(self) -> str:
            raise RuntimeError("no message")

    def check(school: Any, ctx: Any) -> Outcome:
        raise Weird

    finding, _ = _one(_rule(check))
    assert finding.status is Status.ERROR and "Weird" in finding.message.en


def test_a_message_template_that_cannot_be_formatted_says_so() -> None:
    class Loud:
        def __format__(self, spec: str) -> str:
            raise SystemExit(4)

    finding, _ = _one(_rule(lambda s, c: passed("{x}", "{x}", x=Loud())))
    assert "could not be formatted (SystemExit: 4)" in finding.message.en
    assert "消息模板无法格式化" in finding.message.zh


# --- hooks ------------------------------------------------------------------------------


def test_failing_census_form_and_adapter_hooks_are_reported_not_raised() -> None:
    pm = PluginManager(load_entrypoints=False)
    assert pm.register(_fake("broken_forms"), "broken-forms")
    assert pm.device_adapters() == ()
    assert len(pm.census_forms()) >= 1  # the core's own forms are still there
    stages = {f.stage: f for f in pm.failures}
    adapters = stages["campus_security_device_adapters"]
    assert "tried to end the program (SystemExit: 3)" in adapters.message.en
    assert "试图结束程序" in adapters.message.zh
    forms = stages["campus_security_census_forms"]
    assert "RuntimeError: form file unreadable" in forms.message.en


def test_a_hook_collected_twice_is_reported_once() -> None:
    pm = PluginManager(load_entrypoints=False)
    pm.register(_fake("broken_forms"), "broken-forms")
    pm.census_forms()
    pm.census_forms()
    pm.device_adapters()
    pm.device_adapters()
    assert len(pm.failures) == 2


def test_a_hook_that_exits_is_reported_and_other_plugins_load() -> None:
    class Exits:
        @hookimpl
        def campus_security_standards(self) -> Any:
            raise SystemExit(0)

    pm = PluginManager(load_entrypoints=False)
    pm.register(Exits(), "exits")
    pm.register(_fake("good"), "good")
    assert [s.id for s in pm.standards()] == ["goodland"]
    (failure,) = pm.failures
    assert failure.plugin == "exits" and "SystemExit: 0" in failure.message.en


def test_ctrl_c_in_a_hook_goes_through() -> None:
    class Interrupted:
        @hookimpl
        def campus_security_standards(self) -> Any:
            raise KeyboardInterrupt

    pm = PluginManager(load_entrypoints=False)
    pm.register(Interrupted(), "interrupted")
    with pytest.raises(KeyboardInterrupt):
        pm.standards()


def test_a_plugin_that_exits_at_import_is_reported(fake_entry_points: Any) -> None:
    fake_entry_points(quitter="fakeplugins.exits_on_import", goodland="fakeplugins.good")
    pm = PluginManager()
    assert [s.id for s in pm.standards()] == ["goodland"]
    (failure,) = pm.failures
    assert (failure.plugin, failure.stage) == ("quitter", "load")
    assert "SystemExit: the plugin quit at import" in failure.message.en


# --- the command line, with the fake plugins installed for real -------------------------

ROSTER_ON = "2024-11-20"
MISBEHAVING = ("exits", "panics", "raising_predicate", "string_verdict")
STANDARD_OF = {
    "exits": "exitland",
    "panics": "panicland",
    "raising_predicate": "predland",
    "string_verdict": "verdictland",
    "bad_evidence": "evidenceland",
}


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Install fake plugins as a distribution with entry points, seen by every process.

    A ``.dist-info`` on ``sys.path``: this process finds it, and so do the worker
    processes of ``check -j 2`` (spawned with the parent's ``sys.path``).
    """

    def install_(*modules: str) -> None:
        site = tmp_path / "site"
        info = site / "campus_security_fakes-0.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(
            "Metadata-Version: 2.1\nName: campus-security-fakes\nVersion: 0\n", "utf-8"
        )
        lines = "".join(f"{m} = fakeplugins.{m}\n" for m in modules)
        (info / "entry_points.txt").write_text(f"[campus_security]\n{lines}", "utf-8")
        monkeypatch.syspath_prepend(str(site))

    return install_


@pytest.fixture(scope="module")
def jsonl_roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("roster") / "roster.jsonl"
    assert run(["convert", str(EXAMPLE_ROSTER), "-o", str(path)]) == 0
    return path


def _check_json(capsys: Any, roster: Path, out: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    code = run(
        ["check", str(roster), "--on", ROSTER_ON, "--format", "json", "-o", str(out), *extra]
    )
    capsys.readouterr()
    return code, json.loads(out.read_bytes())


def _assert_isolated(doc: dict[str, Any], modules: tuple[str, ...]) -> None:
    hebei = sum(1 for f in doc["findings"] if f["rule_id"] == "cangzhou.guard-staffing")
    assert hebei > 0  # the real standards still report
    assert {"jiangsu", "zhengzhou"} <= set(doc["standards"])
    for module in modules:
        sid = STANDARD_OF[module]
        bad = [f for f in doc["findings"] if f["rule_id"] == f"{sid}.bad"]
        fine = [f for f in doc["findings"] if f["rule_id"] == f"{sid}.fine"]
        assert len(bad) == len(fine) == hebei, module
        assert {f["status"] for f in bad} == {"error"} and {f["status"] for f in fine} == {"pass"}
        assert all(f["message"]["zh"] and f["message"]["en"] for f in bad)
    assert doc["summary"]["error"] == len(modules) * hebei


@pytest.mark.parametrize("module", MISBEHAVING)
def test_check_reports_a_misbehaving_rule_as_error_and_exits_one(
    capsys: Any, tmp_path: Path, install: Any, module: str
) -> None:
    install(module)
    code, doc = _check_json(capsys, EXAMPLE_ROSTER, tmp_path / "report.json")
    assert code == 1
    _assert_isolated(doc, (module,))
    code = run(["check", str(EXAMPLE_ROSTER), "--on", ROSTER_ON])
    out, _ = capsys.readouterr()
    assert code == 1 and f"{STANDARD_OF[module]}.bad" in out and "ERROR" in out


def test_evidence_json_cannot_hold_is_an_error_finding_not_a_broken_report(
    capsys: Any, tmp_path: Path, install: Any
) -> None:
    install("bad_evidence")
    code, doc = _check_json(capsys, EXAMPLE_ROSTER, tmp_path / "report.json")
    assert code == 1
    _assert_isolated(doc, ("bad_evidence",))
    bad = next(f for f in doc["findings"] if f["rule_id"] == "evidenceland.bad")
    assert (
        "cannot be written to the report (TypeError: a Opaque value cannot be encoded as JSON)"
        in bad["message"]["en"]
    )
    assert "the rule had said pass: passes" in bad["message"]["en"]
    assert "规则的检查结果无法写入报告" in bad["message"]["zh"]


def test_a_report_document_survives_unencodable_findings() -> None:
    import orjson

    from campus_security.engine import Finding, Report
    from campus_security.report import finding_json, report_document

    class Opaque:
        pass

    def finding(rule: str, evidence: Any, message: Text | None = None) -> Finding:
        message = message or Text("合格", "ok")
        return Finding(rule, "demo", "s1", Status.PASS, CITE, message, evidence)

    findings = (
        finding("demo.a", {"n": 1}),
        finding("demo.b", {"x": Opaque()}),
        finding("demo.c", {"big": 1 << 70}),
        finding("demo.d", {"n": 2}, Text("合格", "lone \ud800 surrogate")),
    )
    doc = report_document(Report(ON, findings))
    orjson.dumps(doc)  # one document, whatever the findings held
    assert [f["status"] for f in doc["findings"]] == ["pass", "error", "error", "error"]
    assert doc["summary"]["pass"] == 1 and doc["summary"]["error"] == 3
    assert "is too large for JSON" in doc["findings"][2]["message"]["en"]
    assert "surrogates not allowed" in doc["findings"][3]["message"]["en"]
    data, documented = finding_json(findings[3])
    assert documented.status is Status.ERROR and orjson.loads(data)["status"] == "error"
    assert finding_json(findings[0]) == (orjson.dumps(doc["findings"][0]), findings[0])


@pytest.mark.parametrize("mode", [["-j", "1"], ["-j", "2"], ["--dask", "-j", "2"]])
def test_streamed_check_isolates_every_misbehaving_rule(
    capsys: Any, tmp_path: Path, install: Any, jsonl_roster: Path, mode: list[str]
) -> None:
    install(*MISBEHAVING, "bad_evidence")
    code, doc = _check_json(capsys, jsonl_roster, tmp_path / "report.json", *mode)
    assert code == 1
    _assert_isolated(doc, (*MISBEHAVING, "bad_evidence"))
    code = run(["check", str(jsonl_roster), "--on", ROSTER_ON, *mode])
    out, _ = capsys.readouterr()
    assert code == 1 and "出错 ERROR" in out  # a small roster's text lists the findings


@pytest.mark.parametrize("command", ["plugins", "export", "import"])
def test_failing_form_and_adapter_hooks_are_printed(
    capsys: Any, tmp_path: Path, install: Any, command: str
) -> None:
    install("broken_forms")
    form = tmp_path / "census.xlsx"
    if command == "import":
        assert run(["export", str(EXAMPLE_ROSTER), "-o", str(form)]) == 0
        capsys.readouterr()
    args = {
        "plugins": ["plugins"],
        "export": ["export", str(EXAMPLE_ROSTER), "-o", str(form)],
        "import": ["import", str(form), "-o", str(tmp_path / "roster.json")],
    }[command]
    run(args)
    _, err = capsys.readouterr()
    assert "broken_forms [campus_security_census_forms]" in err
    assert "RuntimeError: form file unreadable" in err
    assert "broken_forms [campus_security_device_adapters]" in err
    assert "SystemExit: 3" in err
    assert "broken_forms [campus_security_record_sources]" in err


def test_an_id_number_in_what_a_rule_raised_is_masked() -> None:
    guard = make_guard()

    def check(school: Any, ctx: Any) -> Outcome:
        raise ValueError(f"bad guard {guard.id_number.value}")

    finding, _ = _one(_rule(check))
    assert finding.status is Status.ERROR
    assert guard.id_number.value not in finding.message.en + finding.message.zh
    assert guard.id_number.masked in finding.message.en


@pytest.mark.parametrize("raises", ["check", "predicate", "target"])
def test_a_window_isolates_plugin_code_too(raises: str) -> None:
    from campus_security.testing import standard_for

    def boom(*_: Any) -> Any:
        raise SystemExit(9)

    r = _rule(
        boom if raises == "check" else (lambda s, c: passed("合格", "ok")),
        **({"applies": applies_when(boom, "某些", "some")} if raises == "predicate" else {}),
    )
    target = Target(
        id="demo.t",
        title=Text("目标", "target"),
        citation=CITE,
        rule_id=r.id,
        due=dt.date(2020, 1, 1),
        **({"applies": applies_when(boom, "某些", "some")} if raises == "target" else {}),
    )
    std = standard_for(r, targets=(target,), jurisdiction=(HEBEI,))
    ev = Evaluator([std], ON, since=dt.date(2024, 1, 1))
    result = ev.school(make_school(region_code=HEBEI))
    (finding,) = result.findings
    assert finding.status is Status.ERROR and "SystemExit: 9" in finding.message.en
    assert all(tally.met == 0 for *_, tally in result.period_tallies)


def test_a_message_that_cannot_be_formatted_is_an_error_in_a_json_report() -> None:
    from campus_security.engine import Report
    from campus_security.report import finding_json, report_document

    finding, _ = _one(_rule(lambda s, c: passed("{n:d}名", "{n:d} guards", n="three")))
    assert finding.status is Status.PASS  # formatted lazily: the engine does not know yet
    doc = report_document(Report(ON, (finding,)))
    (documented,) = doc["findings"]
    assert documented["status"] == "error" and doc["summary"]["error"] == 1
    assert "message template could not be formatted" in documented["message"]["en"]
    assert "Unknown format code 'd'" in documented["message"]["en"]
    assert finding_json(finding)[1].status is Status.ERROR
