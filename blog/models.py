from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.search import index

from cms.blocks import resolve_choosers
from cms.models.editorial_standards import editorial_standards
from cms.orderable import InlineItem
from cms.review.history import review_history
from cms.review.pages import MedicallyReviewedPage
from cms.site.citations import Citations
from cms.site.structured_data import social_image
from shop.blocks import ShopTheStoryBlock

from .blocks import COMMERCIAL_BLOCK_TYPES, PostBodyBlock
from .submission_rules import BlogPostPageForm, submission_problems

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

    def route(self, request, path_components):
        # A post's URL is the index's and its slug: read the post as a BlogPostPage, with its hero image, in
        # one query where Wagtail reads the child page, then its specific row. The index's own routes (the
        # feed) still win, as in RoutablePageMixin.route; anything else goes Wagtail's way.
        if self.live and len(path_components) == 1:
            try:
                self.resolve_subpage(f"/{path_components[0]}/")
            except Http404:
                post = (
                    BlogPostPage.objects.child_of(self)
                    .filter(slug=path_components[0])
                    .select_related("hero_image")
                    .first()
                )
                if post is not None:
                    post._cached_parent_obj = self  # as Page.route does: the back link needs no query
                    return post.route(request, [])
        return super().route(request, path_components)

    @path("")
    def post_list(self, request):
        posts = self.posts()
        tag = None
        if request.GET.get("tag"):
            tag = get_object_or_404(Tag, slug=request.GET["tag"])
            posts = posts.filter(tags=tag)
        paginator = Paginator(posts.ids(), POSTS_PER_PAGE)
        try:
            page_of_posts = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            page_of_posts = paginator.page(1)
        except EmptyPage:
            page_of_posts = paginator.page(paginator.num_pages)
        page_of_posts.object_list = posts.in_order(page_of_posts.object_list)
        return self.render(request, context_overrides={"posts": page_of_posts, "tag": tag})

    @path("feed/")
    def feed(self, request):
        from .feeds import BlogFeed

        return BlogFeed(self)(request)


