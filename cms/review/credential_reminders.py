"""Emails before a reviewer's credential lapses: to the administrators, who verify credentials, and to the
reviewer, 30 and 7 days before (REMINDER_DAYS). Each is sent once per credential, lapse date and threshold
(`CredentialReminder`), so the scheduler may run `send_credential_reminders` as often as it likes; a renewed
or re-verified credential lapses on a new date and is reminded of again."""

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import models

from .credentials import expiring_credentials, today

REMINDER_DAYS = (30, 7)


class CredentialReminder(models.Model):
    credential = models.ForeignKey("cms.ReviewerCredential", on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    lapses_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["credential", "days_before", "lapses_on"], name="one_reminder_per_lapse")
        ]

    def __str__(self):
        return f"{self.days_before}-day reminder for credential {self.credential_id}, lapsing {self.lapses_on}"


def admin_addresses():
    users = get_user_model().objects.filter(is_superuser=True, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def reviewer_address(expert):
    if expert.email:
        return expert.email
    user = expert.user
    return user.email if user and user.email else None


def send_credential_reminders(on=None):
    """Send the reminders that are due on the day `on` (today); returns how many emails went out."""
    on = on or today()
    sent = 0
    admins = admin_addresses()
    for row in expiring_credentials(within_days=max(REMINDER_DAYS), on=on):
        # The tightest threshold reached: a credential found 5 days before lapsing gets the 7-day email only.
        due = [days for days in sorted(REMINDER_DAYS) if row.days_left <= days]
        if not due:
            continue
        days_before = due[0]
        _, created = CredentialReminder.objects.get_or_create(
            credential=row.credential, days_before=days_before, lapses_on=row.lapses_on
        )
        if not created:
            continue
        credential, expert = row.credential, row.expert
        subject = f"{expert.full_name}'s credential {credential.title} lapses in {row.days_left} days"
        body = (
            f"{credential} ({row.reason}) lapses on {row.lapses_on:%-d %B %Y}.\n\n"
            "From then on its reviewer cannot approve medical reviews, and the credential no longer shows on "
            "the posts they reviewed, until an administrator verifies a renewed or re-checked credential under "
            "Reviewer credentials in the admin."
        )
        recipients = [*admins, *filter(None, [reviewer_address(expert)])]
        if recipients:
            sent += send_mail(subject, body, None, sorted(set(recipients)))
    return sent
