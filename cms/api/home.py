"""The home page endpoint of the public read API: its latest posts and featured collection, as the site's
home page shows them (cms/models/home.py)."""

from django.http import Http404
from ninja import Router
from wagtail.models import Site

from cms.models import HomePage
from cms.site.listings import latest_posts

from . import schemas
from .common import AUTHOR_PHOTOS, get
from .serializers import Serializer

home_router = Router(tags=["home"])


@get(
    home_router,
    "/",
    schemas.Home,
    "home",
    "The home page of the requested site: its latest posts and featured collection",
    errors=(404,),
)
def get_home(request):
    site = Site.find_for_request(request)
    home = site and HomePage.objects.live().public().filter(pk=site.root_page_id).first()
    if not home:
        raise Http404("This site has no published home page.")
    featured = home.live_featured_collection()
    posts = latest_posts(HomePage.LATEST_POSTS, [AUTHOR_PHOTOS])
    serializer = Serializer(request)
    return {
        "id": home.pk,
        "title": home.title,
        "url": serializer.page_url(home),
        "intro": home.intro,
        "seo_title": home.seo_title,
        "search_description": home.search_description,
        "latest_posts": [serializer.post_summary(post) for post in posts],
        "featured_collection": serializer.collection(featured) if featured else None,
    }
