"""Purge the frontend cache where a product or collection shows besides its own page: the pages that
embed it, the shop index, the home page (its featured collection), and the API's endpoints for it."""

from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.signals import page_published, page_unpublished

from cms.caching.cache_purge import api_urls, page_api_urls, pages_showing
from cms.models import HomePage

from .models import CollectionPage, ProductPage


def purge_pages_showing_page(sender, instance, **kwargs):
    page = instance.specific
    batch = PurgeBatch()
    batch.add_pages(pages_showing(page))
    batch.add_page(page.get_parent().specific)  # the shop index
    batch.add_pages(HomePage.objects.live())  # the featured collection
    batch.add_urls(api_urls("products" if isinstance(page, ProductPage) else "collections", page))
    batch.add_urls(page_api_urls(page))
    batch.purge()


def connect():
    for signal in (page_published, page_unpublished):
        for model in (ProductPage, CollectionPage):
            signal.connect(purge_pages_showing_page, sender=model, dispatch_uid=f"verity-purge-{model}-{signal}")
