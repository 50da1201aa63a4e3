"""The submitted form as a dependency, so that handlers can stay synchronous."""

from __future__ import annotations

from fastapi import Request
from starlette.datastructures import FormData


async def submitted_form(request: Request) -> FormData:
    return await request.form()
