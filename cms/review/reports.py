"""The "Medical reviews due" report: live posts whose review is older than the cadence or whose
claims changed since, with CSV and Excel export from Wagtail's report machinery."""

from ..admin_reports import AdminReport
from .pages import live_reviewed_pages
from .roles import EDITORIAL_LEADS, MEDICAL_REVIEWERS
from .status import reviews_due


def can_see_reviews_due(user):
    return user.is_superuser or user.groups.filter(name__in=[MEDICAL_REVIEWERS, EDITORIAL_LEADS]).exists()


class MedicalReviewsDueView(AdminReport):
    page_title = "Medical reviews due"
    header_icon = "time"
    url_path = "medical-reviews-due"
    menu_order = 50
    results_template_name = "cms/admin/reviews_due_results.html"
    index_url_name = "verity_reviews_due"
    index_results_url_name = "verity_reviews_due_results"
    list_export = ["title", "reason", "last_reviewed_at", "reviewer_name", "page.full_url"]
    export_headings = {
        "title": "Post",
        "reason": "Why it is due",
        "last_reviewed_at": "Last reviewed",
        "reviewer_name": "Last reviewer",
        "page.full_url": "URL",
    }

    @classmethod
    def can_see(cls, user):
        return can_see_reviews_due(user)

    def get_queryset(self):
        return reviews_due(live_reviewed_pages())
