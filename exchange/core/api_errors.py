"""How API errors look, documented once for every JSON route (the OpenAPI schema tells the truth)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorOut(BaseModel):
    detail: str = Field(description="What went wrong, in plain words.")
    errors: dict[str, str] | None = Field(default=None, description="One message per field that is not valid.")


def _error(description: str, **headers: str) -> dict[str, Any]:
    response: dict[str, Any] = {"model": ErrorOut, "description": description}
    if headers:
        response["headers"] = {
            name.replace("_", "-"): {"description": meaning, "schema": {"type": "string"}}
            for name, meaning in headers.items()
        }
    return response


API_ERRORS: dict[int | str, dict[str, Any]] = {
    400: _error("The request cannot be read"),
    404: _error("Not found, or not visible to you"),
    422: _error("The request is not valid"),
    401: _error("Sign in first"),
    403: _error("The CSRF token is missing or wrong, or you may not do this"),
    409: _error("Not possible in the item's current state"),
    405: _error("This address does not take this method", Allow="The methods it takes"),
    429: _error("Too many requests"),
    503: _error("Busy: try again shortly", Retry_After="Seconds to wait before trying again"),
}
