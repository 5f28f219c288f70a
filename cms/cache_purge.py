"""Purge the frontend cache where a publish shows: the page itself (Wagtail does that), and every page
that lists or embeds it — the blog index and feed, the home page, the shop index, expert profiles, and
each page whose content refers to a changed expert, source, product or collection."""

from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, published, unpublished

from blog.models import BlogPostPage
from shop.models import CollectionPage, ProductPage

from .models import Expert, HomePage, Source
from .references import ids_of_pages_referencing


def expert_profile_urls(experts):
    """The public addresses of expert profiles, with the site looked up once for all of them."""
    experts = list(experts)
    if not experts:
        return []
    root_url = Site.objects.get(is_default_site=True).root_url
    return [root_url + expert.get_absolute_url() for expert in experts]


def pages_showing(obj):
    return Page.objects.live().filter(pk__in=ids_of_pages_referencing([obj])).specific()


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


def purge_pages_showing_page(sender, instance, **kwargs):
    page = instance.specific
    batch = PurgeBatch()
    batch.add_pages(pages_showing(page))
    batch.add_page(page.get_parent().specific)  # the shop index
    batch.add_pages(HomePage.objects.live())  # the featured collection
    batch.purge()


def purge_pages_showing_snippet(sender, instance, **kwargs):
    batch = PurgeBatch()
    batch.add_pages(pages_showing(instance))
    if isinstance(instance, Expert):
        batch.add_urls(expert_profile_urls([instance]))
    batch.purge()


def connect():
    for signal in (page_published, page_unpublished):
        signal.connect(purge_listings_of_post, sender=BlogPostPage, dispatch_uid=f"verity-purge-post-{signal}")
        for model in (ProductPage, CollectionPage):
            signal.connect(purge_pages_showing_page, sender=model, dispatch_uid=f"verity-purge-{model}-{signal}")
    for signal in (published, unpublished):
        for model in (Expert, Source):
            signal.connect(purge_pages_showing_snippet, sender=model, dispatch_uid=f"verity-purge-{model}-{signal}")
