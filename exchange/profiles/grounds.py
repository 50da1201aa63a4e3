"""The exclusion grounds a supplier declares against, after the Procurement Act 2023 (schedules 6 and 7)
and regulation 57 of the Public Contracts Regulations 2015.

A mandatory ground excludes a supplier unless it shows it has put things right; a discretionary ground
lets the buyer decide. Keys are stored with each answer, so they must never change; add new ones instead.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ground:
    key: str
    label: str
    mandatory: bool

    @property
    def kind(self) -> str:
        return "mandatory" if self.mandatory else "discretionary"


GROUNDS = (
    Ground("corruption", "Corruption or bribery", True),
    Ground("fraud", "Fraud, including fraud against the public purse", True),
    Ground("terrorism", "Terrorism or terrorist financing", True),
    Ground("money_laundering", "Money laundering", True),
    Ground("organised_crime", "Taking part in a criminal organisation", True),
    Ground("modern_slavery", "Modern slavery or human trafficking", True),
    Ground("tax", "Tax evasion or non-payment of tax", True),
    Ground("insolvency", "Insolvency or bankruptcy", False),
    Ground("misconduct", "Grave professional misconduct", False),
    Ground("environmental_social_labour", "Breach of environmental, social or labour law", False),
    Ground("poor_performance", "Poor performance on a previous contract (terminated, damages paid or similar)", False),
    Ground("competition", "Infringement of competition law", False),
    Ground("misrepresentation", "Misrepresentation or withholding information in a procurement", False),
)

GROUNDS_BY_KEY = {ground.key: ground for ground in GROUNDS}
GROUND_KEYS = tuple(GROUNDS_BY_KEY)
MANDATORY_GROUNDS = tuple(ground for ground in GROUNDS if ground.mandatory)
DISCRETIONARY_GROUNDS = tuple(ground for ground in GROUNDS if not ground.mandatory)
