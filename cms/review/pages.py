"""The pages the medical review governs: any page type that mixes in `MedicallyReviewedPage`.

The review never names a page type; a second reviewed type (a condition guide, a product with health
claims) needs only the mixin and a `body` StreamField.
"""

from django.apps import apps
from django.utils.functional import cached_property
from wagtail.models import Page

from .status import medical_review_line


class MedicallyReviewedPage:
    """A page whose claims medical reviewers verify and whose content they sign off before it goes live."""

    # What a sign-off covers: an edit to any of these needs a new review before the page says it was reviewed.
    medical_review_fields = ("title", "body")

    @cached_property
    def medical_review(self):
        """The public "Medically reviewed by" line, derived from the sign-off and the claims' verifications."""
        return medical_review_line(self)


def reviewed_page_models():
    return [model for model in apps.get_models() if issubclass(model, MedicallyReviewedPage)]


def is_reviewed(page_or_class):
    page_class = page_or_class.specific_class if isinstance(page_or_class, Page) else page_or_class
    return page_class is not None and issubclass(page_class, MedicallyReviewedPage)


def live_reviewed_pages():
    """Every live page of a reviewed type, with its content, in id order per type."""
    return [page for model in reviewed_page_models() for page in model.objects.live().order_by("pk")]
