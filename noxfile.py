"""Development sessions: tests, lint, type checking (``nox -l`` lists them)."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = False

PYTHON = ["3.11"]


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Install the library and every plugin, then run the whole test suite."""
    session.install("-r", "requirements-dev.txt")
    session.install(".[test,dask]")
    session.run("pytest", *session.posargs)


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
    session.install("mypy>=1.10")
    session.run("mypy")
    # The plugins are typed against the public SDK, strictly too.
    plugin_sources = [
        "plugins/cangzhou/src",
        "plugins/jiangsu/src",
        "plugins/zhengzhou/src",
        "plugins/loudi/src",
        "plugins/pucheng/src",
        "plugins/onvif/src",
        "examples/tutorial_plugin/src",
    ]
    session.run("mypy", "--strict", *plugin_sources)


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the guide (mkdocs --strict) and the API reference (Sphinx -W -n) into site/.

    The guide's generated pages need the plugins installed: the rule catalogue lists
    exactly what `campus-security rules` lists in this environment. The API reference's
    doctests run too (Sphinx's doctest builder).
    """
    session.install("-r", "requirements-dev.txt")
    session.install(".[docs]")
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
    session.run("python", "bench/run.py", *session.posargs)
