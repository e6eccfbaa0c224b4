"""What every distribution of this repository declares (the built files: `nox -s build`).

A new plugin distribution under plugins/ must pass these too: its own LICENSE and README,
the project URLs, a py.typed, and a row in the README's table of distributions.
"""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

import pytest

import campus_security

ROOT = Path(__file__).resolve().parent.parent
DISTS = [
    ROOT,
    *sorted(p.parent for p in ROOT.glob("plugins/*/pyproject.toml")),
    *sorted(p.parent for p in ROOT.glob("examples/*/pyproject.toml")),
]


def _project(path: Path) -> dict:
    return tomllib.loads((path / "pyproject.toml").read_text("utf-8"))


CORE = _project(ROOT)


@pytest.mark.parametrize("path", DISTS, ids=lambda p: p.name)
def test_each_distribution_ships_the_licence_readme_and_urls(path: Path) -> None:
    doc = _project(path)
    project = doc["project"]
    assert project["name"].startswith("campus-security")
    assert project["license"] == "MIT"
    assert (path / "LICENSE").read_bytes() == (ROOT / "LICENSE").read_bytes()
    assert (path / project["readme"]).is_file()
    assert project["urls"] == CORE["project"]["urls"]
    assert project["requires-python"] == CORE["project"]["requires-python"]
    for package in doc["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]:
        assert (path / package / "py.typed").is_file(), package
    if path != ROOT:
        assert "version" in project  # defined once, here
        assert project["dependencies"][0].startswith("campus-security>=")
        assert list(project["entry-points"]) == ["campus_security"]


def test_the_core_version_is_defined_once() -> None:
    assert "version" not in CORE["project"] and CORE["project"]["dynamic"] == ["version"]
    assert CORE["tool"]["hatch"]["version"]["path"] == "src/campus_security/__init__.py"
    assert campus_security.__version__ == importlib.metadata.version("campus-security")


def test_the_readme_lists_every_distribution() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for path in DISTS:
        name = _project(path)["project"]["name"]
        assert re.search(rf"^\| `{re.escape(name)}` \|", readme, re.M), f"README: no row for {name}"


def test_the_changelog_has_unreleased_and_the_current_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text("utf-8")
    headings = re.findall(r"^## (\S+)", text, re.M)
    assert headings[0] == "Unreleased"
    released = headings[1:]
    assert released and all(re.fullmatch(r"\d+\.\d+\.\d+", h) for h in released)
    # Releasing renames "Unreleased" to the new version and bumps __version__ with it.
    assert released[0] == campus_security.__version__


def test_the_core_sdist_holds_the_core_only() -> None:
    include = CORE["tool"]["hatch"]["build"]["targets"]["sdist"]["only-include"]
    assert not [i for i in include if i.split("/")[0] in {"plugins", ".ci", "tests", "docs"}]
    assert {"LICENSE", "CHANGELOG.md", "SECURITY.md", "README.md"} <= set(include)
