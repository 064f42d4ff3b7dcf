"""Test-suite settings shared by every folder.

Hypothesis: no per-example deadline (the machines are small and shared; speed is measured in
benchmarks/, not in tests) and, on CI (``CI`` set), derandomized example generation so that a
run is reproducible from the commit alone.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("deepqed", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "deepqed-ci", parent=settings.get_profile("deepqed"), derandomize=True, database=None
)
settings.load_profile("deepqed-ci" if os.environ.get("CI") else "deepqed")
