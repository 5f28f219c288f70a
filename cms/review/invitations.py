"""Outside reviewers: an expert without an admin account reviews one post through a signed link.

An editorial lead invites an `Expert` (with an email and a credential in good standing) to the medical review
of a post's revision under review. The link carries a signed token (`django.core.signing`, keyed with the
SECRET_KEY) naming the invitation and its random nonce; it holds until it expires (a setting, 7 days), is
revoked, or the post moves on (a newer revision submitted, the review finished). The outside reviewer acts
through the same review actions as an account holder (cms/review/actions.py) as a sign-in-less user made for
their expert profile, so the page's history names them and their sign-off counts for the trust line.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState

from .credentials import credential_refusal

TOKEN_SALT = "verity.review.invitation"  # noqa: S105 - a signing namespace, not a secret


class LinkRefused(Exception):
    """A link that opens nothing; `title` and the message are what its page says."""

    def __init__(self, title, message, status=403):
        super().__init__(message)
        self.title = title
        self.status = status


class ReviewInvitation(models.Model):
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="review_invitations")
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.CASCADE, related_name="+")
    task_state = models.ForeignKey("wagtailcore.TaskState", on_delete=models.CASCADE, related_name="+")
    expert = models.ForeignKey("cms.Expert", on_delete=models.CASCADE, related_name="review_invitations")
    email = models.EmailField()
    # The sign-in-less account the outside reviewer's actions are recorded under.
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    nonce = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.expert} invited to review page {self.page_id}, revision {self.revision_id}"

    @property
    def token(self):
        # An untimed signature, so the link is the same every time it is shown; the expiry is the record's.
        return signing.Signer(salt=TOKEN_SALT).sign_object({"i": self.pk, "n": self.nonce}, compress=True)

    @property
    def path(self):
        return reverse("verity_outside_review", args=[self.token])

    @property
    def url(self):
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + self.path

    def refusal(self, now=None):
        """Why the link opens nothing now, as a LinkRefused, or None while it is good."""
        now = now or timezone.now()
        if self.revoked_at:
            return LinkRefused("This link was withdrawn", "The editors withdrew this review link.", 410)
        if self.expires_at <= now:
            return LinkRefused(
                "This link has expired", f"This review link expired on {self.expires_at:%-d %B %Y}.", 410
            )
        task_state = TaskState.objects.filter(pk=self.task_state_id).first()
        current = self.page.current_workflow_task_state if task_state else None
        if task_state is None or current is None or current.pk != task_state.pk:
            return LinkRefused(
                "This review has moved on",
                "The post is no longer waiting for this review: a newer version was submitted, or the review "
                "was finished. Ask the editors for a new link.",
                410,
            )
        if current.revision_id != self.revision_id:
            return LinkRefused("This review has moved on", "A newer version of the post was submitted.", 410)
        return None

    @property
    def status(self):
        refusal = self.refusal()
        return "valid" if refusal is None else refusal.title


def outside_reviewer_user(expert, email):
    """The account an outside reviewer's actions are recorded under: one per expert, which cannot sign in."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=f"outside-reviewer-{expert.pk}",
        defaults={"first_name": expert.full_name, "email": email, "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


class InvitationRefused(Exception):
    pass


def invite(page, expert, email, invited_by, now=None):
    """Invite `expert` to the medical review of `page`'s revision under review; the caller sends the link."""
    from .models import MedicalReviewSettings
    from .task import MedicalReviewTask

    task_state = page.current_workflow_task_state
    if task_state is None or not isinstance(task_state.task.specific, MedicalReviewTask):
        raise InvitationRefused(f"“{page.get_admin_display_title()}” is not waiting for medical review.")
    if not email:
        raise InvitationRefused(f"{expert.full_name} has no email address to send the link to.")
    if refusal := credential_refusal(None, expert=expert):
        raise InvitationRefused(refusal.replace("Approval refused", "Invitation refused"))
    now = now or timezone.now()
    lifetime = timedelta(days=MedicalReviewSettings.load().outside_review_link_days)
    return ReviewInvitation.objects.create(
        page=page,
        revision=task_state.revision,
        task_state=task_state,
        expert=expert,
        email=email,
        reviewer=outside_reviewer_user(expert, email),
        nonce=secrets.token_urlsafe(32),
        invited_by=invited_by,
        expires_at=now + lifetime,
    )


def invitation_for(token):
    """The invitation a link's token names, while it is good; otherwise LinkRefused saying why."""
    data = {}
    try:
        data = signing.Signer(salt=TOKEN_SALT).unsign_object(token)
        invitation = ReviewInvitation.objects.select_related("expert", "reviewer", "revision").get(pk=data["i"])
    except (signing.BadSignature, ReviewInvitation.DoesNotExist, KeyError, TypeError, ValueError):
        invitation = None
    if invitation is None or not secrets.compare_digest(str(data.get("n", "")), invitation.nonce):
        # Tampered, made up, or naming an invitation that is gone: the same answer for each.
        raise LinkRefused("This link is not valid", "This review link is not valid. Check it was copied whole.", 404)
    if refusal := invitation.refusal():
        raise refusal
    return invitation


def revoke(invitation, user):
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.revoked_by = user
        invitation.save(update_fields=["revoked_at", "revoked_by"])
