from django.db import models
from django.http import Http404
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from cms.site.listings import latest_posts


class HomePage(Page):
    """The site root: latest posts and a featured collection."""

    intro = models.TextField(blank=True, help_text="One or two sentences under the site title.")
    featured_collection = models.ForeignKey(
        "shop.CollectionPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("featured_collection")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["blog.BlogIndexPage", "shop.ShopIndexPage"]
    max_count = 1
    LATEST_POSTS = 6

    def route(self, request, path_components):
        # A section (the blog, the shop) on the way to a deeper page is routed through as its specific class
        # without reading its own row: its route needs only the tree fields Wagtail's child query read.
        # The page served is read whole, as Wagtail does.
        if len(path_components) > 1:
            try:
                section = self.get_children().get(slug=path_components[0])
            except Page.DoesNotExist as e:
                raise Http404 from e
            section._cached_parent_obj = self
            return section.specific_deferred.route(request, path_components[1:])
        return super().route(request, path_components)

    def live_featured_collection(self):
        """The featured collection, with its products, while it is live and public; else None."""
        if not self.featured_collection_id:
            return None
        collections = HomePage.featured_collection.field.related_model.objects  # shop's, named by the field
        return collections.listing().filter(pk=self.featured_collection_id).first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_posts"] = latest_posts(self.LATEST_POSTS)
        context["featured_collection"] = self.live_featured_collection()
        return context
