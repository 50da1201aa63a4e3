"""Two evaluators saving scores at the same moment lose nothing: each score is its own row, written by one
upsert, on two real connections at once. It runs on SQLite too, where the write lock taken at the start of
each writing transaction makes the two wait for each other instead of overlapping."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.core.database import Database
from exchange.core.viewer import Viewer
from exchange.evaluation import panel, service
from exchange.evaluation.models import EvaluationScore
from exchange.evaluation.schemas import DeclarationForm, PanelForm, ScoreForm
from exchange.needs import service as needs
from exchange.needs.models import Need, NeedStage
from exchange.proposals import procurement
from exchange.proposals import service as proposals
from exchange.proposals.models import EvaluationCriterion
from exchange.proposals.schemas import ProposalDraft
from exchange.shortlists import service as shortlists
from tests import factories
from tests.conftest import drop_database, new_database_url, prepare_database
from tests.conftest import test_settings as settings_for
from tests.proposals.conftest import days, set_dates, set_up_procurement

SAVES_AT_ONCE = 2


@dataclass
class Setting:
    database: Database
    need_id: int
    proposal_id: int
    # Two criteria, so that each test races to insert rows that do not exist yet.
    criterion_ids: list[int]
    officer: Viewer
    colleague: Viewer


@pytest.fixture(scope="module")
def setting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setting]:
    """A database of its own, committed to, so that two connections see the same rows."""
    url = new_database_url(tmp_path_factory, "concurrency")
    engine = prepare_database(url)
    database = Database(engine, settings_for(url))
    try:
        with database.transaction() as db:
            officer, colleague = factories.officer(db, "BUN"), factories.officer(db, "BUN")
            need = factories.need(db, officer, factories.council(db, "BUN"), title="Meals at home")
            needs.change_stage(db, factories.viewer(db, officer), need.id, NeedStage.OPEN_FOR_PROPOSALS)
            set_up_procurement(db, officer, need)
            owner = factories.user(db, "jo@pennine.example")
            factories.supplier(db, owner, name="Pennine Community Meals")
            supplier = factories.viewer(db, owner)
            proposal = submitted_proposal(db, supplier, need)
            set_dates(db, need, opens_on=days(-30), closes_on=days(-1), questions_close_on=None)
            shortlists.add_proposal(db, factories.viewer(db, officer), need.id, proposal)
            form = PanelForm(evaluator_ids=[officer.id, colleague.id], moderator_id=officer.id)
            panel.assign(db, factories.viewer(db, officer), need, form)
            for person in (officer, colleague):
                panel.declare(db, factories.viewer(db, person), need, None, DeclarationForm(has_conflict=False))
            criteria = list(
                db.scalars(
                    select(EvaluationCriterion.id)
                    .where(EvaluationCriterion.need_id == need.id)
                    .order_by(EvaluationCriterion.position)
                )
            )
            yield_value = Setting(
                database,
                need.id,
                proposal,
                criteria,
                factories.viewer(db, officer),
                factories.viewer(db, colleague),
            )
        yield yield_value
    finally:
        engine.dispose()
        drop_database(url)


def submitted_proposal(db: Session, supplier: Viewer, need: Need) -> int:
    proposal = proposals.start(db, supplier, need.id, None)
    answers = [
        {"requirement_id": r.id, "meets": True, "evidence": "We do this every day."}
        for r in procurement.load(db, need).requirements
    ]
    draft = ProposalDraft(answers=answers, price=90_000, approach="Two hubs.", attach_profile=False)
    proposals.save_draft(db, supplier, need.id, proposal.id, draft)
    return proposals.submit(db, supplier, need.id, proposal.id).id


def save_at_once(setting: Setting, criterion_id: int, saves: list[tuple[Viewer, int]]) -> list[BaseException]:
    """Each save in its own thread and session, all let go together, each committed on its own."""
    start = threading.Barrier(len(saves))
    # On PostgreSQL both transactions read the evaluation before either writes, the way a lost update happens.
    # SQLite lets one writing transaction in at a time, so there the second simply waits for the first.
    both_read = threading.Barrier(len(saves)) if setting.database.dialect == "postgresql" else None
    errors: list[BaseException] = []

    def save(viewer: Viewer, value: int) -> None:
        start.wait(timeout=10)
        session = setting.database.session(write=True)  # as a POST request's session is
        try:
            service.load(session, viewer, setting.need_id)
            if both_read is not None:
                both_read.wait(timeout=10)
            form = ScoreForm(score=value, justification=f"Scored {value} at the same moment as a colleague.")
            service.save_score(session, viewer, setting.need_id, setting.proposal_id, criterion_id, form)
            session.commit()
        except BaseException as error:
            errors.append(error)
            session.rollback()
        finally:
            session.close()

    threads = [threading.Thread(target=save, args=job) for job in saves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def scores(setting: Setting, criterion_id: int) -> dict[int, list[int]]:
    with setting.database.session(write=False) as db:
        rows = db.scalars(
            select(EvaluationScore).where(
                EvaluationScore.proposal_id == setting.proposal_id, EvaluationScore.criterion_id == criterion_id
            )
        )
        found: dict[int, list[int]] = {}
        for row in rows:
            found.setdefault(row.evaluator_id, []).append(row.score)
        return found


def test_two_evaluators_saving_at_the_same_moment_both_keep_their_scores(setting: Setting) -> None:
    criterion = setting.criterion_ids[0]
    errors = save_at_once(setting, criterion, [(setting.officer, 70), (setting.colleague, 40)])

    assert errors == []
    assert scores(setting, criterion) == {setting.officer.user_id: [70], setting.colleague.user_id: [40]}


def test_one_evaluator_saving_twice_at_once_keeps_one_score(setting: Setting) -> None:
    """Two tabs, one person: no error and no second row; one of the two values stands."""
    criterion = setting.criterion_ids[1]
    errors = save_at_once(setting, criterion, [(setting.officer, 81), (setting.officer, 82)])

    assert errors == []
    assert scores(setting, criterion) in ({setting.officer.user_id: [81]}, {setting.officer.user_id: [82]})
