"""Regression tests of issue 12 (hardening): readers' error paths, personal data in messages,
model objects that validate at construction, development zones.

Each test reproduces a defect the fuzzing campaign found on cc9f87c.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest
from conftest import EXAMPLE_ROSTER
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import rosters

import campus_security as cs
from campus_security import RosterError, dumps_roster, load_roster, loads_roster
from campus_security.cli import run
from campus_security.devices import probe_devices
from campus_security.errors import Problem, mask_id_numbers
from campus_security.formats import FORMAT, make_converter
from campus_security.formats.census import write_census
from campus_security.model import (
    BackgroundCheck,
    BackgroundFlag,
    DaySeries,
    Device,
    DeviceKind,
    DeviceStatus,
    Drill,
    DrillKind,
    Guard,
    Hazard,
    IdNumber,
    InspectionSeries,
    InvalidValue,
    Ownership,
    Period,
    RegionCode,
    Roster,
    School,
    SchoolKind,
    SecurityCompany,
    Text,
    Training,
    TrainingKind,
    Waiver,
)
from campus_security.model.regions import FUNCTIONAL_ZONES, ZONE_SOURCE
from campus_security.scale.jsonl import LINES_FORMAT, dumps_lines, load_lines
from campus_security.testing import make_guard, make_roster, make_school

GOOD_SCHOOL = {"id": "S1", "name": "测试小学", "region_code": "130902", "kind": "primary"}
ID = "11010519491231002X"  # a valid ID number (GB 11643 check digit X)


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --- 1. unhashable versions, empty keys ---------------------------------------------------------


@pytest.mark.parametrize("version", [[], {}, [1], {"a": 1}])
def test_a_version_that_is_not_a_string_is_a_roster_error(version: object) -> None:
    doc = {"format": FORMAT, "version": version}
    with pytest.raises(RosterError) as err:
        loads_roster(orjson.dumps(doc), source="r.json")
    [p] = err.value.problems
    assert p.path == "version"
    assert "不支持的名册版本" in p.message.zh and "unsupported roster version" in p.message.en


@pytest.mark.parametrize("version", [[], {}])
def test_a_lines_header_version_that_is_not_a_string_is_a_roster_error(
    tmp_path: Path, version: object
) -> None:
    f = tmp_path / "r.jsonl"
    f.write_bytes(orjson.dumps({"format": LINES_FORMAT, "version": version}) + b"\n")
    with pytest.raises(RosterError) as err:
        load_lines(f)
    [p] = err.value.problems
    assert p.path == "line 1: version"
    assert "unsupported roster version" in p.message.en


def test_check_exits_two_on_a_list_version(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for name, fmt in (("r.json", FORMAT), ("r.jsonl", LINES_FORMAT)):
        f = tmp_path / name
        f.write_bytes(orjson.dumps({"format": fmt, "version": []}) + b"\n")
        code, _, err = _cli(capsys, "check", str(f))
        assert code == 2, err
        assert "Traceback" not in err and "unsupported roster version []" in err


def test_an_empty_key_is_named_by_a_path() -> None:
    doc = {"format": FORMAT, "version": "1.0", "": 1, "schools": [{**GOOD_SCHOOL, "a b": 2}]}
    with pytest.raises(RosterError) as err:
        loads_roster(orjson.dumps(doc))
    paths = sorted(p.path for p in err.value.problems)
    assert paths == ['$[""]', 'schools[0]["a b"]']
    assert all(p.path for p in err.value.problems)


# --- 3. invalid UTF-8 is located -----------------------------------------------------------------


def test_invalid_utf8_in_a_json_roster_is_located(tmp_path: Path) -> None:
    text = b'{\n  "format": "campus-security/roster",\n  "version": "1.0",\n  "x": "ab\xffc"\n}'
    f = tmp_path / "r.json"
    f.write_bytes(text)
    with pytest.raises(RosterError) as err:
        load_roster(f)
    [p] = err.value.problems
    assert p.path == "line 4, column 11"
    offset = text.index(b"\xff") + 1
    assert f"byte {offset} of the file (0xFF)" in p.message.en
    assert f"文件第{offset}字节" in p.message.zh


def test_invalid_utf8_on_a_lines_roster_line_is_located(tmp_path: Path) -> None:
    f = tmp_path / "r.jsonl"
    f.write_bytes(
        orjson.dumps({"format": LINES_FORMAT, "version": "1.0"})
        + b'\n\n{"school": {"id": "\xe5\xad\xa6\xfe"}}\n'
    )
    with pytest.raises(RosterError) as err:
        load_lines(f)
    [p] = err.value.problems
    assert p.path == "line 3: column 21"  # 学 is one character, three bytes
    assert "byte 23 of the line (0xFE)" in p.message.en


def test_a_bad_utf8_header_line_is_located(tmp_path: Path) -> None:
    f = tmp_path / "r.jsonl"
    f.write_bytes(b'{"format": "\xc3("}\n')
    with pytest.raises(RosterError) as err:
        load_lines(f)
    assert err.value.problems[0].path == "line 1: column 13"


# --- 6. ID-shaped values are masked in every message ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (ID, "1101**********002X"),
        ("110105194912310", "1101*******2310"),  # 15 digits: a first-generation number
        (f"'{ID.lower()}'", "'1101**********002x'"),
        ("a1234567890123456789b", "a1234***********6789b"),  # a longer run may hold one
        ("13812345678 2024-01-01 12345678901234", "13812345678 2024-01-01 12345678901234"),
    ],
)
def test_mask_id_numbers(text: str, masked: str) -> None:
    assert mask_id_numbers(text) == masked
    assert mask_id_numbers(masked) == masked


def test_problems_mask_what_they_echo() -> None:
    p = Problem(f"schools[0].guards.{ID}", Text(f"不是日期：{ID}", f"not a date: {ID}"), "f.json")
    assert ID not in str(p) and ID not in repr(p)
    assert "1101**********002X" in p.message.en


def test_an_id_number_typed_into_a_date_field_is_masked() -> None:
    doc = {
        "format": FORMAT,
        "version": "1.0",
        "schools": [
            {**GOOD_SCHOOL, "drills": [{"kind": "fire", "held_on": "640402198501010062"}]},
            {**GOOD_SCHOOL, "id": "S2", "name": "110105194912310021"},
        ],
        "640402198501010062": 1,
    }
    with pytest.raises(RosterError) as err:
        loads_roster(orjson.dumps(doc))
    text = str(err.value)
    assert "640402198501010062" not in text
    assert "6404**********0062" in text


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("110105198502300029", "19850230"),  # 30 February
        ("990105194912310020", "990105"),  # no such region
    ],
)
def test_id_number_messages_show_no_part_of_the_number(number: str, shown: str) -> None:
    from campus_security.model import IdNumber
    from campus_security.model.values import gb11643_check_digit

    number = number[:17] + gb11643_check_digit(number)
    with pytest.raises(ValueError) as err:
        IdNumber(number)
    assert shown not in str(err.value)
    assert "身份证号码" in str(err.value) and "ID number" in str(err.value)


# --- 8. model objects validate (or convert) at construction ---------------------------------

ON = dt.date(2024, 11, 20)


def test_a_school_built_with_strings_is_converted_and_checks() -> None:
    school = School(id="K1", name="示例幼儿园", region_code="130903", kind="kindergarten")
    assert school.kind is SchoolKind.KINDERGARTEN
    assert school.region_code == RegionCode("130903")
    report = cs.check(Roster(schools=[school]), on=ON)  # engine/evaluate.py crashed here
    assert report.findings


def test_a_guard_with_a_wrong_check_digit_is_refused_at_construction() -> None:
    with pytest.raises(InvalidValue) as err:
        Guard(id_number="110105194912310021", name="张三")
    assert err.value.field == "id_number"
    assert "校验码" in err.value.message.zh and "check digit" in err.value.message.en
    assert "110105194912310021" not in str(err.value)


def test_invalid_value_is_a_campus_security_error() -> None:
    assert issubclass(InvalidValue, cs.CampusSecurityError)
    assert issubclass(InvalidValue, ValueError)  # as before


def test_make_converter_raises_the_bilingual_roster_error() -> None:
    bad = {**GOOD_SCHOOL, "kind": "castle", "guards": [{"id_number": ID[:-1] + "1", "name": ""}]}
    with pytest.raises(RosterError) as err:
        make_converter().structure(bad, School)
    paths = {p.path: p.message for p in err.value.problems}
    assert set(paths) == {"kind", "guards[0].id_number", "guards[0].name"}
    assert all(m.zh and m.en for m in paths.values())
    with pytest.raises(RosterError) as err:
        make_converter().structure(3, School)
    assert err.value.problems[0].path == "$"


_NOT_A_VALUE = object()


def _instances() -> list[object]:
    school = make_school(
        guards=[make_guard()],
        drills=[Drill(DrillKind.EMERGENCY, ON)],
        hazards=[Hazard("H1", ON)],
    )
    return [
        school,
        school.guards[0],
        school.drills[0],
        school.hazards[0],
        school.facilities,
        SecurityCompany("C1", "某保安服务公司"),
        Training(TrainingKind.PRE_JOB, ON, 3),
        InspectionSeries(DaySeries.parse("2024-03-01:1*3")),
        Waiver("x.y", "某局", "理由", ON),
        Device("D1", DeviceKind.VIDEO_SURVEILLANCE),
        DeviceStatus("D1", True, dt.datetime(2024, 1, 1, tzinfo=dt.UTC)),
        make_roster(school),
        DaySeries.parse("2024-03-01:1*3"),
        Period(ON, ON),
    ]


@pytest.mark.parametrize("obj", _instances(), ids=lambda o: type(o).__name__)
def test_every_field_refuses_a_value_of_another_type(obj: object) -> None:
    for a in attrs.fields(type(obj)):
        if not a.init:
            continue
        with pytest.raises(InvalidValue) as err:
            attrs.evolve(obj, **{a.name: _NOT_A_VALUE})
        assert err.value.field is not None and err.value.field.startswith(a.name), a.name
        assert err.value.message.zh and err.value.message.en


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("enrollment", "3"),
        ("enrollment", True),
        ("name", 3),
        ("complex_area", 1),
        ("guards", [1]),
        ("guards", "abc"),
        ("drills", [{"kind": "emergency", "held_on": "2024-01-01"}]),
        ("facilities", {}),
        ("police_patrol_series", "2024-01-01"),
        ("ownership", "castle"),
    ],
)
def test_a_wrong_value_names_its_field(field: str, value: object) -> None:
    with pytest.raises(InvalidValue) as err:
        attrs.evolve(make_school(), **{field: value})
    assert err.value.field is not None and err.value.field.startswith(field)


def test_a_datetime_is_not_a_date() -> None:
    with pytest.raises(InvalidValue) as err:
        Drill(DrillKind.EMERGENCY, dt.datetime(2024, 1, 1))  # type: ignore[arg-type]
    assert err.value.field == "held_on"
    with pytest.raises(InvalidValue):  # compared with a date, it used to raise TypeError
        Hazard("H1", ON, rectify_by=dt.datetime(2025, 1, 1))  # type: ignore[arg-type]


def test_lossless_conversions() -> None:
    g = make_guard()
    s = attrs.evolve(
        make_school(),
        ownership="private",
        guards=[g],
        police_patrol_series="2024-03-01:1*2",
    )
    assert s.ownership is Ownership.PRIVATE and s.guards == (g,)
    assert s.police_patrol_series == DaySeries.parse("2024-03-01:1*2")
    assert BackgroundCheck(ON, ["drugs"]).flags == frozenset({BackgroundFlag.DRUGS})  # type: ignore[list-item]
    assert Guard(ID, "张三").id_number == IdNumber(ID)  # type: ignore[arg-type]
    assert dumps_roster(make_roster(s))  # crashed before on a string ID number


def test_engine_definitions_raise_bilingual_campus_security_errors() -> None:
    from campus_security.engine import Citation, Standard
    from campus_security.model import Period

    with pytest.raises(cs.CampusSecurityError) as err:
        Standard("x", Text("标准", "standard"), "doc", Text("局", "bureau"), (), ON)
    assert "适用地区" in str(err.value) and "jurisdiction" in str(err.value)
    with pytest.raises(cs.CampusSecurityError):
        Period(ON, ON - dt.timedelta(days=1))
    assert Citation


# --- 9. functional zones (统计用区划代码) ------------------------------------------------

_ZONES = {
    "130971": ("130900", "cangzhou"),
    "130972": ("130900", "cangzhou"),
    "130973": ("130900", "cangzhou"),
    "410171": ("410100", "zhengzhou"),
    "410172": ("410100", "zhengzhou"),
    "410173": ("410100", "zhengzhou"),
    "320571": ("320500", "jiangsu"),
}


def test_the_zone_table_says_its_source_and_each_zone_its_city() -> None:
    assert "统计用区划代码" in ZONE_SOURCE and "2023" in ZONE_SOURCE
    for code, (city, _) in _ZONES.items():
        zone = FUNCTIONAL_ZONES[code]
        assert zone.parent == city and code.startswith(city[:4]) and code[4] == "7"
        assert RegionCode(city).covers(RegionCode(code))  # by prefix, as jurisdictions match
        assert RegionCode(city[:2] + "0000").covers(RegionCode(code))
        assert RegionCode(code).zone == zone and zone.name in RegionCode(code).name
    assert RegionCode("130903").zone is None


@pytest.mark.parametrize("code", sorted(_ZONES))
def test_a_school_in_a_zone_is_read_and_its_citys_standard_applies(code: str) -> None:
    doc = {"format": FORMAT, "version": "1.0", "schools": [{**GOOD_SCHOOL, "region_code": code}]}
    roster = loads_roster(orjson.dumps(doc))  # refused before: not a GB/T 2260 code
    report = cs.check(roster, on=ON)
    standard = _ZONES[code][1]
    ours = [f for f in report.findings if f.rule_id.startswith(standard + ".")]
    assert ours, f"no {standard} rule applied to a school in {code}"
    assert {f.school_id for f in ours} == {"S1"}
    others = {f.rule_id.split(".")[0] for f in report.findings} - {standard}
    assert not others & {"cangzhou", "zhengzhou", "jiangsu", "loudi", "pucheng"}


def test_codes_near_the_zones_are_still_refused() -> None:
    for code in ("130974", "410170", "320572", "999971"):
        with pytest.raises(InvalidValue) as err:
            RegionCode(code)
        assert "功能区" in err.value.message.zh and "functional zone" in err.value.message.en


def test_an_id_number_is_read_against_gb_t_2260_only() -> None:
    """GB 11643 4.2: the address code is a GB/T 2260 code; a statistical zone code is not."""
    from campus_security.model.values import gb11643_check_digit

    body = "13097119800101001"
    with pytest.raises(InvalidValue) as err:
        IdNumber(body + gb11643_check_digit(body))
    assert "GB/T 2260" in err.value.message.en


# --- 6. rosters written with their personal data masked ---------------------------------------


_NINE = (
    "序号",
    "姓名",
    "性别",
    "民族",
    "身份证号码",
    "保安员证编号",
    "保安服务企业名称",
    "保安服务企业性质",
    "属地公安机关",
)


def _example_ids() -> list[str]:
    roster = load_roster(EXAMPLE_ROSTER)
    return [g.id_number.value for s in roster.schools for g in s.guards]


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_convert_masks_personal_data_when_asked_and_marks_the_roster(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str
) -> None:
    ids = _example_ids()
    assert ids
    full, masked = tmp_path / f"full{suffix}", tmp_path / f"masked{suffix}"
    assert _cli(capsys, "convert", str(EXAMPLE_ROSTER), "-o", str(full))[0] == 0
    assert all(i in full.read_text(encoding="utf-8") for i in ids)  # a roster holds them
    code, _, _ = _cli(
        capsys, "convert", str(EXAMPLE_ROSTER), "-o", str(masked), "--mask-personal-data"
    )
    assert code == 0
    text = masked.read_text(encoding="utf-8")
    assert not any(i in text for i in ids)
    assert all(IdNumber(i).masked in text for i in ids)
    assert '"personal_data":"masked"' in text.replace(" ", "")
    code, _, err = _cli(capsys, "check", str(masked))  # clearly refused, not half-read
    assert code == 2
    assert "personal_data" in err and "masked" in err and "脱敏" in err
    assert "Traceback" not in err


def test_a_masked_lines_roster_is_refused_as_such(tmp_path: Path) -> None:
    roster = load_roster(EXAMPLE_ROSTER)
    f = tmp_path / "m.jsonl"
    f.write_bytes(dumps_lines(roster, mask_personal_data=True))
    with pytest.raises(RosterError) as err:
        load_lines(f)
    assert [p.path for p in err.value.problems] == ["line 1: personal_data"]


def test_the_help_of_commands_writing_rosters_says_they_hold_id_numbers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for command in ("convert", "import"):
        code, out, _ = _cli(capsys, command, "--help")
        assert code == 0
        out = " ".join(out.split())
        assert "ID numbers in full" in out and "--mask-personal-data" in out, command
        assert "身份证号码" in out


def test_import_masks_personal_data_when_asked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ids = _example_ids()[:2]
    form = tmp_path / "form.csv"
    rows = [
        ["郑州市中小学幼儿园保安员基本情况调查表"],
        ["填报单位：", "郑州市第一中学", "", "", "联系人及联系方式：", "张老师"],
        [*_NINE],
        *[[str(n), f"保安{n}", "", "", i, "", "", "", ""] for n, i in enumerate(ids, 1)],
    ]
    form.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "r.json"
    args = ["import", str(form), "--region-code", "410102", "--kind", "primary", "-o", str(out)]
    code, _, err = _cli(capsys, *args, "--mask-personal-data")
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert not any(i in text for i in ids) and IdNumber(ids[0]).masked in text
    assert _cli(capsys, *args)[0] == 0
    assert all(i in out.read_text(encoding="utf-8") for i in ids)


def test_a_census_birth_date_that_disagrees_shows_no_date(tmp_path: Path) -> None:
    from campus_security.formats.census import GUARD_CENSUS, import_census

    number = IdNumber(ID)  # born 1949-12-31
    form = tmp_path / "form.csv"
    rows = [
        ["郑州市中小学幼儿园保安员基本情况调查表"],
        ["填报单位：", "郑州市第一中学", "", "", "联系人及联系方式：", "张老师"],
        [*_NINE, "出生日期"],
        ["1", "张三", "", "", number.value, "", "", "", "", "1985-03-01"],
    ]
    form.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    with pytest.raises(RosterError) as err:
        import_census(form, region_code="410102", kind="primary", layouts=[GUARD_CENSUS])
    [p] = err.value.problems
    text = str(p)
    assert "1949-12-31" not in text and "19491231" not in text and "1985-03-01" not in text
    assert "出生日期" in p.message.zh and "birth date" in p.message.en


# --- 6. ID-shaped values in outputs --------------------------------------------------------------

STRAY = "64040219850101006X"  # ID-shaped, typed where no ID number belongs


def _stray_roster() -> Roster:
    school = make_school(
        id=STRAY,
        name=f"第{STRAY}小学",
        region_code="130903",
        guards=[make_guard(certificate_number=STRAY)],
        devices=[Device(STRAY, DeviceKind.VIDEO_SURVEILLANCE)],
        hazards=[Hazard(STRAY, ON, rectify_by=ON)],
    )
    return make_roster(school)


@pytest.mark.parametrize(
    ("suffix", "args"),
    [
        (".json", ["--verbose"]),
        (".json", ["--format", "json"]),
        (".jsonl", []),
        (".jsonl", ["--format", "json"]),
    ],
)
def test_reports_mask_id_shaped_values_unless_asked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str, args: list[str]
) -> None:
    roster = _stray_roster()
    f = tmp_path / f"r{suffix}"
    f.write_bytes(dumps_roster(roster) if suffix == ".json" else dumps_lines(roster))
    guard_id = roster.schools[0].guards[0].id_number.value
    code, out, err = _cli(capsys, "check", str(f), "--on", ON.isoformat(), *args)
    assert code in (0, 1), err
    assert STRAY not in out + err and guard_id not in out + err
    assert "6404**********006X" in out
    code, out, err = _cli(
        capsys, "check", str(f), "--on", ON.isoformat(), "--show-personal-data", *args
    )
    if "json" in args and suffix == ".json":
        assert STRAY in out  # asked for: shown


def test_census_export_masks_id_shaped_values_unless_asked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    f = tmp_path / "r.json"
    f.write_bytes(dumps_roster(_stray_roster()))
    out = tmp_path / "form.csv"
    assert _cli(capsys, "export", str(f), "-o", str(out))[0] == 0
    assert STRAY not in out.read_text(encoding="utf-8-sig")
    assert _cli(capsys, "export", str(f), "-o", str(out), "--show-personal-data")[0] == 0
    assert STRAY in out.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(
    "make",
    [
        lambda: cs.Evaluator([], ON, since=ON + dt.timedelta(days=1)),
        lambda: asyncio.run(probe_devices(make_roster(), [], concurrency=0)),
        lambda: write_census(make_roster(), "form.txt"),
    ],
    ids=["window", "concurrency", "export-type"],
)
def test_errors_raised_on_purpose_are_campus_security_errors(make: object) -> None:
    with pytest.raises(cs.CampusSecurityError) as err:
        make()  # type: ignore[operator]
    assert isinstance(err.value, InvalidValue) and err.value.message.zh and err.value.message.en


# --- all of the above, on mutated rosters (hypothesis) ---------------------------------------

_ID_SHAPED = re.compile(r"(?<!\d)\d{14,}[\dXx](?![\dXx])")

_STRAY_IDS = st.sampled_from([STRAY, ID, "110105194912310", "11010519491231002x"])
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
    | _STRAY_IDS
    | st.sampled_from(["", "2024-02-30", "1.0", "130971", "kindergarten"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=4) | _STRAY_IDS, inner, max_size=3)
    ),
    max_leaves=6,
)


def _places(doc: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) of a JSON document, the root's keys included."""
    out: list[tuple[Any, Any]] = []
    stack = [doc]
    while stack:
        node = stack.pop()
        keys = range(len(node)) if isinstance(node, list) else list(node)
        for k in keys:
            out.append((node, k))
            if isinstance(node[k], dict | list):
                stack.append(node[k])
    return out


