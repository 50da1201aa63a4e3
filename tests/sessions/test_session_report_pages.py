"""The feedback form and the organiser's report and files over HTTP: each side gives feedback from its agenda,
a bad answer is refused in words and saves nothing, and everyone but the two sides (feedback) or the organisers
and administrators (report, files) gets 404. The files never name a restricted need to a reader who may not
see it."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from exchange.needs.models import Visibility
from exchange.sessions import exports
from exchange.sessions.models import MeetingFeedback, SessionMeeting
from tests import factories
from tests.client import Client
from tests.sessions.conftest import World
from tests.sessions.report_world import held_yesterday, rate


@pytest.fixture
def meetings(world: World) -> dict[str, SessionMeeting]:
    found = held_yesterday(world)
    world.db.commit()
    return found


def _csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_a_side_gives_feedback_from_its_agenda(
    world: World, meetings: dict[str, SessionMeeting], client: Client
) -> None:
    base = f"/sessions/{world.session.id}"
    meeting = meetings["A"]
    client.sign_in(world.officers["civic"].email, factories.PASSWORD)
    assert f"{base}/meetings/{meeting.id}/feedback" in client.get(f"{base}/agenda").text
    page = client.get(f"{base}/meetings/{meeting.id}/feedback")
    assert page.status_code == 200 and "Very useful" in page.text and "Not useful" in page.text
    refused = client.post(f"{base}/meetings/{meeting.id}/feedback", {"note": "Good"})
    assert refused.status_code == 422 and "Choose how useful the meeting was" in refused.text
    assert factories.count(world.db, MeetingFeedback) == 0
    saved = client.post(f"{base}/meetings/{meeting.id}/feedback", {"rating": "4", "note": "Good demo"})
    assert saved.status_code == 303
    again = client.get(f"{base}/meetings/{meeting.id}/feedback")
    assert "Good demo" in again.text and "Save the change" in again.text
    # The other side opens its own form: Civic Voice's note is not there.
    client.sign_in(world.organiser.email, factories.PASSWORD)
    theirs = client.get(f"{base}/meetings/{meeting.id}/feedback")
    assert theirs.status_code == 200 and "Good demo" not in theirs.text


def test_feedback_is_404_to_anyone_but_the_two_sides(
    world: World, meetings: dict[str, SessionMeeting], client: Client
) -> None:
    url = f"/sessions/{world.session.id}/meetings/{meetings['A'].id}/feedback"
    for who in ("pendle", "roads"):
        client.sign_in(world.officers[who].email, factories.PASSWORD)
        assert client.get(url).status_code == 404
        assert client.post(url, {"rating": "5"}).status_code == 404
    assert factories.count(world.db, MeetingFeedback) == 0


def test_the_organiser_reads_the_report_and_downloads_the_files(
    world: World, meetings: dict[str, SessionMeeting], client: Client
) -> None:
    rate(world, "pendle", meetings["B"], 2, "Not what we need")
    world.db.commit()
    base = f"/sessions/{world.session.id}"
    client.sign_in(world.organiser.email, factories.PASSWORD)
    page = client.get(f"{base}/report")
    assert page.status_code == 200
    assert "Road Repairs Ltd" in page.text and "Not what we need" in page.text
    assert "Average rating: <strong>2.0 out of 5</strong>" in page.text
    outcomes = _csv_rows(client.get(f"{base}/report/outcomes.csv").content)
    assert outcomes[0][:2] == ["Participant", "Side"] and len(outcomes) == 6
    meetings_file = _csv_rows(client.get(f"{base}/report/meetings.csv").content)
    statuses = sorted(row[5] for row in meetings_file[1:])
    assert statuses == [
        "Cancelled by Civic Voice Ltd",
        "Cancelled by the organisers",
        "Held",
        "Held",
        "Held",
        "No-show: Road Repairs Ltd did not check in",
    ]
    participants = _csv_rows(client.get(f"{base}/report/participants.csv").content)
    assert {row[0]: row[8] for row in participants[1:]}["Road Repairs Ltd"] == "Yes"
    workbook = load_workbook(io.BytesIO(client.get(f"{base}/report.xlsx").content))
    assert workbook.sheetnames == ["Participants", "Meetings", "Outcomes"]
    assert workbook["Outcomes"].max_row == 6


@pytest.mark.parametrize(
    "path", ["report", "report.xlsx", "report/participants.csv", "report/meetings.csv", "report/outcomes.csv"]
)
def test_the_report_and_its_files_are_404_to_participants(
    world: World, meetings: dict[str, SessionMeeting], client: Client, path: str
) -> None:
    client.sign_in(world.officers["pendle"].email, factories.PASSWORD)
    assert client.get(f"/sessions/{world.session.id}/{path}").status_code == 404
    client.sign_in(world.officers["civic"].email, factories.PASSWORD)
    assert client.get(f"/sessions/{world.session.id}/{path}").status_code == 404


def test_the_files_name_a_restricted_need_only_to_readers_who_may_see_it(
    world: World, meetings: dict[str, SessionMeeting]
) -> None:
    secret = "Confidential overspend on adult social care"
    need = factories.need(
        world.db,
        world.officers["pendle"],
        world.organisations["pendle"],
        title=secret,
        visibility=Visibility.PUBLIC_SECTOR,
    )
    meeting = meetings["B"]
    meeting.need_id, meeting.need_detail = need.id, "Matches the need's words"
    # A session run by a suppliers' network: its organiser may not see a public-sector-only need.
    network_member = factories.user(world.db, name="Network coordinator")
    network = factories.supplier(world.db, network_member, name="Pennine Digital Network")
    world.session.organisation_id = network.id
    world.db.flush()
    for viewer, shown in (
        (factories.viewer(world.db, network_member), False),
        (factories.viewer(world.db, factories.admin(world.db)), True),
    ):
        _, sheets = exports.sheets(world.db, viewer, world.session.id)
        text = b"".join(exports.as_csv(sheet) for sheet in sheets.values()).decode("utf-8")
        assert (secret in text) is shown
        workbook = load_workbook(io.BytesIO(exports.as_xlsx(list(sheets.values()), "Report")))
        cells = " ".join(str(c.value) for ws in workbook for row in ws.iter_rows() for c in row if c.value)
        assert (secret in cells) is shown
