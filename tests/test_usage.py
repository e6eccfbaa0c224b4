"""Exit codes and usage (issue 12, item 7).

0: nothing failed; 1: a rule failed or errored; 2: bad input or usage.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import EXAMPLE_ROSTER

from campus_security.cli import run

ON = "2024-11-20"


def _run(capsys: Any, *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_with_no_standard_installed_is_a_usage_error(
    capsys: Any, fake_entry_points: Any
) -> None:
    fake_entry_points()  # nothing installed
    code, out, err = _run(capsys, "check", str(EXAMPLE_ROSTER), "--on", ON)
    assert code == 2 and "pass 0" not in out
    assert "没有可检查的标准" in err and "no standard to check against (none is installed)" in err


def test_check_with_every_standard_blocked_is_a_usage_error(
    capsys: Any, fake_entry_points: Any
) -> None:
    fake_entry_points(goodland="fakeplugins.good")
    code, _, err = _run(
        capsys, "check", str(EXAMPLE_ROSTER), "--on", ON, "--block-plugin", "goodland"
    )
    assert code == 2 and "all blocked by --block-plugin" in err


@pytest.mark.parametrize(
    "command", [["check", str(EXAMPLE_ROSTER), "--on", ON], ["plugins"], ["rules"]]
)
def test_an_unknown_blocked_plugin_is_a_usage_error_naming_the_installed(
    capsys: Any, fake_entry_points: Any, command: list[str]
) -> None:
    fake_entry_points(goodland="fakeplugins.good", typo="fakeplugins.typo")
    code, out, err = _run(capsys, *command, "--block-plugin", "goodlnad")
    assert code == 2 and not out
    assert "goodlnad" in err and "installed: goodland, typo" in err and "已安装" in err


def test_blocking_an_installed_plugin_is_fine(capsys: Any) -> None:
    code, out, _ = _run(
        capsys, "check", str(EXAMPLE_ROSTER), "--on", ON, "--block-plugin", "tutorial"
    )
    assert code == 1 and "cangzhou" in out


def _cli(*args: str, prelude: str = "", env: dict[str, str] | None = None) -> Any:
    import os
    import subprocess
    import sys

    code = f"{prelude}\nfrom campus_security.cli import main\nmain()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def test_dask_without_dask_is_a_usage_error_not_a_traceback(tmp_path: Any) -> None:
    roster = tmp_path / "roster.jsonl"
    assert run(["convert", str(EXAMPLE_ROSTER), "-o", str(roster)]) == 0
    hide = "import sys; sys.modules['dask.distributed'] = None; sys.modules['distributed'] = None"
    done = _cli("check", str(roster), "--on", ON, "--dask", prelude=hide)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "--dask needs Dask, which is not installed" in done.stderr and "未安装" in done.stderr


def test_ctrl_c_exits_130_not_1(tmp_path: Any) -> None:
    import os

    site = tmp_path / "site"
    info = site / "fakes-0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: fakes\nVersion: 0\n", "utf-8")
    (info / "entry_points.txt").write_text(
        "[campus_security]\ninterrupts = fakeplugins.interrupts\n", "utf-8"
    )
    tests = str(EXAMPLE_ROSTER.parent.parent / "tests")
    path = os.pathsep.join([str(site), tests, os.environ.get("PYTHONPATH", "")])
    done = _cli("check", str(EXAMPLE_ROSTER), "--on", ON, env={"PYTHONPATH": path})
    assert done.returncode == 130, done.stderr
    assert "Aborted" in done.stderr and "Traceback" not in done.stderr
