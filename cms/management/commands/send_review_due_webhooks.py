"""Tell the endpoints subscribed to "review_due" about each live post whose medical review is due,
once per post and review. The worker runs this every hour; running it more often sends nothing twice."""

from django.core.management.base import BaseCommand

from cms.webhooks.events import emit_reviews_due


class Command(BaseCommand):
    help = "Write a review_due webhook event for each post whose medical review has fallen due."

    def handle(self, *args, **options):
        deliveries = emit_reviews_due()
        if deliveries or options["verbosity"] > 1:
            self.stdout.write(f"Review due: {len(deliveries)} webhook deliveries written.")
