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
    email = models.EmailField(
        blank=True, help_text="Where invitations to review a post as an outside reviewer are sent; never shown."
    )
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
        FieldPanel("email"),
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

    def verified_credentials(self, on=None, period_days=None):
        """The credential records in good standing (verified, unexpired, within the re-verification period):
        all the public trust line and JSON-LD may say of a reviewer. Reads prefetched records when there are."""
        from cms.review.credentials import reverification_days

        period_days = reverification_days() if period_days is None else period_days
        records = [record for record in self.credential_records.all() if record.is_in_good_standing(on, period_days)]
        return sorted(records, key=lambda record: record.kind != record.Kind.LICENCE)  # the licence first

    def credentials_json_ld(self, on=None, period_days=None):
        """schema.org `hasCredential` entries for the verified credentials, for a Person's JSON-LD."""
        return [
            {
                "@type": "EducationalOccupationalCredential",
                "name": record.title,
                "credentialCategory": record.get_kind_display(),
                "recognizedBy": {"@type": "Organization", "name": record.issuing_body},
                "validIn": {"@type": "Country", "name": record.country},
                "expires": record.expires_on.isoformat(),
            }
            for record in self.verified_credentials(on, period_days)
        ]

    def get_preview_template(self, request, mode_name):
        return "cms/expert_detail.html"

    def get_preview_context(self, request, mode_name):
        return {"expert": self, "posts": []}
