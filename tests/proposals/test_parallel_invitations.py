"""Officers of the same council inviting the same supplier at the same moment: one invitation, told once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from exchange.needs import service as needs
from exchange.needs.models import NeedStage
from exchange.notifications.models import Notification
from exchange.proposals import invitations
from exchange.proposals.models import ProposalInvitation
from tests import factories
from tests.parallel import at_once, own_database
from tests.proposals.conftest import set_up_procurement

AT_ONCE = 6


def test_parallel_invitations_of_one_supplier_make_one_invitation_and_one_notice(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    with own_database(tmp_path_factory, "invitations") as database:
        with database.transaction() as db:
            officers = [factories.officer(db, "BUN") for _ in range(AT_ONCE)]
            need = factories.need(db, officers[0], factories.council(db, "BUN"), title="Meals at home")
            needs.change_stage(db, factories.viewer(db, officers[0]), need.id, NeedStage.OPEN_FOR_PROPOSALS)
            set_up_procurement(db, officers[0], need)
            founder = factories.user(db)
            supplier_id = factories.supplier(db, founder).id
            viewers = [factories.viewer(db, officer) for officer in officers]
            need_id, founder_id = need.id, founder.id

        def invite(n: int) -> None:
            with database.transaction() as db:  # as the inviting request's unit of work
                invitations.invite(db, viewers[n], need_id, [supplier_id])

        outcomes = at_once(AT_ONCE, invite)

        assert outcomes.failed == [] and outcomes.refused == []
        with database.session(write=False) as db:
            assert db.scalar(select(func.count()).select_from(ProposalInvitation)) == 1
            told = select(func.count()).select_from(Notification).where(Notification.user_id == founder_id)
            assert db.scalar(told) == 1
