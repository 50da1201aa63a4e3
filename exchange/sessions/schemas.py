"""What the session forms and the JSON API accept and return."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field, model_validator

from exchange.core.forms import FieldError, FormSchema
from exchange.organisations.models import OrganisationKind
from exchange.profiles.schemas import uk_date
from exchange.proposals.schemas import browser_text
from exchange.sessions.models import FollowUpKind
from exchange.sessions.slots import today_in_london

CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})$")
COUNCIL_KINDS = frozenset({OrganisationKind.COUNCIL.value, OrganisationKind.PUBLIC_BODY.value})
MOST_SLOTS = 24
MOST_TABLES = 500

SESSION_LABELS = {
    "title": "a title",
    "description": "a description",
    "venue": "the venue",
    "online_link": "the online link",
    "held_on": "the date of the session",
    "starts_at": "the time the first meeting starts",
    "meeting_minutes": "the length of a meeting in minutes",
    "gap_minutes": "the changeover between meetings in minutes",
    "meetings": "the number of meeting slots",
    "break_at": "the time of the break",
    "break_minutes": "the length of the break in minutes",
    "tables": "the number of tables",
    "max_meetings": "the most meetings one participant may have",
    "open_to": "who may register",
    "registration_closes_on": "the date registration closes",
    "preferences_close_on": "the date preferences close",
}
REGISTRATION_LABELS = {
    "organisation_id": "the organisation you register",
    "team": "the team name",
    "attendees": "who will attend",
    "available": "the slots you can meet in",
    "max_meetings": "the most meetings you want",
}


def clock_time(label: str) -> BeforeValidator:
    """A time of day as people type it: 9:30, 09:30 or 9.30."""

    def parse(value: object) -> object:
        if not isinstance(value, str):
            return value
        match = CLOCK.match(value.strip())
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            raise ValueError(f"Enter {label} as a time, like 9:30 or 14:00")
        return time(int(match.group(1)), int(match.group(2)))

    return BeforeValidator(parse)


class SessionForm(FormSchema):
    title: str = Field(min_length=3, max_length=200)
    description: Annotated[str, browser_text(5_000, "The description")] = ""
    venue: str = Field(default="", max_length=300)
    online_link: str = Field(default="", max_length=500)
    held_on: Annotated[date, uk_date("the date of the session")]
    starts_at: Annotated[time, clock_time("the time the first meeting starts")]
    meeting_minutes: int = Field(ge=5, le=180)
    gap_minutes: int = Field(default=0, ge=0, le=60)
    meetings: int = Field(ge=1, le=MOST_SLOTS)
    break_at: Annotated[time | None, clock_time("the time of the break")] = None
    break_minutes: int = Field(default=0, ge=0, le=240)
    tables: int = Field(ge=1, le=MOST_TABLES)
    max_meetings: int = Field(ge=1, le=MOST_SLOTS)
    open_to: list[OrganisationKind] = Field(default_factory=list)
    exclusive_organisations: bool = False
    registration_closes_on: Annotated[date, uk_date("the date registration closes")]
    preferences_close_on: Annotated[date, uk_date("the date preferences close")]

    @model_validator(mode="after")
    def consistent(self) -> SessionForm:
        if not self.venue and not self.online_link:
            raise FieldError("venue", "Enter the venue, or an online link for an online session")
        if self.online_link and not re.match(r"^https://\S+$", self.online_link):
            raise FieldError("online_link", "Enter the online link as a web address starting with https://")
        if self.held_on < today_in_london():
            raise FieldError("held_on", "The date of the session must be today or in the future")
        kinds = {kind.value for kind in self.open_to}
        if not kinds & COUNCIL_KINDS or not kinds - COUNCIL_KINDS:
            raise FieldError("open_to", "Choose at least one council side and one supplier side kind of organisation")
        if self.registration_closes_on > self.held_on:
            raise FieldError("registration_closes_on", "Registration must close on or before the day of the session")
        if self.preferences_close_on > self.held_on:
            raise FieldError("preferences_close_on", "Preferences must close on or before the day of the session")
        if self.preferences_close_on < self.registration_closes_on:
            raise FieldError("preferences_close_on", "Preferences must close on or after the day registration closes")
        if self.break_minutes and self.break_at is None:
            raise FieldError("break_at", "Enter the time of the break, or leave its length empty")
        if self.max_meetings > self.meetings:
            raise FieldError("max_meetings", "The most meetings one participant may have cannot exceed the slots")
        return self


class RegistrationForm(FormSchema):
    organisation_id: int = Field(ge=1)
    team: str = Field(default="", max_length=100)
    attendees: str = Field(default="", max_length=400)
    available: list[int] = Field(default_factory=list)
    max_meetings: int = Field(ge=1, le=MOST_SLOTS)

    @model_validator(mode="after")
    def some_slot(self) -> RegistrationForm:
        if not self.available:
            raise FieldError("available", "Choose at least one slot you can meet in")
        return self


class MoveForm(FormSchema):
    slot: int = Field(ge=0, lt=MOST_SLOTS)
    table_number: int = Field(ge=1, le=MOST_TABLES)


class AddMeetingForm(FormSchema):
    council_id: int = Field(ge=1)
    supplier_id: int = Field(ge=1)
    slot: int = Field(ge=0, lt=MOST_SLOTS)


class WalkInForm(FormSchema):
    """Someone who turns up on the day: their organisation (found by name, or added), and who came."""

    organisation_name: str = Field(min_length=2, max_length=200)
    # Needed only when the organisation is new to the exchange.
    kind: OrganisationKind | None = None
    attendees: str = Field(default="", max_length=400)


WALK_IN_LABELS = {
    "organisation_name": "the organisation's name",
    "kind": "the kind of organisation",
    "attendees": "who came",
}
ADD_MEETING_LABELS = {"council_id": "the council side", "supplier_id": "the supplier side", "slot": "the slot"}


class FollowUpForm(FormSchema):
    kind: FollowUpKind
    note: str = Field(default="", max_length=500)


# --- What the API returns ---


class SlotOut(BaseModel):
    start: str
    end: str


class SessionOut(BaseModel):
    id: int
    title: str
    description: str
    organiser: str
    venue: str
    online_link: str
    held_on: date
    slots: list[SlotOut]
    tables: int
    status: str
    registration_closes_at: datetime
    preferences_close_at: datetime
    participants: int


class AgendaMeetingOut(BaseModel):
    slot_start: str
    slot_end: str
    table: int
    # The organiser's name for the table ("Room A, table 1"), else "Table N".
    table_name: str
    # Where to join online: the meeting's own link, else the session's; empty for a meeting in person.
    video_link: str
    with_organisation: str
    reason: str
    cancelled: bool


class AgendaOut(BaseModel):
    session_id: int
    participant: str
    published: bool
    meetings: list[AgendaMeetingOut]
