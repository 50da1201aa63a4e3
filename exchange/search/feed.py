"""Atom feeds of search results: needs open for proposals, filtered like the search page.

Built with ElementTree so that every title and summary is escaped; feed readers are not signed in, so a
feed only ever holds what anyone may see.
"""

from __future__ import annotations

from datetime import date, datetime
from xml.etree import ElementTree as ET

from exchange.core.models import utcnow
from exchange.core.templating import format_date
from exchange.search.schemas import Hit

ATOM = "http://www.w3.org/2005/Atom"
ET.register_namespace("", ATOM)


def _element(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def atom_feed(
    title: str,
    base_url: str,
    self_path: str,
    page_path: str,
    hits: list[Hit],
    categories: dict[int, str],
    closing: dict[int, date] | None = None,
) -> bytes:
    """An Atom 1.0 document of the hits, newest first, each linking to its page on the exchange; a need's summary
    ends with its closing date (``closing``: need id -> the day proposals close)."""
    closing = closing or {}
    feed = ET.Element(f"{{{ATOM}}}feed")
    _element(feed, "id", f"{base_url}{self_path}")
    _element(feed, "title", title)
    _element(feed, "updated", _stamp(max((hit.updated_at for hit in hits), default=utcnow())))
    _element(feed, "link", rel="self", type="application/atom+xml", href=f"{base_url}{self_path}")
    _element(feed, "link", rel="alternate", type="text/html", href=f"{base_url}{page_path}")
    _element(feed, "generator", "Open Innovation Exchange")
    for hit in hits:
        entry = _element(feed, "entry")
        _element(entry, "id", f"{base_url}{hit.url}")
        _element(entry, "title", hit.title)
        _element(entry, "link", rel="alternate", type="text/html", href=f"{base_url}{hit.url}")
        _element(entry, "updated", _stamp(hit.updated_at))
        author = _element(entry, "author")
        _element(author, "name", hit.organisation_name)
        if hit.category_top_id in categories:
            _element(entry, "category", term=str(hit.category_top_id), label=categories[hit.category_top_id])
        closes = closing.get(hit.item_id) if hit.kind == "need" else None
        summary = f"{hit.summary} Proposals close at the end of {format_date(closes)}." if closes else hit.summary
        _element(entry, "summary", summary, type="text")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")
