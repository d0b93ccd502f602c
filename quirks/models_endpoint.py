"""models-endpoint: listing the available models with a GET, and what each list says.

The probes are GET requests derived from each target's minimal chat request, so they keep what
the API needs to route them (Anthropic's version header, Azure's api-version or v1 path) and
nothing else.
"""

from __future__ import annotations

from collections.abc import Callable

from provider_quirks.quirk import BuildResult, Probe, Quirk, chat_with
from provider_quirks.targets import CORE_TARGETS, Target
from provider_quirks.wire import WireRequest

_AZURE_V1 = "/openai/v1/"


def _get(path: str) -> Callable[[WireRequest], WireRequest]:
    """A GET of ``path`` with the chat request's version header or query parameter, no body."""
    return lambda chat: WireRequest("GET", path, query=chat.query, headers=chat.headers)


def _azure_get(suffix: str) -> Callable[[WireRequest], WireRequest]:
    """Azure lists under /openai/models (dated versions) or /openai/v1/models (v1)."""

    def get(chat: WireRequest) -> WireRequest:
        root = "/openai/v1/models" if chat.path.startswith(_AZURE_V1) else "/openai/models"
        return _get(root + suffix)(chat)

    return get


def models_request(own_model: bool) -> Callable[[Target], BuildResult]:
    """GET of the model list, or of the target's own model card (``own_model``), per provider."""

    def build(target: Target) -> BuildResult:
        suffix = f"/{target.variant.model}" if own_model else ""
        changes = {
            "anthropic": _get(f"/v1/models{suffix}"),
            "gemini": _get(f"/v1beta/models{suffix}"),
            "azure_openai": _azure_get(suffix),
            "openai-chat": _get(f"/models{suffix}"),
        }
        return chat_with(changes)(target)

    return build


QUIRK = Quirk(
    id="models-endpoint",
    title="Listing models",
    category="discovery",
    targets=(*CORE_TARGETS, "azure_openai@v1"),
    # Which ids a server lists is what this quirk reads (a local server lists the one model it serves).
    pinned=("models",),
    claim="2024 note: Claude doesn't have an endpoint for getting the list of models like OpenAI/Mistral.",
    summary=(
        "Every provider now lists its models with a GET, each in its own shape. OpenAI, Mistral and "
        "OpenAI-compatible servers: GET {base}/models -> {object: list, data: [{id, object, created, owned_by}]} "
        "(Mistral adds capabilities and max_context_length). Anthropic: GET /v1/models with anthropic-version "
        "(since 2024-12; before that it had no such endpoint) -> {data: [{id, display_name, created_at, type}], "
        "has_more, first_id, last_id}, paginated. Gemini: GET /v1beta/models -> {models: [{name: models/..., "
        "inputTokenLimit, outputTokenLimit, supportedGenerationMethods}], nextPageToken}. Azure OpenAI: GET "
        "/openai/models?api-version=... lists base and fine-tuned models with capabilities and deprecation "
        "dates, not your deployments."
    ),
    why_it_matters=(
        "Model pickers, health checks and limit lookups need one adapter per provider: the ids sit under "
        "different keys, only some lists give token limits, Anthropic and Gemini paginate, and Azure lists "
        "models rather than the deployment names its chat URLs need."
    ),
    workaround=(
        "Write one small adapter per provider that maps its list to (id, input limit, output limit), follow "
        "pagination, and read a single model's card (GET .../models/{id}) where limits are needed."
    ),
    sources=(
        "https://docs.anthropic.com/en/api/models-list",
        "https://github.com/Azure/azure-rest-api-specs/blob/2131830cec6862044725e1ee36c6c0a85169e574/specification/cognitiveservices/data-plane/AzureOpenAI/authoring/stable/2024-10-21/examples/get_models.json",
        "https://ai.google.dev/api/models",
        "https://platform.openai.com/docs/api-reference/models/list",
        "https://docs.mistral.ai/api/#tag/models",
    ),
    probes=(
        Probe(id="list-models", summary="GET the list of models", build=models_request(own_model=False)),
        Probe(
            id="get-model",
            summary="GET the target's own model card (where token limits are given)",
            build=models_request(own_model=True),
            shows_workaround=True,
        ),
    ),
)
