"""Hypothesis strategies for the domain model: every property test draws from here."""

from __future__ import annotations

import datetime as dt
import unicodedata

import attrs
from hypothesis import strategies as st
from stdnum.cn import ric

from campus_security.model import (
    BackgroundCheck,
    BackgroundFlag,
    Cadence,
    DaySeries,
    Device,
    DeviceKind,
    Drill,
    DrillKind,
    Equipment,
    EquipmentKind,
    Facilities,
    GridArea,
    Guard,
    Hazard,
    HireSource,
    IdNumber,
    Inspection,
    InspectionSeries,
    InspectorLevel,
    Locality,
    Ownership,
    PlaceKind,
    Placement,
    PolicePatrol,
    Provenance,
    RectificationNotice,
    RegionCode,
    RegistryCheck,
    RegistryStatus,
    Roster,
    Routines,
    School,
    SchoolKind,
    SchoolPatrol,
    SchoolPatrolSeries,
    SecurityCompany,
    SkillAssessment,
    Training,
    TrainingKind,
    Waiver,
)
from campus_security.model.series import MAX_COUNT

# Real GB/T 2260 codes: the five seed regions, places under them and others.
REGION_CODES = [
    "110101",
    "110105",
    "130900",
    "130902",
    "130903",
    "130921",
    "131002",
    "320000",
    "320102",
    "320115",
    "320117",
    "320500",
    "320583",
    "410100",
    "410102",
    "410185",
    "431300",
    "431302",
    "431382",
    "610526",
    "610500",
    "440305",
]

dates = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31))
births = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2010, 12, 31))
text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12
).filter(lambda s: s.strip() != "")
ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,9}", fullmatch=True)
region_codes = st.sampled_from(REGION_CODES).map(RegionCode)


@st.composite
def id_numbers(draw: st.DrawFn, birth: dt.date | None = None) -> IdNumber:
    """Valid 18-character ID numbers with GB 11643 check digits."""
    region = draw(st.sampled_from([c for c in REGION_CODES if not c.endswith("00")]))
    b = birth or draw(births)
    order = draw(st.integers(1, 999))
    body = f"{region}{b:%Y%m%d}{order:03d}"
    return IdNumber(body + ric.calc_check_digit(body + "0"))


provenances = st.builds(
    Provenance,
    source=st.sampled_from(["registry", "background", "ledger"]),
    location=text,
    retrieved_at=st.datetimes(
        min_value=dt.datetime(2015, 1, 1),
        max_value=dt.datetime(2030, 12, 31),
        timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=8))]),
    ),
)
registry_checks = st.builds(
    RegistryCheck,
    status=st.sampled_from(RegistryStatus),
    source=provenances,
    registered_number=st.none() | text,
    issued_by=st.none() | text,
    issued_on=st.none() | dates,
)

school_patrols = st.builds(
    SchoolPatrol,
    patrolled_at=st.datetimes(
        min_value=dt.datetime(2015, 1, 1),
        max_value=dt.datetime(2030, 12, 31),
        timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=8))]),
    ),
    place=st.sampled_from(PlaceKind),
    checkpoint=st.none() | text,
    guard=st.none() | text,
    source=st.none() | provenances,
)

companies = st.builds(
    SecurityCompany,
    id=ids,
    name=text,
    nature=st.none() | st.sampled_from(["国有", "民营"]),
    permit_number=st.none() | text,
    police_authority=st.none() | text,
    registry_check=st.none() | registry_checks,
)

guards = st.builds(
    Guard,
    id_number=id_numbers(),
    name=text,
    full_time=st.booleans(),
    hire_source=st.sampled_from(HireSource),
    company_id=st.none(),
    certificate_number=st.none() | text,
    ethnicity=st.none() | st.sampled_from(["汉族", "回族", "满族"]),
    team_leader=st.booleans(),
    uniform=st.booleans(),
    hired_on=st.none() | dates,
    background_checks=st.lists(
        st.builds(
            BackgroundCheck,
            checked_on=dates,
            flags=st.frozensets(st.sampled_from(BackgroundFlag)),
            reviewed_by=st.none() | text,
            source=st.none() | provenances,
        ),
        max_size=2,
    ).map(tuple),
    trainings=st.lists(
        st.builds(
            Training,
            kind=st.sampled_from(TrainingKind),
            started_on=dates,
            days=st.integers(1, 60),
            provider=st.none() | text,
            provider_approved=st.booleans(),
        ),
        max_size=2,
    ).map(tuple),
    skill_assessments=st.lists(
        st.builds(SkillAssessment, assessed_on=dates, passed=st.booleans()), max_size=3
    ).map(tuple),
    registry_check=st.none() | registry_checks,
)


