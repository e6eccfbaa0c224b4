from __future__ import annotations

import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).parent))

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "dev", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

ROOT = Path(__file__).resolve().parent.parent

if os.environ.get("CAMPUS_SECURITY_TESTS_INSTALLED"):
    # `nox -s tests` installs the built wheels: the tests must import those (the library
    # and every plugin), never the source tree.
    import importlib.metadata
    import importlib.util

    packages = {"campus_security"}
    packages |= {
        ep.module.split(".")[0] for ep in importlib.metadata.entry_points(group="campus_security")
    }
    for package in sorted(packages):
        spec = importlib.util.find_spec(package)
        origin = Path(spec.origin if spec and spec.origin else ROOT)
        if any(origin.resolve().is_relative_to(ROOT / d) for d in ("src", "plugins", "examples")):
            raise RuntimeError(f"the tests would import {package} from the source tree: {origin}")

EXAMPLE_ROSTER = ROOT / "examples" / "roster.json"
