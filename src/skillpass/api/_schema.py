"""Field descriptions for wire schemas that reuse a domain model's fields and checks.

``class OpportunityBody(OpportunityCreate)`` with ``model_config = described({...})`` validates
exactly like the domain model and documents every field in OpenAPI, without restating (and
risking drift in) each field's type and bounds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ConfigDict

__all__ = ["described"]


def described(descriptions: Mapping[str, str], **config: Any) -> ConfigDict:
    """A model config whose JSON schema gives each named property its description.

    Args:
        descriptions: Field name -> description, for the OpenAPI schema.
        config: Other ``ConfigDict`` settings to keep (e.g. ``frozen=True``).

    Returns:
        The model config.
    """

    def extra(schema: dict[str, Any], _model: type) -> None:
        properties = schema.get("properties", {})
        for name, text in descriptions.items():
            if name in properties:
                properties[name]["description"] = text

    made: ConfigDict = ConfigDict(json_schema_extra=extra, **config)  # type: ignore[typeddict-item]
    return made
