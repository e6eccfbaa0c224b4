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
    session.install("-r", "requirements.txt")
    session.install(".[test]")
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Ruff: lint and format check of everything."""
    session.install("ruff>=0.8")
    paths = ["src", "plugins", "tests", "examples", "noxfile.py"]
    session.run("ruff", "check", *paths)
    session.run("ruff", "format", "--check", *paths)


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """Mypy, strict, on the library."""
    session.install("-r", "requirements.txt")
    session.install("mypy>=1.10")
    session.run("mypy")
