"""Providers: declarations (``definitions``) and the shared mechanism (``spec``)."""

from provider_quirks.providers.definitions import PROVIDERS
from provider_quirks.providers.spec import ConfigurationError, Provider, Variant, detect_provider

__all__ = ["PROVIDERS", "ConfigurationError", "Provider", "Variant", "detect_provider"]