class BlogPostQuerySet(PageQuerySet):
    def public(self):
        """Wagtail's public(), inside this queryset's own query.

        Wagtail's reads every view restriction first (one query more per listing) to exclude the pages
        under a restricted page; this subquery excludes the same ones: a restricted page's path starts theirs.
        (A pk__in subquery, which Wagtail search can filter by, as it cannot by an Exists.)
        """
        restricted_above = PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("path"), 1, Length("page__path"))
        )
        return self.exclude(pk__in=Page.objects.filter(Exists(restricted_above)).values("pk"))

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

    def ids(self):
        """The posts' ids in the queryset's order: what a page of a long listing is cut from.

        A deep page (OFFSET thousands) sorts and skips every post before it; sorting ids costs a fraction of
        sorting whole rows, which are then read for that page alone (`in_order`)."""
        return self.prefetch_related(None).values_list("pk", flat=True)

    def in_order(self, ids):
        """The posts with these ids, in the order of `ids`, with everything the queryset reads."""
        ids = list(ids)
        found = self.in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]


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
    # Checks what a post needs before it is submitted: vetted products, a "get help" block (submission_rules.py).
    base_form_class = BlogPostPageForm
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

    @cached_property
    def first_product_block_id(self):
        """The id of the body's first product module, above which the commercial disclosure stands."""
        return next((raw.get("id") for raw in self.body.raw_data if raw["type"] in COMMERCIAL_BLOCK_TYPES), None)

    @cached_property
    def commercial_disclosure(self):
        """The disclosure line of a post that sells (a product module or Shop The Story), derived from its
        content and worded by Settings → Editorial standards; None for a post that sells nothing."""
        sells = self.first_product_block_id is not None or len(self.shop_the_story.raw_data) > 0
        return editorial_standards().commercial_disclosure if sells else None

    @cached_property
    def review_history(self):
        """Published, each update, each medical sign-off, from the audit log (cms/review/history.py)."""
        return review_history(self)

    def submission_problems(self):
        """[(field, message)] of what keeps this post (a draft, a revision) from being submitted: the rules the
        admin's form applies at submit (submission_rules.py), for the API's submit."""
        return submission_problems([tag.name for tag in self.tags.all()], self.body, self.shop_the_story)

    @property
    def updated_at(self):
        """When the live content last changed ("Updated on"), apart from when its claims were reviewed."""
        return self.last_published_at

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

    @cached_property
    def author_experts(self):
        # The byline and the JSON-LD both ask; read_page_content() may have read the authors already.
        prefetched = "authors" in getattr(self, "_prefetched_objects_cache", {})
        authors = self.authors.all() if prefetched else self.authors.select_related("expert")
        return [author.expert for author in authors if author.expert.live]

    @property
    def tag_list(self):
        """The post's tags by name (read_page_content() reads them with the related posts', unordered)."""
        return sorted(self.tags.all(), key=lambda tag: tag.name)

    @property
    def shop_the_story_items(self):
        """Shop The Story without anything unpublished."""
        return [block for block in self.shop_the_story if block.value is not None and block.value.live]

    def related_posts(self, limit=3, tag_ids=None):
        """Live posts sharing a tag with this one, as listing() reads them; `tag_ids` defaults to its tags."""
        if tag_ids is None:
            tag_ids = [tag.pk for tag in self.tags.all()]
            if not tag_ids:
                return BlogPostPage.objects.none()
        sharing_a_tag = BlogPostTag.objects.filter(tag_id__in=tag_ids).values("content_object_id")
        return BlogPostPage.objects.listing().filter(pk__in=sharing_a_tag).exclude(pk=self.pk)[:limit]

    def read_page_content(self, is_preview=False, author_photos=False):
        """Read what the post's page and its API detail show, in a number of queries that does not grow with
        the content, and return the related posts.

        The body's and Shop The Story's chooser values are read once per kind of object, whatever the block
        types citing them (resolve_choosers); this post's and its related posts' tags and authors are read
        together (the related posts' own prefetches are dropped for that), and the renditions of every image
        shown (heroes, `author_photos` for the API's author cards, and the blocks') in one query. A preview's
        tags and authors are its revision's, in memory, so only the related posts' are read then.
        """
        if is_preview:
            tag_ids = [tag.pk for tag in self.tags.all()]
        else:
            # A subquery, so that this post's tags are read below, with the related posts'.
            tag_ids = BlogPostTag.objects.filter(content_object_id=self.pk).values("tag_id")
        related = list(self.related_posts(tag_ids=tag_ids).prefetch_related(None))
        posts = [self, *related]
        prefetch_related_objects(
            related if is_preview else posts,
            "tags",
            # Their photos joined, for the API's author cards.
            Prefetch("authors", queryset=BlogPostAuthor.objects.select_related("expert__photo")),
        )
        images = [post.hero_image for post in posts]
        if author_photos:
            images += [author.expert.photo for post in posts for author in post.authors.all()]
        resolve_choosers(self.body, self.shop_the_story, images=images)
        return related

    def get_view_restrictions(self):
        """The view restrictions on this post and the pages above it, as Wagtail's, in one query.

        Routing leaves each page's parent on it (`_cached_parent_obj`, as Page.route and BlogIndexPage.route
        do), up to the site's root page: Wagtail's reads those ancestors again before their restrictions.
        Where a page of the chain is an alias (whose source's restrictions apply) or was not routed to, Wagtail's
        own method runs.
        """
        pages, page = [], self
        while page is not None and page.depth > 1:
            if page.alias_of_id:
                return super().get_view_restrictions()
            pages.append(page)
            page = getattr(page, "_cached_parent_obj", None)
        if pages[-1].depth > 2:  # an ancestor was not routed through
            return super().get_view_restrictions()
        # And the tree's root, which is no alias.
        root_path = self.path[: self.steplen]
        return PageViewRestriction.objects.filter(Q(page__in=[p.pk for p in pages]) | Q(page__path=root_path))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related_posts"] = self.read_page_content(is_preview=getattr(request, "is_preview", False))
        context["citations"] = self.citations
        context["og_image"] = social_image(self.hero_image)
        return context


class BlogPostAuthor(InlineItem):
    page = ParentalKey(BlogPostPage, on_delete=models.CASCADE, related_name="authors")
    expert = models.ForeignKey("cms.Expert", on_delete=models.CASCADE, related_name="authored_posts")

    panels = [FieldPanel("expert")]
    api_fields = [APIField("expert", writable=True)]
