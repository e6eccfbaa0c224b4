"""沧教〔2019〕79号: Cangzhou's opinions on school and surroundings security, as rules.

沧州市教育局、沧州市公安局《关于进一步加强学校及周边治安防范工作的意见》, issued
2019-05-13, for the schools and kindergartens of Cangzhou (130900 and the codes under
it). Written only against :mod:`campus_security.sdk`.

Clause numbers follow the document (一（一）, 一（二）...); the original prints the first
sub-clause as "(一)" with half-width brackets and the others with full-width ones, and
citations here write all of them full-width, as the glossary does.

:mod:`campus_security_cangzhou.rules` holds one rule per checkable requirement and the
dated rate target, and its docstring records every interpretation decision;
docs/coverage/cangzhou.md maps every requirement of the document to its rules, or
says why the roster cannot show it.
"""

from __future__ import annotations

from collections.abc import Iterable

from campus_security.sdk import Standard, Text, hookimpl

from .rules import DOCUMENT, ISSUED, RULES, TARGETS

__all__ = ["DOCUMENT", "STANDARD", "TARGETS", "campus_security_standards"]

STANDARD = Standard(
    id="cangzhou",
    title=Text(
        "关于进一步加强学校及周边治安防范工作的意见",
        "Opinions on further strengthening security at and around schools (Cangzhou)",
    ),
    document=DOCUMENT,
    issued_by=Text(
        "沧州市教育局、沧州市公安局",
        "Cangzhou Municipal Education Bureau and Public Security Bureau",
    ),
    jurisdiction=["130900"],
    in_force_from=ISSUED,
    rules=RULES,
    targets=TARGETS,
)


@hookimpl
def campus_security_standards() -> Iterable[Standard]:
    """Provide the Cangzhou standard."""
    return [STANDARD]
