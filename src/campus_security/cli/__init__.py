"""The ``campus-security`` command line: an edge over the library's public API.

Each command lives in its own module of this package and registers itself on
:data:`main`. Exit status, as linters do: 0 when nothing fails, 1 when a rule fails,
a rule breaks or a due target is not met, 2 on bad input or usage, 130 when interrupted
(Ctrl-C).
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from ..errors import CampusSecurityError
from . import (  # noqa: F401  (the commands register themselves)
    catalog,
    census,
    check,
    config,
    convert,
    devices,
    generate,
    history,
    record_sources,
    store_queries,
)
from ._app import EXIT_OK, EXIT_USAGE, main, usage_error_text

__all__ = ["main", "run"]


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI in-process and return the exit status (for tests and embedding)."""
    try:
        main.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except SystemExit as exc:
        return int(exc.code or 0)
    except click.ClickException as exc:
        click.echo(usage_error_text(exc.format_message()), err=True)
        return EXIT_USAGE
    except CampusSecurityError as exc:
        click.echo(str(exc), err=True)
        return EXIT_USAGE
    return EXIT_OK
