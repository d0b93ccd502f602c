"""A cassette's evidence: its ``metadata.evidence`` block and each interaction's ``evidence`` note."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, field_validator

from provider_quirks.formats.base import AnswerPart, Closed, Url


class Citation(Closed):
    url: Url
    date: dt.date | None = Field(None, description="date of the quoted evidence")


class Recorded(Closed):
    """Bytes recorded live by this suite (a live run writes when, with which suite version and model)."""

    level: Literal["recorded"]
    recorded_at: dt.date | None = None
    suite_version: str | None = None
    model: str | None = None
    server: str | None = Field(None, description="the local server's version, for a local target")
    sdk: str | None = Field(None, description="the SDK and version an SDK cell's copy was made for")
    sources: list[Citation] = Field(default_factory=list)
    notes: str | None = None


class Reconstructed(Closed):
    """Bytes quoted by hand from cited public sources."""

    level: Literal["reconstructed"]
    sources: list[Citation] = Field(min_length=1)
    notes: str | None = None
    sdk: str | None = Field(None, description="the SDK and version an SDK cell's copy was made for")


class CassetteMetadataBlock(Closed):
    evidence: Annotated[Recorded | Reconstructed, Field(discriminator="level")]


class InteractionEvidence(Closed):
    """Where one reconstructed answer is quoted from, and which of its parts the source shows (``quoted``)."""

    probe: str
    source: Url
    date: dt.date | None = None
    note: str | None = None
    quoted: list[AnswerPart] | None = Field(
        None, min_length=1, json_schema_extra={"uniqueItems": True, "contains": {"const": "body"}}
    )
    envelope: Literal["documented"] | None = Field(None, description="the body is completed after this envelope")
    replays: str | None = Field(None, description="the REST interaction an SDK probe's copy comes from")

    @field_validator("quoted")
    @classmethod
    def _body_once(cls, quoted: list[str] | None) -> list[str] | None:
        """The schema's ``contains`` and ``uniqueItems``: the body is always quoted, no part twice."""
        if quoted is not None and ("body" not in quoted or len(set(quoted)) != len(quoted)):
            raise ValueError("quoted lists each part once, and always the body")
        return quoted


class Interaction(BaseModel):
    """A vcrpy interaction; request and response are vcrpy's and are not described here."""

    request: dict[str, Any]
    response: dict[str, Any]
    evidence: InteractionEvidence | None = None


class CassetteMetadata(BaseModel):
    """The evidence parts of a cassette (cassettes/<quirk>/<target>.yaml): where its bytes come from."""

    metadata: CassetteMetadataBlock
    interactions: list[Interaction]
    version: Literal[1]
