"""The configuration file (issue 15, part 7): found upward, overridden by the command line,
every option of every command configurable through click's default_map, bad keys refused."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from conftest import EXAMPLE_ROSTER

from campus_security.cli import main, run
from campus_security.cli._config import Config, default_map, find_config

ON = "2024-11-20"
ROSTER = str(EXAMPLE_ROSTER)


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository (``.git``) with a subdirectory as the working directory."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "sub" / "deeper").mkdir(parents=True)
    monkeypatch.chdir(root / "sub" / "deeper")
    return root


PYPROJECT = """
[project]
name = "bureau"

[tool.campus-security]
block-plugin = ["tutorial"]

[tool.campus-security.check]
format = "json"
on = "2024-11-20"
rule = ["jiangsu.*"]
"""


def _report(out: str) -> dict[str, object]:
    doc: dict[str, object] = json.loads(out)
    return doc


def test_a_pyproject_table_found_upward_sets_the_defaults(capsys, repo: Path) -> None:
    (repo / "pyproject.toml").write_text(PYPROJECT)
    code, out, err = cli(capsys, "check", ROSTER, "-v")
    assert code == 1 and f"{repo / 'pyproject.toml'} [tool.campus-security]" in err
    doc = _report(out)
    assert doc["standards"] == ["jiangsu"] and doc["on"] == ON


def test_the_command_line_overrides_the_file(capsys, repo: Path) -> None:
    (repo / "pyproject.toml").write_text(PYPROJECT)
    code, out, _ = cli(capsys, "check", ROSTER, "--rule", "cangzhou.*", "--on", "2024-11-21")
    doc = _report(out)
    assert doc["standards"] == ["cangzhou"] and doc["on"] == "2024-11-21"
    code, out, _ = cli(capsys, "check", ROSTER, "--format", "text")
    assert code == 1 and out.startswith("校园安全检查")


def test_the_nearest_file_wins_and_campus_security_toml_before_pyproject(
    capsys, repo: Path
) -> None:
    (repo / "pyproject.toml").write_text(PYPROJECT)
    (repo / "sub" / "pyproject.toml").write_text('[project]\nname = "x"\n')  # no table: passed over
    assert find_config(Path.cwd()) == Config(
        repo / "pyproject.toml",
        find_config(Path.cwd()).table,  # type: ignore[union-attr]
    )
    (repo / "sub" / "campus-security.toml").write_text('[check]\nformat = "text"\n')
    found = find_config(Path.cwd())
    assert found is not None and found.path == repo / "sub" / "campus-security.toml"
    (repo / "sub" / "pyproject.toml").write_text('[tool.campus-security.check]\nformat = "json"\n')
    found = find_config(Path.cwd())
    assert found is not None and found.path.name == "campus-security.toml"  # same folder: it wins


def test_the_search_stops_at_the_repository_root(repo: Path) -> None:
    (repo.parent / "campus-security.toml").write_text('[check]\nformat = "json"\n')
    assert find_config(Path.cwd()) is None  # above .git: not this repository's
    (repo / "campus-security.toml").write_text('[check]\nformat = "json"\n')
    found = find_config(Path.cwd())
    assert found is not None and found.path == repo / "campus-security.toml"


def test_config_and_no_config_choose_the_file(capsys, repo: Path, tmp_path: Path) -> None:
    (repo / "pyproject.toml").write_text(PYPROJECT)
    other = tmp_path / "other.toml"
    other.write_text('[check]\nformat = "json"\nstandard = ["cangzhou"]\non = "2024-11-20"\n')
    _, out, _ = cli(capsys, "--config", str(other), "check", ROSTER)
    assert _report(out)["standards"] == ["cangzhou"]
    code, out, _ = cli(capsys, "--no-config", "check", ROSTER, "--on", ON)
    assert code == 1 and out.startswith("校园安全检查")  # built-in defaults: text
    code, _, err = cli(capsys, "--config", str(other), "--no-config", "check", ROSTER)
    assert code == 2 and "--no-config" in err


def test_the_config_command_says_which_file_and_what_it_sets(capsys, repo: Path) -> None:
    code, out, _ = cli(capsys, "config")
    assert code == 0 and "config file: none" in out
    (repo / "pyproject.toml").write_text(PYPROJECT)
    code, out, _ = cli(capsys, "config")
    assert code == 0 and str(repo / "pyproject.toml") in out
    assert "check: --rule = ['jiangsu.*']" in out and "check: --block-plugin" in out
    code, out, _ = cli(capsys, "config", "--format", "json")
    doc = json.loads(out)
    assert doc["file"] == str(repo / "pyproject.toml")
    assert {"command": "check", "option": "--format", "value": "json"} in doc["defaults"]


@pytest.mark.parametrize(
    "text, says",
    [
        ("[check]\nformt = 'json'\n", ["formt", "format"]),  # the closest option first
        ("[check]\njobs = 'many'\n", ["check.jobs", "many"]),
        ("[check]\njobs = 0\n", ["check.jobs", "0"]),
        ("[check]\nformat = 'xml'\n", ["check.format", "xml", "json"]),
        ("[check]\nrule = 'jiangsu.*'\n", ["check.rule", "array"]),
        ("[check]\nquiet = 'yes'\n", ["check.quiet", "true or false"]),
        ("[check]\non = '2024-13-01'\n", ["check.on", "2024-13-01"]),
        ("[check]\nstandard = [['x']]\n", ["check.standard"]),
        ("check = 3\n", ["check", "table"]),
        ("nonsense = 1\n", ["nonsense", "no option of any command"]),
        ("[devices.probe]\nnope = 1\n", ["devices.probe", "nope"]),
        ("[check\n", ["not valid TOML", "line 1"]),
    ],
)
def test_a_bad_file_is_a_usage_error_naming_file_key_and_expectation(
    capsys, repo: Path, text: str, says: list[str]
) -> None:
    path = repo / "campus-security.toml"
    path.write_text(text)
    code, out, err = cli(capsys, "check", ROSTER)
    assert code == 2 and not out and "Traceback" not in err
    assert str(path) in err
    for word in says:
        assert word in err, (word, err)


def test_every_option_of_every_command_is_configurable() -> None:
    """default_map reaches every option with a long name, subcommands' too, by its key."""

    def walk(group: click.Group, path: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
        for name, cmd in group.commands.items():
            if isinstance(cmd, click.Group):
                yield from walk(cmd, (*path, name))
            for p in cmd.params:
                longs = [o for o in p.opts if o.startswith("--")]
                if isinstance(p, click.Option) and longs and p.name not in ("help",):
                    yield (*path, name), p, longs[0][2:]

    checked = 0
    for path, param, key in walk(main):
        table: dict[str, object] = {}
        inner = table
        for part in path:
            inner = inner.setdefault(part, {})  # type: ignore[assignment]
        inner[key] = [] if param.multiple else (False if param.is_flag else None)
        if inner[key] is None:
            continue  # a value of its own type is checked above; here: the key is known
        dm = default_map(Config(Path("x.toml"), table), main)
        for part in path:
            dm = dm[part]
        assert dm[param.name] == inner[key], (path, key)
        checked += 1
    assert checked > 20


def test_shared_top_level_keys_apply_to_every_command_having_the_option(repo: Path) -> None:
    dm = default_map(Config(Path("c.toml"), {"block-plugin": ["tutorial"]}), main)
    assert dm["check"]["block"] == ["tutorial"] and dm["rules"]["block"] == ["tutorial"]
    assert dm["devices"]["probe"]["block"] == ["tutorial"]
    assert "block" not in dm["convert"]  # convert has no --block-plugin
    own = default_map(
        Config(Path("c.toml"), {"block-plugin": ["tutorial"], "check": {"block-plugin": []}}),
        main,
    )
    assert own["check"]["block"] == [] and own["rules"]["block"] == ["tutorial"]


def test_the_documented_example_is_a_valid_configuration() -> None:
    import re
    import tomllib

    text = (Path(__file__).parent.parent / "docs" / "cli.md").read_text("utf-8")
    block = re.search(r"```toml\n(.*?)```", text, re.S)
    assert block is not None
    table = tomllib.loads(block.group(1))["tool"]["campus-security"]
    dm = default_map(Config(Path("pyproject.toml"), table), main)
    assert dm["check"]["skip_rules"] == ["jiangsu.guard-post"]
    assert dm["devices"]["probe"]["concurrency"] == "4"


def test_a_path_is_relative_to_the_file_s_folder(capsys, repo: Path) -> None:
    (repo / "campus-security.toml").write_text(
        '[check]\nformat = "json"\noutput = "reports/latest.json"\non = "2024-11-20"\n'
    )
    (repo / "reports").mkdir()
    code, out, _ = cli(capsys, "check", ROSTER)
    assert code == 1 and not out
    assert _report((repo / "reports" / "latest.json").read_text("utf-8"))["on"] == ON
    assert not (Path.cwd() / "reports").exists()
