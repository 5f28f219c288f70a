"""A live page's history for its readers, from Wagtail's audit log: when it was published, each update since,
and each medical sign-off, with dates and the role of who did it (the "How we reviewed this article" panel and
the API). One query however long the history."""

from dataclasses import dataclass

from wagtail.models import PageLogEntry

from .actions import SIGN_OFF_ACTION
from .roles import EDITORIAL_LEADS, EDITORS, MEDICAL_REVIEWERS

PUBLISH_ACTION = "wagtail.publish"
OUTSIDE_REVIEWER_PREFIX = "outside-reviewer-"
ROLE_NAMES = {MEDICAL_REVIEWERS: "Medical reviewer", EDITORIAL_LEADS: "Editorial lead", EDITORS: "Editor"}


@dataclass(frozen=True)
class HistoryEntry:
    kind: str  # "published", "updated" or "medically_reviewed"
    at: object
    role: str
    name: str  # the medical reviewer's public name; empty for editorial steps

    @property
    def label(self):
        return {"published": "Published", "updated": "Updated", "medically_reviewed": "Medical review signed off"}[
            self.kind
        ]


def role_of(row, groups):
    if row["user__username"] is None:
        return "Editorial team"
    if row["user__username"].startswith(OUTSIDE_REVIEWER_PREFIX):
        return "Outside medical reviewer"
    for group, role in ROLE_NAMES.items():
        if group in groups:
            return role
    return "Administrator" if row["user__is_superuser"] else "Editorial team"


def reviewer_name(row):
    """A medical reviewer's public name: their live expert profile's, or an outside reviewer's account's."""
    if row["user__expert_profile__live"]:
        return f"{row['user__expert_profile__honorific']} {row['user__expert_profile__name']}".strip()
    if (row["user__username"] or "").startswith(OUTSIDE_REVIEWER_PREFIX):
        return f"{row['user__first_name']} {row['user__last_name']}".strip()
    return ""


def review_history(page):
    """The history readers see, oldest first: every publish, and the sign-offs of the live revision and the
    revisions before it (not of one still waiting or scheduled). One query: each user's groups are joined in."""
    rows = (
        PageLogEntry.objects.filter(page_id=page.pk, action__in=[PUBLISH_ACTION, SIGN_OFF_ACTION])
        .order_by("timestamp", "pk")
        .values(
            "pk",
            "action",
            "timestamp",
            "revision_id",
            "user__username",
            "user__first_name",
            "user__last_name",
            "user__is_superuser",
            "user__expert_profile__honorific",
            "user__expert_profile__name",
            "user__expert_profile__live",
            "user__groups__name",
        )
    )
    entries, groups = {}, {}
    for row in rows:  # one row per entry and group of its user
        entries.setdefault(row["pk"], row)
        groups.setdefault(row["pk"], set()).add(row["user__groups__name"])
    history, published = [], False
    for pk, row in entries.items():
        role = role_of(row, groups[pk])
        if row["action"] == SIGN_OFF_ACTION:
            revision_id = row["revision_id"]
            if not page.live_revision_id or not revision_id or revision_id > page.live_revision_id:
                continue
            history.append(HistoryEntry("medically_reviewed", row["timestamp"], role, reviewer_name(row)))
        else:
            history.append(HistoryEntry("updated" if published else "published", row["timestamp"], role, ""))
            published = True
    return history
