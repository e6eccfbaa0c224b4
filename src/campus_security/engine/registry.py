"""Judging certificates and permits by the certificate registry, when one was pulled.

Rules that require certificates (持证上岗) or licensed companies read the roster's
certificate numbers and permit numbers. When a certificate registry export has been
pulled into the roster (``campus-security pull registry``), each guard and company
carries a :class:`~campus_security.model.RegistryCheck`, and a certificate counts only
when the registry holds it as valid: a revoked, suspended or unknown certificate, or
one the registry gives to another ID number, fails, and the finding cites the export.
Without a registry the rules judge the roster's numbers, exactly as before.

A rule uses it like this::

    guards = school.guards_on_staff(ctx.on)
    registry = judge_certificates(guards)
    return registry.annotate(every_guard(school, ctx, lambda g: g.certificate_valid, ...))

:meth:`CertificateJudgement.annotate` leaves an outcome untouched when no guard was
checked against a registry, so verdicts, messages and evidence are unchanged for
rosters without one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from ..model import Guard, Provenance, RegistryCheck, SecurityCompany, Text
from .rules import Outcome

__all__ = ["CertificateJudgement", "judge_certificates", "judge_permits"]


def _source(p: Provenance) -> dict[str, str]:
    return {
        "source": p.source,
        "location": p.location,
        "retrieved_at": p.retrieved_at.isoformat(),
    }


@attrs.frozen
class CertificateJudgement:
    """The registry's word on some guards' certificates (or some companies' permits).

    ``items`` are ``(name, id_number or None, check or None)``, in the order given.
    """

    items: tuple[tuple[str, Any, RegistryCheck | None], ...]

    @property
    def checked(self) -> bool:
        """Whether any of them was checked against a registry."""
        return any(c is not None for _, _, c in self.items)

    @property
    def invalid(self) -> tuple[tuple[str, Any, RegistryCheck], ...]:
        """The ones the registry does not hold as valid, with its check."""
        return tuple((n, i, c) for n, i, c in self.items if c is not None and not c.valid)

    def sources(self) -> tuple[Provenance, ...]:
        """The registry exports the checks were made against, each once."""
        seen: dict[Provenance, None] = {}
        for _, _, c in self.items:
            if c is not None:
                seen.setdefault(c.source, None)
        return tuple(seen)

    def note(self) -> Text:
        """A sentence to append to a message: what the registry said, citing the export."""
        cites = [s.cite() for s in self.sources()]
        where_zh = "；".join(z for z, _ in cites)
        where_en = "; ".join(e for _, e in cites)
        bad = self.invalid
        if not bad:
            return Text(
                f"（已在保安员证登记中核验有效：{where_zh}）",
                f" (verified valid in the certificate registry: {where_en})",
            )
        return Text(
            "（登记核验：" + "、".join(f"{n} {c.status.zh}" for n, _, c in bad) + f"；{where_zh}）",
            " (registry: "
            + ", ".join(f"{n} {c.status.value}" for n, _, c in bad)
            + f"; {where_en})",
        )

    def evidence(self) -> list[dict[str, Any]]:
        """Each checked item: name, ID number (masked in reports), status and source."""
        out = []
        for n, i, c in self.items:
            if c is None:
                continue
            item: dict[str, Any] = {"name": n}
            if i is not None:
                item["id_number"] = i
            item["status"] = c.status.value
            item["source"] = _source(c.source)
            out.append(item)
        return out

    def annotate(self, outcome: Outcome) -> Outcome:
        """``outcome`` with the registry's word added, or unchanged without a registry."""
        if not self.checked:
            return outcome
        note = self.note()
        return attrs.evolve(
            outcome,
            message=Text(outcome.message.zh + note.zh, outcome.message.en + note.en),
            evidence={**outcome.evidence, "registry": self.evidence()},
        )


def judge_certificates(guards: Iterable[Guard]) -> CertificateJudgement:
    """The registry's word on these guards' certificates (see the module docstring)."""
    return CertificateJudgement(tuple((g.name, g.id_number, g.registry_check) for g in guards))


def judge_permits(companies: Iterable[SecurityCompany]) -> CertificateJudgement:
    """The registry's word on these companies' security service permits."""
    return CertificateJudgement(tuple((c.name, None, c.registry_check) for c in companies))
