"""Account pages: confirm email, sign in and out, reset a password (signing up is organisations.sign_up_views)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts import service, sessions
from exchange.accounts.browsers import describe_browser
from exchange.accounts.dependencies import (
    current_viewer,
    end_session,
    session_token,
    signed_in_viewer,
    start_session,
)
from exchange.accounts.schemas import EmailForm, PasswordChange, PasswordReset, SignIn
from exchange.core.errors import Invalid, NotFound
from exchange.core.forms import form_to_dict, submitted_form, validate
from exchange.core.http import TransactionalRoute, client_address, commit_despite_error, get_db
from exchange.core.templating import flash, render
from exchange.core.viewer import Viewer

router = APIRouter(route_class=TransactionalRoute, prefix="/account")


def safe_next(target: str | None) -> str:
    """Only local paths: never redirect to another site after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/dashboard"


@router.get("/verify-email/{token}", response_class=HTMLResponse)
def verify_email(request: Request, token: str, db: Session = Depends(get_db)) -> Response:
    user, confirmed_now = service.verify_email(db, token)
    if user is None:
        return render(request, "accounts/link_expired.html", {"page_title": "This link has expired"}, status_code=400)
    if not confirmed_now:
        # The link signs in once, when it confirms the address; later it is no key to the account.
        flash(request, "Your email address is already confirmed. Sign in to continue.")
        return RedirectResponse("/account/sign-in", status_code=303)
    start_session(request, db, user.id)
    flash(request, "Your email address is confirmed.")
    return RedirectResponse("/dashboard", status_code=303)


def _resend_page(request: Request, values: dict[str, str], errors: dict[str, str], status: int = 200) -> HTMLResponse:
    context = {"page_title": "Send the confirmation link again", "values": values, "errors": errors}
    return render(request, "accounts/resend_verification.html", context, status_code=status)


@router.get("/resend-verification", response_class=HTMLResponse)
def resend_verification_form(request: Request, viewer: Viewer = Depends(current_viewer)) -> HTMLResponse:
    return _resend_page(request, {"email": viewer.email} if viewer.signed_in else {}, {})


@router.post("/resend-verification", response_class=HTMLResponse)
def resend_verification(
    request: Request,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    settings = request.app.state.settings
    values = form_to_dict(form)
    if viewer.signed_in and "email" not in values:
        # The dashboard's button: the account is the viewer's own, so the answer may say what happened.
        if viewer.email_verified:
            flash(request, "Your email address is already confirmed.")
        elif service.resend_verification_email(db, viewer.email, settings):
            flash(request, f"We have sent a new link to {viewer.email}.")
        else:
            flash(request, "We have sent several links in the last hour. Check your spam folder, or try again later.")
        return RedirectResponse("/dashboard", status_code=303)
    try:
        data = validate(EmailForm, values, {"email": "your email address"})
    except Invalid as error:
        return _resend_page(request, values, error.field_errors, 422)
    service.resend_verification_email(db, data.email, settings)
    # The same answer whether or not the address has an account waiting for confirmation.
    context = {"page_title": "Check your email", "email": data.email, "resent": True}
    return render(request, "accounts/check_email.html", context)


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request, viewer: Viewer = Depends(current_viewer)) -> Response:
    if viewer.signed_in:
        return RedirectResponse("/dashboard", status_code=303)
    values = {"next": safe_next(request.query_params.get("next"))}
    return render(request, "accounts/sign_in.html", {"page_title": "Sign in", "values": values, "errors": {}})


@router.post("/sign-in", response_class=HTMLResponse)
def sign_in(request: Request, form: FormData = Depends(submitted_form), db: Session = Depends(get_db)) -> Response:
    values = form_to_dict(form)
    ip_address = client_address(request)
    try:
        data = validate(SignIn, values, {"email": "your email address", "password": "your password"})
        user = service.sign_in(db, data, ip_address, request.app.state.settings)
    except service.SignInFailed as error:
        commit_despite_error(request)
        return _sign_in_again(request, values, error.field_errors, 422)
    except Invalid as error:
        return _sign_in_again(request, values, error.field_errors, error.status_code)
    start_session(request, db, user.id)
    return RedirectResponse(safe_next(values.get("next")), status_code=303)


def _sign_in_again(request: Request, values: dict[str, str], errors: dict[str, str], status: int) -> HTMLResponse:
    values.pop("password", None)
    context = {"page_title": "Sign in", "values": values, "errors": errors or {"email": "Too many attempts"}}
    return render(request, "accounts/sign_in.html", context, status_code=status)


