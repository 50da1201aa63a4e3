"""Words for matching: the same tokens for needs and track records, whatever the database.

The database's full-text search finds candidates; the scores are computed here from these tokens, so that
SQLite and PostgreSQL rank alike and every reason can name the words that really matched.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

WORD = re.compile(r"[a-z0-9]+")
TOKEN = re.compile(r"[A-Za-z0-9]+")
KEPT_CAPITALS = frozenset({"IT"})
# "businessAnalyst" (a role code in published award data) reads as "business analyst".
CAMEL = re.compile(r"([a-z])([A-Z])")
MAX_WORD_LENGTH = 40

# Words that say nothing about the work: common English words, and words common in procurement titles and
# company names.
STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can cannot could did do does doing don down during each either else etc ever every
    few for from further get gets getting go goes going got had has have having he her here hers herself him
    himself his how however i if in into is isn it its itself just least less let like made make makes many may
    me might more most much must my myself need needs neither no nor not now of off often on once one only or
    other others our ours ourselves out over own per rather really same see seen several shall she should since
    so some still such than that the their theirs them themselves then there these they this those though
    through thus to too under until up upon us use used uses using very via was way we well were what when where
    whether which while who whom whose why will with within without would yet you your yours yourself
    yourselves someone something anyone anything everyone everything ltd limited plc llp llc inc co uk service
    services""".split()  # noqa: SIM905 (reads as prose)
)
SUFFIXES = ("ing", "ment", "ers", "er", "es", "s")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix-stripper: "consultations" and "consultation" meet; short words stay whole."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[str]:
    """The meaningful words of a text, lower case, in order (unstemmed)."""
    found = []
    for token in TOKEN.findall(CAMEL.sub(r"\1 \2", text)):
        word = token.lower()
        # "IT" in capitals is information technology, not the pronoun.
        if 1 < len(word) <= MAX_WORD_LENGTH and (word not in STOP_WORDS or token in KEPT_CAPITALS):
            found.append(word)
    return found


def terms(text: str) -> list[str]:
    return [stem(word) for word in words(text)]


def term_counts(text: str) -> Counter[str]:
    return Counter(terms(text))


def surface_forms(text: str) -> dict[str, str]:
    """Each term of a text -> the word as the text first wrote it, for explanations."""
    forms: dict[str, str] = {}
    for word in words(text):
        forms.setdefault(stem(word), word)
    return forms


def normalise_name(name: str) -> str:
    """An organisation's name compared loosely: case, punctuation and "the" do not matter."""
    return " ".join(w for w in WORD.findall(name.lower()) if w != "the")
