"""蒲城县公安局's 2014 special action plan on school security, as rules.

《关于我县中小学幼儿园安全防范工作“安全大检查、隐患大整改、责任严落实”专项行动实施方案》,
issued by 蒲城县公安局 to its police stations on 2014-06-16, for the primary and
secondary schools and kindergartens of Pucheng county (610526). The action ran until
2014-10-30; its requirements are standing mechanisms (长效工作机制), so the standard
stays in force after it, and only the two phase rules of 四 judge the 2014 campaign
itself (see :mod:`.rules`). The plan has no document number: citations name it by its
printed heading (issuer and title). Written only against :mod:`campus_security.sdk`;
the interpretation decisions are in :mod:`.rules`.
"""

from __future__ import annotations

from collections.abc import Iterable

from campus_security.sdk import Standard, Text, hookimpl

from .rules import DOCUMENT, IN_FORCE_FROM, RULES

__all__ = ["DOCUMENT", "STANDARD", "campus_security_standards"]

STANDARD = Standard(
    id="pucheng",
    title=Text(
        "关于我县中小学幼儿园安全防范工作“安全大检查、隐患大整改、责任严落实”专项行动实施方案",
        "Implementation plan for the special action “thorough safety inspection, thorough "
        "hazard rectification, strict accountability” on the security of the county's "
        "primary and secondary schools and kindergartens",
    ),
    document=DOCUMENT,
    issued_by=Text("蒲城县公安局", "Pucheng County Public Security Bureau"),
    jurisdiction=["610526"],
    in_force_from=IN_FORCE_FROM,
    rules=RULES,
)


@hookimpl
def campus_security_standards() -> Iterable[Standard]:
    """Provide the Pucheng standard."""
    return [STANDARD]