def _mutate(doc: Any, data: st.DataObject) -> Any:
    for _ in range(data.draw(st.integers(1, 3))):
        places = _places(doc)
        if not places:
            return data.draw(_JSON)
        holder, key = data.draw(st.sampled_from(places))
        action = data.draw(st.sampled_from(["set", "drop", "add"]))
        if action == "set":
            holder[key] = data.draw(_JSON)
        elif action == "drop":
            del holder[key]
        elif isinstance(holder, dict):
            holder[data.draw(st.text(max_size=4) | _STRAY_IDS)] = data.draw(_JSON)
        else:
            holder.append(data.draw(_JSON))
    return doc


def _assert_clean(err: RosterError) -> None:
    assert err.problems
    for p in err.problems:
        assert p.path and p.message.zh and p.message.en
    assert not _ID_SHAPED.search(str(err)), str(err)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rosters(max_schools=2), st.data())
def test_a_mutated_roster_reads_or_fails_cleanly(roster: Roster, data: st.DataObject) -> None:
    doc = _mutate(orjson.loads(dumps_roster(roster)), data)
    try:
        loads_roster(orjson.dumps(doc))
    except RosterError as err:  # anything else (a TypeError, a cattrs error) fails the test
        _assert_clean(err)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rosters(max_schools=2), st.data())
