"""Small text helpers shared by the domains."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str, max_length: int = 80) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "item"


def split_tags(text: str | list[str] | None) -> list[str]:
    """Free tags from a comma-separated field: trimmed, lower case, unique, at most 10 of 40 characters."""
    items = text if isinstance(text, list) else (text or "").split(",")
    tags: list[str] = []
    for item in items:
        tag = " ".join(item.strip().lower().split())[:40]
        if tag and tag not in tags:
            tags.append(tag)
    return tags[:10]
