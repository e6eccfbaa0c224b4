from __future__ import annotations

import runpy
import sys

import pytest
from conftest import ROOT


def test_embed_example_runs_and_finds_failures(capsys: pytest.CaptureFixture[str]) -> None:
    sys.modules.pop("embed", None)
    ns = runpy.run_path(str(ROOT / "examples" / "embed.py"))
    assert ns["main"]() == 0
    out = capsys.readouterr().out
    assert "沧州市第一中学" in out
    assert "fail=" in out and "fail=0" not in out
    assert "acme.gatehouse" in out or "cangzhou." in out


def test_demo_roster_is_what_the_generator_makes(tmp_path) -> None:
    import campus_security as cs

    ns = runpy.run_path(str(ROOT / "examples" / "make_demo_roster.py"))
    built = ns["build"]()
    assert cs.dumps_roster(built) == (ROOT / "examples" / "roster.json").read_bytes()
