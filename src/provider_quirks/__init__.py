"""provider-quirks: executable, evidence-backed quirks of LLM provider HTTP APIs."""

__version__ = "0.1.0"
