"""Every route the application serves, with its path parameters filled from the world's ids."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI

from tests.security.world import World

# Path parameters whose value depends on where they appear: (pattern of the path, parameter) -> world key.
BY_PLACE: list[tuple[str, str, str]] = [
    (r"^/account/sessions/", "session_id", "user_session_id"),
    (r"^/pitches/", "listing_id", "pitch_id"),
    (r"^/offers/", "listing_id", "offer_id"),
    (r"^/organisations/", "slug", "supplier_slug"),
    (r"^/groups/", "slug", "group_slug"),
    (r"/certifications/", "item_id", "certification_id"),
    (r"/insurance/", "item_id", "insurance_id"),
    (r"/past-contracts/", "item_id", "past_contract_id"),
    (r"/references/\{item_id\}", "item_id", "reference_id"),
    (r"^/needs/\{need_id\}/shortlist/", "organisation_id", "supplier_id"),
    (r"^/billing/", "organisation_id", "supplier_id"),
    (r"^/admin/organisations/", "organisation_id", "supplier_id"),
    (r"^/api/v1/organisations/", "organisation_id", "supplier_id"),
    (r"^/api/v1/endorsements/\{kind\}", "item_id", "supplier_id"),
    (r"^/endorse/", "item_id", "supplier_id"),
    (r"^/conversations/\{kind\}", "subject_id", "pitch_id"),
    (r"^/moderation/", "content_id", "post_id"),
    (r"follows/", "target_id", "need_id"),
    (r"^/notifications/", "token", "not-a-token"),
    (r"^/account/", "token", "not-a-token"),
    (r"^/saved-searches/feed/", "token", "feed_token"),
    (r"^/calendars/", "token", "not-a-token"),
    (r"^/sessions/\{session_id\}/check-in/", "token", "check_in_token"),
]
# Literal values of parameters that name a kind of thing.
KINDS = {
    r"^/api/v1/endorsements/": "organisation",
    r"^/endorse/": "organisation",
    r"^/conversations/": "pitch",
    r"^/moderation/": "post",
    r"follows/": "need",
}


def all_routes(app: FastAPI) -> Iterator[tuple[str, str]]:
    """(method, path) of every route, through included routers (HEAD only where GET is not served)."""

    def walk(routes: list[Any], prefix: str) -> Iterator[tuple[str, str]]:
        for route in routes:
            if type(route).__name__ == "_IncludedRouter":
                yield from walk(route.original_router.routes, prefix + route.include_context.prefix)
            elif getattr(route, "methods", None):
                for method in sorted(route.methods - {"HEAD"} or route.methods):
                    yield method, prefix + route.path

    yield from walk(list(app.routes), "")


def fill(path: str, world: World) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "kind":
            return next((kind for pattern, kind in KINDS.items() if re.search(pattern, path)), "pitch")
        if name == "chart":
            return "categories"
        for pattern, parameter, key in BY_PLACE:
            if parameter == name and re.search(pattern, path):
                return str(world.ids.get(key, key))
        return str(world.ids[name])

    return re.sub(r"\{(\w+)\}", value, path)
