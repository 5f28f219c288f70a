from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from cms.listings import post_listings


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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_posts"] = [post for listing in post_listings() for post in listing[:6]][:6]
        if self.featured_collection_id:
            collections = HomePage.featured_collection.field.related_model.objects
            context["featured_collection"] = (
                collections.live().public().with_products().filter(pk=self.featured_collection_id).first()
            )
        return context
