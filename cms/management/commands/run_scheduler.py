"""The scheduler: every minute, scheduled publishing and the webhook deliveries that are due; every hour, the
"review_due" events. It outlives database outages (a failed round is logged and retried with backoff)
and touches a heartbeat file after every good round, which its healthcheck reads."""

import logging
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections
from django.utils.module_loading import import_string

logger = logging.getLogger("verity.scheduler")

MAX_BACKOFF_SECONDS = 60


class Command(BaseCommand):
    help = "Run scheduled publishing and webhook deliveries every minute, until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=60, help="Seconds between rounds (default 60).")
        parser.add_argument(
            "--heartbeat",
            default="/tmp/verity-scheduler-heartbeat",  # noqa: S108 - a container's own /tmp
            help="File touched after each good round.",
        )
        parser.add_argument("--once", action="store_true", help="Exit after one good round.")

    def handle(self, *args, interval, heartbeat, once, **options):
        rounds, failures = 0, 0
        while True:
            close_old_connections()  # a connection broken by an outage is not reused
            try:
                self.run_round(every_hour=rounds % max(1, round(3600 / interval)) == 0)
            except DatabaseError:
                failures += 1
                delay = min(MAX_BACKOFF_SECONDS, 2**failures)
                logger.exception("Scheduler round failed; retrying in %s s", delay)
                time.sleep(delay)
                continue
            failures = 0
            rounds += 1
            Path(heartbeat).touch()
            if once:
                return
            time.sleep(interval)

    def run_round(self, every_hour):
        call_command("publish_scheduled")
        call_command("deliver_webhooks")
        # The apps' own jobs, named in the settings (the shop's store sync), so the core imports no app.
        for job in settings.VERITY_SCHEDULED_JOBS:
            import_string(job)()
        if every_hour:
            call_command("send_review_due_webhooks")
            call_command("send_credential_reminders")
