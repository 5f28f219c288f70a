"""The publisher's editorial standards that posts are checked against: the wording of the commercial
disclosure every post with a shop module shows, and which tags are sensitive topics (a post tagged with one
cannot be submitted without a "get help" block)."""

from django.db import models
from django.db.models.signals import post_save
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

DEFAULT_DISCLOSURE = (
    "Verity sells the products in this post, and earns money when you buy them. Our editors choose them; "
    "the medical review checks the post's health claims, not the products."
)
DEFAULT_SENSITIVE_TOPICS = (
    "Emotional health, Mental health, Depression, Anxiety, Suicide, Self-harm, Sexual assault, Abuse"
)


@register_setting(icon="warning")
class EditorialStandardsSettings(BaseGenericSetting):
    commercial_disclosure = models.TextField(
        default=DEFAULT_DISCLOSURE,
        help_text="Shown above the first product module of every post with one, and in its JSON-LD and API.",
    )
    sensitive_topics = models.TextField(
        default=DEFAULT_SENSITIVE_TOPICS,
        blank=True,
        help_text="Tag names, separated by commas. A post tagged with one cannot be submitted without a "
        "“get help” block.",
    )

    panels = [FieldPanel("commercial_disclosure"), FieldPanel("sensitive_topics")]

    class Meta:
        verbose_name = "Editorial standards"

    def sensitive_tag_names(self):
        """The sensitive topics, lower-cased, for comparing with tag names and slugs."""
        return {name.strip().lower() for name in self.sensitive_topics.split(",") if name.strip()}


def editorial_standards():
    """The setting, read once and then from the cache (emptied when it is saved)."""
    from cms.review.models import cached_setting

    return cached_setting(EditorialStandardsSettings)


def forget_editorial_standards(sender, instance, **kwargs):
    from cms.review.models import forget_cached_setting

    forget_cached_setting(sender, instance)


post_save.connect(forget_editorial_standards, sender=EditorialStandardsSettings, dispatch_uid="verity_forget_standards")
