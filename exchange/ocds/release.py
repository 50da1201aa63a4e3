"""A need as an OCDS 1.1.5 release (https://standard.open-contracting.org/1.1/en/schema/release/).

Each need is one contracting process. Its ocid is OCID_PREFIX, a hyphen and the need's id: "ocds-oix" is the
exchange's own prefix, not yet registered with the Open Contracting Partnership (register one and change
the constant before publishing to the OCDS registry; the need ids after it stay the same).

What goes in, by stage: ``planning`` (the problem and budget) from the start; ``tender`` (value, award
criteria with their weights, the dates proposals and questions are taken, and the published clarifications
as enquiries) once the need invites proposals; ``awards`` once a supplier is chosen. The enquiries array
comes from the OCDS Enquiries extension, listed in the package's ``extensions``. Proposals, scores and who
evaluated never go in; neither do unsuccessful suppliers, only how many suppliers submitted a proposal.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from exchange.evaluation.models import OutcomeKind
from exchange.needs.models import NeedStage
from exchange.ocds.service import NeedFacts
from exchange.organisations.models import Organisation
from exchange.proposals.procurement import certification_label

OCID_PREFIX = "ocds-oix"
OCDS_VERSION = "1.1"
ENQUIRIES_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_enquiry_extension/v1.1.5/extension.json"
)
CURRENCY = "GBP"
UK = ZoneInfo("Europe/London")
# The organisation identifier lists (org-id.guide) of UK local authorities, by the first letter of their GSS code.
LOCAL_AUTHORITY_LISTS = {"E": "GB-LAE", "S": "GB-LAS", "W": "GB-PLA", "N": "GB-LANI"}
# OCDS partyScale codes for the sizes a supplier profile records.
SCALES = {"micro": "micro", "small": "sme", "medium": "sme", "sme": "sme", "large": "large"}

S = NeedStage
TAGS = {
    S.IDEA: ["planning"],
    S.EARLY_MARKET_ENGAGEMENT: ["planning"],
    S.OPEN_FOR_PROPOSALS: ["tender"],
    S.CLOSED: ["tender"],
    S.AWARDED: ["award"],
    S.NO_SUITABLE_SUPPLIER: ["tenderUpdate"],
    S.CANCELLED: ["tenderCancellation"],
}
TENDER_STATUS = {
    S.IDEA: "planning",
    S.EARLY_MARKET_ENGAGEMENT: "planning",
    S.OPEN_FOR_PROPOSALS: "active",
    # Proposals are closed and being evaluated: still active until an outcome.
    S.CLOSED: "active",
    S.AWARDED: "complete",
    S.NO_SUITABLE_SUPPLIER: "unsuccessful",
    S.CANCELLED: "cancelled",
}


def ocid(need_id: int) -> str:
    return f"{OCID_PREFIX}-{need_id}"


def timestamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def day_starts(value: date) -> str:
    """The start of a day in UK time: proposals and questions are taken in whole UK days."""
    return datetime.combine(value, time.min, tzinfo=UK).isoformat()


def day_ends(value: date) -> str:
    return datetime.combine(value, time(23, 59, 59), tzinfo=UK).isoformat()


def money(amount: int | None) -> dict[str, Any] | None:
    return None if amount is None else {"amount": amount, "currency": CURRENCY}


def _compact(value: dict[str, Any]) -> dict[str, Any]:
    """Leave out what is not known, rather than publishing nulls and empty lists."""
    return {key: item for key, item in value.items() if item not in (None, [], {}, "")}


# --- Parties ---


def buyer_identifiers(council: Organisation) -> list[dict[str, str]]:
    """The local authority code under its org-id.guide list, then the GSS code, as far as they are known."""
    identifiers = []
    nation = (council.gss_code or " ")[0]
    if council.local_authority_code and nation in LOCAL_AUTHORITY_LISTS:
        identifiers.append({"scheme": LOCAL_AUTHORITY_LISTS[nation], "id": council.local_authority_code})
    if council.gss_code:
        # The ONS (Government Statistical Service) code of the area the council governs; org-id.guide has no
        # list for it, so it is published under its plain name.
        identifiers.append({"scheme": "GSS", "id": council.gss_code})
    return identifiers


def party_id(organisation: Organisation, identifiers: list[dict[str, str]]) -> str:
    if identifiers:
        return f"{identifiers[0]['scheme']}-{identifiers[0]['id']}"
    return f"{OCID_PREFIX}-organisation-{organisation.id}"


def _buyer(facts: NeedFacts) -> dict[str, Any]:
    council = facts.need.organisation
    identifiers = buyer_identifiers(council)
    return _compact(
        {
            "id": party_id(council, identifiers),
            "name": council.name,
            "identifier": {**identifiers[0], "legalName": council.name} if identifiers else None,
            "additionalIdentifiers": identifiers[1:],
            "roles": ["buyer", "procuringEntity"],
        }
    )


def _supplier(facts: NeedFacts) -> dict[str, Any] | None:
    outcome = facts.outcome
    if outcome is None or outcome.organisation is None:
        return None
    profile = facts.supplier_profile
    identifiers = []
    if profile is not None and profile.companies_house_number:
        identifiers.append({"scheme": "GB-COH", "id": profile.companies_house_number})
    legal_name = (profile.legal_name if profile else None) or outcome.organisation.name
    scale = SCALES.get((profile.size or "").lower()) if profile else None
    return _compact(
        {
            "id": party_id(outcome.organisation, identifiers),
            "name": outcome.organisation.name,
            "identifier": {**identifiers[0], "legalName": legal_name} if identifiers else None,
            "roles": ["supplier"],
            "details": {"scale": scale} if scale else None,
        }
    )


def _reference(party: dict[str, Any]) -> dict[str, Any]:
    return {"id": party["id"], "name": party["name"]}


# --- Sections ---


def _planning(facts: NeedFacts) -> dict[str, Any]:
    need = facts.need
    budget = None
    if need.budget_max is not None or need.budget_min is not None:
        budget = _compact(
            {
                "description": "The budget the council gave for this need"
                + (f": from £{need.budget_min:,}" if need.budget_min is not None else ""),
                "amount": money(need.budget_max if need.budget_max is not None else need.budget_min),
            }
        )
    return _compact({"rationale": need.problem_statement, "budget": budget})


def _award_criteria_details(facts: NeedFacts) -> str | None:
    if not facts.criteria:
        return None
    weights = "; ".join(f"{c.name}: {c.weight}%" for c in facts.criteria)
    return f"Proposals are scored from 0 to 100 against each criterion, weighted: {weights}."


def _tender(facts: NeedFacts, buyer: dict[str, Any]) -> dict[str, Any]:
    need, settings = facts.need, facts.settings
    opens = settings.opens_on if settings else None
    closes = settings.closes_on if settings else None
    questions_close = (settings.questions_close_on if settings else None) or closes
    certifications = [certification_label(key) for key in need.required_certifications or []]
    return _compact(
        {
            "id": f"{ocid(need.id)}-tender",
            "title": need.title,
            "description": need.summary,
            "status": TENDER_STATUS[need.stage],
            "procuringEntity": _reference(buyer),
            "value": money(need.budget_max),
            "minValue": money(need.budget_min),
            "procurementMethod": "open" if opens else None,
            "procurementMethodDetails": "An open call for proposals on the Open Innovation Exchange" if opens else None,
            "awardCriteria": "ratedCriteria" if facts.criteria else None,
            "awardCriteriaDetails": _award_criteria_details(facts),
            "submissionMethod": ["electronicSubmission"] if opens else None,
            "eligibilityCriteria": f"Suppliers must hold: {', '.join(certifications)}." if certifications else None,
            "tenderPeriod": _compact({"startDate": day_starts(opens), "endDate": day_ends(closes)})
            if opens and closes
            else None,
            "enquiryPeriod": _compact(
                {"startDate": day_starts(opens) if opens else None, "endDate": day_ends(questions_close)}
            )
            if questions_close
            else None,
            "hasEnquiries": bool(facts.enquiries),
            "enquiries": [_enquiry(c) for c in facts.enquiries],
            "numberOfTenderers": facts.tenderers if facts.outcome is not None else None,
        }
    )


def _enquiry(clarification: Any) -> dict[str, Any]:
    """A published clarification: the question and answer with their dates, never who asked."""
    return _compact(
        {
            "id": str(clarification.id),
            "date": timestamp(clarification.created_at),
            "description": clarification.question,
            "answer": clarification.answer,
            "dateAnswered": timestamp(clarification.answered_at),
        }
    )


def _awards(facts: NeedFacts, supplier: dict[str, Any] | None) -> list[dict[str, Any]]:
    outcome = facts.outcome
    if outcome is None or outcome.kind is not OutcomeKind.AWARDED or supplier is None:
        return []
    return [
        _compact(
            {
                "id": f"{ocid(facts.need.id)}-award-1",
                "title": facts.need.title,
                "status": "active",
                "date": timestamp(outcome.recorded_at),
                "value": money(outcome.value),
                "suppliers": [_reference(supplier)],
                "contractPeriod": {"startDate": day_starts(outcome.starts_on)} if outcome.starts_on else None,
            }
        )
    ]


def release_date(facts: NeedFacts) -> datetime:
    """When what the release says last changed."""
    moments = [facts.need.updated_at]
    if facts.settings is not None:
        moments.append(facts.settings.updated_at)
    moments += [c.answered_at for c in facts.enquiries if c.answered_at is not None]
    if facts.outcome is not None:
        moments.append(facts.outcome.recorded_at)
    return max(moments)


def release(facts: NeedFacts) -> dict[str, Any]:
    need = facts.need
    buyer = _buyer(facts)
    supplier = _supplier(facts)
    when = release_date(facts)
    shows_tender = need.stage not in (S.IDEA, S.EARLY_MARKET_ENGAGEMENT) or facts.settings is not None
    return _compact(
        {
            "ocid": ocid(need.id),
            "id": f"{ocid(need.id)}-{when.astimezone(UTC):%Y%m%dT%H%M%SZ}",
            "date": timestamp(when),
            "tag": TAGS[need.stage],
            "initiationType": "tender",
            "language": "en",
            "parties": [buyer, *([supplier] if supplier else [])],
            "buyer": _reference(buyer),
            "planning": _planning(facts),
            "tender": _tender(facts, buyer) if shows_tender else None,
            "awards": _awards(facts, supplier),
        }
    )


def package(
    releases: list[dict[str, Any]], uri: str, published: datetime, publisher_uri: str, next_uri: str | None
) -> dict[str, Any]:
    """A release package; ``links.next`` points at the next page, as OCDS's pagination guidance describes."""
    body: dict[str, Any] = {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": timestamp(published),
        "publisher": {"name": "Open Innovation Exchange", "uri": publisher_uri},
        "extensions": [ENQUIRIES_EXTENSION],
        "releases": releases,
    }
    if next_uri:
        body["links"] = {"next": next_uri}
    return body
