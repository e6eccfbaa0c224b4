"""The census package's import graph: the plugin layer imports no format module.

Hook specifications, the plugin manager and the SDK hand over census-form layouts
(:mod:`campus_security.census_forms`), which live below the formats, so that no import
circle runs formats/census → plugins → hookspecs → formats/census. The graph is read
from the source (every ``import``, those under ``TYPE_CHECKING`` and inside functions
included), so a lazy import cannot hide a circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import campus_security
from campus_security.formats import census

PACKAGE = Path(campus_security.__file__).parent


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ["campus_security", *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str) -> set[str]:
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            subs = {f"{module}.{a.name}" for a in node.names} & MODULES.keys()
            out |= subs
            if len(subs) < len(node.names) and module in MODULES:
                out.add(module)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names} & MODULES.keys()
    out.discard(name)
    return out


def _reach(start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for dep in _imports(todo.pop()):
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


def test_hook_specifications_import_no_format_module() -> None:
    assert sorted(m for m in _imports("campus_security.hookspecs") if ".formats" in m) == []


@pytest.mark.parametrize(
    "module",
    [
        "campus_security.hookspecs",
        "campus_security.plugins",
        "campus_security.sdk",
        "campus_security.census_forms",
    ],
)
def test_the_plugin_layer_reaches_no_census_reader_or_writer(module: str) -> None:
    reached = sorted(m for m in _reach(module) if m.startswith("campus_security.formats.census"))
    assert reached == []


def test_no_census_module_is_in_an_import_circle() -> None:
    for name in MODULES:
        if name.startswith("campus_security.formats.census") or name in {
            "campus_security.census_forms",
            "campus_security.hookspecs",
            "campus_security.plugins",
        }:
            assert name not in _reach(name), name


def test_every_census_module_is_under_800_lines() -> None:
    for name, path in MODULES.items():
        if "census" in name:
            assert len(path.read_text(encoding="utf-8").splitlines()) <= 800, name


def test_the_public_names_stay_importable_from_formats_census() -> None:
    from campus_security import census_forms, sdk

    for name in census.__all__:
        assert getattr(census, name) is not None
    assert census.FormLayout is census_forms.FormLayout is sdk.FormLayout
    assert set(census_forms.__all__) <= set(census.__all__)
