"""The fuzzing session's settings: ``nox -s fuzz`` (bounded) or a long local run.

``CAMPUS_SECURITY_FUZZ_EXAMPLES`` is the number of inputs each fuzz test tries
(hypothesis ``max_examples``; default 10, as in CI; the in-process API test tries ten
times as many). ``CAMPUS_SECURITY_FUZZ_LOG`` set, defects are logged and the run goes
on instead of stopping at the first (``tests/fuzz/campaign.py summary`` reads the log);
the session's campaign (campaign.py ``run``) is the faster way to try thousands.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, Phase, settings

sys.path.insert(0, str(Path(__file__).parent))

EXAMPLES = int(os.environ.get("CAMPUS_SECURITY_FUZZ_EXAMPLES", "10"))
_LOG = bool(os.environ.get("CAMPUS_SECURITY_FUZZ_LOG"))

settings.register_profile(
    "fuzz",
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=False,
    print_blob=True,
    # A campaign logs every defect and goes on: no shrinking, no replay of old failures.
    phases=[Phase.generate]
    if _LOG
    else [Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    suppress_health_check=list(HealthCheck),
)
settings.load_profile("fuzz")
