"""The CPU floor: the installed standards' checks hand-written in plain Python over dicts.

This is what a programmer would write without the library: parse a school line with
orjson and judge each rule with a few comparisons on the dicts (ISO dates compare as
strings), producing only a status per rule. It mirrors, rule by rule, the checks of
all five real standards:

- ``cangzhou`` (沧教〔2019〕79号): all 24 rules, including the four hazard-check cadences,
  the platform link (urban schools, binding from 2019-12-31) and the radio rule;
- ``zhengzhou`` (郑教安〔2019〕53号): all 8 rules (census, background review, licensed
  company, certificates, team leader, half-monthly drills, skill assessments);
- ``jiangsu`` (苏公通〔2019〕635号): all 33 rules (staffing split by ownership, first-hire
  age at 50, latest background check, the anti-ramming split by locality, devices by
  kind and placement, the monthly self-check and semester drill with the current period
  never failed early, the 7-day police-patrol window, the 2019/2020/2022 binding dates);
- ``loudi`` (娄底市公安局四项举措): all 6 rules (full-time guard, certificates, company-placed
  new hires from 2020-12-01, the 5-day approved pre-job course, hazards with on-the-spot
  orders due the same day, the five routines);
- ``pucheng`` (蒲城县公安局 2014 专项行动): all 17 rules (urban and rural staffing scopes,
  boarding duty, pre-job course before hire, certificate, uniform, a baton and a fork per
  guard, whole-campus video, routines, police-station inspections per semester and in
  the two 2014 phase windows, notices for police-found hazards, overdue notices);

with the engine's generic handling of the standards' periods in force, of rule
applicability (kinds, ownership, locality, boarding: not applicable), of binding dates
(a failure before the rule binds is not applicable) and of waivers (a failure covered by
a waiver in force is waived). Devices are judged by their declaration (the benchmark
runs without a device-status file). Routine records are read in both forms: record
lists and day series (``inspection_series``, ``police_patrol_series``). The fictional
``tutorial`` standard is not mirrored. :data:`MIRRORED` names what is, and the
benchmark compares the engine with this loop on exactly these rules, and checks that
both give the same count for every (rule, status).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

Doc = dict[str, Any]
Raw = Iterable[tuple[str, bool | None]]
"""Rule id and its check's verdict: True pass, False fail, None not applicable."""


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


def _series_days(text: str, a: str, b: str) -> list[str]:
    """The days (ISO) of a day series with a count above 0 in ``[a, b]``."""
    start, _, runs = text.partition(":")
    first = dt.date.fromisoformat(start)
    lo = (dt.date.fromisoformat(a) - first).days
    hi = (dt.date.fromisoformat(b) - first).days
    out = []
    i = 0
    for run in runs.split(","):
        n, _, k = run.partition("*")
        days = int(k) if k else 1
        if n != "0":
            for j in range(max(i, lo), min(i + days - 1, hi) + 1):
                out.append((first + dt.timedelta(days=j)).isoformat())
        i += days
        if i > hi:
            break
    return out


def _series_window(text: str, first_day: dt.date, n: int) -> list[int]:
    """The counts of a day series on the ``n`` days from ``first_day``."""
    start, _, runs = text.partition(":")
    off = (first_day - dt.date.fromisoformat(start)).days
    end = off + n
    out = [0] * n
    i = 0
    for run in runs.split(","):
        c, _, k = run.partition("*")
        days = int(k) if k else 1
        if c != "0":
            lo, hi = max(i, off), min(i + days, end)
            if lo < hi:
                v = int(c)
                for j in range(lo - off, hi - off):
                    out[j] = v
        i += days
        if i >= end:
            break
    return out


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
    "jiangsu": (
        "guard-staffing",
        "guard-staffing-private-kindergarten",
        "guard-certificate",
        "guard-background-check",
        "guard-first-hire-age",
        "guard-equipment",
        "perimeter",
        "gatehouse",
        "closed-management",
        "anti-ramming-priority",
        "anti-ramming-other",
        "one-key-alarm",
        "video-surveillance",
        "police-link",
        "police-camera",
        "security-systems",
        "gate-duty",
        "staff-gate-duty",
        "visitor-vehicle-registration",
        "pass-system",
        "pickup-check",
        "campus-patrol",
        "monthly-self-check",
        "hazard-rectification",
        "rectification-notice",
        "school-bus-safety",
        "guard-post",
        "police-patrol",
        "police-room",
        "legal-vice-principal",
        "village-joint-defence",
        "emergency-plan",
        "emergency-drill",
    ),
    "loudi": (
        "full-time-guard",
        "certified-guards",
        "company-hired-new-guards",
        "pre-job-training",
        "hazards-rectified",
        "security-routines",
    ),
    "pucheng": (
        "urban-guard-staffing",
        "rural-guard-staffing",
        "boarding-duty",
        "guard-pre-job-training",
        "guard-certified",
        "guard-uniform",
        "guard-equipment",
        "video-full-coverage",
        "perimeter",
        "closed-management",
        "visitor-vehicle-registration",
        "security-routines",
        "police-inspections",
        "hazard-notices",
        "notices-not-overdue",
        "september-inspection",
        "october-acceptance",
    ),
}
"""Standard id: the slugs of the rules this loop mirrors (rule id = ``standard.slug``)."""

