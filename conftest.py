"""Project-wide pytest settings. The quirk plugin itself is registered through its entry point."""

import os

from hypothesis import HealthCheck, settings

# CI and the default run keep property tests bounded; `HYPOTHESIS_PROFILE=thorough` digs deeper.
settings.register_profile("default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
