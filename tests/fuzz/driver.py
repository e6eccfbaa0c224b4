"""Run campus-security commands on one input, in a process with bounded memory.

Usage: ``python driver.py MEMORY_BYTES INPUT COMMANDS_JSON``, or
``python driver.py MEMORY_BYTES --batch JOBS_FILE`` for many inputs in one process (a
fuzzing campaign: the start-up and the plugins' loading are paid once). The Python API reads INPUT
first (``read_roster``, then writing, checking and reporting what it read), reported as
a line ``{"api": ...}``. Each command then runs in this
process through click's test runner (the plugins load once) and is reported as one
JSON line on standard output: its arguments, exit code, standard output and error, and
the traceback of any exception that escaped the command. A line ``{"start": [...]}``
comes first, so that a crash (a signal, the memory limit) names the command it hit.
"""

from __future__ import annotations

import json
import sys
import traceback


def main() -> None:
    """Limit memory, then run each job (an input and its commands) and report it."""
    limit = int(sys.argv[1])
    if limit and sys.platform != "win32":
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if sys.argv[2] == "--batch":  # a file of jobs: [{"input": path, "cmds": [[...], ...]}, ...]
        with open(sys.argv[3], encoding="utf-8") as f:
            jobs = json.load(f)
    else:
        jobs = [{"input": sys.argv[2], "cmds": json.loads(sys.argv[3])}]
    for i, job in enumerate(jobs):
        _job(i, job["input"], job["cmds"])


def _say(item: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(item) + "\n")
    sys.stdout.flush()


def _job(index: int, path: str, cmds: list[list[str]]) -> None:
    from click.testing import CliRunner

    from campus_security.cli import main as cli

    _say({"job": index, "start": ["api"]})
    _say({"job": index, "api": _api(path)})
    for args in cmds:
        _say({"job": index, "start": args})
        result = CliRunner().invoke(cli, args, catch_exceptions=True)
        exc = result.exception
        tb = None
        if exc is not None and not isinstance(exc, SystemExit):
            tb = "".join(traceback.format_exception(exc))
        _say(
            {
                "job": index,
                "args": args,
                "exit": result.exit_code,
                "stdout": result.stdout,
                "stderr": result.stderr,
                "traceback": tb,
            }
        )
    _say({"job": index, "done": True})


def _api(path: str) -> dict[str, object]:
    """Read, write, check and report one input through the Python API."""
    import datetime as dt

    import orjson

    from campus_security import CampusSecurityError, check
    from campus_security.formats import dumps_roster, read_roster
    from campus_security.report import report_document

    try:
        roster = read_roster(path)
    except CampusSecurityError as exc:
        problems = getattr(exc, "problems", None)
        return {
            "ok": False,
            "error": str(exc),
            "type": type(exc).__name__,
            "source": getattr(exc, "source", None),
            "problems": None if problems is None else [[p.path, p.source] for p in problems],
        }
    except BaseException as exc:
        return {"ok": False, "traceback": "".join(traceback.format_exception(exc))}
    try:
        dumps_roster(roster)
        report = check(roster, on=dt.date(2024, 11, 20))
        doc = orjson.dumps(report_document(report)).decode()
    except BaseException as exc:
        return {"ok": True, "traceback": "".join(traceback.format_exception(exc))}
    return {"ok": True, "report": doc}


if __name__ == "__main__":
    main()
