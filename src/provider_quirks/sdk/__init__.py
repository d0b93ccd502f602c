"""The SDK layer: the official Python SDKs replayed on the suite's cassettes.

An SDK quirk (``quirks/sdk_*.py`` declaring ``QUIRK = SdkQuirk(...)``) runs each probe through
an SDK client pointed at the provider's canonical base URL with a dummy key. The HTTP answers
come from cassettes copied from the REST cells' evidence; what the SDK sends, how often, and what
it returns or raises is measured on the installed SDK, so a new SDK version that behaves
differently makes the cell drift.
"""

# Importing any part of this layer registers how its cells run (``runner.register_cell_runner``):
# a quirk module that declares an SdkQuirk has imported this package first.
from provider_quirks.sdk import runner as _registers_sdk_cells  # noqa: F401
