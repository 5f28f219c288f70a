from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from cms.listings import latest_posts


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
