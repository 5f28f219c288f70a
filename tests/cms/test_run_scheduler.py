"""The scheduler outlives database outages: a failed round is retried with backoff, and only a good round
touches the heartbeat that its healthcheck reads."""

import pytest
from django.core.management import call_command
from django.db import OperationalError

from cms.management.commands import run_scheduler


@pytest.fixture
def sleeps(monkeypatch):
    slept = []
    monkeypatch.setattr(run_scheduler.time, "sleep", slept.append)
    # Between rounds the scheduler drops connections a request would; here that is the test's transaction.
    monkeypatch.setattr(run_scheduler, "close_old_connections", lambda: None)
    return slept


def test_a_round_publishes_what_is_due_delivers_webhooks_and_touches_the_heartbeat(db, tmp_path, sleeps):
    heartbeat = tmp_path / "heartbeat"
    call_command("run_scheduler", "--once", "--heartbeat", str(heartbeat))
    assert heartbeat.exists()


def test_a_database_outage_is_retried_with_backoff_and_leaves_the_heartbeat_stale(db, tmp_path, sleeps, monkeypatch):
    heartbeat = tmp_path / "heartbeat"
    outcomes = [OperationalError("server closed the connection"), OperationalError("connection refused"), None]

    def run_round(self, every_hour):
        assert not heartbeat.exists()  # no good round yet
        outcome = outcomes.pop(0)
        if outcome:
            raise outcome

    monkeypatch.setattr(run_scheduler.Command, "run_round", run_round)
    call_command("run_scheduler", "--once", "--heartbeat", str(heartbeat))
    assert sleeps == [2, 4]
    assert heartbeat.exists() and not outcomes
