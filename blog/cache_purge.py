"""Purge the frontend cache where a post shows besides its own page: its blog index and feed, the home
page, and the profiles of the experts who wrote or are quoted in it."""

from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.signals import page_published, page_unpublished

from cms.cache_purge import expert_profile_urls
from cms.models import Expert, HomePage

from .models import BlogPostPage


def purge_listings_of_post(sender, instance, **kwargs):
    post = instance.specific
    batch = PurgeBatch()
    batch.add_page(post.get_parent().specific)  # the blog index and its feed
    batch.add_pages(HomePage.objects.live())
    experts = Expert.objects.live().filter(authored_posts__page=post)
    quoted = [block.value["expert"] for block in post.body if block.block_type == "expert_quote"]
    featured = {*experts, *(expert for expert in quoted if expert is not None and expert.live)}
    batch.add_urls(expert_profile_urls(featured))
    batch.purge()


def connect():
    for signal in (page_published, page_unpublished):
        signal.connect(purge_listings_of_post, sender=BlogPostPage, dispatch_uid=f"verity-purge-post-{signal}")
