"""Inviting suppliers to respond to a need: the council chooses them on the matches or the shortlist, checks
who will be told what on one page, then sends. Everyone outside the need's council gets 404."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, ImmutableMultiDict

from exchange.accounts.dependencies import signed_in_viewer
from exchange.core.errors import Invalid
from exchange.core.forms import submitted_form
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import MAX_ID, PathId, plain_number
from exchange.core.templating import flash, render
from exchange.core.viewer import Viewer
from exchange.proposals import invitations

router = APIRouter(route_class=TransactionalRoute, prefix="/needs/{need_id}/invitations")


def _back(need_id: int, return_to: str) -> str:
    """Only back to one of this need's own pages: never an address from elsewhere."""
    prefix = f"/needs/{need_id}"
    return return_to if return_to in {prefix, f"{prefix}/matches", f"{prefix}/shortlist"} else prefix


def _chosen_ids(values: ImmutableMultiDict[str, str] | FormData) -> list[int]:
    """The organisation ids chosen (ticked boxes or one button's hidden field), refusing anything else."""
    ids = []
    for value in values.getlist("organisation_id"):
        number = plain_number(str(value).strip(), MAX_ID)
        if number is None:
            raise Invalid("Choose the suppliers to invite from the list: nobody was invited")
        ids.append(number)
    return ids


@router.get("/new", response_class=HTMLResponse)
def confirm(
    request: Request, need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    """Who will be invited and what they will be told, before anything is sent."""
    view = invitations.council_view(db, viewer, need_id)
    back = _back(need_id, request.query_params.get("return_to", ""))
    try:
        suppliers = invitations.chosen_suppliers(db, _chosen_ids(request.query_params))
    except Invalid as refused:
        # Back to where the choice was made, with the reason, rather than a dead end.
        context = {"page_title": "Invite suppliers to respond", "need": view.need, "refused": refused.message}
        return render(request, "proposals/invite.html", {**context, "return_to": back}, status_code=422)
    already = invitations.invited_on(db, need_id)
    to_invite = [s for s in suppliers if s.id not in already]
    title, body = invitations.notice(db, view, to_invite[0].name if to_invite else "your organisation")
    context = {
        "page_title": f"Invite suppliers to respond: {view.need.title}",
        "need": view.need,
        "procurement": view,
        "why_not": invitations.why_not_inviting(view),
        "to_invite": to_invite,
        "already": [already[s.id] for s in suppliers if s.id in already],
        "notice_title": title,
        "notice_body": body,
        "return_to": back,
    }
    return render(request, "proposals/invite.html", context)


@router.post("")
def send(
    request: Request,
    need_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> RedirectResponse:
    # invite() answers 404 to anyone outside the need's council before it reads the choice.
    result = invitations.invite(db, viewer, need_id, _chosen_ids(form))
    flash(request, result.message())
    return RedirectResponse(_back(need_id, str(form.get("return_to", ""))), status_code=303)