@st.composite
def day_series(draw: st.DrawFn, max_days: int = 60) -> DaySeries:
    """Day series of up to ``max_days`` days: runs of equal counts, zero days between."""
    counts = draw(
        st.lists(
            st.sampled_from((0, 1, 2, 2, 3, 9999)) | st.integers(0, MAX_COUNT),
            min_size=1,
            max_size=max_days,
        )
    )
    counts[0] = counts[0] or 1
    counts[-1] = counts[-1] or 2
    return DaySeries(draw(dates), counts)


@st.composite
def hazards(draw: st.DrawFn, hid: str) -> Hazard:
    found = draw(dates)
    later = st.none() | st.dates(min_value=found, max_value=dt.date(2031, 12, 31))
    return Hazard(
        id=hid,
        found_on=found,
        location=draw(st.none() | text),
        category=draw(st.none() | text),
        rectify_by=draw(later),
        rectified_on=draw(later),
        on_the_spot=draw(st.booleans()),
        found_by=draw(st.none() | st.sampled_from(InspectorLevel)),
        responsible=draw(st.none() | text),
    )


def _all_booleans(cls: type) -> st.SearchStrategy:
    """Every boolean field of a flags class drawn independently."""
    return st.builds(cls, **{a.name: st.booleans() for a in attrs.fields(cls)})


@st.composite
def schools(draw: st.DrawFn, school_id: str | None = None) -> School:
    enrollment = draw(st.integers(0, 6000))
    hs = [draw(hazards(f"H{i}")) for i in range(draw(st.integers(0, 3)))]
    notices = []
    for i in range(draw(st.integers(0, 2))):
        issued = draw(dates)
        notices.append(
            RectificationNotice(
                id=f"N{i}",
                issued_on=issued,
                rectify_by=draw(st.dates(min_value=issued, max_value=dt.date(2031, 12, 31))),
                issued_by=draw(st.sampled_from(InspectorLevel)),
                hazard_ids=tuple(
                    draw(st.lists(st.sampled_from([h.id for h in hs]), max_size=2, unique=True))
                )
                if hs
                else (),
                closed_on=draw(
                    st.none() | st.dates(min_value=issued, max_value=dt.date(2031, 12, 31))
                ),
            )
        )
    guard_list = draw(st.lists(guards, max_size=4, unique_by=lambda g: g.id_number.value))
    return School(
        id=school_id or draw(ids),
        name=draw(text),
        region_code=draw(region_codes),
        kind=draw(st.sampled_from(SchoolKind)),
        ownership=draw(st.sampled_from(Ownership)),
        locality=draw(st.sampled_from(Locality)),
        enrollment=enrollment,
        staff_count=draw(st.integers(0, 400)),
        boarders=draw(st.integers(0, enrollment)),
        complex_area=draw(st.booleans()),
        vehicle_access=draw(st.booleans()),
        township_central=draw(st.booleans()),
        operates_school_bus=draw(st.booleans()),
        legal_vice_principal=draw(st.booleans()),
        contact=draw(st.none() | text),
        facilities=draw(_all_booleans(Facilities)),
        routines=draw(_all_booleans(Routines)),
        guards=tuple(guard_list),
        equipment=tuple(
            draw(
                st.lists(
                    st.builds(
                        Equipment,
                        kind=st.sampled_from(EquipmentKind),
                        quantity=st.integers(0, 20),
                        national_standard=st.booleans(),
                    ),
                    max_size=4,
                )
            )
        ),
        devices=tuple(
            Device(
                id=f"D{i}",
                kind=draw(st.sampled_from(DeviceKind)),
                linked_to_police=draw(st.booleans()),
                linked_to_education=draw(st.booleans()),
                placement=draw(st.none() | st.sampled_from(Placement)),
                full_coverage=draw(st.booleans()),
            )
            for i in range(draw(st.integers(0, 3)))
        ),
        drills=tuple(
            draw(
                st.lists(
                    st.builds(Drill, kind=st.sampled_from(DrillKind), held_on=dates), max_size=4
                )
            )
        ),
        inspections=tuple(
            draw(
                st.lists(
                    st.builds(
                        Inspection,
                        inspected_on=dates,
                        level=st.sampled_from(InspectorLevel),
                        cadence=st.none() | st.sampled_from(Cadence),
                        inspector=st.none() | text,
                    ),
                    max_size=4,
                )
            )
        ),
        inspection_series=tuple(
            draw(
                st.lists(
                    st.builds(
                        InspectionSeries,
                        days=day_series(),
                        level=st.sampled_from(InspectorLevel),
                        cadence=st.none() | st.sampled_from(Cadence),
                    ),
                    max_size=3,
                    unique_by=lambda s: (s.level, s.cadence),
                )
            )
        ),
        hazards=tuple(hs),
        rectification_notices=tuple(notices),
        police_patrols=tuple(
            draw(
                st.lists(
                    st.builds(PolicePatrol, patrolled_on=dates, count=st.integers(1, 5)), max_size=4
                )
            )
        ),
        police_patrol_series=draw(st.none() | day_series()),
        school_patrols=tuple(draw(st.lists(school_patrols, max_size=3))),
        grid_areas=tuple(
            draw(
                st.lists(
                    st.builds(
                        GridArea,
                        id=ids,
                        name=text,
                        responsible=st.none() | text,
                        source=st.none() | provenances,
                    ),
                    max_size=2,
                    unique_by=lambda a: a.id,
                )
            )
        ),
        school_patrol_series=tuple(
            draw(
                st.lists(
                    st.builds(
                        SchoolPatrolSeries,
                        days=day_series(max_days=20),
                        place=st.sampled_from(PlaceKind),
                        night=st.booleans(),
                    ),
                    max_size=2,
                    unique_by=lambda x: (x.place, x.night),
                )
            )
        ),
        waivers=tuple(
            draw(
                st.lists(
                    st.builds(
                        Waiver,
                        rule_id=st.just("cangzhou.guard-staffing"),
                        granted_by=text,
                        reason=text,
                        until=dates,
                    ),
                    max_size=2,
                )
            )
        ),
    )


