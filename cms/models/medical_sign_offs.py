from django.conf import settings
from django.db import models


class MedicalSignOff(models.Model):
    """A medical reviewer's approval of a whole article: the revision it covers and a fingerprint of
    that revision's reviewed content, so the sign-off holds for that exact content and no later edit."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="medical_sign_offs")
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.SET_NULL, null=True, related_name="+")
    content_fingerprint = models.CharField(max_length=64)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["page", "-created_at"])]
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Medical sign-off of page {self.page_id}, revision {self.revision_id}"
