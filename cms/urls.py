from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from blog.api import posts, preview
from shop.api import collections_router, products_router

from . import health, views
from .api import home, people, workflow
from .api.routers import api, mount
from .sitemaps import SITEMAPS

# The API's routers, from every app, in the order of its OpenAPI document.
mount(
    [
        ("/posts/", posts.posts_router),
        ("/experts/", people.experts_router),
        ("/sources/", people.sources_router),
        ("/products/", products_router),
        ("/collections/", collections_router),
        ("/home/", home.home_router),
        ("/preview/", preview.router),
        ("/workflow/", workflow.router),
    ]
)

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),  # cms/health.py: liveness, touches nothing
    path("readyz", health.readyz, name="readyz"),  # database, cache, storage, task queue
    path("admin/", include(wagtailadmin_urls)),
    path("api/v3/", api.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", views.search, name="search"),
    path("experts/<slug:slug>/", views.expert_detail, name="expert_detail"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
