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
