"""The structured answers we ask the model for, as pydantic models.

Their JSON schemas are sent as ``response_format``; every answer is validated
against them before coach trusts a word of it.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["error", "warning", "suggestion"]
Family = Literal["HYG", "LEN", "SUB", "OPN", "PER", "ASK", "REC", "INT", "BLB", "CON", "FUP"]


class MentorFinding(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quote: str = Field(min_length=1, max_length=600, description="exact words copied from the draft")
    severity: Severity
    problem: str = Field(min_length=1, max_length=600, description="why this makes the reader say no")
    suggestion: str = Field(min_length=1, max_length=600, description="what to write instead")
    family: Family | None = Field(description="nearest rule family, or null")


class Decision(BaseModel):
    """The model's view of one rule finding or check: confirm it, clear a check with a quote
    that shows the element, or dispute a finding that does not apply, with a reason."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=20, description="the rule code of the finding or check")
    verdict: Literal["confirm", "clear", "dispute"]
    quote: str | None = Field(max_length=600, description="for clear: exact words of the draft that show the element")
    reason: str = Field(min_length=1, max_length=600, description="why, in one sentence")


class CritiqueAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    verdict: str = Field(
        min_length=1, max_length=400, description="the single change that would most raise the chance of a yes"
    )
    decisions: list[Decision] = Field(max_length=30)
    findings: list[MentorFinding] = Field(max_length=15)
    strengths: list[str] = Field(max_length=6)


class RewriteAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=20000, description="the whole rewritten message, body only")
    subject: str | None = Field(description="subject line if the kind has one, else null")
    changes: list[str] = Field(max_length=15, description="one line per change and why")


# Length limits are checked by pydantic on our side; some servers reject them in a schema.
_DROPPED_KEYWORDS = {"title", "default", "minLength", "maxLength", "minItems", "maxItems"}


@cache
def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema in the form strict structured outputs accept:
    every property required, no additional properties, definitions inlined. Cached: callers
    must not modify the result."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def fix(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return fix(defs[node["$ref"].rsplit("/", 1)[-1]])
            out = {k: fix(v) for k, v in node.items() if k not in _DROPPED_KEYWORDS}
            if out.get("type") == "object":
                out["required"] = list(out.get("properties", {}))
                out["additionalProperties"] = False
            return out
        if isinstance(node, list):
            return [fix(v) for v in node]
        return node

    return fix(schema)
