"""Reports of content that breaks the rules, for the moderators' queue."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from exchange.core.database import Base
from exchange.core.models import Timestamped, UtcDateTime, enum_column


class ContentKind(enum.StrEnum):
    POST = "post"
    CASE_STUDY = "case_study"
    PITCH = "pitch"
    OFFER = "offer"
    NEED = "need"

    @property
    def noun(self) -> str:
        return self.value.replace("_", " ")

    @property
    def path(self) -> str:
        """Where content of this kind has its pages; posts have none of their own, they are in their thread."""
        return CONTENT_PATHS.get(self, "")


CONTENT_PATHS = {
    ContentKind.CASE_STUDY: "/case-studies",
    ContentKind.PITCH: "/pitches",
    ContentKind.OFFER: "/offers",
    ContentKind.NEED: "/needs",
}


class ReportStatus(enum.StrEnum):
    OPEN = "open"
    # The content was hidden.
    UPHELD = "upheld"
    DISMISSED = "dismissed"


class Report(Timestamped, Base):
    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("content_kind", "content_id", "reporter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    content_kind: Mapped[ContentKind] = enum_column(ContentKind)
    content_id: Mapped[int] = mapped_column()
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(500))
    status: Mapped[ReportStatus] = enum_column(ReportStatus, default=ReportStatus.OPEN, index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
