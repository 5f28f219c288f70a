"""The demo's emails are held back while it loads: Wagtail's workflow notifications to example.com users.

The demo submits and approves a post, so Wagtail emails the groups and the author as it would for a real
review; printed by the development console backend, they buried the logins. `held_emails` collects them
instead (its caller reports how many); `load_demo --show-emails` sends them with the configured backend.
"""

from contextlib import contextmanager

from django.core import mail
from django.test.utils import override_settings

UNSET = object()


@contextmanager
def held_emails():
    """Within the block, emails go to a list (yielded) instead of the configured backend."""
    saved = getattr(mail, "outbox", UNSET)
    # Django's in-memory backend appends to mail.outbox: a fresh list for the block, the old one restored.
    mail.outbox = held = []
    try:
        # EMAIL_BACKEND is read at each send, so swapping the setting reaches Wagtail's own notifications.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            yield held
    finally:
        if saved is UNSET:
            del mail.outbox
        else:
            mail.outbox = saved
