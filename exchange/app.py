"""The application: one FastAPI app serving HTML pages and the JSON API from the same services."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from starlette.middleware.sessions import SessionMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from exchange.accounts import views as account_views
from exchange.accounts.dependencies import verify_csrf
from exchange.admin import jobs_views as admin_jobs_views
from exchange.admin import views as admin_views
from exchange.case_studies import api as case_study_api
from exchange.case_studies import authoring_views as case_study_authoring_views
from exchange.case_studies import views as case_study_views
from exchange.conversations import views as conversation_views
from exchange.core import error_handlers
from exchange.core.database import Database, make_engine
from exchange.core.forms import refuse_nul_in_address
from exchange.core.middleware import SecurityHeadersMiddleware
from exchange.core.read_limit import ReadConcurrencyLimit
from exchange.core.runtime import freeze_long_lived_objects
from exchange.core.security import SESSION_COOKIE, SESSION_MAX_AGE_DAYS
from exchange.core.settings import Settings, get_settings
from exchange.core.templating import make_environment
from exchange.docs import views as docs_views
from exchange.evaluation import api as evaluation_api
from exchange.evaluation import outcome_views, record_views
from exchange.evaluation import panel_views as evaluation_panel_views
from exchange.evaluation import views as evaluation_views
from exchange.feedback import views as feedback_views
from exchange.knowledge import api as knowledge_api
from exchange.knowledge import endorsement_views, follow_views, saved_search_views
from exchange.knowledge import views as knowledge_views
from exchange.listings import api as listing_api
from exchange.listings import views as listing_views
from exchange.matching import api as matching_api
from exchange.matching import views as matching_views
from exchange.moderation import views as moderation_views
from exchange.needs import api as need_api
from exchange.needs import views as need_views
from exchange.notifications import views as notification_views
from exchange.ocds import api as ocds_api
from exchange.organisations import api as organisation_api
from exchange.organisations import sign_up_views
from exchange.organisations import views as organisation_views
from exchange.pages import case_study as case_study_page
from exchange.pages import dashboard as dashboard_page
from exchange.pages import dev_mail as dev_mail_page
from exchange.pages import home as home_page
from exchange.pages import listing as listing_page
from exchange.pages import need as need_page
from exchange.pages import organisation as organisation_page
from exchange.pages import policies as policy_pages
from exchange.pages import proposals as proposal_pages
from exchange.pages import supplier_analytics
from exchange.payments import admin_views as payment_admin_views
from exchange.payments import views as payment_views
from exchange.payments.analytics import ViewCounter, ViewTally
from exchange.payments.tasks import hand_on_profile_views
from exchange.profiles import api as profile_api
from exchange.profiles import views as profile_views
from exchange.proposals import api as proposal_api
from exchange.proposals import clarification_views, invitation_views, procurement_views
from exchange.proposals import views as proposal_views
from exchange.search import api as search_api
from exchange.search import views as search_views
from exchange.sessions import agenda_views as session_agenda_views
from exchange.sessions import api as session_api
from exchange.sessions import calendar_views as session_calendar_views
from exchange.sessions import confirm_views as session_confirm_views
from exchange.sessions import day_views as session_day_views
from exchange.sessions import registration_views as session_registration_views
from exchange.sessions import report_views as session_report_views
from exchange.sessions import request_views as session_request_views
from exchange.sessions import schedule_views as session_schedule_views
from exchange.sessions import setup_views as session_setup_views
from exchange.sessions import views as session_views
from exchange.shortlists import views as shortlist_views
from exchange.wiring import install as install_listeners_and_jobs

SESSION_MAX_AGE = SESSION_MAX_AGE_DAYS * 24 * 3600


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # The worker has loaded everything it keeps for its whole life: see freeze_long_lived_objects.
    freeze_long_lived_objects()
    yield
    # Views counted since the last batch go to the queue before the process stops.
    batch = app.state.view_tally.take()
    if batch:
        hand_on_profile_views(batch)


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    install_listeners_and_jobs()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    app = FastAPI(
        title="Open Innovation Exchange API",
        version="1",
        description="Needs, pitches, offers and organisations of the Open Innovation Exchange.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(verify_csrf), Depends(refuse_nul_in_address)],
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.database = database or Database(make_engine(settings.database_url, settings), settings)
    app.state.templates = make_environment(settings)

    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.secure_cookies)
    # Jobs that run at once (the suite) count each view as it comes; otherwise in batches (see ViewTally).
    app.state.view_tally = ViewTally(0 if settings.queue_kind == "immediate" else settings.view_count_batch_seconds)
    app.add_middleware(ViewCounter, tally=app.state.view_tally, hand_on=hand_on_profile_views)
    app.add_middleware(ReadConcurrencyLimit, at_once=settings.read_concurrency)
    if settings.trusted_proxies.strip():
        # Outermost: the client's address is known before anything reads it (sign-in limits, sessions).
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    error_handlers.install(app)
    # First: a page loads several assets, and each would otherwise be tried against every page route first.
    app.mount("/assets", StaticFiles(directory=settings.static_dir, check_dir=False), name="assets")

    for module in (
        home_page,
        search_views,
        account_views,
        sign_up_views,
        organisation_views,
        organisation_page,
        profile_views,
        listing_views,
        listing_page,
        need_views,
        need_page,
        procurement_views,
        clarification_views,
        invitation_views,
        proposal_views,
        proposal_pages,
        matching_views,
        shortlist_views,
        evaluation_views,
        evaluation_panel_views,
        record_views,
        outcome_views,
        notification_views,
        session_views,
        session_registration_views,
        session_request_views,
        session_setup_views,
        session_schedule_views,
        session_agenda_views,
        session_calendar_views,
        session_confirm_views,
        session_day_views,
        session_report_views,
        conversation_views,
        moderation_views,
        dashboard_page,
        knowledge_views,
        endorsement_views,
        follow_views,
        saved_search_views,
        case_study_authoring_views,
        case_study_views,
        case_study_page,
        admin_views,
        admin_jobs_views,
        payment_views,
        supplier_analytics,
        payment_admin_views,
        docs_views,
        policy_pages,
        feedback_views,
        dev_mail_page,
    ):
        app.include_router(module.router, include_in_schema=False)
    for api in (search_api, listing_api, need_api, matching_api, organisation_api, profile_api):
        app.include_router(api.router, prefix="/api/v1")
    app.include_router(proposal_api.router, prefix="/api/v1")
    app.include_router(evaluation_api.router, prefix="/api/v1")
    app.include_router(ocds_api.router, prefix="/api/v1")
    app.include_router(knowledge_api.router, prefix="/api/v1")
    app.include_router(session_api.router, prefix="/api/v1")
    app.include_router(case_study_api.router, prefix="/api/v1")

    payment_views.install(app)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @app.get("/readyz", include_in_schema=False)
    def readyz() -> JSONResponse:
        with app.state.database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return JSONResponse({"status": "ok", "database": app.state.database.dialect})

    return app
