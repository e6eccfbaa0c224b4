"""Embedding campus-security in an application.

The application registers its own rule set in code (no entry point), evaluates one school
on its own, as a web form saving that school would, and then a whole roster.

Run: python examples/embed.py
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import campus_security as cs
from campus_security.sdk import Citation, Standard, Text, failed, hookimpl, passed, rule

DOC = "本单位〔2024〕1号"


@rule(
    "acme.gatehouse",
    title=("设门卫值班室", "a gatehouse at the entrance"),
    citation=Citation(DOC, "一"),
    passes=("有门卫值班室", "has a gatehouse"),
    fails=("无门卫值班室", "no gatehouse"),
)
def gatehouse(school, ctx):
    if school.facilities.gatehouse:
        return passed("有门卫值班室", "has a gatehouse")
    return failed("无门卫值班室", "no gatehouse")


class AcmePlatformRules:
    """The application's in-house rules, registered in code."""

    @hookimpl
    def campus_security_standards(self):
        return [
            Standard(
                id="acme",
                title=Text("平台自定规范", "platform rules"),
                document=DOC,
                issued_by=Text("某平台", "ACME platform"),
                jurisdiction=["130000", "320000"],
                in_force_from=dt.date(2024, 1, 1),
                rules=[gatehouse],
            )
        ]


def main() -> int:
    plugins = cs.PluginManager()  # installed plugins, from entry points
    plugins.register(AcmePlatformRules(), "acme")
    for failure in plugins.failures:
        print("plugin problem:", failure)
    standards = plugins.standards()

    roster = cs.load_roster(Path(__file__).with_name("roster.json"))
    on = dt.date(2024, 11, 20)

    # One school, as a web form saving it would: only its own rules run.
    school = roster.schools[0]
    result = cs.evaluate_school(school, on, standards, companies=roster.companies)
    failing = [f for f in result.findings if f.status is cs.Status.FAIL]
    print(f"{school.name}: {len(result.findings)} findings, {len(failing)} failing")

    # The whole roster, with rates against dated targets.
    report = cs.evaluate(roster, on, standards)
    counts = report.counts()
    print(" ".join(f"{status.value}={n}" for status, n in counts.items()))
    for f in report.by_status(cs.Status.FAIL)[:5]:
        print(f"  {f.school_id} {f.rule_id} [{f.citation}] {f.message.en}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
