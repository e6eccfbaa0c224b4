"""Synthetic rosters: seeded, realistic, fast enough for a national roster.

:func:`generate` builds a roster of ``schools`` schools as JSON-ready documents in the
roster format's canonical form (model field order, defaults omitted), so that what it
writes reads back with :func:`campus_security.load_roster` (or the JSON Lines reader)
and writes back byte for byte. The same configuration always gives the same bytes:
schools are drawn in blocks of :data:`BLOCK` from a generator seeded with the seed and
the block number, so a block can be built on any core and the output does not depend
on how many cores built it.

What is in a roster:

- regions: the five seed jurisdictions (Jiangsu 320000, Cangzhou 130900, Zhengzhou
  410100, Loudi 431300, Pucheng 610526) weighted by their real number of schools and
  kindergartens, and a share (``others``) of schools in the other counties of China;
- kinds, sizes, ownership, locality and boarding in national proportions
  (kindergartens about half, small rural schools, large urban secondary schools);
- security companies per province (a licensed pool and one unlicensed company);
- guards by school size, with ID numbers that pass GB 11643, certificates, background
  checks, pre-job training and two skill assessments a year;
- equipment, technical-defence devices and facilities;
- a year of records up to the day before ``on``: the school's daily, weekly,
  monthly and quarterly hazard checks, police-station and county inspections,
  drills (half-monthly in Zhengzhou, monthly elsewhere), twice-daily police patrols,
  hazards with their rectification notices. The school's own checks and the patrols
  are written as day series (``inspection_series``, ``police_patrol_series``): one
  string per cadence rather than one object per day.

A share ``violations`` of the schools carries one to three deliberate violations
(too few guards, an over-age or uncertified guard, an unlicensed company, missing
equipment, an unlinked alarm, no anti-ramming barrier, a missing routine, missed
checks or drills, an overdue hazard, a short patrol day, a flagged background check,
an incomplete census record, no team leader, too few skill assessments); a few of
them hold a waiver. The other schools are built to comply with the installed regional
standards as their authors read them; a rule that still fails on them points at a
difference of interpretation, not at the generator's intent.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

import attrs
import orjson
from stdnum import numdb
from stdnum.cn import ric, uscc

from .._atomic import atomic_write
from ..formats.roster_json import FORMAT, VERSION
from ..model import DaySeries, EquipmentKind

__all__ = [
    "BLOCK",
    "DEFAULT_ON",
    "SEED_JURISDICTIONS",
    "GeneratorConfig",
    "generate",
    "school_blocks",
    "write_roster",
]

BLOCK = 1000
"""Schools per seeded block: the unit of determinism and of parallel generation."""

DEFAULT_ON = dt.date(2024, 11, 20)

SEED_JURISDICTIONS: dict[str, tuple[str, int]] = {
    "320000": ("江苏", 14000),
    "130900": ("沧州", 3500),
    "410100": ("郑州", 4500),
    "431300": ("娄底", 2400),
    "610526": ("蒲城", 230),
}
"""Jurisdiction code: (short name, approximate number of schools and kindergartens)."""

Doc = dict[str, Any]


@attrs.frozen
class GeneratorConfig:
    """What to generate.

    ``violations`` is the share of schools with at least one deliberate violation;
    ``others`` the share of schools outside the five seed jurisdictions. Records run
    over the ``history_days`` days before ``on``.
    """

    schools: int = attrs.field(validator=attrs.validators.ge(0))
    seed: int = 0
    violations: float = attrs.field(
        default=0.2, validator=[attrs.validators.ge(0.0), attrs.validators.le(1.0)]
    )
    others: float = attrs.field(
        default=0.25, validator=[attrs.validators.ge(0.0), attrs.validators.le(1.0)]
    )
    on: dt.date = DEFAULT_ON
    history_days: int = attrs.field(default=365, validator=attrs.validators.ge(1))


# --- regions ------------------------------------------------------------------------


def _current(county: str) -> bool:
    spans = re.findall(r"\[(\d*)-(\d*)\]", county)
    return not spans or spans[-1][1] == ""


def _label(county: str) -> str:
    return re.sub(r"\[[^\]]*\]", "", county.split(",")[-1])


@cache
def _counties() -> tuple[tuple[str, str, str], ...]:
    """Current county-level codes of GB/T 2260: (code, province name, county name)."""
    out: list[tuple[str, str, str]] = []
    for _len, prov, _hi, props, children in numdb.get("cn/loc").prefixes:
        pname = str(props.get("province", ""))
        for _l, rest, _h, cprops, _kids in children:
            county = str(cprops.get("county", ""))
            name = _label(county)
            if rest.endswith("00") or not _current(county) or name in ("市辖区", "县", ""):
                continue
            out.append((prov + rest, pname, name))
    return tuple(sorted(out))


def _prefix(code: str) -> str:
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


@cache
def _region_pools() -> tuple[tuple[tuple[str, str], ...], ...]:
    """Counties of each seed jurisdiction (in :data:`SEED_JURISDICTIONS` order), then others."""
    pools: list[list[tuple[str, str]]] = [[] for _ in range(len(SEED_JURISDICTIONS) + 1)]
    prefixes = [_prefix(c) for c in SEED_JURISDICTIONS]
    for code, _prov, name in _counties():
        for i, p in enumerate(prefixes):
            if code.startswith(p):
                pools[i].append((code, name))
                break
        else:
            pools[-1].append((code, name))
    return tuple(tuple(p) for p in pools)


# --- names and numbers --------------------------------------------------------------

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰海斌鹏飞文辉"
ETHNICITIES = ("汉族",) * 18 + ("回族", "满族", "土家族", "苗族")
ORDINALS = "一二三四五六七八九十"
_KIND_NAMES = {
    "kindergarten": ("幼儿园", "中心幼儿园", "实验幼儿园"),
    "primary": ("小学", "中心小学", "实验小学"),
    "secondary": ("中学", "初级中学", "高级中学"),
    "combined": ("九年一贯制学校", "完全中学"),
    "vocational": ("职业中学", "中等专业学校"),
}
KINDS = ("kindergarten", "primary", "secondary", "combined", "vocational")
KIND_WEIGHTS = (50, 30, 13, 4, 3)
KIND_MEDIAN = {
    "kindergarten": 200,
    "primary": 700,
    "secondary": 1500,
    "combined": 1200,
    "vocational": 2000,
}
EQUIPMENT = tuple(k.value for k in EquipmentKind)
"""Every kind of equipment the model knows (the eight protective kinds, radios...)."""
DRILL_KINDS = ("emergency", "formation", "equipment", "fire_equipment")
ROUTINE_FIELDS = (
    "gate_duty",
    "visitor_registration",
    "vehicle_registration",
    "pass_system",
    "pickup_check",
    "key_area_patrol",
    "night_patrol",
    "round_the_clock_duty",
    "emergency_plan",
    "risk_list",
    "grid_management",
    "staff_gate_duty",
    "school_bus_management",
    "village_joint_defence",
    "duty_rota",
    "hazard_check",
    "security_organization",
)
VIOLATIONS = (
    "understaffed",
    "old_guard",
    "uncertified",
    "unlicensed_company",
    "equipment",
    "unlinked_alarm",
    "no_anti_ramming",
    "routine",
    "missed_checks",
    "missed_drills",
    "overdue_hazard",
    "patrol_gap",
    "background_flag",
    "census_gap",
    "no_team_leader",
    "assessments",
)
"""The kinds of deliberate violation a violating school draws from."""


def id_number(region: str, birth: dt.date, order: int) -> str:
    """A GB 11643 ID number for someone born on ``birth`` and registered in ``region``."""
    body = f"{region}{birth:%Y%m%d}{order % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def credit_code(n: int, region: str) -> str:
    """A unified social credit code (GB 32100) with a valid check character."""
    body = f"91{region}{n:09d}"[:17]
    body = body[:8] + "MA" + body[10:17]
    return body + uscc.calc_check_digit(body)


def _clamp(v: int, lo: int, hi: int) -> int:
    return lo if v < lo else hi if v > hi else v


# --- companies --------------------------------------------------------------------------


def _province_plan(config: GeneratorConfig) -> list[tuple[str, str, int]]:
    """(province code, province name, expected schools) for every province with schools."""
    pools = _region_pools()
    seed_total = sum(n for _, n in SEED_JURISDICTIONS.values())
    expected: dict[str, float] = {}
    names: dict[str, str] = {}
    prov_names = {c[:2]: p for c, p, _ in _counties()}
    for i, (_code, (_short, n)) in enumerate(SEED_JURISDICTIONS.items()):
        share = (1 - config.others) * n / seed_total
        for code, _ in pools[i]:
            expected[code[:2]] = expected.get(code[:2], 0.0) + share / len(pools[i])
    for code, _ in pools[-1]:
        expected[code[:2]] = expected.get(code[:2], 0.0) + config.others / len(pools[-1])
    for p in expected:
        names[p] = prov_names.get(p, p)
    return [(p, names[p], round(expected[p] * config.schools)) for p in sorted(expected)]


def companies(config: GeneratorConfig) -> list[Doc]:
    """The security companies, as canonical JSON-ready documents.

    Each province gets a licensed pool (one company per ~60 schools) and one
    unlicensed company, which violating schools use.
    """
    rng = random.Random(f"{config.seed}:companies")
    out: list[Doc] = []
    for prov, pname, n in _province_plan(config):
        for i in range(max(1, n // 60)):
            out.append(
                {
                    "id": f"C{prov}{i:04d}",
                    "name": f"{pname}第{i + 1}保安服务有限公司",
                    "nature": "国有" if rng.random() < 0.4 else "民营",
                    "permit_number": f"{prov}公保服{rng.randrange(10**7, 10**8)}",
                    "police_authority": f"{pname}公安厅",
                    "credit_code": credit_code(len(out), f"{prov}0000"),
                }
            )
        out.append(
            {
                "id": f"C{prov}U",
                "name": f"{pname}某物业保安服务部",
                "nature": "民营",
                "police_authority": f"{pname}公安厅",
            }
        )
    return out


def _company_pools(config: GeneratorConfig) -> dict[str, int]:
    """Number of licensed companies per province."""
    return {p: max(1, n // 60) for p, _, n in _province_plan(config)}


# --- the calendar of records ----------------------------------------------------------------


class _Calendar:
    """The history window's dates and the record lists shared between schools."""

    def __init__(self, on: dt.date, days: int) -> None:
        self.on = on
        self.start = on - dt.timedelta(days=days)
        self.days = [self.start + dt.timedelta(days=i) for i in range(days)]
        self.iso = [d.isoformat() for d in self.days]
        # Routine records as day series (roster format 1.1): the school's daily,
        # weekly, monthly and quarterly checks and the twice-daily police patrols.
        n = len(self.days)
        self.daily = f"{self.iso[0]}:1*{n}" if n > 1 else f"{self.iso[0]}:1"
        self.patrols = f"{self.iso[0]}:2*{n}" if n > 1 else f"{self.iso[0]}:2"
        # weekly checks on a school's weekday, monthly on its day of the month
        self.weekly_days = [[d for d in self.days if d.weekday() == wd] for wd in range(7)]
        self.weekly = [_series_text(days) for days in self.weekly_days]
        self.monthly = [_series_text([d for d in self.days if d.day == md]) for md in range(1, 29)]
        # quarterly reviews on the 20th of the quarter's last month
        self.quarterly = _series_text(
            [d for d in self.days if d.month in (3, 6, 9, 12) and d.day == 20]
        )
        self.half_month_starts = [i for i, d in enumerate(self.days) if d.day in (1, 16) or i == 0]
        self.month_starts = [i for i, d in enumerate(self.days) if d.day == 1 or i == 0]

    def drills(self, rng: random.Random, half_monthly: bool) -> list[Doc]:
        """Four kinds of drill per half-month (Zhengzhou) or per month, on drawn days."""
        starts = self.half_month_starts if half_monthly else self.month_starts
        out: list[Doc] = []
        n = len(self.days)
        for j, a in enumerate(starts):
            b = starts[j + 1] if j + 1 < len(starts) else n
            if b <= a:
                continue
            s = self.iso[a + rng.randrange(b - a)]
            out += [{"kind": k, "held_on": s} for k in DRILL_KINDS]
        return out

    def police_inspections(self, rng: random.Random, station: str) -> list[Doc]:
        """A police-station inspection every ten weeks or so, a county one a year."""
        out: list[Doc] = []
        i = rng.randrange(20)
        while i < len(self.days):
            out.append(
                {"inspected_on": self.iso[i], "level": "police_station", "inspector": station}
            )
            i += 60 + rng.randrange(20)
        out.append({"inspected_on": self.iso[rng.randrange(len(self.days))], "level": "county"})
        return out


