"""api-version: which APIs need an API version on every request, and where it goes.

Anthropic takes it as the ``anthropic-version`` header; Azure OpenAI as the ``api-version`` query
parameter on the deployments path, and not at all on its ``/openai/v1/`` path. The other
providers version their APIs in the URL path only, so the quirk does not apply to them.
"""

from __future__ import annotations

from provider_quirks.quirk import BuildResult, Probe, Quirk, chat_with
from provider_quirks.targets import CORE_TARGETS
from provider_quirks.wire import NotApplicable, WireRequest

_PATH_VERSIONED = "no API version outside the URL path (/v1, /v1beta)"
_V1_PATH = "the /openai/v1/ path takes no api-version"


def _without_azure_version(request: WireRequest) -> BuildResult:
    if not any(key == "api-version" for key, _ in request.query):
        return NotApplicable(_V1_PATH)
    return request.with_query({"api-version": None})


QUIRK = Quirk(
    id="api-version",
    title="API version header or query parameter",
    category="request shape",
    targets=(*CORE_TARGETS, "azure_openai@v1"),
    claim="2024 note (Claude): if you use the REST API, you have to indicate the version of the API; the SDKs do it.",
    summary=(
        "Anthropic requires an anthropic-version header on every request (the SDKs send 2023-06-01) and "
        "answers 400 'anthropic-version: header is required' without it, or '... is not a valid version' "
        "for a value it does not know. Azure OpenAI's deployments path "
        "(/openai/deployments/{deployment}/...) requires an api-version query parameter and answers a bare "
        "404 'Resource not found' without it, which reads like a wrong deployment name; its newer "
        "/openai/v1/ path takes no api-version and rejects one. OpenAI, Mistral, Gemini and "
        "OpenAI-compatible servers carry the version in the URL path only."
    ),
    why_it_matters=(
        "Hand-written HTTP clients and proxies that forward only the body and the key lose the version and "
        "fail on Anthropic and Azure, and Azure's 404 hides the cause."
    ),
    workaround=(
        "Send anthropic-version: 2023-06-01 on every Anthropic request (once; a proxy that adds a second "
        "copy makes it invalid). On Azure, append ?api-version=<GA version> on /openai/deployments/ URLs, "
        "and drop it on /openai/v1/ URLs."
    ),
    sources=(
        "https://github.com/PipedreamHQ/pipedream/issues/9697",
        "https://github.com/decolua/9router/issues/2357",
        "https://github.com/ThinkInAIXYZ/deepchat/issues/262",
        "https://github.com/MicrosoftDocs/azure-docs/issues/114602",
        "https://github.com/pydantic/pydantic-ai/issues/5066",
        "https://learn.microsoft.com/en-us/azure/foundry/openai/api-version-lifecycle",
    ),
    probes=(
        Probe(
            id="version-missing",
            summary="the minimal request without its API version (no anthropic-version header, no api-version)",
            build=chat_with(
                {
                    "anthropic": lambda request: request.with_headers({"anthropic-version": None}),
                    "azure_openai": _without_azure_version,
                },
                otherwise=_PATH_VERSIONED,
            ),
        ),
        Probe(
            id="version-invalid",
            summary="anthropic-version sent twice (joined: '2023-06-01, 2023-06-01'); api-version on Azure's v1 path",
            build=chat_with(
                {
                    "anthropic": lambda request: request.with_headers({"anthropic-version": "2023-06-01, 2023-06-01"}),
                    "azure_openai@v1": lambda request: request.with_query({"api-version": "2024-10-21"}),
                    "azure_openai": NotApplicable("any dated api-version names a real version on this path"),
                },
                otherwise=_PATH_VERSIONED,
            ),
        ),
        Probe(
            id="version-as-documented",
            summary="the minimal request with its documented version (header, query parameter, or none on v1)",
            build=chat_with({"anthropic": {}, "azure_openai": {}}, otherwise=_PATH_VERSIONED),
            shows_workaround=True,
        ),
    ),
)
