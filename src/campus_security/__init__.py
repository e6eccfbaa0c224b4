"""campus-security: model school security (中小学幼儿园安全防范) and check it.

Schools are checked against the regional standards that installed plugins provide.

The layers, each importing only those below it:

- :mod:`campus_security.model`: the domain model (attrs classes, enums, value types);
- :mod:`campus_security.engine`: the pure rules engine (standards, rules, findings, rates);
- :mod:`campus_security.hookspecs`, :mod:`campus_security.plugins`,
  :mod:`campus_security.sdk`, :mod:`campus_security.testing`: the plugin SDK;
- :mod:`campus_security.formats`, :mod:`campus_security.report`,
  ``campus_security.cli``: the edges (files, terminals).

Typical use::

    import datetime as dt
    import campus_security as cs

    roster = cs.load_roster("roster.json")
    report = cs.check(roster, on=dt.date(2024, 9, 1))
    for finding in report.by_status(cs.Status.FAIL):
        print(finding.school_id, finding.rule_id, finding.citation, finding.message.en)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

#: The library's version (PEP 440).
__version__ = "0.1.0"

from .engine import (
    Citation,
    Evaluator,
    Finding,
    Rate,
    RateStatus,
    Report,
    Rule,
    SchoolResult,
    Standard,
    Status,
    Target,
    evaluate,
    evaluate_school,
)
from .errors import CampusSecurityError, Problem, RosterError
from .formats import dump_roster, dumps_roster, load_roster, loads_roster
from .hookspecs import hookimpl
from .model import (
    DeviceStatus,
    Guard,
    RegionCode,
    Roster,
    School,
    SecurityCompany,
    Text,
    Waiver,
    today_in_china,
)
from .plugins import PluginFailure, PluginManager

__all__ = [
    "CampusSecurityError",
    "Citation",
    "DeviceStatus",
    "Evaluator",
    "Finding",
    "Guard",
    "PluginFailure",
    "PluginManager",
    "Problem",
    "Rate",
    "RateStatus",
    "RegionCode",
    "Report",
    "Roster",
    "RosterError",
    "Rule",
    "School",
    "SchoolResult",
    "SecurityCompany",
    "Standard",
    "Status",
    "Target",
    "Text",
    "Waiver",
    "__version__",
    "check",
    "dump_roster",
    "dumps_roster",
    "evaluate",
    "evaluate_school",
    "hookimpl",
    "load_roster",
    "loads_roster",
]


def check(
    roster: Roster,
    on: dt.date | None = None,
    *,
    standards: Iterable[Standard] | None = None,
    plugins: PluginManager | None = None,
    since: dt.date | None = None,
) -> Report:
    """Evaluate a roster against the installed standards (or the ones given).

    ``on`` defaults to today in China. ``standards`` overrides discovery; otherwise
    ``plugins`` (default: every installed plugin) provides them. With ``since``, the
    roster is reviewed over the window ``since``..``on``: every periodic rule judges
    each of its periods lying wholly inside it (``Finding.period``), the other rules
    are judged as of ``on``.
    """
    if standards is None:
        standards = (plugins or PluginManager()).standards()
    return evaluate(roster, on or today_in_china(), standards, since=since)
