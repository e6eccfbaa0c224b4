"""娄底市公安局's four measures for school guards (2020), as rules.

The source is a news report, 《婁底市公安局四項舉措助推校園保安升級強能提質》 (淮安保安網,
2021-01-15), of the measures 娄底市公安局 took with 娄底市教育局 in 2020 for the
primary and secondary schools and kindergartens of Loudi (431300 and the codes under
it). The report has no document number: citations name it by headline, publisher and
date, in the traditional characters the page prints. Written only against
:mod:`campus_security.sdk`; the interpretation decisions are in :mod:`.rules`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from campus_security.sdk import Citation, Standard, Target, Text, hookimpl

from .rules import DOCUMENT, RULES, STAFFING_DUE

__all__ = ["DOCUMENT", "STAFFING_TARGET", "STANDARD", "campus_security_standards"]

STAFFING_TARGET = Target(
    id="loudi.full-time-staffing-2020",
    title=Text("2020年底前专职保安员配备率100%", "full-time guard staffing 100 % by end of 2020"),
    citation=Citation(DOCUMENT, "二是"),
    rule_id="loudi.full-time-guard",
    due=STAFFING_DUE,
    threshold=1.0,
)
"""確保2020年底前全面實現中小學幼兒園專職保安配備率100%目標 (二是)."""

STANDARD = Standard(
    id="loudi",
    title=Text(
        "娄底市公安局四项举措助推校园保安升级强能提质",
        "Loudi Public Security Bureau: four measures to upgrade school guard teams",
    ),
    document=DOCUMENT,
    issued_by=Text(
        "娄底市公安局（会同娄底市教育局）",
        "Loudi Municipal Public Security Bureau, with the Loudi Municipal Education Bureau",
    ),
    jurisdiction=["431300"],
    in_force_from=dt.date(2020, 11, 1),
    in_force_until=None,
    rules=RULES,
    targets=[STAFFING_TARGET],
)


@hookimpl
def campus_security_standards() -> Iterable[Standard]:
    """Provide the Loudi standard."""
    return [STANDARD]
