"""Shared parts of the misbehaving fake plugins: a standard of one sound rule plus one bad one.

Each fake plugin module builds a standard covering Hebei (130000, the demo roster's
Cangzhou schools) whose ``<id>.fine`` rule always passes and whose ``<id>.bad`` rule
misbehaves in the module's own way.
"""

import datetime as dt

from campus_security.sdk import ALL_SCHOOLS, Applicability, Citation, Standard, Text, passed, rule

DOC = "坏〔2024〕1号"


def standard(sid: str, bad_check, applies: Applicability = ALL_SCHOOLS, targets=()) -> Standard:
    @rule(f"{sid}.fine", title=("总是合格", "always passes"), citation=Citation(DOC, "一"))
    def fine(school, ctx):
        return passed("合格", "passes")

    bad = rule(
        f"{sid}.bad",
        title=("出错的规则", "a misbehaving rule"),
        citation=Citation(DOC, "二"),
        applies=applies,
    )(bad_check)
    return Standard(
        id=sid,
        title=Text("坏地方", "Badland"),
        document=DOC,
        issued_by=Text("局", "bureau"),
        jurisdiction=["130000"],
        in_force_from=dt.date(2020, 1, 1),
        rules=[fine, bad],
        targets=list(targets),
    )
