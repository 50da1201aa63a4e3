"""Searching case studies by words, the same way on SQLite and PostgreSQL.

Case studies are few beside pitches and needs, and are searched only on their own page, so they keep their own
small index rather than joining the site-wide search documents: each case study's stemmed terms (the stems
matching uses, exchange.core.terms) in ``case_study_terms``. A search word finds every term it begins
("consult" finds "consultation") by a range on the term index; every word must be found; the weights of the
matched terms rank the results, title words first.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from exchange.case_studies.models import CaseStudy, CaseStudyTerm
from exchange.core import terms as text
from exchange.search.service import MAX_TERMS

TITLE_WEIGHT = 5
SUMMARY_WEIGHT = 3


def term_weights(case_study: CaseStudy) -> Counter[str]:
    weights: Counter[str] = Counter()
    for term in text.terms(case_study.title):
        weights[term] += TITLE_WEIGHT
    for term in text.terms(case_study.summary):
        weights[term] += SUMMARY_WEIGHT
    body = [
        case_study.problem,
        case_study.what_we_used,
        case_study.cost_and_time,
        case_study.outcomes,
        *case_study.key_figures,
        case_study.went_wrong,
        *case_study.steps,
        case_study.prerequisites,
    ]
    for term in text.terms("\n".join(body)):
        weights[term] += 1
    return weights


def index(db: Session, case_study: CaseStudy) -> None:
    """Write the case study's terms again, in the caller's transaction."""
    db.execute(delete(CaseStudyTerm).where(CaseStudyTerm.case_study_id == case_study.id))
    rows = [
        {"case_study_id": case_study.id, "term": term, "weight": weight}
        for term, weight in term_weights(case_study).items()
    ]
    if rows:
        db.execute(insert(CaseStudyTerm), rows)


def query_terms(words: str) -> list[str]:
    """The stems of the words searched for, each once, in order."""
    return list(dict.fromkeys(text.terms(words)))[:MAX_TERMS]


def _after(prefix: str) -> str | None:
    """The first string after every string that begins with ``prefix``, when one is safe in any collation.

    Terms are lower-case letters and digits. Bumping the last one to the next letter or digit sorts after the
    prefix's words under byte order and dictionary collations alike; after "z" or "9" there is no such
    character, and the search reads on from the prefix instead.
    """
    last = prefix[-1]
    if last in "z9":
        return None
    return prefix[:-1] + chr(ord(last) + 1)


def matching(words: str) -> Any | None:
    """A subquery of (case_study_id, score) for the case studies holding every word, or None without words."""
    terms = query_terms(words)
    if not terms:
        return None
    found: Any = None
    score: Any = None
    for position, term in enumerate(terms):
        conditions = [CaseStudyTerm.term >= term, CaseStudyTerm.term.like(f"{term}%")]
        upper = _after(term)
        if upper is not None:
            conditions.append(CaseStudyTerm.term < upper)
        part = (
            select(CaseStudyTerm.case_study_id.label("id"), func.sum(CaseStudyTerm.weight).label("weight"))
            .where(*conditions)
            .group_by(CaseStudyTerm.case_study_id)
            .subquery(f"term_{position}")
        )
        if found is None:
            found, score = part, part.c.weight
            statement = select(part.c.id)
        else:
            statement = statement.join(part, part.c.id == found.c.id)
            score = score + part.c.weight
    return statement.add_columns(score.label("score")).subquery("matched")
