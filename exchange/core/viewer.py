"""Who is asking: the signed-in user (or nobody) and the organisations they act for."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Viewer:
    user_id: int | None = None
    name: str = ""
    email: str = ""
    is_admin: bool = False
    email_verified: bool = False
    # Active memberships only: pending requests to join give no rights.
    organisation_ids: frozenset[int] = field(default_factory=frozenset)
    admin_of: frozenset[int] = field(default_factory=frozenset)
    # A verified email and an active membership of a verified council or public body.
    public_sector_verified: bool = False

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None

    def is_member(self, organisation_id: int) -> bool:
        return organisation_id in self.organisation_ids

    def is_organisation_admin(self, organisation_id: int) -> bool:
        return organisation_id in self.admin_of or self.is_admin


ANONYMOUS = Viewer()
