"""A council's shortlist for a need: private to the council's members."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.core.database import Base
from exchange.core.models import Timestamped
from exchange.organisations.models import Organisation


class ShortlistEntry(Timestamped, Base):
    """One supplier on one need's shortlist, with the pitch or offer that brought it there, if any."""

    __tablename__ = "shortlist_entries"
    __table_args__ = (UniqueConstraint("need_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The unique constraint (need_id, organisation_id) also serves lookups by need.
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    # "match" (from the Matches tab), "search" or "proposal": where the officer found the supplier.
    source: Mapped[str] = mapped_column(String(20), default="match")
    pitch_id: Mapped[int | None] = mapped_column(ForeignKey("pitches.id", ondelete="SET NULL"))
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id", ondelete="SET NULL"))
    # The proposal that brought the supplier here, when it came from the need's proposals.
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="SET NULL"))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship(lazy="raise")