def test_a_mutated_lines_roster_reads_or_fails_cleanly(
    tmp_path_factory: pytest.TempPathFactory, roster: Roster, data: st.DataObject
) -> None:
    lines = [orjson.loads(line) for line in dumps_lines(roster).splitlines()]
    i = data.draw(st.integers(0, len(lines) - 1))
    lines[i] = _mutate(lines[i], data)
    f = tmp_path_factory.mktemp("m") / "r.jsonl"
    f.write_bytes(b"\n".join(orjson.dumps(x) for x in lines) + b"\n")
    try:
        load_lines(f)
    except RosterError as err:
        _assert_clean(err)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=64), st.integers(0, 200))
def test_bytes_that_are_not_utf8_are_located(junk: bytes, at: int) -> None:
    text = dumps_roster(Roster())
    at = min(at, len(text))
    data = text[:at] + junk + text[at:]
    try:
        loads_roster(data)
    except RosterError as err:
        _assert_clean(err)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as bad:
            line = data.count(b"\n", 0, bad.start) + 1
            assert err.problems[0].path.startswith(f"line {line}, column ")


@pytest.mark.parametrize(
    "args",
    [
        ["check", str(EXAMPLE_ROSTER), "--on", STRAY],
        ["check", str(EXAMPLE_ROSTER), "--standard", STRAY],
        ["check", f"{STRAY}.json"],
        ["import", f"{STRAY}.csv", "--region-code", STRAY],
    ],
    ids=["usage", "standard", "file", "region-code"],
)
def test_cli_errors_mask_what_was_typed(
    capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    code, out, err = _cli(capsys, *args)
    assert code == 2
    assert STRAY not in out + err and "6404**********006X" in err


def test_a_table_that_cannot_be_read_is_a_campus_security_error(tmp_path: Path) -> None:
    from campus_security.record_sources.tables import TableError, read_tables

    assert issubclass(TableError, cs.CampusSecurityError)
    with pytest.raises(cs.CampusSecurityError):
        read_tables(tmp_path / "export.txt", {})


def test_every_model_record_checks_its_fields() -> None:
    """A model class added later must check its fields too (check_fields in its post-init)."""
    import inspect

    import campus_security.model as model
    from campus_security.model._checks import check_fields

    values = {"CreditCode", "IdNumber", "RegionCode", "Text", "FunctionalZone"}  # own checks
    for name in model.__all__:
        cls = getattr(model, name)
        if not (inspect.isclass(cls) and attrs.has(cls)) or name in values:
            continue
        post = cls.__dict__.get("__attrs_post_init__")
        assert post is not None, name
        compiled = getattr(post, "__name__", "") == "check"  # check_fields put it in place
        assert post is check_fields or compiled or "check_fields(self)" in inspect.getsource(post)
