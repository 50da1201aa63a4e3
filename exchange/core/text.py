"""Small text helpers shared by the domains."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import BeforeValidator


def slugify(text: str, max_length: int = 80) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "item"


def tags_field(value: object) -> list[str]:
    """The tags of a form or JSON body: comma-separated text or a list of texts; anything else is refused."""
    if value is None:
        return []
    if isinstance(value, str) or (isinstance(value, list) and all(isinstance(item, str) for item in value)):
        return split_tags(value)
    raise ValueError("Enter tags as words or phrases separated by commas")


# A model's free tags, parsed from what a form or a JSON client sends.
Tags = Annotated[list[str], BeforeValidator(tags_field)]


def split_tags(text: str | list[str] | None) -> list[str]:
    """Free tags from a comma-separated field: trimmed, lower case, unique, at most 10 of 40 characters."""
    items = text if isinstance(text, list) else (text or "").split(",")
    tags: list[str] = []
    for item in items:
        tag = " ".join(item.strip().lower().split())[:40]
        if tag and tag not in tags:
            tags.append(tag)
    return tags[:10]
