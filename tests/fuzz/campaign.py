"""A fuzzing campaign: thousands of mutated inputs, every defect logged, then the figures.

    python tests/fuzz/campaign.py run 4000 fuzz.log   # generate and run (batches of 25)
    python tests/fuzz/campaign.py summary fuzz.log    # the figures of a log

``run`` draws the inputs from the same strategies as ``nox -s fuzz`` (a quarter each:
.json, .jsonl, .xlsx, .csv) and runs them through the same oracle, many inputs per
bounded process (start-up paid once; a crash is charged to the input it hit and the
rest go on in a new process). Every input's outcome is one line of the log; an input
with a defect is kept in ``fuzz.inputs/`` (named by its hash) to be replayed or added
to the regression cases. ``nox -s fuzz`` with ``CAMPUS_SECURITY_FUZZ_LOG`` set writes the
same log, one process per input.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

KINDS = (
    "traceback",
    "signal",
    "crash",
    "memory",
    "timeout",
    "exit code",
    "unlocated",
    "unmasked",
    "silent pass",
    "disagree",
    "invalid output",
    "leftover",
)


def main(path: str) -> int:
    """Print the figures; exit 1 when any defect was found."""
    inputs = Counter[str]()
    read = Counter[str]()
    check_exits = Counter[int]()
    defects = Counter[str]()
    examples: dict[str, str] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            entry = json.loads(line)
            suffix = entry["input"].rsplit(".", 1)[-1]
            inputs[suffix] += 1
            read["read as a roster" if entry.get("read") else "refused"] += 1
            if entry.get("exits"):
                check_exits[entry["exits"][0]] += 1
            for kind in {k for k, _ in entry["defects"]}:
                defects[kind] += 1  # inputs with at least one defect of this kind
            for kind, detail in entry["defects"]:
                examples.setdefault(kind, f"{entry['sha']}.{suffix}: {detail[:300]}")
    total = sum(inputs.values())
    print(f"inputs: {total} ({', '.join(f'{n} .{s}' for s, n in sorted(inputs.items()))})")
    print("  API: " + ", ".join(f"{n} {k}" for k, n in sorted(read.items())))
    print("  check exit codes: " + ", ".join(f"{n}x {c}" for c, n in sorted(check_exits.items())))
    print("defects (inputs with at least one of the kind):")
    for kind in KINDS + tuple(sorted(set(defects) - set(KINDS))):
        print(f"  {kind:15} {defects[kind]}")
    for kind, example in examples.items():
        print(f"\n[{kind}] e.g. {example}")
    return 1 if defects else 0


def run(total: int, log: str, batch: int = 25) -> None:
    """Generate ``total`` inputs and run them, logging to ``log``."""
    os.environ["CAMPUS_SECURITY_FUZZ_LOG"] = str(Path(log).resolve())
    here = Path(__file__).resolve().parent
    sys.path[:0] = [str(here), str(here.parent)]
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st
    from mutations import csv_forms, ids_in, json_rosters, jsonl_rosters, xlsx_forms
    from oracle import fuzz_many
    from strategies import census_rosters, rosters

    pending: list[tuple[str, bytes, set[str]]] = []
    done = 0

    def flush() -> None:
        nonlocal done
        if not pending:
            return
        with tempfile.TemporaryDirectory() as tmp:
            for rec in fuzz_many(Path(tmp), pending):
                rec.done()
        done += len(pending)
        pending.clear()
        print(f"{done} inputs", file=sys.stderr, flush=True)

    def add(name: str, data: bytes, secrets: set[str]) -> None:
        pending.append((name, data, secrets))
        if len(pending) >= batch:
            flush()

    work = Path(tempfile.mkdtemp())
    rounds = max(1, total // (4 * batch))  # the four kinds take turns, a batch each
    quarter = settings(
        max_examples=max(1, total // (4 * rounds)),
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )

    @quarter
    @given(st.data(), rosters(max_schools=3))
    def json_inputs(data: st.DataObject, roster) -> None:  # type: ignore[no-untyped-def]
        add("roster.json", data.draw(json_rosters(roster)), ids_in(roster))

    @quarter
    @given(st.data(), rosters(max_schools=3))
    def jsonl_inputs(data: st.DataObject, roster) -> None:  # type: ignore[no-untyped-def]
        add("roster.jsonl", data.draw(jsonl_rosters(roster)), ids_in(roster))

    @quarter
    @given(st.data(), census_rosters(max_schools=2))
    def xlsx_inputs(data: st.DataObject, roster) -> None:  # type: ignore[no-untyped-def]
        add("form.xlsx", data.draw(xlsx_forms(roster, work)), ids_in(roster))

    @quarter
    @given(st.data(), census_rosters(max_schools=2))
    def csv_inputs(data: st.DataObject, roster) -> None:  # type: ignore[no-untyped-def]
        add("form.csv", data.draw(csv_forms(roster, work)), ids_in(roster))

    for _ in range(rounds):
        for generate in (json_inputs, jsonl_inputs, xlsx_inputs, csv_inputs):
            try:
                generate()  # new random examples each time (no database, no replay)
            except Exception as exc:  # the harness's own failure: said, and the rest go on
                print(f"generator {generate.__name__} failed: {exc!r}", file=sys.stderr)
            flush()


if __name__ == "__main__":
    if sys.argv[1] == "run":
        run(int(sys.argv[2]), sys.argv[3])
        sys.exit(main(sys.argv[3]))
    sys.exit(main(sys.argv[2]))
