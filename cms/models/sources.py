import re

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, PublishingPanel
from wagtail.models import DraftStateMixin, LockableMixin, PreviewableMixin, RevisionMixin, WorkflowMixin
from wagtail.search import index

# [0-9], not \d: \d also matches other scripts' digits (and str.isdigit() "²"), which no DOI or PMID holds.
DOI_PATTERN = re.compile(r"^10\.[0-9]{4,9}/\S+$")
PMID_PATTERN = re.compile(r"[0-9]+")


class SourceQuerySet(models.QuerySet):
    def live(self):
        return self.filter(live=True)


class Source(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, PreviewableMixin, index.Indexed, models.Model
):
    """A citation behind a claim: a study, survey, guideline or article."""

    class Kind(models.TextChoices):
        JOURNAL_ARTICLE = "journal_article", "Journal article"
        SURVEY = "survey", "Survey"
        REVIEW = "review", "Systematic review"
        GUIDELINE = "guideline", "Clinical guideline"
        BOOK = "book", "Book"
        WEBSITE = "website", "Website"

    title = models.CharField(max_length=300)
    authors = models.CharField(max_length=300, blank=True, help_text="As they should be cited.")
    publisher = models.CharField(max_length=200, blank=True, help_text="Publisher or journal.")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.URLField(max_length=500, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True, help_text="For example 10.1080/0092623X.2018.1488326")
    pmid = models.CharField("PMID", max_length=20, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.JOURNAL_ARTICLE)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="source")

    objects = SourceQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("authors"),
        FieldRowPanel([FieldPanel("publisher"), FieldPanel("year"), FieldPanel("kind")]),
        FieldPanel("url"),
        FieldRowPanel([FieldPanel("doi"), FieldPanel("pmid")]),
        PublishingPanel(),
    ]
    search_fields = [
        index.SearchField("title"),
        index.SearchField("authors"),
        index.SearchField("publisher"),
        index.AutocompleteField("title"),
        index.FilterField("live"),
    ]

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return f"{self.title} ({self.year})" if self.year else self.title

    @property
    def revisions(self):
        return self._revisions

    @property
    def link(self):
        """Where a reader can follow the source: its DOI first, then PubMed, then its URL."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return self.url

    def clean(self):
        errors = {}
        if self.year and self.year > timezone.now().year:
            errors["year"] = "A source cannot be published in the future."
        if self.doi and not DOI_PATTERN.match(self.doi.strip()):
            errors["doi"] = 'A DOI starts with "10." and a registrant code, for example 10.1000/xyz123.'
        if self.pmid and not PMID_PATTERN.fullmatch(self.pmid.strip()):
            errors["pmid"] = "A PMID is a number."
        if errors:
            raise ValidationError(errors)

    def get_preview_template(self, request, mode_name):
        return "cms/source_preview.html"
