from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed

FEED_LENGTH = 20


class BlogFeed(Feed):
    """The RSS feed of a blog index: its latest live posts."""

    feed_type = Rss201rev2Feed

    def __init__(self, blog_index):
        super().__init__()
        self.blog_index = blog_index

    def title(self):
        return self.blog_index.title

    def link(self):
        return self.blog_index.url

    def description(self):
        return self.blog_index.intro or f"The latest from {self.blog_index.title}"

    def items(self):
        return self.blog_index.posts()[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.dek or item.search_description

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]
