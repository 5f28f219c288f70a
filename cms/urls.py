from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from blog.api import posts, preview
from cms.site.address import sitemap_view_on_public_address
from cms.site.sitemaps import SECTION_TEMPLATE, SITEMAPS
from shop import clicks as shop_clicks
from shop.api import collections_router, products_router

from .api import home, people, workflow
from .api.routers import api, mount
from .operations import error_reporting, health
from .review.outside import outside_review
from .site import views

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

# The 500 page, rendered without the database; it says the team was told only when Sentry took the event.
handler500 = error_reporting.server_error

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),  # cms/operations/health.py: liveness, touches nothing
    path("readyz", health.readyz, name="readyz"),  # database, cache, storage, task queue
    path("admin/", include(wagtailadmin_urls)),
    path("api/v3/", api.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", views.search, name="search"),
    path("experts/<slug:slug>/", views.expert_detail, name="expert_detail"),
    # An outside reviewer's signed link (cms/review/invitations.py); never cached, throttled per address.
    path("review/<str:token>/", outside_review, name="verity_outside_review"),
    path(
        "sitemap.xml",
        sitemap_view_on_public_address(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_view_on_public_address(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS, "template_name": SECTION_TEMPLATE},
        name="sitemap_section",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    *shop_clicks.urlpatterns,
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
