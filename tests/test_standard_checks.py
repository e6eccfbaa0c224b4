"""A plugin's standard is checked whole before the engine trusts it (issue 12, item 4).

A standard whose fields have the wrong type (``in_force_from="2020-01-01"``, a
jurisdiction that is not a list of codes, a rule whose citation is a string) used to be
accepted and then crash the evaluator in the middle of a run. Construction now refuses
it with a bilingual error naming the field, and the plugin manager checks again every
standard a plugin returns (a frozen standard can still be altered after construction),
reporting it against its plugin while the others load.
"""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import attrs
import pytest

from campus_security.engine import Citation, Standard, Target
from campus_security.model import InvalidValue, Text
from campus_security.plugins import PluginManager
from campus_security.sdk import hookimpl, passed, rule

FROM = dt.date(2020, 1, 1)


@rule(
    "checkland.fine", title=("总是合格", "always passes"), citation=Citation("x〔2024〕1号", "一")
)
def _fine(school: Any, ctx: Any) -> Any:
    return passed("合格", "passes")


def _standard(**changes: Any) -> Standard:
    fields: dict[str, Any] = {
        "id": "checkland",
        "title": Text("检查地", "Checkland"),
        "document": "x〔2024〕1号",
        "issued_by": Text("局", "bureau"),
        "jurisdiction": ["130000"],
        "in_force_from": FROM,
        "rules": [_fine],
    }
    fields.update(changes)
    return Standard(**fields)


def test_a_sound_standard_is_accepted_at_every_boundary() -> None:
    std = _standard(in_force_until=FROM, url="https://example.org/x")
    assert std.in_force(FROM) and not std.in_force(FROM + dt.timedelta(days=1))
    std.check()  # checking again changes nothing
    assert _standard(in_force_until=None).in_force_until is None


@pytest.mark.parametrize(
    "field, value, en",
    [
        ("in_force_from", "2020-01-01", "in_force_from must be a datetime.date, not str"),
        ("in_force_from", dt.datetime(2020, 1, 1), "in_force_from must be a datetime.date"),
        ("in_force_from", None, "in_force_from must be a datetime.date, not NoneType"),
        ("in_force_until", "2030-01-01", "in_force_until must be a datetime.date"),
        ("title", "检查地", "title must be a Text (Chinese and English), not str"),
        ("issued_by", ("局", "bureau"), "issued_by must be a Text"),
        ("document", 7, "document must be a str, not int"),
        ("url", b"https://x", "url must be a str, not bytes"),
        ("rules", ["checkland.fine"], "rules must be a Rule, not str"),
        ("targets", [{"id": "t"}], "targets must be a Target, not dict"),
        ("jurisdiction", "130000", "the jurisdiction is a list of region codes, not str"),
        ("jurisdiction", 130000, "the jurisdiction is a list of region codes, not int"),
    ],
)
def test_a_wrongly_typed_field_is_refused_naming_it(field: str, value: Any, en: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        _standard(**{field: value})
    assert en in caught.value.message.en
    assert caught.value.message.zh and caught.value.message.zh != caught.value.message.en
    assert caught.value.field == field


def test_a_standard_that_ends_before_it_begins_is_refused() -> None:
    with pytest.raises(InvalidValue, match="before it is in force from"):
        _standard(in_force_until=FROM - dt.timedelta(days=1))


@pytest.mark.parametrize(
    "field, value, en",
    [
        ("due", "2025-12-31", "due must be a datetime.date, not str"),
        ("citation", "x〔2024〕1号 一", "citation must be a Citation, not str"),
        ("threshold", "0.9", "threshold is a share in (0, 1]"),
        ("threshold", True, "threshold is a share in (0, 1]"),
        ("threshold", 0.0, "threshold is a share in (0, 1]"),
    ],
)
def test_a_target_checks_its_fields(field: str, value: Any, en: str) -> None:
    fields: dict[str, Any] = {
        "id": "checkland.all",
        "title": Text("全部", "all"),
        "citation": Citation("x〔2024〕1号", "二"),
        "rule_id": "checkland.fine",
        "due": dt.date(2025, 12, 31),
        field: value,
    }
    with pytest.raises(InvalidValue) as caught:
        Target(**fields)
    assert en in caught.value.message.en


@pytest.mark.parametrize(
    "field, value, en",
    [
        ("in_force_from", "garbage", "in_force_from must be a datetime.date, not str"),
        ("jurisdiction", (5,), "the jurisdiction must be region codes"),
        ("rules", (object(),), "rules must be a Rule, not object"),
    ],
)
def test_a_standard_altered_after_construction_is_reported_and_the_others_load(
    field: str, value: Any, en: str
) -> None:
    tampered = _standard()
    object.__setattr__(tampered, field, value)

    class Tampering:
        @hookimpl
        def campus_security_standards(self) -> Any:
            return [tampered]

    pm = PluginManager(load_entrypoints=False)
    pm.register(Tampering(), "tampering")
    pm.register(importlib.import_module("fakeplugins.good"), "good")
    assert [s.id for s in pm.standards()] == ["goodland"]
    (failure,) = pm.failures
    assert failure.plugin == "tampering"
    assert en in failure.message.en and "an invalid standard was not loaded" in failure.message.en
    assert "标准无效" in failure.message.zh


def test_a_rule_whose_fields_were_altered_is_reported() -> None:
    bad_rule = attrs.evolve(_fine)
    object.__setattr__(bad_rule, "citation", "x 一")
    std = _standard()
    object.__setattr__(std, "rules", (bad_rule,))
    with pytest.raises(InvalidValue, match="citation must be a Citation, not str"):
        std.check()


def test_a_hook_that_builds_an_invalid_standard_is_reported_once_in_both_languages() -> None:
    class Builds:
        @hookimpl
        def campus_security_standards(self) -> Any:
            return [_standard(in_force_from="2020-01-01")]

    pm = PluginManager(load_entrypoints=False)
    pm.register(Builds(), "builds")
    assert pm.standards() == ()
    (failure,) = pm.failures
    assert failure.message.en.count("in_force_from must be") == 1
    assert failure.message.zh.count("in_force_from 应为") == 1
