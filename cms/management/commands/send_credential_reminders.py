"""Email administrators and reviewers 30 and 7 days before a reviewer's credential lapses (the scheduler runs
this hourly; each reminder is sent once)."""

from django.core.management.base import BaseCommand

from cms.review.credential_reminders import send_credential_reminders


class Command(BaseCommand):
    help = "Send the credential expiry reminders that are due."

    def handle(self, *args, **options):
        sent = send_credential_reminders()
        self.stdout.write(f"{sent} credential reminder email(s) sent.")
