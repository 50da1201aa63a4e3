"""Jobs set aside: a job that failed on every try waits here for an administrator to retry or drop it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from exchange.core.database import Base
from exchange.core.models import UtcDateTime, utcnow


class FailedJob(Base):
    __tablename__ = "failed_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The task's name in the queue's registry (module and function) and the arguments it was given.
    task: Mapped[str] = mapped_column(String(300))
    args: Mapped[list[Any]] = mapped_column(JSON)
    error: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer)
    failed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)

    @property
    def short_name(self) -> str:
        """The task's own name, without its module: what an administrator reads."""
        return self.task.rsplit(".", 1)[-1].replace("_", " ")
