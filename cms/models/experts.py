from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PublishingPanel
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, LockableMixin, PreviewableMixin, RevisionMixin, WorkflowMixin
from wagtail.search import index


class LiveExpertQuerySet(models.QuerySet):
    def live(self):
        return self.filter(live=True)


class Expert(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, PreviewableMixin, index.Indexed, models.Model
):
    """A named person whose words or reviews appear on the site: quoted experts, medical reviewers."""

    honorific = models.CharField(max_length=20, blank=True, help_text='For example "Dr."')
    name = models.CharField(max_length=120)
    credentials = models.CharField(
        max_length=120, blank=True, help_text='Shown after the name, for example "MD, FACOG".'
    )
    specialty = models.CharField(max_length=120, blank=True)
    affiliation = models.CharField(max_length=200, blank=True)
    photo = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    bio = RichTextField(blank=True, features=["bold", "italic", "link"])
    slug = models.SlugField(max_length=120, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_profile",
        help_text="The admin account of a medical reviewer, so their reviews carry this profile.",
    )
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="expert")

    objects = LiveExpertQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [FieldPanel("honorific"), FieldPanel("name"), FieldPanel("credentials"), FieldPanel("slug")],
            heading="Name",
        ),
        FieldPanel("specialty"),
        FieldPanel("affiliation"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        # The public "Medically reviewed by" line names the expert linked to the reviewer's account, so
        # only administrators may link one.
        FieldPanel("user", permission="auth.change_user"),
        PublishingPanel(),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("specialty"),
        index.SearchField("bio"),
        index.AutocompleteField("name"),
        index.FilterField("live"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("expert_detail", kwargs={"slug": self.slug})

    @property
    def revisions(self):
        return self._revisions

    @property
    def full_name(self):
        return f"{self.honorific} {self.name}".strip()

    @property
    def name_with_credentials(self):
        return f"{self.full_name}, {self.credentials}" if self.credentials else self.full_name

    def get_preview_template(self, request, mode_name):
        return "cms/expert_detail.html"

    def get_preview_context(self, request, mode_name):
        return {"expert": self, "posts": []}
