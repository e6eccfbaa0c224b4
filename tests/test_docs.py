"""The documentation cannot drift from the code.

The rule catalogue lists exactly the installed rules; every hook, roster field, CLI
command and option is documented; the tutorial shows the files of the tutorial plugin,
which passes its own tests; hand-written pages name only rules that exist and link
only to objects the API reference documents. ``nox -s docs`` builds the sites.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import attrs
import click
import pytest
from conftest import EXAMPLE_ROSTER, ROOT

import campus_security as cs
from campus_security.cli import main

sys.path.insert(0, str(ROOT / "docs" / "_hooks"))
import docbuilder as _docs  # the documentation builder lives in docs/

DOCS = ROOT / "docs"
TUTORIAL = ROOT / "examples" / "tutorial_plugin"
HAND_WRITTEN = sorted(p for p in DOCS.rglob("*.md") if "_hooks" not in p.parts)
SNIPPET = re.compile(r'^\s*--8<-- "([^":]+)(?::([\w-]+))?"\s*$', re.M)


@pytest.fixture(scope="module")
def pm() -> cs.PluginManager:
    return cs.PluginManager()


@pytest.fixture(scope="module")
def catalogue(pm: cs.PluginManager) -> dict[str, str]:
    pages = _docs.rule_catalogue(pm.standards(), plugins=_docs.standards_by_plugin(pm))
    return dict(pages)


# --- the rule catalogue --------------------------------------------------------------------------


def test_the_catalogue_lists_exactly_the_rules_that_campus_security_rules_lists(
    catalogue: dict[str, str],
) -> None:
    code, out = _docs.run_cli(["rules", "--format", "json"])
    assert code == 0
    listed = json.loads(out)["standards"]
    rules = {r["id"] for s in listed for r in s["rules"]}
    sections = {
        m for page in catalogue.values() for m in re.findall(r"^### `([^`]+)` \{#\1\}$", page, re.M)
    }
    assert rules, "no plugin installed: the catalogue would be empty"
    assert sections == rules
    assert set(catalogue) == {"rules/index.md"} | {f"rules/{s['id']}.md" for s in listed}
    index = catalogue["rules/index.md"]
    for s in listed:
        for r in s["rules"]:
            assert f"[`{r['id']}`]({s['id']}.md#{r['id']})" in index
        page = catalogue[f"rules/{s['id']}.md"]
        for t in s["targets"]:
            assert f"`{t['id']}` {{#{t['id']}}}" in page
            assert f"[`{t['rule_id']}`](#{t['rule_id']})" in page


def test_each_rule_section_has_its_metadata(pm: cs.PluginManager, catalogue) -> None:
    for std in pm.standards():
        page = catalogue[f"rules/{std.id}.md"]
        for rule in std.rules:
            section = page.split(f"### `{rule.id}`", 1)[1].split("\n### ", 1)[0]
            assert rule.title.zh in section and rule.title.en in section
            assert f"{rule.citation.document} {rule.citation.clause}" in section
            assert rule.applies.description.en in section


def test_every_installed_rule_says_what_passes_and_what_fails(pm: cs.PluginManager) -> None:
    missing = [r.id for s in pm.standards() for r in s.rules if not (r.passes and r.fails)]
    assert missing == []


def test_pages_name_only_rules_and_targets_that_exist(pm: cs.PluginManager) -> None:
    standards = pm.standards()
    known = {x.id for s in standards for x in (*s.rules, *s.targets)}
    for page in HAND_WRITTEN:
        unknown = _docs.mentioned_ids(page.read_text("utf-8"), {s.id for s in standards}) - known
        assert not unknown, f"{page.relative_to(ROOT)} names rules that do not exist: {unknown}"


def test_mentioned_ids_sees_only_ids_of_installed_standards() -> None:
    text = "`cangzhou.guard-staffing`, `campus_security.sdk`, `myregion.x`, cangzhou.no-backticks"
    assert _docs.mentioned_ids(text, {"cangzhou"}) == {"cangzhou.guard-staffing"}


# --- the hook reference --------------------------------------------------------------------------


def test_every_hook_has_a_section(pm: cs.PluginManager) -> None:
    page = _docs.hook_reference()
    hooks = [name for name in dir(pm.pm.hook) if name.startswith("campus_security_")]
    assert hooks
    assert sorted(s.name for s in _docs.hook_specs()) == sorted(hooks)
    for name in hooks:
        assert f"## `{name}` {{#{name}}}" in page, f"{name} has no section"


@pytest.mark.parametrize("spec", _docs.hook_specs(), ids=lambda s: s.name)
def test_every_hook_says_what_it_returns_when_it_is_called_and_shows_an_example(spec) -> None:
    assert spec.summary
    assert spec.returns, "annotate the hook's return type"
    assert spec.returned, "say what the hook returns (a sentence starting 'Return')"
    assert spec.called, "say when the hook is called (a sentence starting 'Called')"
    assert "@hookimpl" in spec.example, "end the docstring with an 'Example::' block"
    for name, annotation, _ in spec.arguments:
        assert annotation, f"annotate the argument {name}"


def test_rst_to_markdown_turns_roles_and_literal_blocks_into_markdown() -> None:
    md = _docs.rst_to_markdown(
        "Return a :class:`~campus_security.engine.Standard` or ``None``.\n\n"
        "Example::\n\n    x = 1\n\n>>> 1 + 1\n2\n"
    )
    assert "[`Standard`](api/campus_security.engine.html#campus_security.engine.Standard)" in md
    assert "`None`" in md and "```python\nx = 1\n```" in md and "```pycon\n>>> 1 + 1\n2\n```" in md


# --- the roster format and the glossary ----------------------------------------------------------


def test_every_roster_field_is_documented_with_its_chinese_term() -> None:
    assert _docs.undocumented_fields() == []
    classes, _ = _docs.roster_classes()
    no_term = [
        f"{cls.__name__}.{a.name}"
        for cls in classes
        for a in attrs.fields(cls)
        if not _docs.chinese_term(_docs.field_docs(cls)[a.name])
    ]
    assert no_term == [], "start these fields' docstrings with their Chinese term"


def test_the_roster_reference_has_every_class_field_and_enum_value() -> None:
    page = _docs.roster_reference()
    classes, enums = _docs.roster_classes()
    for cls in classes:
        table = page.split(f"### `{cls.__name__}` {{#{cls.__name__.lower()}}}", 1)[1]
        table = table.split("\n### ", 1)[0]
        for a in attrs.fields(cls):
            assert f"| `{a.name}` |" in table, f"{cls.__name__}.{a.name}"
    for e in enums:
        for member in e:
            assert f'| `"{member.value}"` |' in page


def test_chinese_terms_come_from_the_start_or_the_brackets() -> None:
    assert _docs.chinese_term("在校生数 (幼儿 for kindergartens).") == "在校生数"
    assert _docs.chinese_term("24小时值班 (boarding schools).") == "24小时值班"
    assert _docs.chinese_term("地处复杂区域 / 情况复杂: the school...") == "地处复杂区域 / 情况复杂"
    assert (
        _docs.chinese_term("The day the school first engaged the guard (首次聘用).") == "首次聘用"
    )
    assert _docs.chinese_term("No Chinese here.") == ""


def test_the_glossary_lists_every_name_of_the_roster_model() -> None:
    glossary = (DOCS / "glossary.md").read_text("utf-8")
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", glossary))
    classes, enums = _docs.roster_classes()
    missing = [c.__name__ for c in classes if c.__name__ not in words]
    missing += [
        f"{c.__name__}.{a.name}" for c in classes for a in attrs.fields(c) if a.name not in words
    ]
    missing += [e.__name__ for e in enums if e.__name__ not in words]
    missing += [f"{e.__name__}.{m.name}" for e in enums for m in e if m.name not in words]
    api = ["Standard", "Rule", "Citation", "Target", "Finding", "Status", "Rate", "RateStatus"]
    api += ["Tally", "Verdict", "Outcome", "Applicability", "Context", "Report", "Text"]
    api += ["DeviceStatus", "DeviceAdapter", "Period", "Problem", "RosterError", "PluginManager"]
    missing += [name for name in api if name not in words]
    missing += [
        f"DeviceStatus.{a.name}" for a in attrs.fields(cs.DeviceStatus) if a.name not in words
    ]
    assert missing == [], "add these names to docs/glossary.md"


def test_the_example_rosters_are_what_the_pages_say() -> None:
    first = DOCS / "snippets" / "first-roster.json"
    assert cs.dumps_roster(cs.load_roster(first)) == first.read_bytes(), "not in canonical form"
    with pytest.raises(cs.RosterError) as bad:
        cs.load_roster(DOCS / "snippets" / "bad-roster.json")
    assert len(bad.value.problems) >= 4


# --- the command line ----------------------------------------------------------------------------


def _commands(cmd: click.Command, ctx: click.Context):
    yield cmd, ctx
    if isinstance(cmd, click.Group):
        for name in cmd.list_commands(ctx):
            sub = cmd.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from _commands(sub, click.Context(sub, info_name=name, parent=ctx))


def test_the_cli_reference_has_every_command_and_option() -> None:
    page = _docs.cli_reference()
    for cmd, ctx in _commands(main, click.Context(main, info_name="campus-security")):
        assert f"`{ctx.command_path}`" in page
        for param in cmd.get_params(ctx):
            if isinstance(param, click.Option) and not param.hidden:
                for opt in param.opts:
                    assert opt in page, f"{ctx.command_path} {opt}"


# --- the tutorial --------------------------------------------------------------------------------


def _snippets(page: Path) -> list[tuple[str, str | None]]:
    return SNIPPET.findall(page.read_text("utf-8"))


def test_every_snippet_names_a_file_and_section_that_exist() -> None:
    for page in HAND_WRITTEN:
        for path, section in _snippets(page):
            target = ROOT / path
            assert target.is_file(), f"{page.name}: {path} does not exist"
            if section:
                text = target.read_text("utf-8")
                assert f"--8<-- [start:{section}]" in text, f"{page.name}: {path}:{section}"
                assert f"--8<-- [end:{section}]" in text, f"{page.name}: {path}:{section}"


def test_the_tutorial_shows_every_file_of_the_tutorial_plugin() -> None:
    shown = {path for path, _ in _snippets(DOCS / "plugin-authors.md")}
    files = {
        p.relative_to(ROOT).as_posix()
        for p in TUTORIAL.rglob("*")
        if p.is_file() and p.suffix in {".py", ".toml"} and "__pycache__" not in p.parts
    }
    assert files and files <= shown, f"not shown in the tutorial: {files - shown}"


def test_the_tutorial_shows_every_section_of_its_files() -> None:
    shown = set(_snippets(DOCS / "plugin-authors.md"))
    for path in {p for p, _ in shown}:
        sections = set(re.findall(r"--8<-- \[start:([\w-]+)\]", (ROOT / path).read_text("utf-8")))
        missing = {s for s in sections if (path, s) not in shown}
        assert not missing, f"{path}: sections not in the tutorial: {missing}"


def test_the_tutorial_plugin_passes_its_own_tests() -> None:
    pytest.importorskip("campus_security_tutorial", reason="pip install -r requirements-dev.txt")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=TUTORIAL,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\d+ passed", result.stdout)


def test_the_tutorial_standard_leaves_the_demo_roster_alone() -> None:
    tutorial = pytest.importorskip("campus_security_tutorial")
    roster = cs.load_roster(EXAMPLE_ROSTER)
    assert not [s.id for s in roster.schools if tutorial.STANDARD.covers(s.region_code)]
    assert "虚构" in tutorial.STANDARD.title.zh and "fictional" in tutorial.STANDARD.title.en


# --- links into the API reference ----------------------------------------------------------------

API_LINK = re.compile(r"\]\((?:\.\./)*api/([\w.]+)\.html(?:#([\w.-]+))?\)")


def test_links_into_the_api_reference_name_documented_objects(catalogue) -> None:
    pages = {p.name: p.read_text("utf-8") for p in HAND_WRITTEN}
    pages["hooks.md"] = _docs.hook_reference()
    pages["roster fields"] = _docs.roster_reference()
    for name, text in pages.items():
        for page, anchor in API_LINK.findall(text):
            known = (*_docs.API_MODULES, "index", "genindex", "py-modindex")
            assert page in known, f"{name}: no API page {page}"
            if anchor and not anchor.startswith("module-"):
                assert _docs.api_home(anchor) == (page, anchor), f"{name}: {page}#{anchor}"


def test_objects_are_documented_under_their_public_names() -> None:
    assert _docs.canonical_name("campus_security.engine.rules.Standard") == (
        "campus_security.engine.Standard"
    )
    assert _docs.canonical_name("campus_security.Standard") == "campus_security.engine.Standard"
    assert _docs.canonical_name("campus_security.sdk.rule") == "campus_security.engine.rule"
    assert _docs.canonical_name("campus_security.formats.roster_json.FORMAT") == (
        "campus_security.formats.FORMAT"
    )
    assert _docs.api_home("campus_security.plugins.PluginManager.standards") == (
        "campus_security.plugins",
        "campus_security.plugins.PluginManager.standards",
    )
    assert _docs.canonical_name("campus_security.engine.rules._check_id") is None


def test_the_nav_names_pages_that_exist() -> None:
    nav = (ROOT / "mkdocs.yml").read_text("utf-8").split("\nnav:\n", 1)[1]
    for path in re.findall(r"^\s*- (?:[^:\n]+: )?([\w./*-]+\.(?:md|html))\s*$", nav, re.M):
        if "*" in path or path.startswith("optional:"):
            continue
        generated = path.startswith(("rules/", "reference/hooks.md"))
        assert generated or (DOCS / path).is_file(), f"mkdocs.yml names a missing page: {path}"
