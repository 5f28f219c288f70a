"""Purge the frontend cache where a post shows besides its own page: its blog index and feed, the home
page, the profiles of the experts who wrote or are quoted in it, and the API's post and page endpoints."""

from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.signals import page_published, page_unpublished

from cms.caching.cache_purge import api_urls, expert_profile_urls, page_api_urls
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
    batch.add_urls(api_urls("posts", post))
    batch.add_urls(page_api_urls(post))
    batch.purge()


def connect():
    for signal in (page_published, page_unpublished):
        signal.connect(purge_listings_of_post, sender=BlogPostPage, dispatch_uid=f"verity-purge-post-{signal}")
