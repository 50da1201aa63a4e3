"""What the conversation, group and report forms accept."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from exchange.core.forms import FormSchema
from exchange.proposals.schemas import browser_text

POST_LIMIT = 2_000

POST_LABELS = {"body": "your message"}
GROUP_LABELS = {
    "name": "the group's name",
    "description": "what the group is for",
    "email": "their email address",
    "decision": "whether to approve or decline",
}


class PostForm(FormSchema):
    body: Annotated[str, browser_text(POST_LIMIT, "Your message")] = Field(min_length=1)


class GroupForm(FormSchema):
    name: str = Field(min_length=3, max_length=120)
    description: Annotated[str, browser_text(2_000, "The description")] = ""


class FacilitatorForm(FormSchema):
    email: str = Field(min_length=3, max_length=320)


class ReasonForm(FormSchema):
    reason: str = Field(min_length=3, max_length=500)


class DecisionForm(FormSchema):
    decision: Literal["approve", "decline"]
