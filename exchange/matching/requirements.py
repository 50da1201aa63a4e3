"""Hard requirements of a need (a certification, a region it must be delivered in): never traded against the score.

A supplier that fails one is set apart with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from exchange.matching.core import NeedFacts, SupplierFacts

CERTIFICATION_LABELS: Mapping[str, str] = {
    "cyber_essentials": "Cyber Essentials",
    "cyber_essentials_plus": "Cyber Essentials Plus",
    "iso_27001": "ISO 27001",
    "iso_9001": "ISO 9001",
}
# Cyber Essentials Plus includes Cyber Essentials.
IMPLIED_CERTIFICATIONS: Mapping[str, frozenset[str]] = {"cyber_essentials_plus": frozenset({"cyber_essentials"})}


def requirements(need: NeedFacts, supplier: SupplierFacts) -> tuple[list[str], list[str]]:
    """The need's hard requirements the supplier meets, and those it does not, in words."""
    met: list[str] = []
    unmet: list[str] = []
    held = set(supplier.certifications)
    for certification in supplier.certifications:
        held |= IMPLIED_CERTIFICATIONS.get(certification, frozenset())
    for certification in sorted(need.required_certifications):
        label = CERTIFICATION_LABELS.get(certification, certification)
        if certification in held:
            met.append(f"Holds {label}, which this need requires")
        else:
            unmet.append(f"Does not hold a current {label} certificate, which this need requires")
    if need.region_required and need.region_key:
        region = need.region_label or need.region_key
        if not supplier.regions:
            unmet.append(f"Has not said it works in {region}, where this need must be delivered")
        elif need.region_key not in supplier.regions:
            unmet.append(f"Does not work in {region}, where this need must be delivered")
    return met, unmet
