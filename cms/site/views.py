from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Page

from cms.models import Expert
from cms.site.address import absolute_url
from cms.site.listings import post_listings
from cms.site.references import ids_of_pages_referencing
from cms.site.search_terms import plain_words

SEARCH_RESULTS_PER_PAGE = 10


@require_GET
def expert_detail(request, slug):
    """An expert's public profile: who they are and the live posts that quote or credit them."""
    expert = get_object_or_404(Expert.objects.live().select_related("photo"), slug=slug)
    return render(request, "cms/expert_detail.html", {"expert": expert, "posts": posts_featuring(expert)})


def posts_featuring(expert):
    """Live posts that quote the expert or name them as an author."""
    ids = ids_of_pages_referencing([expert])
    return [post for listing in post_listings() for post in listing.filter(pk__in=ids)]


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:200]
    results = Page.objects.none()
    if plain_words(query):
        results = Page.objects.live().public().exclude(depth__lte=2).search(plain_words(query))
    page_of_results = Paginator(results, SEARCH_RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    # One query turns this page of hits into their specific types, in the same order.
    hits = list(page_of_results.object_list)
    specific = Page.objects.filter(pk__in=[hit.pk for hit in hits]).specific().in_bulk()
    page_of_results.object_list = [specific[hit.pk] for hit in hits if hit.pk in specific]
    return render(request, "cms/search.html", {"query": query, "results": page_of_results})


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    sitemap_url = absolute_url("/sitemap.xml")  # on the public address, not the request's host
    return render(request, "robots.txt", {"sitemap_url": sitemap_url}, content_type="text/plain")