def _series_text(days: list[dt.date], counts: dict[dt.date, int] | None = None) -> str | None:
    """The day series text of ``days`` (each counted once, or as ``counts`` says)."""
    series = DaySeries.from_counts(counts if counts is not None else dict.fromkeys(days, 1))
    return None if series is None else str(series)


@cache
def _calendar(on: dt.date, days: int) -> _Calendar:
    return _Calendar(on, days)


# --- schools --------------------------------------------------------------------------------


def _required_guards(region_idx: int, locality: str, kind: str, enrollment: int) -> int:
    """Full-time guards a compliant school keeps: Cangzhou's size bands, Pucheng's cap."""
    high, low = (1000, 300) if kind == "kindergarten" else (3000, 1000)
    need = 6 if enrollment >= high else 4 if enrollment >= low else 2
    if region_idx == 4 and locality == "urban":  # Pucheng: 2 to 4 in town
        need = min(need, 4)
    return need


class _Maker:
    """Builds the schools of one block from its own seeded generator."""

    def __init__(self, config: GeneratorConfig, block: int) -> None:
        self.config = config
        self.rng = random.Random(f"{config.seed}:block:{block}")
        self.cal = _calendar(config.on, config.history_days)
        self.pools = _region_pools()
        self.companies = _company_pools(config)
        seed_total = sum(n for _, n in SEED_JURISDICTIONS.values())
        self.region_weights = [
            (1 - config.others) * n / seed_total for _, n in SEED_JURISDICTIONS.values()
        ] + [config.others]
        self.seq = block * BLOCK * 8

    # --- people --------------------------------------------------------------------

    def name(self) -> str:
        r = self.rng
        return r.choice(SURNAMES) + r.choice(GIVEN) + (r.choice(GIVEN) if r.random() < 0.7 else "")

    def guard(self, region: str, company: str | None, leader: bool, full_time: bool = True) -> Doc:
        r, on = self.rng, self.config.on
        self.seq += 1
        age = 22 + r.randrange(27)  # 22..48 on the evaluation date
        birth = dt.date(on.year - age - 1, 1, 1) + dt.timedelta(days=r.randrange(360))
        hired = dt.date(2016, 1, 1) + dt.timedelta(days=r.randrange(7 * 365 - 10))
        g: Doc = {"id_number": id_number(region, birth, self.seq), "name": self.name()}
        if not full_time:
            g["full_time"] = False
        if company is not None:
            g["company_id"] = company
        g["certificate_number"] = f"{region[:2]}{r.randrange(10**9, 10**10)}"
        g["ethnicity"] = r.choice(ETHNICITIES)
        if leader:
            g["team_leader"] = True
        g["uniform"] = True
        g["hired_on"] = hired.isoformat()
        g["background_checks"] = [{"checked_on": (hired - dt.timedelta(days=20)).isoformat()}]
        g["trainings"] = [
            {
                "kind": "pre_job",
                "started_on": (hired - dt.timedelta(days=14)).isoformat(),
                "days": 7,
                "provider": "省公安厅批准保安培训学校",
                "provider_approved": True,
            }
        ]
        assessments = []
        for y in range(max(hired.year + 1, on.year - 1), on.year + 1):
            for month in (4, 10):
                day = dt.date(y, month, 10 + r.randrange(15))
                if day < on:
                    assessments.append({"assessed_on": day.isoformat(), "passed": True})
        g["skill_assessments"] = assessments
        return g

    # --- one school -------------------------------------------------------------------

    def school(self, index: int) -> Doc:
        r, cal = self.rng, self.cal
        ri = r.choices(range(len(self.region_weights)), self.region_weights)[0]
        region, county = r.choice(self.pools[ri])
        prov = region[:2]
        kind = r.choices(KINDS, KIND_WEIGHTS)[0]
        locality = r.choices(("urban", "town", "rural"), (40, 35, 25))[0]
        median = KIND_MEDIAN[kind] * (0.35 if locality == "rural" else 1.0)
        enrollment = _clamp(int(r.lognormvariate(0, 0.6) * median), 20, 6000)
        private = r.random() < (0.45 if kind == "kindergarten" else 0.08)
        boarding = kind != "kindergarten" and (
            (kind != "primary" and locality != "urban" and r.random() < 0.5)
            or (locality == "rural" and r.random() < 0.15)
        )
        boarders = int(enrollment * (0.2 + 0.4 * r.random())) if boarding else 0
        complex_area = r.random() < 0.1
        vehicle_access = r.random() < 0.92
        township_central = (
            locality == "town" and kind in ("primary", "secondary") and (r.random() < 0.2)
        )
        bus = locality == "rural" and r.random() < 0.25
        station = f"{county}城关派出所"

        violating = r.random() < self.config.violations
        faults = set(r.sample(VIOLATIONS, 1 + r.randrange(3))) if violating else set()

        # guards
        n_pool = self.companies.get(prov, 1)
        company = f"C{prov}{r.randrange(n_pool):04d}"
        need = _required_guards(ri, locality, kind, enrollment)
        n_guards = need + (1 if r.random() < 0.2 and not (ri == 4 and need >= 4) else 0)
        guards = [self.guard(region, company, leader=(i == 0)) for i in range(n_guards)]
        if r.random() < 0.1:
            guards.append(self.guard(region, company, leader=False, full_time=False))

        school: Doc = {
            "id": f"S{index:07d}",
            "name": f"{county}第{ORDINALS[r.randrange(10)]}{r.choice(_KIND_NAMES[kind])}",
            "region_code": region,
            "kind": kind,
        }
        if private:
            school["ownership"] = "private"
        if locality != "urban":
            school["locality"] = locality
        school["enrollment"] = enrollment
        school["staff_count"] = max(5, enrollment // (9 if kind == "kindergarten" else 14))
        if boarders:
            school["boarders"] = boarders
        if complex_area:
            school["complex_area"] = True
        if not vehicle_access:
            school["vehicle_access"] = False
        if township_central:
            school["township_central"] = True
        if bus:
            school["operates_school_bus"] = True
        school["legal_vice_principal"] = True
        school["contact"] = f"{r.choice(SURNAMES)}老师 1{r.randrange(3, 9)}{r.randrange(10**9):09d}"

        facilities = {
            "gatehouse": True,
            "closed_management": True,
            "perimeter": True,
            "anti_ramming": True,
            "guard_room": True,
            "police_room": True,
            "parent_waiting_area": True,
            "guard_post": True,
            "police_room_unified": True,
        }
        routines = dict.fromkeys(ROUTINE_FIELDS, True)
        if not boarders:
            routines["night_patrol"] = routines["round_the_clock_duty"] = False
        if not bus:
            routines["school_bus_management"] = False
        if locality != "rural":
            routines["village_joint_defence"] = False
        if kind not in ("primary", "kindergarten", "combined"):
            routines["pickup_check"] = False

        equipment = [
            {"kind": k, "quantity": len(guards) + 1, "national_standard": True} for k in EQUIPMENT
        ]
        sid = school["id"]
        devices: list[Doc] = [
            {
                "id": f"{sid}-V1",
                "kind": "video_surveillance",
                "linked_to_police": True,
                "placement": "gate",
                "full_coverage": True,
            },
            {
                "id": f"{sid}-V2",
                "kind": "video_surveillance",
                "linked_to_police": True,
                "placement": "key_area",
                "full_coverage": True,
            },
            {
                "id": f"{sid}-V3",
                "kind": "video_surveillance",
                "linked_to_police": True,
                "placement": "crowd_area",
                "full_coverage": True,
            },
            {
                "id": f"{sid}-A1",
                "kind": "one_key_alarm",
                "linked_to_police": True,
                "placement": "gatehouse",
            },
            {"id": f"{sid}-I1", "kind": "intrusion_alarm", "placement": "perimeter"},
            {"id": f"{sid}-C1", "kind": "access_control", "placement": "gate"},
            {"id": f"{sid}-P1", "kind": "electronic_patrol", "placement": "key_area"},
            {
                "id": f"{sid}-PC",
                "kind": "police_camera",
                "linked_to_police": True,
                "placement": "outside_gate",
            },
        ]

        daily: str | None = cal.daily
        patrols: str | None = cal.patrols
        drills = cal.drills(r, half_monthly=ri == 2)
        weekday = r.randrange(7)
        weekly = cal.weekly[weekday]
        monthly = cal.monthly[r.randrange(28)]
        police = cal.police_inspections(r, station)

        hazards: list[Doc] = []
        notices: list[Doc] = []
        n_days = len(cal.days)
        for h in range(r.choice((0, 0, 1, 1, 2, 3))):
            fi = r.randrange(max(1, n_days - 40))
            found = cal.days[fi]
            due = found + dt.timedelta(days=10 + r.randrange(20))
            fixed = found + dt.timedelta(days=r.randrange((due - found).days + 1))
            hid = f"H{h + 1}"
            hazards.append(
                {
                    "id": hid,
                    "found_on": found.isoformat(),
                    "location": r.choice(("校门", "围墙", "宿舍楼", "食堂", "教学楼")),
                    "category": r.choice(("设施", "消防", "用电", "交通")),
                    "rectify_by": due.isoformat(),
                    "rectified_on": fixed.isoformat(),
                    "found_by": "police_station",
                }
            )
            notices.append(
                {
                    "id": f"N{h + 1}",
                    "issued_on": found.isoformat(),
                    "rectify_by": due.isoformat(),
                    "hazard_ids": [hid],
                    "closed_on": fixed.isoformat(),
                }
            )
        waivers: list[Doc] = []

        # --- violations ---------------------------------------------------------------
        on = self.config.on
        last = n_days - 1
        for fault in sorted(faults):
            if fault == "understaffed":
                del guards[max(0, need - 1 - r.randrange(2)) :]
                if guards and not any(g.get("team_leader") for g in guards):
                    guards[0]["team_leader"] = True
                if r.random() < 0.15:
                    waivers.append(
                        {
                            "rule_id": "cangzhou.guard-staffing",
                            "granted_by": f"{county}教育局",
                            "reason": "新校区启用前过渡期",
                            "until": (on + dt.timedelta(days=200)).isoformat(),
                        }
                    )
            elif fault == "old_guard" and guards:
                g = guards[-1]
                birth = dt.date(on.year - 52 - r.randrange(6), 1, 1)
                g["id_number"] = id_number(region, birth, int(g["id_number"][14:17]))
            elif fault == "uncertified" and guards:
                del guards[-1]["certificate_number"]
            elif fault == "unlicensed_company" and guards:
                guards[-1]["company_id"] = f"C{prov}U"
            elif fault == "equipment":
                equipment[r.randrange(8)].pop("national_standard")
                del equipment[r.randrange(len(equipment))]
            elif fault == "unlinked_alarm":
                del devices[3]["linked_to_police"]
            elif fault == "no_anti_ramming":
                facilities["anti_ramming"] = False
                school.pop("vehicle_access", None)
            elif fault == "routine":
                for f in r.sample(
                    (
                        "gate_duty",
                        "visitor_registration",
                        "risk_list",
                        "grid_management",
                        "emergency_plan",
                        "key_area_patrol",
                    ),
                    2,
                ):
                    routines[f] = False
            elif fault == "missed_checks":
                gone = {cal.days[last - k] for k in range(1 + r.randrange(10))}
                daily = _series_text([d for d in cal.days if d not in gone])
                weekly = _series_text(cal.weekly_days[weekday][:-1])
            elif fault == "missed_drills":
                cut = cal.iso[max(0, last - 20)]
                drills = [d for d in drills if d["held_on"] < cut]
            elif fault == "overdue_hazard":
                found = cal.days[max(0, last - 40 - r.randrange(60))]
                hazards.append(
                    {
                        "id": "H9",
                        "found_on": found.isoformat(),
                        "location": "围墙",
                        "category": "设施",
                        "rectify_by": (found + dt.timedelta(days=15)).isoformat(),
                    }
                )
            elif fault == "patrol_gap":
                short = cal.days[last - r.randrange(7)]
                patrols = _series_text([], {d: 1 if d == short else 2 for d in cal.days})
            elif fault == "background_flag" and guards:
                guards[-1]["background_checks"] = [
                    {
                        "checked_on": guards[-1]["background_checks"][0]["checked_on"],
                        "flags": [r.choice(("criminal_record", "drugs", "lawsuit"))],
                    }
                ]
            elif fault == "census_gap":
                if guards:
                    del guards[-1]["ethnicity"]
                del school["contact"]
            elif fault == "no_team_leader" and guards:
                guards[0].pop("team_leader", None)
            elif fault == "assessments" and guards:
                guards[-1]["skill_assessments"] = [
                    a for a in guards[-1]["skill_assessments"] if a["assessed_on"][5:7] != "10"
                ]

        school["facilities"] = {k: v for k, v in facilities.items() if v}
        school["routines"] = {k: v for k, v in routines.items() if v}
        if guards:
            for g in guards:
                if not g["skill_assessments"]:
                    del g["skill_assessments"]
            school["guards"] = guards
        school["equipment"] = equipment
        school["devices"] = devices
        school["drills"] = drills
        school["inspections"] = police
        school["inspection_series"] = [
            {"days": days, "cadence": cadence}
            for days, cadence in (
                (daily, "daily"),
                (weekly, "weekly"),
                (monthly, "monthly"),
                (cal.quarterly, "quarterly"),
            )
            if days is not None
        ]
        if hazards:
            school["hazards"] = hazards
        if notices:
            school["rectification_notices"] = notices
        if patrols is not None:
            school["police_patrol_series"] = patrols
        if waivers:
            school["waivers"] = waivers
        return school


def school_block(config: GeneratorConfig, block: int) -> list[Doc]:
    """The schools of block ``block`` (at most :data:`BLOCK` of them), canonical documents."""
    first = block * BLOCK
    last = min(config.schools, first + BLOCK)
    maker = _Maker(config, block)
    return [maker.school(i) for i in range(first, last)]


def school_blocks(config: GeneratorConfig) -> Iterator[list[Doc]]:
    """Every block of schools, in order."""
    for block in range((config.schools + BLOCK - 1) // BLOCK):
        yield school_block(config, block)


def generate(config: GeneratorConfig) -> tuple[list[Doc], Iterator[Doc]]:
    """The companies and a lazy iterator over the schools (canonical JSON-ready documents)."""
    return companies(config), (s for block in school_blocks(config) for s in block)


# --- writing ------------------------------------------------------------------------------


def _block_bytes(args: tuple[GeneratorConfig, int, bool]) -> bytes:
    config, block, lines = args
    schools = school_block(config, block)
    if lines:
        return b"".join(
            orjson.dumps({"school": s}, option=orjson.OPT_APPEND_NEWLINE) for s in schools
        )
    return b",".join(orjson.dumps(s) for s in schools)


def _blocks_bytes(config: GeneratorConfig, lines: bool, jobs: int) -> Iterator[bytes]:
    n = (config.schools + BLOCK - 1) // BLOCK
    tasks = [(config, b, lines) for b in range(n)]
    if jobs <= 1 or n <= 1:
        yield from map(_block_bytes, tasks)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(jobs, n)) as pool:
        yield from pool.map(_block_bytes, tasks, chunksize=1)


def write_roster(
    config: GeneratorConfig, out: str | Path | BinaryIO, *, lines: bool | None = None, jobs: int = 1
) -> int:
    """Write the roster as JSON (``lines=False``) or JSON Lines; return the bytes written.

    With a path, ``lines`` defaults to the suffix (``.jsonl`` for JSON Lines). ``jobs``
    builds blocks on that many processes; the bytes are the same for any ``jobs``.
    """
    if isinstance(out, str | Path):
        path = Path(out)
        if lines is None:
            lines = path.suffix.lower() == ".jsonl"
        with atomic_write(path) as f:
            return write_roster(config, f, lines=lines, jobs=jobs)
    from .jsonl import header_line

    comps = companies(config)
    written = 0

    def put(data: bytes) -> None:
        nonlocal written
        out.write(data)
        written += len(data)

    if lines:
        put(header_line())
        for c in comps:
            put(orjson.dumps({"company": c}, option=orjson.OPT_APPEND_NEWLINE))
        for chunk in _blocks_bytes(config, True, jobs):
            put(chunk)
        return written
    put(b'{"format":' + orjson.dumps(FORMAT) + b',"version":' + orjson.dumps(VERSION))
    put(b',"companies":' + orjson.dumps(comps) + b',"schools":[')
    for i, chunk in enumerate(_blocks_bytes(config, False, jobs)):
        put(b"," + chunk if i else chunk)
    put(b"]}\n")
    return written
