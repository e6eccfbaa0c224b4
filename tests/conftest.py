from __future__ import annotations

import importlib.metadata
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).parent))

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "dev", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

# The fuzzing harness (tests/fuzz) runs in `nox -s fuzz`, which sets CAMPUS_SECURITY_FUZZ.
collect_ignore = [] if os.environ.get("CAMPUS_SECURITY_FUZZ") else ["fuzz"]

ROOT = Path(__file__).resolve().parent.parent

if os.environ.get("CAMPUS_SECURITY_TESTS_INSTALLED"):
    # `nox -s tests` installs the built wheels: the tests must import those (the library
    # and every plugin), never the source tree.
    import importlib.metadata
    import importlib.util

    packages = {"campus_security"}
    packages |= {
        ep.module.split(".")[0] for ep in importlib.metadata.entry_points(group="campus_security")
    }
    for package in sorted(packages):
        spec = importlib.util.find_spec(package)
        origin = Path(spec.origin if spec and spec.origin else ROOT)
        if any(origin.resolve().is_relative_to(ROOT / d) for d in ("src", "plugins", "examples")):
            raise RuntimeError(f"the tests would import {package} from the source tree: {origin}")

EXAMPLE_ROSTER = ROOT / "examples" / "roster.json"


def entry_points_of(**names: str) -> list[importlib.metadata.EntryPoint]:
    """Entry points of the ``campus_security`` group: plugin name = module."""
    return [
        importlib.metadata.EntryPoint(name, value, "campus_security")
        for name, value in names.items()
    ]


@pytest.fixture
def fake_entry_points(monkeypatch: pytest.MonkeyPatch):
    """Replace the installed entry points with the given fake ones (in this process)."""

    def install(**names: str) -> None:
        eps = entry_points_of(**names)
        monkeypatch.setattr(
            importlib.metadata, "entry_points", lambda group: [e for e in eps if e.group == group]
        )

    return install


@pytest.fixture(scope="session")
def postgres_cluster():
    """A throwaway PostgreSQL 15 cluster (initdb, pg_ctl; Unix socket, no network)."""
    import pgcluster

    reason = pgcluster.missing_reason()
    if reason:
        pytest.skip(reason)
    yield from pgcluster.start()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A fresh store URL: an SQLite file, then a new database of the PostgreSQL cluster."""
    if request.param == "sqlite":
        return str(tmp_path / "results.db")
    return request.getfixturevalue("postgres_cluster").new_database()
