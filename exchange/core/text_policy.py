"""One policy for every text a person or a file sends in: what no stored text may hold.

- Control characters (NUL, ESC, BEL, a lone carriage return...) are refused: no person types them, PostgreSQL
  refuses NUL, and a stray CR breaks calendar files and emails. Tabs and line ends are kept; Windows line
  ends (CR LF) become LF.
- Characters that override the direction of text (U+202A-U+202E, U+2066-U+2069) are refused: they let a name
  display as another ("Leeds" written backwards shows as something else).
- Numbers are finite: NaN and Infinity are refused wherever a decimal is read.

Every form, JSON body and import line is checked here, through the base model below.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\x7f-\x9f]")
DIRECTION_OVERRIDES = re.compile("[\u202a-\u202e\u2066-\u2069]")
REMOVE_CONTROL = "Remove the control characters from this answer"
REMOVE_DIRECTION = "Remove the hidden characters that change the direction of the text from this answer"


class TextRefused(ValueError):
    """Raised by the policy; names the field (top-level key) the text came in."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def clean_text(value: str) -> str:
    """The text as it will be stored (CR LF as LF), or ValueError saying what to remove."""
    value = value.replace("\r\n", "\n")
    if CONTROL_CHARACTERS.search(value):
        raise ValueError(REMOVE_CONTROL)
    if DIRECTION_OVERRIDES.search(value):
        raise ValueError(REMOVE_DIRECTION)
    return value


def _clean(value: Any, field: str) -> Any:
    if isinstance(value, str):
        try:
            return clean_text(value)
        except ValueError as error:
            raise TextRefused(field, str(error)) from None
    if isinstance(value, list):
        return [_clean(item, field) for item in value]
    if isinstance(value, dict):
        return {key: _clean(item, field) for key, item in value.items()}
    return value


def apply_text_policy(data: Any) -> Any:
    """Every text in a submitted object (and in its lists and nested objects), cleaned or refused."""
    if isinstance(data, dict):
        return {key: _clean(value, str(key)) for key, value in data.items()}
    return data


class UserInput(BaseModel):
    """What every model of incoming data is built on: text under the policy, finite numbers only."""

    model_config = ConfigDict(allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _text_policy(cls, data: Any) -> Any:
        return apply_text_policy(data)