IDS = {std: tuple(f"{std}.{slug}" for slug in slugs) for std, slugs in MIRRORED.items()}
PREFIXES = {
    "cangzhou": "1309",
    "zhengzhou": "4101",
    "jiangsu": "32",
    "loudi": "4313",
    "pucheng": "610526",
}
IN_FORCE = {
    "cangzhou": "2019-05-13",
    "zhengzhou": "2019-06-24",
    "jiangsu": "2019-12-03",
    "loudi": "2020-11-01",
    "pucheng": "2014-06-16",
}
"""The first day each standard is in force (none of them has an end)."""
J_ISSUED, J_END19, J_END20, J_END22 = "2019-12-03", "2019-12-31", "2020-12-31", "2022-12-31"
P_ISSUED, P_DEADLINE = "2014-06-16", "2014-09-01"
BINDING = {
    "cangzhou.platform-link": "2019-12-31",
    "zhengzhou.census-complete": "2019-07-21",
    "zhengzhou.background-checked": "2019-09-01",
    "zhengzhou.background-clear": "2019-09-01",
    "zhengzhou.licensed-company": "2019-09-01",
    "zhengzhou.guard-certified": "2019-09-01",
    "zhengzhou.half-monthly-drills": "2019-07-16",
    "zhengzhou.skill-assessments": "2021-01-01",
    **{
        f"jiangsu.{slug}": J_END19
        for slug in (
            "guard-staffing",
            "gatehouse",
            "closed-management",
            "anti-ramming-priority",
            "one-key-alarm",
            "video-surveillance",
            "police-link",
            "police-camera",
            "guard-post",
        )
    },
    "jiangsu.guard-staffing-private-kindergarten": J_END20,
    **{
        f"jiangsu.{slug}": J_END22
        for slug in (
            "guard-first-hire-age",
            "guard-equipment",
            "perimeter",
            "anti-ramming-other",
            "security-systems",
            "police-room",
        )
    },
    "loudi.full-time-guard": "2020-12-31",
    "loudi.certified-guards": "2020-12-31",
    "loudi.pre-job-training": "2020-12-31",
    **{
        f"pucheng.{slug}": P_DEADLINE
        for slug in (
            "urban-guard-staffing",
            "rural-guard-staffing",
            "boarding-duty",
            "guard-pre-job-training",
            "guard-certified",
            "guard-uniform",
            "guard-equipment",
            "video-full-coverage",
            "perimeter",
            "closed-management",
            "visitor-vehicle-registration",
            "security-routines",
            "hazard-notices",
        )
    },
    "pucheng.police-inspections": "2014-10-30",
    "pucheng.september-inspection": "2014-09-15",
    "pucheng.october-acceptance": "2014-10-30",
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
VIDEO_PLACES = ("gate", "key_area", "crowd_area")
SYSTEMS = ("intrusion_alarm", "access_control", "electronic_patrol")
PICKUP_KINDS = ("primary", "kindergarten", "combined")
MONTHLY = (None, "monthly")
PASS, FAIL, NA, WAIVED = "pass", "fail", "not_applicable", "waived"


def _semester_of(d: dt.date) -> tuple[dt.date, dt.date]:
    if d.month >= 9:
        return dt.date(d.year, 9, 1), dt.date(d.year + 1, 1, 31)
    if d.month == 1:
        return dt.date(d.year - 1, 9, 1), dt.date(d.year, 1, 31)
    return dt.date(d.year, 2, 1), dt.date(d.year, 8, 31)


def _periods(on: dt.date) -> dict[str, tuple[str, str]]:
    """The last complete periods, and the current month and semester up to ``on``.

    The last complete day, ISO week, month, quarter, semester, half-month and year;
    ``this_month`` and ``this_semester`` run from the period's first day to ``on``.
    """
    one = dt.timedelta(days=1)
    day = on - one
    monday = on - dt.timedelta(days=on.weekday())
    week = (monday - 7 * one, monday - one)
    m_end = on.replace(day=1) - one
    month = (m_end.replace(day=1), m_end)
    q_first = dt.date(on.year, 3 * ((on.month - 1) // 3) + 1, 1)
    q_end = q_first - one
    quarter = (dt.date(q_end.year, 3 * ((q_end.month - 1) // 3) + 1, 1), q_end)
    this_semester = (_semester_of(on)[0], on)
    semester = _semester_of(this_semester[0] - one)
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
        "this_month": (on.replace(day=1), on),
        "this_semester": this_semester,
    }
    return {k: (a.isoformat(), b.isoformat()) for k, (a, b) in out.items()}


def make_loop(on: dt.date, companies: dict[str, Doc]) -> Callable[[Doc], list[tuple[str, str]]]:
    """The hand-written evaluation of one school dict: (rule id, status) per mirrored rule."""
    today = on.isoformat()
    p = _periods(on)
    issued = "2019-05-13"
    licensed = {cid for cid, c in companies.items() if c.get("permit_number")}
    not_yet = {rule_id for rule_id, d in BINDING.items() if today < d}
    limits: dict[int, str] = {}

    def ended(t: Doc) -> bool:
        """Whether a course of ``t["days"]`` days had ended by ``on``."""
        k = t["days"]
        latest = limits.get(k)
        if latest is None:
            latest = limits[k] = (on - dt.timedelta(days=k - 1)).isoformat()
        return bool(t["started_on"] <= latest)

    def age(g: Doc) -> int:
        n = g["id_number"]
        y, m, d = int(n[6:10]), int(n[10:12]), int(n[12:14])
        return on.year - y - ((on.month, on.day) < (m, d))

    def trained(g: Doc) -> bool:
        return any(ended(t) for t in g.get("trainings", ()))

    def school_checked(s: Doc, cadences: tuple[str | None, ...], a: str, b: str) -> bool:
        """A school's own check of one of ``cadences`` on a day in ``[a, b]`` (both forms)."""
        for i in s.get("inspections", ()):
            if (
                i.get("cadence") in cadences
                and i.get("level", "school") == "school"
                and a <= i["inspected_on"] <= b
            ):
                return True
        for i in s.get("inspection_series", ()):
            if (
                i.get("cadence") in cadences
                and i.get("level", "school") == "school"
                and _series_has(i["days"], a, b)
            ):
                return True
        return False

    def cangzhou(s: Doc) -> Raw:
        guards = s.get("guards", ())
        ft = [g for g in guards if g.get("full_time", True)]
        fac = s.get("facilities", {})
        rt = s.get("routines", {})
        equipment = s.get("equipment", ())
        kind = s["kind"]
        enrollment = s.get("enrollment", 0)
        high, low = (1000, 300) if kind == "kindergarten" else (3000, 1000)
        need = 6 if enrollment >= high else 4 if enrollment >= low else 2
        out: list[tuple[str, bool | None]] = [
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
        for cadence in ("daily", "weekly", "monthly", "quarterly"):
            a, b = p[cadence]
            if a < issued:
                out.append((f"hazard-check-{cadence}", None))
            else:
                out.append((f"hazard-check-{cadence}", school_checked(s, (cadence,), a, b)))
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
        return [(f"cangzhou.{slug}", v) for slug, v in out]

    def zhengzhou(s: Doc) -> Raw:
        present = [
            g for g in s.get("guards", ()) if g.get("hired_on") is None or g["hired_on"] <= today
        ]
        ids = IDS["zhengzhou"]
        if not present:
            return [(rule_id, None) for rule_id in ids]

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
        return zip(ids, values, strict=True)

    # --- jiangsu -------------------------------------------------------------------------

    m_cur, m_prev = p["this_month"], p["monthly"]
    m_prev_na = m_prev[0] < J_ISSUED  # the previous month began before the notice
    s_cur, s_prev = p["this_semester"], p["semester"]
    s_prev_na = s_prev[0] < J_ISSUED
    pw_first = max(on - dt.timedelta(days=7), dt.date(2019, 12, 3))
    pw_days = [
        (pw_first + dt.timedelta(days=i)).isoformat() for i in range((on - pw_first).days)
    ]  # the patrol window: up to 7 days before ``on``, none before the notice
    pw_index = {d: i for i, d in enumerate(pw_days)}

    def jiangsu(s: Doc) -> Raw:
        present = []
        ft = []
        for g in s.get("guards", ()):
            h = g.get("hired_on")
            if h is None or h <= today:
                present.append(g)
                if g.get("full_time", True):
                    ft.append(g)
        kind = s["kind"]
        kg = kind == "kindergarten"
        public = s.get("ownership", "public") == "public"
        loc = s.get("locality", "urban")
        central = s.get("township_central", False) and not kg
        fac = s.get("facilities", {})
        rt = s.get("routines", {})
        staffed = bool(ft)

        background: bool | None = None
        if present:
            background = True
            for g in present:
                latest = None
                flagged = False
                for c in g.get("background_checks", ()):
                    d = c["checked_on"]
                    if d <= today:
                        if latest is None or d > latest:
                            latest, flagged = d, bool(c.get("flags"))
                        elif d == latest and c.get("flags"):
                            flagged = True
                if latest is None or flagged:
                    background = False
                    break

        first_hire: bool | None = None
        for g in ft:
            h = g.get("hired_on")
            if h is None:
                ref = today
            elif h >= J_END22:
                ref = h
            else:
                continue
            n = g["id_number"]
            years = int(ref[:4]) - int(n[6:10]) - (ref[5:7] + ref[8:10] < n[10:14])
            if years > 50:
                first_hire = False
                break
            first_hire = True

        gatehouse_alarm = alarm = unlinked = police_camera = False
        places = set()
        systems = set()
        for d in s.get("devices", ()):
            k = d["kind"]
            where = d.get("placement")
            if k == "video_surveillance":
                if where in VIDEO_PLACES:
                    places.add(where)
                    if not d.get("linked_to_police"):
                        unlinked = True
            elif k == "one_key_alarm":
                alarm = True
                if where == "gatehouse":
                    gatehouse_alarm = True
                if not d.get("linked_to_police"):
                    unlinked = True
            elif k == "police_camera":
                if where is None or where == "outside_gate":
                    police_camera = True
            elif k in SYSTEMS:
                systems.add(k)

        if school_checked(s, MONTHLY, *m_cur):
            monthly: bool | None = True
        elif m_prev_na:
            monthly = None
        else:
            monthly = school_checked(s, MONTHLY, *m_prev)

        hazards_ok = True
        for h in s.get("hazards", ()):
            fixed = h.get("rectified_on")
            due = h.get("rectify_by")
            if (
                due is not None
                and today > due
                and h["found_on"] <= today
                and (fixed is None or fixed > today)
            ):
                hazards_ok = False
                break
        notices_ok = True
        for n in s.get("rectification_notices", ()):
            closed = n.get("closed_on")
            if (
                today > n["rectify_by"]
                and n["issued_on"] <= today
                and (closed is None or closed > today)
            ):
                notices_ok = False
                break

        patrol: bool | None = None
        if (loc == "urban" or central) and pw_days:
            series = s.get("police_patrol_series")
            counts = (
                _series_window(series, pw_first, len(pw_days)) if series else [0] * len(pw_days)
            )
            for r in s.get("police_patrols", ()):
                i = pw_index.get(r["patrolled_on"])
                if i is not None:
                    counts[i] += r.get("count", 1)
            patrol = min(counts) >= 2

        emergency = [d["held_on"] for d in s.get("drills", ()) if d["kind"] == "emergency"]
        a, b = s_cur
        if any(a <= d <= b for d in emergency):
            drill: bool | None = True
        elif s_prev_na:
            drill = None
        else:
            a, b = s_prev
            drill = any(a <= d <= b for d in emergency)

        va = s.get("vehicle_access", True)
        cx = s.get("complex_area", False)
        values = (
            staffed if (not kg or public) else None,
            staffed if (kg and not public) else None,
            all(g.get("certificate_number") for g in ft) if ft else None,
            background,
            first_hire,
            any(e.get("quantity", 1) >= 1 for e in s.get("equipment", ())),
            fac.get("perimeter", False),
            fac.get("gatehouse", False),
            fac.get("closed_management", False),
            fac.get("anti_ramming", False) if va and (loc != "rural" or cx) else None,
            fac.get("anti_ramming", False) if va and loc == "rural" and not cx else None,
            gatehouse_alarm,
            len(places) == 3,
            alarm and bool(places) and not unlinked,
            police_camera,
            len(systems) == 3,
            rt.get("gate_duty", False),
            rt.get("staff_gate_duty", False),
            rt.get("visitor_registration", False) and rt.get("vehicle_registration", False),
            rt.get("pass_system", False),
            rt.get("pickup_check", False) if kind in PICKUP_KINDS else None,
            rt.get("key_area_patrol", False),
            monthly,
            hazards_ok,
            notices_ok,
            rt.get("school_bus_management", False) if s.get("operates_school_bus") else None,
            fac.get("guard_post", False) if loc != "rural" or central else None,
            patrol,
            fac.get("police_room", False) and fac.get("police_room_unified", False),
            s.get("legal_vice_principal", False),
            rt.get("village_joint_defence", False) if loc == "rural" else None,
            rt.get("emergency_plan", False),
            drill,
        )
        return zip(IDS["jiangsu"], values, strict=True)

    # --- loudi ---------------------------------------------------------------------------

    def loudi(s: Doc) -> Raw:
        present = [
            g for g in s.get("guards", ()) if g.get("hired_on") is None or g["hired_on"] <= today
        ]
        new_ok: bool | None = None
        for g in present:
            h = g.get("hired_on")
            if g.get("full_time", True) and h is not None and h >= "2020-12-01":
                if g.get("hire_source", "company") != "company":
                    new_ok = False
                    break
                new_ok = True
        hazards_ok = True
        for h in s.get("hazards", ()):
            found = h["found_on"]
            fixed = h.get("rectified_on")
            if found <= today and (fixed is None or fixed > today):
                due = found if h.get("on_the_spot") else h.get("rectify_by")
                if due is not None and today > due:
                    hazards_ok = False
                    break
        rt = s.get("routines", {})
        values = (
            any(g.get("full_time", True) for g in present),
            all(g.get("certificate_number") for g in present),
            new_ok,
            all(
                any(
                    t["kind"] == "pre_job"
                    and t["days"] >= 5
                    and t.get("provider_approved")
                    and ended(t)
                    for t in g.get("trainings", ())
                )
                for g in present
            ),
            hazards_ok,
            rt.get("security_organization", False)
            and rt.get("gate_duty", False)
            and rt.get("visitor_registration", False)
            and rt.get("key_area_patrol", False)
            and rt.get("emergency_plan", False),
        )
        return zip(IDS["loudi"], values, strict=True)

    # --- pucheng -------------------------------------------------------------------------

    campaign = today <= "2015-01-31"  # the campaign's semester (autumn 2014) has not ended
    pi_window = p["this_semester"] if campaign else p["semester"]

    def police_days(s: Doc, a: str, b: str, enough: int) -> int:
        """Distinct days with a police-station inspection in ``[a, b]`` (up to ``enough``)."""
        days = set()
        for i in s.get("inspections", ()):
            if i.get("level") == "police_station" and a <= i["inspected_on"] <= b:
                days.add(i["inspected_on"])
                if len(days) >= enough:
                    return enough
        for i in s.get("inspection_series", ()):
            if i.get("level") == "police_station":
                days.update(_series_days(i["days"], a, b))
        return len(days)

    def trained_before(g: Doc) -> bool:
        done = [t for t in g.get("trainings", ()) if t["kind"] == "pre_job" and ended(t)]
        h = g.get("hired_on")
        if h is not None and h >= P_ISSUED:
            hired = dt.date.fromisoformat(h)
            return any(
                dt.date.fromisoformat(t["started_on"]) + dt.timedelta(days=t["days"] - 1) <= hired
                for t in done
            )
        return bool(done)

    def pucheng(s: Doc) -> Raw:
        present = [
            g for g in s.get("guards", ()) if g.get("hired_on") is None or g["hired_on"] <= today
        ]
        n_ft = sum(1 for g in present if g.get("full_time", True))
        loc = s.get("locality", "urban")
        fac = s.get("facilities", {})
        rt = s.get("routines", {})
        rural_scope = loc != "urban" and (s.get("enrollment", 0) >= 100 or s.get("complex_area"))
        guards_judged: tuple[bool | None, ...] = (None, None, None, None)
        if present:
            n = len(present)
            batons = forks = 0
            for e in s.get("equipment", ()):
                if e["kind"] == "rubber_baton":
                    batons += e.get("quantity", 1)
                elif e["kind"] == "steel_fork":
                    forks += e.get("quantity", 1)
            guards_judged = (
                all(trained_before(g) for g in present),
                all(g.get("certificate_number") for g in present),
                all(g.get("uniform") for g in present),
                batons >= n and forks >= n,
            )
        notices = s.get("rectification_notices", ())
        noticed = True
        for h in s.get("hazards", ()):
            found = h["found_on"]
            if not P_DEADLINE <= found <= today:
                continue
            by = h.get("found_by")
            if (by is not None and by != "police_station") or h.get("rectified_on") == found:
                continue
            hid = h["id"]
            if not any(
                hid in n.get("hazard_ids", ())
                and found <= n["issued_on"] <= today
                and n.get("issued_by", "police_station") != "school"
                for n in notices
            ):
                noticed = False
                break
        overdue = False
        for n in notices:
            closed = n.get("closed_on")
            if (
                today > n["rectify_by"]
                and n["issued_on"] <= today
                and (closed is None or closed > today)
            ):
                overdue = True
                break
        if campaign:
            september: bool | None = police_days(s, "2014-09-01", min(today, "2014-09-15"), 1) > 0
            october: bool | None = police_days(s, "2014-10-08", min(today, "2014-10-30"), 1) > 0
        else:
            september = october = None
        values = (
            n_ft >= 2 if loc == "urban" else None,
            n_ft >= 2 if rural_scope else None,
            rt.get("round_the_clock_duty", False) if s.get("boarders", 0) > 0 else None,
            *guards_judged,
            any(
                d["kind"] == "video_surveillance" and d.get("full_coverage")
                for d in s.get("devices", ())
            ),
            fac.get("perimeter", False),
            fac.get("closed_management", False),
            rt.get("visitor_registration", False) and rt.get("vehicle_registration", False),
            rt.get("duty_rota", False)
            and rt.get("key_area_patrol", False)
            and rt.get("hazard_check", False)
            and rt.get("emergency_plan", False),
            police_days(s, *pi_window, 2) >= 2,
            noticed,
            not overdue,
            september,
            october,
        )
        return zip(IDS["pucheng"], values, strict=True)

    functions: dict[str, Callable[[Doc], Raw]] = {
        "cangzhou": cangzhou,
        "zhengzhou": zhengzhou,
        "jiangsu": jiangsu,
        "loudi": loudi,
        "pucheng": pucheng,
    }
    # The standards in force on ``on``, by region prefix (4 digits, 2 digits, whole code).
    by_prefix = {PREFIXES[std]: fn for std, fn in functions.items() if IN_FORCE[std] <= today}

    def judge(s: Doc) -> list[tuple[str, str]]:
        region = s["region_code"]
        fn = by_prefix.get(region[:4]) or by_prefix.get(region[:2]) or by_prefix.get(region)
        if fn is None:
            return []
        out = []
        waivers = s.get("waivers")
        for rule_id, ok in fn(s):
            if ok is None:
                out.append((rule_id, NA))
            elif ok:
                out.append((rule_id, PASS))
            elif rule_id in not_yet:
                out.append((rule_id, NA))
            elif waivers and any(w["rule_id"] == rule_id and today <= w["until"] for w in waivers):
                out.append((rule_id, WAIVED))
            else:
                out.append((rule_id, FAIL))
        return out

    return judge
