from django.core.validators import MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="time")
class MedicalReviewSettings(BaseGenericSetting):
    """How often a live post's medical review falls due again."""

    cadence_days = models.PositiveIntegerField(
        "review cadence (days)",
        default=365,
        validators=[MinValueValidator(1)],
        help_text="A medical review older than this is due again.",
    )

    panels = [FieldPanel("cadence_days")]

    class Meta:
        verbose_name = "Medical review"
