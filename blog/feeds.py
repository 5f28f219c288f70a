from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed

from cms.site.address import page_url

FEED_LENGTH = 20


class BlogFeed(Feed):
    """The RSS feed of a blog index: its latest live posts. Every link in it, the feed's own included,
    is on the public address (cms/site/address.py), never the host the request named."""

    feed_type = Rss201rev2Feed

    def __init__(self, blog_index):
        super().__init__()
        self.blog_index = blog_index
        self.request = None

    def get_object(self, request, *args, **kwargs):
        self.request = request  # lets Wagtail reuse one site lookup for every link; never names the host
        return None

    def title(self):
        # "Blog" alone names no one in a reader's list of feeds.
        return f"{self.blog_index.title} · {settings.WAGTAIL_SITE_NAME}"

    def link(self):
        return page_url(self.blog_index, self.request)

    def feed_url(self):
        return self.link() + self.blog_index.reverse_subpage("feed")

    def description(self):
        return self.blog_index.intro or f"The latest from {self.blog_index.title}"

    def items(self):
        return self.blog_index.posts()[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.dek or item.search_description

    def item_link(self, item):
        return page_url(item, self.request)

    def item_author_name(self, item):
        """The post's authors by name (dc:creator), as its byline has them; the listing read them already."""
        return (
            ", ".join(expert.full_name for expert in item.author_experts) or f"The {settings.WAGTAIL_SITE_NAME} editors"
        )

    def item_updateddate(self, item):
        return item.last_published_at

    def item_pubdate(self, item):
        return item.first_published_at

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]