@router.post("/sign-out")
def sign_out(request: Request, db: Session = Depends(get_db)) -> Response:
    end_session(request, db)
    flash(request, "You have signed out.")
    return RedirectResponse("/", status_code=303)


@router.get("/password-reset", response_class=HTMLResponse)
def password_reset_request_form(request: Request) -> HTMLResponse:
    return render(
        request,
        "accounts/password_reset_request.html",
        {"page_title": "Reset your password", "values": {}, "errors": {}},
    )


@router.post("/password-reset", response_class=HTMLResponse)
def password_reset_request(
    request: Request, form: FormData = Depends(submitted_form), db: Session = Depends(get_db)
) -> Response:
    values = form_to_dict(form)
    try:
        data = validate(EmailForm, values, {"email": "your email address"})
    except Invalid as error:
        context = {"page_title": "Reset your password", "values": values, "errors": error.field_errors}
        return render(request, "accounts/password_reset_request.html", context, status_code=422)
    service.request_password_reset(db, data.email, request.app.state.settings)
    return render(
        request,
        "accounts/check_email.html",
        {"page_title": "Check your email", "email": data.email, "reset": True},
    )


@router.get("/password-reset/{token}", response_class=HTMLResponse)
def password_reset_form(request: Request, token: str, db: Session = Depends(get_db)) -> HTMLResponse:
    if service.user_for_reset_token(db, token) is None:
        return render(request, "accounts/link_expired.html", {"page_title": "This link has expired"}, status_code=400)
    return render(
        request,
        "accounts/password_reset.html",
        {"page_title": "Choose a new password", "errors": {}, "token": token},
    )


@router.post("/password-reset/{token}", response_class=HTMLResponse)
def password_reset(
    request: Request, token: str, form: FormData = Depends(submitted_form), db: Session = Depends(get_db)
) -> Response:
    user = service.user_for_reset_token(db, token)
    if user is None:
        return render(request, "accounts/link_expired.html", {"page_title": "This link has expired"}, status_code=400)
    try:
        data = validate(
            PasswordReset,
            form_to_dict(form),
            {"password": "a new password", "password_confirmation": "the password again"},
        )
    except Invalid as error:
        context = {"page_title": "Choose a new password", "errors": error.field_errors, "token": token}
        return render(request, "accounts/password_reset.html", context, status_code=422)
    service.reset_password(db, user, data.password)
    start_session(request, db, user.id)
    flash(request, "Your password has been changed.")
    return RedirectResponse("/dashboard", status_code=303)


@router.get("", response_class=HTMLResponse)
def account(request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)) -> Response:
    assert viewer.user_id is not None
    token = session_token(request)
    this_one = sessions.token_hash(token) if token else None
    rows = [
        {"session": row, "browser": describe_browser(row.user_agent), "this_one": row.token_hash == this_one}
        for row in sessions.of_user(db, viewer.user_id)
    ]
    context = {"page_title": "Your account", "user": service.get_user(db, viewer), "sessions": rows}
    return render(request, "accounts/account.html", context)


@router.post("/sessions/{session_id}/end")
def end_other_session(
    request: Request, session_id: int, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Response:
    assert viewer.user_id is not None
    if not sessions.end_one(db, viewer.user_id, session_id):
        raise NotFound("session")
    flash(request, "That session has ended: the browser that held it is signed out.")
    return RedirectResponse("/account", status_code=303)


@router.post("/sessions/end-others")
def end_other_sessions(
    request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Response:
    assert viewer.user_id is not None
    ended = sessions.end_all(db, viewer.user_id, except_token=session_token(request))
    flash(
        request,
        f"Signed out of {ended} other session{'s' if ended != 1 else ''}."
        if ended
        else "You were signed in nowhere else.",
    )
    return RedirectResponse("/account", status_code=303)


@router.get("/password", response_class=HTMLResponse)
def change_password_form(request: Request, viewer: Viewer = Depends(signed_in_viewer)) -> Response:
    return render(request, "accounts/change_password.html", {"page_title": "Change your password", "errors": {}})


@router.post("/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    try:
        data = validate(
            PasswordChange,
            form_to_dict(form),
            {
                "current_password": "your current password",
                "password": "a new password",
                "password_confirmation": "the new password again",
            },
        )
        service.change_password(db, viewer, data.current_password, data.password, session_token(request) or "")
    except Invalid as error:
        context = {"page_title": "Change your password", "errors": error.field_errors}
        return render(request, "accounts/change_password.html", context, status_code=422)
    flash(request, "Your password has been changed. Any other browser signed in to your account is signed out.")
    return RedirectResponse("/account", status_code=303)