@st.composite
def rosters(draw: st.DrawFn, max_schools: int = 4) -> Roster:
    n = draw(st.integers(0, max_schools))
    comps = draw(st.lists(companies, max_size=3, unique_by=lambda c: c.id))
    school_list = []
    for i in range(n):
        s = draw(schools(school_id=f"S{i}"))
        if comps:  # point some guards at real companies
            gs = tuple(
                attrs.evolve(g, company_id=draw(st.none() | st.sampled_from([c.id for c in comps])))
                for g in s.guards
            )
            s = attrs.evolve(s, guards=gs)
        school_list.append(s)
    return Roster(schools=tuple(school_list), companies=tuple(comps))


# --- census forms (tests/test_census.py) ----------------------------------------------------
# Rosters whose census items are values a census spreadsheet carries unchanged: no
# control characters, no whitespace at either end, no full-width letters or digits
# (import normalises those), no word the form uses for an empty cell (无, /, -), and
# company and school names unique as import compares them (NFKC, no whitespace).
# Everything the form does not carry is drawn as freely as above.

_CENSUS_CHARS = (
    "张王李赵刘陈杨黄周吴郑州市第一二中学实验保安服务有限公司汉回满族" + "ABCxyz0123456789·-()（）&"
)
_NONE_WORDS = {"无", "无证", "暂无", "未持证", "未取得", "/", "-", "—", "——", "\\"}


def _census_key(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split())


census_text = (
    st.text(alphabet=st.sampled_from(_CENSUS_CHARS + " "), min_size=1, max_size=12)
    .map(str.strip)
    .filter(lambda s: s != "" and s not in _NONE_WORDS)
)
census_names = st.text(alphabet=st.sampled_from(_CENSUS_CHARS), min_size=1, max_size=14).filter(
    lambda s: s not in _NONE_WORDS
)
census_codes = st.text(
    alphabet=st.sampled_from("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789豫冀湘公保-"),
    min_size=1,
    max_size=16,
).filter(lambda s: s not in _NONE_WORDS and not s.startswith("'"))


@st.composite
def census_rosters(draw: st.DrawFn, max_schools: int = 3) -> Roster:
    """Rosters whose census items survive a census form (the rest drawn freely)."""
    roster = draw(rosters(max_schools=max_schools))
    company_names = draw(
        st.lists(
            census_names,
            min_size=len(roster.companies),
            max_size=len(roster.companies),
            unique_by=_census_key,
        )
    )
    comps = tuple(
        attrs.evolve(
            c,
            name=n,
            nature=draw(st.none() | census_text),
            police_authority=draw(st.none() | census_text),
            registry_check=None,  # not a census item: import rebuilds the companies
        )
        for c, n in zip(roster.companies, company_names, strict=True)
    )
    school_names = draw(
        st.lists(
            census_names,
            min_size=len(roster.schools),
            max_size=len(roster.schools),
            unique_by=_census_key,
        )
    )
    schools_ = []
    for s, n in zip(roster.schools, school_names, strict=True):
        gs = tuple(
            attrs.evolve(
                g,
                name=draw(census_text),
                ethnicity=draw(st.none() | census_text),
                certificate_number=draw(st.none() | census_codes),
            )
            for g in s.guards
        )
        schools_.append(attrs.evolve(s, name=n, contact=draw(st.none() | census_text), guards=gs))
    return Roster(schools=tuple(schools_), companies=comps)
