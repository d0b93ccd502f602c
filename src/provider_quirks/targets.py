"""A target is a provider plus a variant, written ``provider@variant``.

Quirks often differ by model (Gemma versus Gemini) or by API version (Azure's ``api-version``),
so expectations, cassettes and report cells are all per target, never per provider alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from provider_quirks.providers import PROVIDERS, ConfigurationError, Provider, Variant


@dataclass(frozen=True)
class Target:
    provider: Provider
    variant: Variant

    @property
    def id(self) -> str:
        return f"{self.provider.name}@{self.variant.name}"

    def __str__(self) -> str:
        return self.id


def resolve_target(target_id: str) -> Target:
    """``"azure_openai@2024-10-21"`` to a Target; unknown names raise ConfigurationError."""
    provider_name, sep, variant_name = target_id.partition("@")
    if not sep:
        raise ConfigurationError(f"target {target_id!r} must be written provider@variant")
    return Target(resolve_provider(provider_name), resolve_provider(provider_name).variant(variant_name))


def resolve_provider(name: str) -> Provider:
    try:
        return PROVIDERS[name]
    except KeyError:
        known = ", ".join(PROVIDERS)
        raise ConfigurationError(f"unknown provider {name!r} (known: {known})") from None


#: The targets every wire quirk is checked on, one row of the report each: each provider's core
#: variants, in declaration order (``Provider.core_variants``).
CORE_TARGETS: tuple[str, ...] = tuple(target for provider in PROVIDERS.values() for target in provider.core_targets())


def core_targets_of(dialect: str) -> tuple[str, ...]:
    """The core targets whose provider speaks ``dialect``: the targets of a quirk about one API."""
    return tuple(target for target in CORE_TARGETS if resolve_target(target).provider.dialect.name == dialect)
