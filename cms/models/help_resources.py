"""Where readers can get help now (crisis lines, support services), kept by the publisher per country; the
"get help" block of a post lists those of its country."""

from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel


class HelpResource(models.Model):
    country = models.CharField(max_length=2, help_text="ISO 3166 code, for example US.")
    name = models.CharField(max_length=200, help_text='For example "988 Suicide & Crisis Lifeline".')
    description = models.CharField(max_length=300, blank=True, help_text="Who it is for and what it offers.")
    phone = models.CharField(max_length=40, blank=True)
    text = models.CharField("text message", max_length=80, blank=True, help_text='For example "Text HOME to 741741".')
    url = models.URLField(max_length=500, blank=True)
    hours = models.CharField(max_length=120, blank=True, help_text='For example "24/7".')
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [
        FieldRowPanel([FieldPanel("country"), FieldPanel("sort_order")]),
        FieldPanel("name"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("text"), FieldPanel("hours")]),
        FieldPanel("url"),
    ]

    class Meta:
        ordering = ["country", "sort_order", "name"]
        indexes = [models.Index(fields=["country", "sort_order"])]

    def __str__(self):
        return f"{self.name} ({self.country})"

    def save(self, *args, **kwargs):
        self.country = (self.country or "").upper()
        super().save(*args, **kwargs)
