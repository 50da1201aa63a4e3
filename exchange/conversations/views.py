"""Conversation pages: asking and answering in public, "I have this question too" in place (HTMX), the full
thread of a subject, and the closed groups of the verified public sector."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import current_viewer, signed_in_viewer
from exchange.conversations import groups, membership, service
from exchange.conversations.models import MembershipStatus, SubjectKind
from exchange.conversations.schemas import (
    GROUP_LABELS,
    POST_LABELS,
    DecisionForm,
    FacilitatorForm,
    GroupForm,
    PostForm,
)
from exchange.conversations.subjects import can_enter_groups, can_read_group, resolve
from exchange.core.errors import Invalid, NotFound
from exchange.core.forms import form_to_dict, submitted_form, validate
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import flash, is_htmx, render
from exchange.core.viewer import Viewer

router = APIRouter(route_class=TransactionalRoute)


def _thread_page(
    request: Request,
    db: Session,
    viewer: Viewer,
    kind: str,
    subject_id: int,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    thread = service.thread(db, viewer, kind, subject_id)
    context = {
        "page_title": f"Questions and discussion: {thread.subject.title}",
        "thread": thread,
        "values": values,
        "errors": errors,
        "reply_to": values.get("reply_to"),
    }
    return render(request, "conversations/thread.html", context, status)


@router.get("/conversations/{kind}/{subject_id}", response_class=HTMLResponse)
def thread_page(
    request: Request,
    kind: str,
    subject_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> HTMLResponse:
    return _thread_page(request, db, viewer, kind, subject_id, {}, {})


@router.post("/conversations/{kind}/{subject_id}/posts", response_class=HTMLResponse)
def ask(
    request: Request,
    kind: str,
    subject_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    values = form_to_dict(form)
    try:
        post = service.ask(db, viewer, kind, subject_id, validate(PostForm, values, POST_LABELS).body)
    except Invalid as error:
        return _thread_page(request, db, viewer, kind, subject_id, values, error.field_errors, 422)
    subject = resolve(db, viewer, kind, subject_id)
    waiting = post.status.value == "pending"
    flash(request, "Thank you. As a new account, your first post waits for a moderator." if waiting else "Posted.")
    return RedirectResponse(f"{subject.url}#post-{post.id}", 303)


@router.post("/conversations/posts/{post_id}/replies", response_class=HTMLResponse)
def reply(
    request: Request,
    post_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    parent, subject = service.top_level_post(db, viewer, post_id)
    values = {**form_to_dict(form), "reply_to": post_id}
    try:
        post = service.reply(db, viewer, post_id, validate(PostForm, values, POST_LABELS).body)
    except Invalid as error:
        return _thread_page(request, db, viewer, subject.kind, subject.id, values, error.field_errors, 422)
    flash(request, "Your reply waits for a moderator." if post.status.value == "pending" else "Reply posted.")
    return RedirectResponse(f"{subject.url}#post-{parent.id}", 303)


@router.post("/conversations/posts/{post_id}/support", response_class=HTMLResponse)
def support(
    request: Request, post_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Response:
    post, count, supported = service.toggle_support(db, viewer, post_id)
    if is_htmx(request):
        context = {"post": post, "supporters": count, "supported": supported, "can_support": True}
        return render(request, "conversations/_support.html", context)
    subject = service.top_level_post(db, viewer, post_id)[1]
    return RedirectResponse(f"{subject.url}#post-{post.id}", 303)


# --- Closed groups ---


@router.get("/groups", response_class=HTMLResponse)
def group_list(
    request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> HTMLResponse:
    listed = groups.listed(db, viewer)
    context = {
        "page_title": "Closed groups",
        "groups": listed,
        "can_enter": can_enter_groups(viewer),
        "statuses": membership.statuses(db, viewer, [g.id for g in listed]),
    }
    return render(request, "conversations/groups.html", context)


def _group_form(request: Request, values: dict[str, Any], errors: dict[str, str], status: int = 200) -> HTMLResponse:
    context = {"page_title": "Start a closed group", "values": values, "errors": errors}
    return render(request, "conversations/group_form.html", context, status)


@router.get("/groups/new", response_class=HTMLResponse)
def new_group(request: Request, viewer: Viewer = Depends(signed_in_viewer)) -> HTMLResponse:
    if not can_enter_groups(viewer):
        raise NotFound("group")
    return _group_form(request, {}, {})


@router.post("/groups/new", response_class=HTMLResponse)
def create_group(
    request: Request,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    values = form_to_dict(form)
    try:
        created = groups.create(db, viewer, validate(GroupForm, values, GROUP_LABELS))
    except Invalid as error:
        return _group_form(request, values, error.field_errors, 422)
    flash(request, "The group is started. You are its facilitator.")
    return RedirectResponse(f"/groups/{created.slug}", 303)


def _group_page(
    request: Request,
    db: Session,
    viewer: Viewer,
    slug: str,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    found = groups.by_slug(db, viewer, slug)
    context = {
        "page_title": found.name,
        "group": found,
        "facilitators": groups.facilitators(db, found.id),
        "values": values,
        "errors": errors,
        **_membership_context(db, viewer, found.id),
    }
    if not context["can_read"]:
        # An officer outside the group sees its name and purpose, and may ask to join: nothing said in it.
        return render(request, "conversations/group_outside.html", context, status)
    context["thread"] = service.thread(db, viewer, SubjectKind.GROUP, found.id)
    return render(request, "conversations/group.html", context, status)


def _membership_context(db: Session, viewer: Viewer, group_id: int) -> dict[str, Any]:
    row = membership.membership(db, group_id, viewer.user_id)
    facilitating = groups.is_facilitator(db, viewer, group_id)
    return {
        "can_read": can_read_group(db, viewer, group_id),
        "is_facilitator": facilitating,
        "my_status": row.status.value if row is not None else None,
        "members": membership.with_status(db, group_id, MembershipStatus.MEMBER),
        "requests": membership.with_status(db, group_id, MembershipStatus.REQUESTED) if facilitating else [],
        "invited": membership.with_status(db, group_id, MembershipStatus.INVITED) if facilitating else [],
    }


def _panel(
    request: Request, db: Session, viewer: Viewer, slug: str, template: str, message: str, anchor: str
) -> Response:
    """The changed panel in place for HTMX (announced, focus kept on it); otherwise back to the group page."""
    if is_htmx(request):
        found = groups.by_slug(db, viewer, slug)
        context = {"group": found, "message": message, **_membership_context(db, viewer, found.id)}
        return render(request, template, context, headers={"Vary": "HX-Request"})
    flash(request, message)
    return RedirectResponse(f"/groups/{slug}#{anchor}", 303)


@router.get("/groups/{slug}", response_class=HTMLResponse)
def group_page(
    request: Request, slug: str, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> HTMLResponse:
    return _group_page(request, db, viewer, slug, {}, {})


@router.post("/groups/{slug}/facilitators", response_class=HTMLResponse)
def add_facilitator(
    request: Request,
    slug: str,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    values = form_to_dict(form)
    try:
        row = groups.add_facilitator(db, viewer, slug, validate(FacilitatorForm, values, GROUP_LABELS).email)
    except Invalid as error:
        return _group_page(request, db, viewer, slug, values, error.field_errors, 422)
    flash(request, f"{row.user.name} can now facilitate this group.")
    return RedirectResponse(f"/groups/{slug}", 303)


JOIN_MESSAGES = {
    MembershipStatus.MEMBER: "You have joined the group.",
    MembershipStatus.REQUESTED: "Your request to join is sent. A facilitator will approve or decline it.",
    MembershipStatus.INVITED: "You are invited: accept the invitation to join.",
}


@router.post("/groups/{slug}/join", response_class=HTMLResponse)
def join_group(
    request: Request, slug: str, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Response:
    status = membership.request_to_join(db, viewer, slug)
    return _panel(request, db, viewer, slug, "conversations/_join.html", JOIN_MESSAGES[status], "membership")


@router.post("/groups/{slug}/invitations", response_class=HTMLResponse)
def invite_to_group(
    request: Request,
    slug: str,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    # The page has two email fields (facilitators, invitations): this one is "invite_email" on the page.
    groups.facilitated(db, viewer, slug)
    values = {"invite_email": str(form.get("invite_email", ""))}
    try:
        email = validate(FacilitatorForm, {"email": values["invite_email"]}, GROUP_LABELS).email
        person, status = membership.invite(db, viewer, slug, email)
    except Invalid as error:
        errors = {"invite_email": error.field_errors.get("email", error.message)}
        return _group_page(request, db, viewer, slug, values, errors, 422)
    message = f"{person.name} is now a member." if status is MembershipStatus.MEMBER else f"{person.name} is invited."
    flash(request, message)
    return RedirectResponse(f"/groups/{slug}#members", 303)


@router.post("/groups/{slug}/requests/{user_id}", response_class=HTMLResponse)
def decide_request(
    request: Request,
    slug: str,
    user_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    groups.facilitated(db, viewer, slug)
    approve = validate(DecisionForm, form_to_dict(form), GROUP_LABELS).decision == "approve"
    person = membership.decide(db, viewer, slug, user_id, approve)
    message = f"{person.name} {'is now a member' if approve else 'was declined'}."
    return _panel(request, db, viewer, slug, "conversations/_members.html", message, "join-requests")
