"""Send every webhook delivery that is due: new ones whose task did not run, and retries whose backoff
has passed. The worker runs this every minute; run it from cron elsewhere."""

from django.core.management.base import BaseCommand

from cms.models import WebhookDelivery
from cms.webhooks.delivery import deliver_due


class Command(BaseCommand):
    help = "Send the pending webhook deliveries whose next attempt is due."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Send at most this many deliveries.")

    def handle(self, *args, limit=None, **options):
        attempted = deliver_due(limit=limit)
        delivered = sum(delivery.status == WebhookDelivery.Status.DELIVERED for delivery in attempted)
        failed = sum(delivery.status == WebhookDelivery.Status.FAILED for delivery in attempted)
        retrying = len(attempted) - delivered - failed
        if attempted or options["verbosity"] > 1:
            self.stdout.write(f"Webhooks: {delivered} delivered, {retrying} to retry later, {failed} failed for good.")
