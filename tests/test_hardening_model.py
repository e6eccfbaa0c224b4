"""Regression tests of issue 12 (hardening): readers' error paths, personal data in messages,
model objects that validate at construction, development zones.

Each test reproduces a defect the fuzzing campaign found on cc9f87c.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from campus_security import RosterError, load_roster, loads_roster
from campus_security.cli import run
from campus_security.errors import Problem, mask_id_numbers
from campus_security.formats import FORMAT
from campus_security.model import Text
from campus_security.scale.jsonl import LINES_FORMAT, load_lines

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
