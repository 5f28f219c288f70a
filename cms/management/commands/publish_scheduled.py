"""Wagtail's publish_scheduled, with each page's change and its webhook events in one transaction.

Wagtail's command publishes the revisions whose go-live date has passed, and unpublishes what has expired,
in autocommit: the page's row, its log entry and the outbox rows the publish writes (cms/webhooks/events.py)
would each commit on their own, so a failure between them could leave a live page whose `published` event
is lost. Here each object's unpublish and each revision's publish runs in its own transaction; a failure
rolls back that one change and its events, is logged and reported on stderr, and the others still go out
(the failed one is tried again on the next run, its go-live date still set); a database that is unavailable
stops the run with its error. The revision is re-read under a row lock, so
two overlapping runs publish it once.
"""

import logging

from django.apps import apps
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from wagtail.management.commands.publish_scheduled import Command as WagtailCommand
from wagtail.models import DraftStateMixin, Page, Revision

logger = logging.getLogger(__name__)


def scheduled_models():
    return [Page] + [
        model for model in apps.get_models() if issubclass(model, DraftStateMixin) and not issubclass(model, Page)
    ]


class Command(WagtailCommand):
    help = "Publish the revisions whose go-live date has passed and unpublish expired objects, each atomically."

    def handle(self, *args, **options):
        if options["dryrun"]:
            return super().handle(*args, **options)
        failures = []
        for model in scheduled_models():
            expired = model.objects.filter(live=True, expire_at__lt=timezone.now()).order_by("expire_at")
            for pk in list(expired.values_list("pk", flat=True)):
                failures += self.atomically(f"unpublishing {model._meta.label} {pk}", self.unpublish, model, pk)
        due = Revision.objects.filter(approved_go_live_at__lt=timezone.now()).order_by("approved_go_live_at")
        for pk in list(due.values_list("pk", flat=True)):
            failures += self.atomically(f"publishing revision {pk}", self.publish, pk)
        for failure in failures:
            self.stderr.write(f"Failed, rolled back, retried on the next run: {failure}")

    def atomically(self, what, change, *args):
        try:
            with transaction.atomic():
                change(*args)
        except (OperationalError, InterfaceError):
            raise  # the database is unavailable: nothing else can go out either (run_scheduler backs off)
        except Exception as error:
            logger.exception("publish_scheduled: %s failed; rolled back", what)
            return [f"{what}: {error}"]
        return []

    @staticmethod
    def unpublish(model, pk):
        obj = model.objects.select_for_update().filter(pk=pk, live=True, expire_at__lt=timezone.now()).first()
        if obj is not None:
            obj = obj.specific if isinstance(obj, Page) else obj
            obj.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")

    @staticmethod
    def publish(pk):
        revision = Revision.objects.select_for_update().filter(pk=pk, approved_go_live_at__lt=timezone.now()).first()
        if revision is not None:  # another run published it meanwhile
            # The go-live date has passed, so publishing the revision makes the object live.
            revision.publish(log_action="wagtail.publish.scheduled")
