from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from cms.citations import Citations
from cms.orderable import InlineItem
from cms.review.pages import MedicallyReviewedPage
from cms.structured_data import social_image
from shop.blocks import ShopTheStoryBlock

from .blocks import PostBodyBlock

POSTS_PER_PAGE = 12


class BlogIndexPage(RoutablePageMixin, Page):
    """All posts, newest first, paginated, filterable by tag; also serves the RSS feed."""

    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["blog.BlogPostPage"]
    max_count = 1

    def posts(self):
        return BlogPostPage.objects.listing().child_of(self)

    def get_cached_paths(self):
        # The index and its RSS feed show every post: purge both when one changes.
        return ["/", "/feed/"]

    @path("")
    def post_list(self, request):
        posts = self.posts()
        tag = None
        if request.GET.get("tag"):
            tag = get_object_or_404(Tag, slug=request.GET["tag"])
            posts = posts.filter(tags=tag)
        paginator = Paginator(posts, POSTS_PER_PAGE)
        try:
            page_of_posts = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            page_of_posts = paginator.page(1)
        except EmptyPage:
            page_of_posts = paginator.page(paginator.num_pages)
        return self.render(request, context_overrides={"posts": page_of_posts, "tag": tag})

    @path("feed/")
    def feed(self, request):
        from .feeds import BlogFeed

        return BlogFeed(self)(request)


class BlogPostQuerySet(PageQuerySet):
    def listing(self):
        """Live, public posts with everything a post card shows, in a fixed number of queries."""
        return (
            self.live()
            .public()
            .defer_streamfields()
            .select_related("hero_image")
            .prefetch_related(
                "hero_image__renditions",
                "tags",
                Prefetch("authors", queryset=BlogPostAuthor.objects.select_related("expert")),
            )
            .order_by("-first_published_at", "-pk")
        )


class BlogPostTag(TaggedItemBase):
    content_object = ParentalKey("blog.BlogPostPage", on_delete=models.CASCADE, related_name="tagged_items")


class BlogPostPage(MedicallyReviewedPage, Page):
    dek = models.CharField(max_length=300, blank=True, help_text="The subtitle under the headline.")
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_image_alt = models.CharField(
        max_length=250, blank=True, help_text="Describe the image for readers who cannot see it."
    )
    tags = ClusterTaggableManager(through=BlogPostTag, blank=True)
    body = StreamField(PostBodyBlock(), use_json_field=True)
    shop_the_story = StreamField(ShopTheStoryBlock(), blank=True, use_json_field=True)

    objects = PageManager.from_queryset(BlogPostQuerySet)()
    og_type = "article"
    # What a medical reviewer's sign-off covers (cms/review/pages.py).
    medical_review_fields = ("title", "dek", "body")

    content_panels = Page.content_panels + [
        FieldPanel("dek"),
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_image_alt")], heading="Hero image"),
        InlinePanel("authors", label="Authors"),
        FieldPanel("tags"),
        FieldPanel("body"),
        FieldPanel("shop_the_story", heading="Shop The Story"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("dek"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]
    parent_page_types = ["blog.BlogIndexPage"]
    subpage_types = []

    # What Wagtail's API v3 page endpoints read and write (POST and PATCH /api/v3/pages/): an integration
    # writes drafts through the same admin form as the editor, so the same validation applies.
    api_fields = [
        APIField(name, writable=True)
        for name in ("dek", "hero_image", "hero_image_alt", "authors", "tags", "body", "shop_the_story")
    ]

    @cached_property
    def citations(self):
        return Citations.from_stream(self.body)

    @property
    def status_string(self):
        """Wagtail's status, told in the review workflow's words: which review a post waits for,
        whether changes were requested, and whether a live post's medical review is due."""
        workflow_state = self.current_workflow_state
        # A live post in review stays live meanwhile: say so.
        live = "live, " if self.live else ""
        if workflow_state and workflow_state.status == workflow_state.STATUS_NEEDS_CHANGES:
            return f"{live}changes requested"
        if workflow_state and workflow_state.current_task_state:
            return f"{live}in {workflow_state.current_task_state.task.name.lower()}"
        status = super().status_string
        return f"{status}, review due" if getattr(self, "medical_review_due", False) else status

    @property
    def author_experts(self):
        return [author.expert for author in self.authors.select_related("expert") if author.expert.live]

    @property
    def shop_the_story_items(self):
        """Shop The Story without anything unpublished."""
        return [block for block in self.shop_the_story if block.value is not None and block.value.live]

    def related_posts(self, limit=3):
        tag_ids = [tag.pk for tag in self.tags.all()]
        if not tag_ids:
            return BlogPostPage.objects.none()
        sharing_a_tag = BlogPostTag.objects.filter(tag_id__in=tag_ids).values("content_object_id")
        return BlogPostPage.objects.listing().filter(pk__in=sharing_a_tag).exclude(pk=self.pk)[:limit]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["citations"] = self.citations
        context["related_posts"] = self.related_posts()
        context["og_image"] = social_image(self.hero_image)
        return context


class BlogPostAuthor(InlineItem):
    page = ParentalKey(BlogPostPage, on_delete=models.CASCADE, related_name="authors")
    expert = models.ForeignKey("cms.Expert", on_delete=models.CASCADE, related_name="authored_posts")

    panels = [FieldPanel("expert")]
    api_fields = [APIField("expert", writable=True)]
