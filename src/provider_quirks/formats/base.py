"""What the formats share: their vocabularies, and whether a mapping is closed (hand-written) or open (generated)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["holds", "drift", "inconclusive", "pending", "n/a", "skipped"]
Evidence = Literal["recorded", "reconstructed", "none"]
EvidenceLevel = Literal["recorded", "reconstructed"]
#: The parts of an answer a source can show (``evidence.quoted`` of a reconstructed interaction).
AnswerPart = Literal["status", "reason", "headers", "body"]
Url = Annotated[str, Field(pattern=r"^http", description="a URL")]
Reason = Annotated[str, Field(pattern=r"\S", description="why, in words (not blank)")]
Timestamp = Annotated[str, Field(json_schema_extra={"format": "date-time"}, description="ISO 8601, UTC")]


class Closed(BaseModel):
    """A hand-written mapping: a key the format does not know is a mistake, not an extension."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Open(BaseModel):
    """A generated record: readers ignore keys a newer suite adds (the version changes only on removal)."""

    model_config = ConfigDict(extra="ignore")


class Tokens(Open):
    input: int
    output: int
