"""Purge the frontend cache where a publish shows: the page itself (Wagtail does that), and every page
that lists or embeds it. Here: the pages showing a changed expert or source, and the shared helpers;
blog/cache_purge.py and shop/cache_purge.py purge what shows their posts, products and collections."""

from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page, Site
from wagtail.signals import published, unpublished

from cms.models import Expert, Source
from cms.site.address import absolute_url
from cms.site.references import ids_of_pages_referencing

API = "/api/v3"


def expert_profile_urls(experts):
    """The public addresses of expert profiles, with the site looked up once for all of them."""
    experts = list(experts)
    if not experts:
        return []
    root_url = Site.objects.get(is_default_site=True).root_url
    return [root_url + expert.get_absolute_url() for expert in experts]


def api_urls(collection, obj):
    """The API's addresses of one object of a collection ("posts", "experts", ...): the collection's list,
    the object by id and by slug. An edge that purges by path (deploy/varnish/) drops every page and
    filter of the list with it."""
    urls = [f"{API}/{collection}/", f"{API}/{collection}/{obj.pk}/"]
    if getattr(obj, "slug", None):
        urls.append(f"{API}/{collection}/by-slug/{obj.slug}/")
    return [absolute_url(url) for url in urls]


def page_api_urls(page):
    """Where Wagtail's own page endpoints and the home endpoint show a page."""
    return [absolute_url(url) for url in (f"{API}/pages/", f"{API}/pages/{page.pk}/", f"{API}/home/")]


def pages_showing(obj):
    return Page.objects.live().filter(pk__in=ids_of_pages_referencing([obj])).specific()


def purge_pages_showing_snippet(sender, instance, **kwargs):
    batch = PurgeBatch()
    batch.add_pages(pages_showing(instance))
    if isinstance(instance, Expert):
        batch.add_urls(expert_profile_urls([instance]))
        batch.add_urls(api_urls("experts", instance))
    else:
        batch.add_urls(api_urls("sources", instance))
    batch.purge()


def connect():
    for signal in (published, unpublished):
        for model in (Expert, Source):
            signal.connect(purge_pages_showing_snippet, sender=model, dispatch_uid=f"verity-purge-{model}-{signal}")
