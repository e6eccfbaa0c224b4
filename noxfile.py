"""Development sessions: tests, lint, type checking, build (``nox -l`` lists them)."""

from __future__ import annotations

import json
import os
import re
import shutil
import tarfile
import tomllib
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.parser import HeaderParser
from pathlib import Path

import nox
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = False

PYTHON = ["3.11"]
ROOT = Path(__file__).resolve().parent
# Every distribution of this repository is named campus-security or campus-security-*. Those
# names are free on the public index, where anyone could publish a package of the same name:
# they are only ever installed from the wheels built here (pip --no-index --find-links).
OWN_PREFIX = "campus-security"
# Files that no wheel may ship: the docs builder moved out of the package to
# docs/_hooks/docbuilder.py (issue 13); this keeps it from coming back.
NOT_SHIPPED: set[str] = {"campus_security/_docs.py"}


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Build the wheels of the library and every plugin, install them, run the whole suite.

    The tests import what a user installs, never the source tree (hynek's ``--installpkg``
    pattern): ``nox -s tests -- --installpkg dist/`` reuses the wheels that ``nox -s build``
    left in dist/; other arguments go to pytest.
    """
    args = list(session.posargs)
    if args[:1] == ["--installpkg"]:
        wheels = sorted(Path(args[1]).resolve().glob("*.whl"))
        args = args[2:]
    else:
        session.install("build")
        out = Path(session.create_tmp()).resolve() / "dist"
        shutil.rmtree(out, ignore_errors=True)
        for d in distributions():
            session.run("python", "-m", "build", "--wheel", "--outdir", str(out), str(d.path))
        wheels = sorted(out.glob("*.whl"))
    _install_wheels(session, None, wheels, extras=("test", "dask", "store"), replace=True)
    session.env["CAMPUS_SECURITY_TESTS_INSTALLED"] = "1"  # conftest: refuse the source tree
    session.run("pytest", *args)


@nox.session(python=PYTHON)
def fuzz(session: nox.Session) -> None:
    """Fuzzing (issue 12): mutated rosters and census forms through every reader, the CLI, the API.

    Hypothesis builds valid rosters and census forms and mutates them (tests/fuzz); every
    input goes through the API and ``check``, ``convert``, ``export`` and ``import`` in a
    process with bounded memory and time, and must give no traceback, no signal, an exit
    code of the README's meaning, located errors and no unmasked ID number. Issue 12's
    reproducers are regression cases.

    Two parts: pytest (the reproducers; ``CAMPUS_SECURITY_FUZZ_EXAMPLES`` inputs per fuzz
    test, default 10, each in its own process, shrunk to a minimal input on failure),
    then a campaign of ``CAMPUS_SECURITY_FUZZ_CAMPAIGN`` inputs (default 400, many per
    process: tests/fuzz/campaign.py), which fails on any defect and keeps the inputs
    that showed one. CI runs the defaults: 50 + 400 mutated inputs and 24 reproducers.
    A long run: ``CAMPUS_SECURITY_FUZZ_CAMPAIGN=5000 nox -s fuzz``.
    """
    session.install("-r", "requirements-dev.txt")
    session.install(".[test]")
    session.env["CAMPUS_SECURITY_FUZZ"] = "1"
    session.run("pytest", "tests/fuzz", *session.posargs)
    log = Path(session.create_tmp()).resolve() / "fuzz.log"
    log.unlink(missing_ok=True)
    shutil.rmtree(log.with_suffix(".inputs"), ignore_errors=True)
    inputs = os.environ.get("CAMPUS_SECURITY_FUZZ_CAMPAIGN", "400")
    session.run("python", "tests/fuzz/campaign.py", "run", inputs, str(log))


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Ruff: lint and format check of everything."""
    session.install("ruff==0.17.6")  # pinned: new ruff releases add rules
    paths = ["src", "plugins", "tests", "examples", "noxfile.py"]
    session.run("ruff", "check", *paths)
    session.run("ruff", "format", "--check", *paths)


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """Mypy, strict, on the library."""
    session.install("-r", "requirements-dev.txt")
    session.install(".[store]")  # the results store's libraries are typed too
    session.install("mypy>=1.10")
    session.run("mypy")
    # The plugins are typed against the public SDK, strictly too.
    plugin_sources = [str(d.rel / "src") for d in distributions() if d.path != ROOT]
    session.run("mypy", "--strict", *plugin_sources)


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the guide (mkdocs --strict) and the API reference (Sphinx -W -n) into site/.

    The guide's generated pages need the plugins installed: the rule catalogue lists
    exactly what `campus-security rules` lists in this environment. The API reference's
    doctests run too (Sphinx's doctest builder).
    """
    session.install("-r", "requirements-dev.txt")
    session.install(".[docs,store]")
    session.env["NO_MKDOCS_2_WARNING"] = "1"  # mkdocs-material's banner is not a warning
    session.run("mkdocs", "build", "--strict", "--clean", "--site-dir", "site")
    sphinx = ["sphinx-build", "-W", "--keep-going", "-n", "-E", "-q"]
    session.run(*sphinx, "-b", "html", "docs/api", "site/api")
    session.run(*sphinx, "-b", "doctest", "docs/api", "build/doctest")
    session.run("python", "-m", "sphinx.ext.intersphinx", "site/api/objects.inv", silent=True)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """The national-scale benchmark (not a test): `nox -s bench -- --sizes 1000,10000`.

    Generates (and caches under bench-results/) synthetic rosters of 1k, 10k, 100k and
    500k schools, measures the library against the orjson parse floor and a
    hand-written loop, prints a table and writes bench-results/bench.json. The
    environment has what a user installs (requirements.txt: the library, the five
    regional standards and the ONVIF adapter), not the fictional tutorial standard.
    """
    session.install("-r", "requirements.txt")
    session.install(".[store]")  # --store: the results store's figures (bench/store.py)
    session.run("python", "bench/run.py", *session.posargs)


@nox.session(python=PYTHON)
def build(session: nox.Session) -> None:
    """Build, check and install alone every distribution: the core and each plugin.

    Into dist/: the sdist and wheel of each (``python -m build``: the wheel is built from
    the sdist, so the sdist is complete). Then ``twine check --strict``, and each wheel
    holds exactly its own package (py.typed, data files such as the JSON schema, no
    tests, no docs builder, nothing of another distribution), its licence, and its entry
    points. Last, each wheel goes into an empty virtual environment with only what it
    declares: its external dependencies from the index, the project's own distributions
    from dist/ only (``--no-index``); there the command line lists its plugin and
    checks the plugin's fixture roster.
    """
    session.install("build", "twine")
    out = ROOT / "dist"
    shutil.rmtree(out, ignore_errors=True)
    dists = distributions()
    for d in dists:
        session.run("python", "-m", "build", "--outdir", str(out), str(d.path))
    session.run("twine", "check", "--strict", *(str(p) for p in sorted(out.iterdir())))
    core_version = _metadata(_wheel(out, dists[0].name))["Version"]
    for d in dists:
        _check_sdist(d, _sdist(out, d.name))
        _check_wheel(d, _wheel(out, d.name))
        session.log(f"{d.name}: contents, licence and entry points as declared")
    wheels = sorted(out.glob("*.whl"))
    for d in dists:
        _smoke(session, d, out, wheels, core_version)
    for w in wheels:
        session.log(f"{w.name}: {w.stat().st_size / 1024:.1f} KiB")


# --- the distributions of this repository -------------------------------------------


@dataclass(frozen=True)
class Dist:
    """One distribution of this repository, as its pyproject.toml declares it."""

    path: Path
    name: str
    version: str
    packages: tuple[str, ...]
    """Source directories of the wheel's packages (``src/campus_security``)."""
    entry_points: dict[str, dict[str, str]]
    """Group -> name -> object reference, console scripts included."""
    fixture: Path | None
    """The plugin's fixture roster (``tests/fixture_roster.json``), the core's demo roster."""

    @property
    def rel(self) -> Path:
        return self.path.relative_to(ROOT)


def distributions() -> list[Dist]:
    """The core first, then every plugins/* and examples/* with a pyproject.toml."""
    paths = [ROOT, *sorted(p.parent for p in ROOT.glob("plugins/*/pyproject.toml"))]
    paths += sorted(p.parent for p in ROOT.glob("examples/*/pyproject.toml"))
    out = []
    for path in paths:
        doc = tomllib.loads((path / "pyproject.toml").read_text("utf-8"))
        project = doc["project"]
        if "version" in project:
            version = project["version"]
        else:  # hatch's dynamic version: the __version__ of the file it names
            source = (path / doc["tool"]["hatch"]["version"]["path"]).read_text("utf-8")
            found = re.search(r"^__version__ = \"([^\"]+)\"", source, re.M)
            assert found, f"{path}: no __version__"
            version = found[1]
        eps = {g: dict(e) for g, e in project.get("entry-points", {}).items()}
        if "scripts" in project:
            eps["console_scripts"] = dict(project["scripts"])
        fixture = path / ("examples/roster.json" if path == ROOT else "tests/fixture_roster.json")
        out.append(
            Dist(
                path=path,
                name=project["name"],
                version=version,
                packages=tuple(doc["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]),
                entry_points=eps,
                fixture=fixture if fixture.is_file() else None,
            )
        )
    return out


def _file_name(name: str) -> str:
    return canonicalize_name(name).replace("-", "_")


def _wheel(out: Path, name: str) -> Path:
    (wheel,) = out.glob(f"{_file_name(name)}-*.whl")
    return wheel


def _sdist(out: Path, name: str) -> Path:
    (sdist,) = out.glob(f"{_file_name(name)}-*.tar.gz")
    return sdist


def _metadata(wheel: Path) -> dict[str, list[str] | str]:
    with zipfile.ZipFile(wheel) as z:
        (meta,) = (n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        msg = HeaderParser().parsestr(z.read(meta).decode("utf-8"))
    out: dict[str, list[str] | str] = {k: v for k, v in msg.items()}
    out["Requires-Dist"] = msg.get_all("Requires-Dist") or []
    out["Project-URL"] = msg.get_all("Project-URL") or []
    return out


def _own(requirement: Requirement) -> bool:
    return canonicalize_name(requirement.name).startswith(OWN_PREFIX)


# --- checks of the built files ---------------------------------------------------------


def _source_files(d: Dist) -> set[str]:
    """What the wheel must hold of the source tree: each package's files, less caches."""
    out = set()
    for pkg in d.packages:
        src = d.path / pkg
        for f in src.rglob("*"):
            if f.is_file() and "__pycache__" not in f.parts and f.suffix != ".pyc":
                out.add(f.relative_to(src.parent).as_posix())
    return out - NOT_SHIPPED


def _check_wheel(d: Dist, wheel: Path) -> None:
    info = f"{_file_name(d.name)}-{d.version}.dist-info"
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        licence = z.read(f"{info}/licenses/LICENSE")
        eps_text = z.read(f"{info}/entry_points.txt").decode() if d.entry_points else ""
    shipped = {n for n in names if not n.startswith(f"{info}/")}
    expected = _source_files(d)
    extra, missing = sorted(shipped - expected), sorted(expected - shipped)
    assert not extra and not missing, f"{wheel.name}: unexpected {extra}, missing {missing}"
    assert not shipped & NOT_SHIPPED, f"{wheel.name} ships {sorted(shipped & NOT_SHIPPED)}"
    for pkg in d.packages:
        assert f"{Path(pkg).name}/py.typed" in shipped, f"{wheel.name}: no py.typed"
    if d.path == ROOT:
        assert any(n.endswith(".schema.json") for n in shipped), f"{wheel.name}: no JSON schema"
    assert not any("/tests/" in f"/{n}" or n.startswith("tests/") for n in shipped), wheel.name
    meta_files = {"METADATA", "WHEEL", "RECORD", "licenses/LICENSE"}
    meta_files |= {"entry_points.txt"} if d.entry_points else set()
    assert names - shipped == {f"{info}/{m}" for m in meta_files}, sorted(names - shipped)
    assert licence == (ROOT / "LICENSE").read_bytes(), f"{wheel.name}: LICENSE differs"
    declared = {
        (group, name, ref) for group, eps in d.entry_points.items() for name, ref in eps.items()
    }
    assert _entry_points(eps_text) == declared, f"{wheel.name}: entry points {eps_text!r}"
    meta = _metadata(wheel)
    assert meta["Name"] == d.name and meta["Version"] == d.version, (meta["Name"], d.version)
    assert meta["License-Expression"] == "MIT", f"{wheel.name}: licence"
    assert meta["Project-URL"], f"{wheel.name}: no project URLs"


def _entry_points(text: str) -> set[tuple[str, str, str]]:
    out, group = set(), ""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("["):
            group = line.strip("[]")
        elif "=" in line:
            name, ref = (part.strip() for part in line.split("=", 1))
            out.add((group, name, ref))
    return out


def _check_sdist(d: Dist, sdist: Path) -> None:
    with tarfile.open(sdist) as t:
        members = {m.name.split("/", 1)[1] for m in t.getmembers() if "/" in m.name}
    for required in ("LICENSE", "README.md", "pyproject.toml", "PKG-INFO"):
        assert required in members, f"{sdist.name}: no {required}"
    top = {m.split("/", 1)[0] for m in members}
    if d.path == ROOT:
        stray = top - {"src", "LICENSE", "README.md", "CHANGELOG.md", "SECURITY.md"}
        stray -= {"pyproject.toml", "PKG-INFO", ".gitignore"}
        assert not stray, f"{sdist.name} carries {sorted(stray)}"
    else:
        stray = {m for m in top if m in {"plugins", ".ci", "docs", "bench", "examples"}}
        assert not stray, f"{sdist.name} carries {sorted(stray)}"


# --- installing a wheel alone ------------------------------------------------------------


def _closure(wheel: Path, wheels: Iterable[Path], extras: Sequence[str]) -> tuple[set, set]:
    """The project's wheels ``wheel`` needs (itself included) and the external requirements.

    External requirements are given without markers once their markers held for the
    requested extras (the environment's own markers are judged by pip's Python, the same).
    """
    by_name = {canonicalize_name(str(_metadata(w)["Name"])): w for w in wheels}
    own: set[Path] = set()
    external: set[str] = set()
    todo = [(wheel, tuple(extras))]
    while todo:
        w, wanted = todo.pop()
        if w in own:
            continue
        own.add(w)
        for line in _metadata(w)["Requires-Dist"]:
            req = Requirement(line)
            if req.marker is not None and not any(
                req.marker.evaluate({"extra": e}) for e in (*wanted, "")
            ):
                continue
            req.marker = None
            if _own(req):
                name = canonicalize_name(req.name)
                assert name in by_name, f"{w.name} needs {req}, which is not built here"
                todo.append((by_name[name], tuple(req.extras)))
            else:
                external.add(str(req))
    return own, external


def _install_wheels(
    session: nox.Session,
    python: str | None,
    wheels: Sequence[Path],
    *,
    extras: Sequence[str] = (),
    replace: bool = False,
) -> set[Path]:
    """Install ``wheels`` (the first with ``extras``) into ``python``'s environment.

    ``python`` None: the session's own environment.
    Two steps, so that no campus-security* distribution can come from an index: the
    external requirements from the index, then the project's wheels with ``--no-index``.
    ``replace`` reinstalls the project's wheels over those of a reused environment (their
    version number may not have changed) and installs all of ``wheels``.
    """
    pip = ["python", "-m", "pip", *(["--python", python] if python else [])]
    own: set[Path] = set()
    external: set[str] = set()
    for i, wheel in enumerate(wheels if replace else wheels[:1]):
        o, e = _closure(wheel, wheels, extras if i == 0 else ())
        own |= o
        external |= e
    check = [*pip, "check"]
    pip += ["install", "--quiet"]
    if external:
        session.run(*pip, *sorted(external))
    local = ["--no-index", "--find-links", str(wheels[0].parent), "--only-binary", ":all:"]
    if replace:
        session.run(*pip, *local, "--force-reinstall", "--no-deps", *map(str, sorted(own)))
    else:
        session.run(*pip, *local, str(wheels[0]))
    session.run(*check)
    return own


def _smoke(session: nox.Session, d: Dist, out: Path, wheels: list[Path], core: str) -> None:
    """Install ``d``'s wheel alone in an empty environment; use it as a user would."""
    env = Path(session.create_tmp()).resolve() / f"alone-{d.name}"
    shutil.rmtree(env, ignore_errors=True)
    session.run("python", "-m", "venv", "--without-pip", str(env))
    python = str(env / "bin" / "python")
    wheel = _wheel(out, d.name)
    own = _install_wheels(session, python, [wheel, *(w for w in wheels if w != wheel)])
    listing = "import importlib.metadata as m; print('\\n'.join(d.name for d in m.distributions()))"
    installed = session.run(python, "-c", listing, silent=True, external=True)
    mine = {canonicalize_name(n) for n in str(installed).split() if n.startswith(OWN_PREFIX)}
    assert mine == {canonicalize_name(str(_metadata(w)["Name"])) for w in own}, mine
    cli = str(env / "bin" / "campus-security")

    def run(*args: str, codes: Iterable[int] = (0,)) -> str:
        with session.chdir(env):  # not the repository: nothing imports from the source tree
            text = session.run(cli, *args, silent=True, external=True, success_codes=list(codes))
        return str(text)

    version = run("--version")
    assert f"campus-security {core}" in version, version
    plugins = d.entry_points.get("campus_security", {})
    for name in plugins:
        assert f"{name}: {d.name} {d.version}" in version, version
    listed = run("plugins")
    assert all(name in listed.split() for name in plugins), listed
    standards = [s["id"] for s in json.loads(run("rules", "--format", "json"))["standards"]]
    if not plugins:  # the core alone provides no standard
        assert not standards, f"{d.name}: standards {standards} without a plugin"
    elif d.fixture is not None:
        assert standards, f"{d.name}: a fixture roster but no standard"
    if d.fixture is not None and standards:
        report = run("check", str(d.fixture), "--format", "json", codes=(0, 1))
        for std in standards:
            assert f'"{std}.' in report, f"{d.name}: no finding of {std} on {d.fixture}"
    elif d.fixture is not None:  # the core alone: check refuses, naming what to install
        run("check", str(d.fixture), codes=(2,))
    shown = ", ".join(standards) or "no standard"
    session.log(f"{d.name}: installs alone ({len(own)} own wheels), lists {shown}")
