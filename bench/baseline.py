"""The CPU floor: the installed standards' checks hand-written in plain Python over dicts.

This is what a programmer would write without the library: parse a school line with
orjson and judge each rule with a few comparisons on the dicts (ISO dates compare as
strings), producing only a status per rule. It mirrors, rule by rule, the checks of

- ``cangzhou`` (沧教〔2019〕79号): all 24 rules, including the four hazard-check cadences,
  the platform link (urban schools, binding from 2019-12-31) and the radio rule;
- ``zhengzhou`` (郑教安〔2019〕53号): all 8 rules (census, background review, licensed
  company, certificates, team leader, half-monthly drills, skill assessments);

with the engine's generic handling of binding dates (a failure before the rule binds
is not applicable) and waivers (a failure covered by a waiver in force is waived).
Other installed standards are not mirrored; :data:`MIRRORED` names what is, and the
benchmark compares the engine with this loop on exactly these rules, and checks that
both give the same count for every (rule, status).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

Doc = dict[str, Any]


def _series_has(text: str, a: str, b: str) -> bool:
    """Whether a day series (``"2023-11-21:1*300,0,1*64"``) counts a day in ``[a, b]``."""
    start, _, runs = text.partition(":")
    first = dt.date.fromisoformat(start)
    lo = (dt.date.fromisoformat(a) - first).days
    hi = (dt.date.fromisoformat(b) - first).days
    i = 0
    for run in runs.split(","):
        n, _, k = run.partition("*")
        days = int(k) if k else 1
        if n != "0" and i <= hi and i + days - 1 >= lo:
            return True
        i += days
        if i > hi:
            break
    return False


MIRRORED = {
    "cangzhou": (
        "guard-staffing",
        "guard-age",
        "guard-certified",
        "guard-licensed-company",
        "protective-equipment",
        "guard-trained",
        "platform-link",
        "anti-ramming",
        "gate-duty",
        "visitor-vehicle-registration",
        "key-area-patrol",
        "night-patrol",
        "guard-room",
        "grid-management",
        "hazard-check-daily",
        "hazard-check-weekly",
        "hazard-check-monthly",
        "hazard-check-quarterly",
        "risk-list",
        "hazard-rectification-plan",
        "hazard-rectified-on-time",
        "emergency-plan",
        "emergency-drill",
        "gate-communication",
    ),
    "zhengzhou": (
        "census-complete",
        "background-checked",
        "background-clear",
        "licensed-company",
        "guard-certified",
        "team-leader",
        "half-monthly-drills",
        "skill-assessments",
    ),
}
"""Standard id: the slugs of the rules this loop mirrors (rule id = ``standard.slug``)."""

PREFIXES = {"cangzhou": "1309", "zhengzhou": "4101"}
BINDING = {
    "cangzhou.platform-link": "2019-12-31",
    "zhengzhou.census-complete": "2019-07-21",
    "zhengzhou.background-checked": "2019-09-01",
    "zhengzhou.background-clear": "2019-09-01",
    "zhengzhou.licensed-company": "2019-09-01",
    "zhengzhou.guard-certified": "2019-09-01",
    "zhengzhou.half-monthly-drills": "2019-07-16",
    "zhengzhou.skill-assessments": "2021-01-01",
}
EIGHT = (
    "rubber_baton",
    "steel_fork",
    "shield",
    "cut_resistant_gloves",
    "stab_resistant_vest",
    "defense_spray",
    "flashlight",
    "riot_helmet",
)
DRILLS4 = ("formation", "equipment", "fire_equipment", "emergency")
PASS, FAIL, NA, WAIVED = "pass", "fail", "not_applicable", "waived"


def _periods(on: dt.date) -> dict[str, tuple[str, str]]:
    """The last complete day, ISO week, month, quarter, semester, half-month and year."""
    one = dt.timedelta(days=1)
    day = on - one
    monday = on - dt.timedelta(days=on.weekday())
    week = (monday - 7 * one, monday - one)
    m_end = on.replace(day=1) - one
    month = (m_end.replace(day=1), m_end)
    q_first = dt.date(on.year, 3 * ((on.month - 1) // 3) + 1, 1)
    q_end = q_first - one
    quarter = (dt.date(q_end.year, 3 * ((q_end.month - 1) // 3) + 1, 1), q_end)

    def semester_of(d: dt.date) -> tuple[dt.date, dt.date]:
        if d.month >= 9:
            return dt.date(d.year, 9, 1), dt.date(d.year + 1, 1, 31)
        if d.month == 1:
            return dt.date(d.year - 1, 9, 1), dt.date(d.year, 1, 31)
        return dt.date(d.year, 2, 1), dt.date(d.year, 8, 31)

    semester = semester_of(semester_of(on)[0] - one)
    h_start = on.replace(day=1 if on.day <= 15 else 16)
    h_end = h_start - one
    half = (h_end.replace(day=1 if h_end.day <= 15 else 16), h_end)
    year = (dt.date(on.year - 1, 1, 1), dt.date(on.year - 1, 12, 31))
    out = {
        "daily": (day, day),
        "weekly": week,
        "monthly": month,
        "quarterly": quarter,
        "semester": semester,
        "half": half,
        "year": year,
    }
    return {k: (a.isoformat(), b.isoformat()) for k, (a, b) in out.items()}


def make_loop(on: dt.date, companies: dict[str, Doc]) -> Callable[[Doc], list[tuple[str, str]]]:
    """The hand-written evaluation of one school dict: (rule id, status) per mirrored rule."""
    today = on.isoformat()
    p = _periods(on)
    issued = "2019-05-13"
    licensed = {cid for cid, c in companies.items() if c.get("permit_number")}

    def age(g: Doc) -> int:
        n = g["id_number"]
        y, m, d = int(n[6:10]), int(n[10:12]), int(n[12:14])
        return on.year - y - ((on.month, on.day) < (m, d))

    def trained(g: Doc) -> bool:
        for t in g.get("trainings", ()):
            end = dt.date.fromisoformat(t["started_on"]) + dt.timedelta(days=t["days"] - 1)
            if end <= on:
                return True
        return False

    def cangzhou(s: Doc) -> list[tuple[str, str]]:
        guards = s.get("guards", ())
        ft = [g for g in guards if g.get("full_time", True)]
        fac = s.get("facilities", {})
        rt = s.get("routines", {})
        equipment = s.get("equipment", ())
        kind = s["kind"]
        enrollment = s.get("enrollment", 0)
        high, low = (1000, 300) if kind == "kindergarten" else (3000, 1000)
        need = 6 if enrollment >= high else 4 if enrollment >= low else 2
        out = [
            ("guard-staffing", len(ft) >= need),
            ("guard-age", all(18 <= age(g) <= 50 for g in ft)),
            ("guard-certified", all(g.get("certificate_number") for g in ft)),
            (
                "guard-licensed-company",
                all(
                    g.get("hire_source", "company") == "company" and g.get("company_id") in licensed
                    for g in ft
                ),
            ),
        ]
        have = {
            e["kind"]
            for e in equipment
            if e.get("quantity", 1) > 0 and e.get("national_standard", False)
        }
        out.append(("protective-equipment", all(k in have for k in EIGHT)))
        out.append(("guard-trained", all(trained(g) for g in ft)))
        if s.get("locality", "urban") == "urban":
            kinds = set()
            linked = True
            for d in s.get("devices", ()):
                if d["kind"] in ("video_surveillance", "one_key_alarm"):
                    kinds.add(d["kind"])
                    if not (d.get("linked_to_police") or d.get("linked_to_education")):
                        linked = False
            out.append(("platform-link", len(kinds) == 2 and linked))
        else:
            out.append(("platform-link", None))
        out.append(
            (
                "anti-ramming",
                fac.get("anti_ramming", False) if s.get("vehicle_access", True) else None,
            )
        )
        out.append(("gate-duty", rt.get("gate_duty", False)))
        out.append(
            (
                "visitor-vehicle-registration",
                rt.get("visitor_registration", False) and rt.get("vehicle_registration", False),
            )
        )
        out.append(("key-area-patrol", rt.get("key_area_patrol", False)))
        boarding = s.get("boarders", 0) > 0 and kind != "kindergarten"
        out.append(("night-patrol", rt.get("night_patrol", False) if boarding else None))
        out.append(("guard-room", fac.get("guard_room", False)))
        out.append(("grid-management", rt.get("grid_management", False)))
        inspections = s.get("inspections", ())
        series = s.get("inspection_series", ())
        for cadence in ("daily", "weekly", "monthly", "quarterly"):
            a, b = p[cadence]
            if a < issued:
                out.append((f"hazard-check-{cadence}", None))
                continue
            ok = False
            for i in inspections:
                if (
                    i.get("cadence") == cadence
                    and i.get("level", "school") == "school"
                    and a <= i["inspected_on"] <= b
                ):
                    ok = True
                    break
            if not ok:
                for i in series:
                    if i.get("cadence") == cadence and i.get("level", "school") == "school":
                        ok = _series_has(i["days"], a, b)
                        break
            out.append((f"hazard-check-{cadence}", ok))
        out.append(("risk-list", rt.get("risk_list", False)))
        plan_ok = on_time = True
        for h in s.get("hazards", ()):
            fixed = h.get("rectified_on")
            if h["found_on"] <= today and (fixed is None or fixed > today):
                due = h.get("rectify_by")
                if due is None:
                    if today > h["found_on"]:
                        plan_ok = False
                elif today > due:
                    on_time = False
        out.append(("hazard-rectification-plan", plan_ok))
        out.append(("hazard-rectified-on-time", on_time))
        out.append(("emergency-plan", rt.get("emergency_plan", False)))
        a, b = p["semester"]
        if a < issued:
            out.append(("emergency-drill", None))
        else:
            out.append(
                (
                    "emergency-drill",
                    any(
                        d["kind"] == "emergency" and a <= d["held_on"] <= b
                        for d in s.get("drills", ())
                    ),
                )
            )
        out.append(
            (
                "gate-communication",
                sum(e.get("quantity", 1) for e in equipment if e["kind"] == "radio") > 0,
            )
        )
        return [(f"cangzhou.{slug}", v) for slug, v in out]  # type: ignore[misc]

    def zhengzhou(s: Doc) -> list[tuple[str, str]]:
        present = [
            g for g in s.get("guards", ()) if g.get("hired_on") is None or g["hired_on"] <= today
        ]
        slugs = MIRRORED["zhengzhou"]
        if not present:
            return [(f"zhengzhou.{slug}", None) for slug in slugs]  # type: ignore[misc]

        def placed(g: Doc) -> bool:
            return g.get("hire_source", "company") == "company" or g.get("company_id") is not None

        census = bool((s.get("contact") or "").strip())
        for g in present:
            if not (g.get("ethnicity") or "").strip():
                census = False
            if placed(g):
                c = companies.get(g["company_id"]) if g.get("company_id") is not None else None
                if (
                    c is None
                    or not (c.get("nature") or "").strip()
                    or not (c.get("police_authority") or "").strip()
                ):
                    census = False
        checked = clear = True
        judged = 0
        for g in present:
            checks = [c for c in g.get("background_checks", ()) if c["checked_on"] <= today]
            if not checks:
                checked = False
                continue
            judged += 1
            latest = max(c["checked_on"] for c in checks)
            for c in checks:
                flags = c.get("flags", ())
                if flags and (c["checked_on"] == latest or "criminal_record" in flags):
                    clear = False
        placed_guards = [g for g in present if placed(g)]
        licensed_ok: bool | None = None
        if placed_guards:
            licensed_ok = all(g.get("company_id") in licensed for g in placed_guards)
        ha, hb = p["half"]
        team_since = min(g.get("hired_on") or "0001-01-01" for g in present)
        if team_since > ha:
            drills: bool | None = None
        else:
            held = {d["kind"] for d in s.get("drills", ()) if ha <= d["held_on"] <= hb}
            drills = all(k in held for k in DRILLS4)
        ya, yb = p["year"]
        judged_guards = [g for g in present if g.get("hired_on") is None or g["hired_on"] <= ya]
        skills: bool | None = None
        if judged_guards:
            skills = all(
                len(
                    {
                        a["assessed_on"]
                        for a in g.get("skill_assessments", ())
                        if ya <= a["assessed_on"] <= yb
                    }
                )
                >= 2
                for g in judged_guards
            )
        values = (
            census,
            checked,
            clear if judged else None,
            licensed_ok,
            all(g.get("certificate_number") for g in present),
            any(g.get("team_leader", False) for g in present),
            drills,
            skills,
        )
        return [(f"zhengzhou.{slug}", v) for slug, v in zip(slugs, values, strict=True)]  # type: ignore[misc]

    def judge(s: Doc) -> list[tuple[str, str]]:
        region = s["region_code"]
        if region.startswith("1309"):
            raw = cangzhou(s)
        elif region.startswith("4101"):
            raw = zhengzhou(s)
        else:
            return []
        out = []
        waivers = s.get("waivers")
        for rule_id, ok in raw:
            if ok is None:
                out.append((rule_id, NA))
            elif ok:
                out.append((rule_id, PASS))
            elif rule_id in BINDING and today < BINDING[rule_id]:
                out.append((rule_id, NA))
            elif waivers and any(w["rule_id"] == rule_id and today <= w["until"] for w in waivers):
                out.append((rule_id, WAIVED))
            else:
                out.append((rule_id, FAIL))
        return out

    return judge
