"""The sitemap: an index at /sitemap.xml of sections of at most SECTION_SIZE URLs each.

`/sitemap-pages.xml?p=N` and `/sitemap-experts.xml?p=N` are served by Django's sitemap views (cms/urls.py)
with a lean template (templates/cms/sitemap_section.xml: each URL's address and last change). A section
reads its page of rows in a fixed number of queries, whatever the size of the site, as plain values: Wagtail's
own sitemap builds a model instance of every page's specific type and asks each for its URL, which at 1,000
URLs a section costs several times the response's budget. The index asks each section for its number of
pages and its latest change, one query apiece.
"""

from urllib.parse import quote

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import Page, Revision

from cms.models import Expert

# Search engines take up to 50,000 URLs a file; smaller sections keep each response quick to build.
SECTION_SIZE = 1000
# What reverse() leaves unquoted in a path, so an address built here reads as Wagtail's own.
PATH_SAFE = "!$&'()*+,;=/~:@"


def latest_site_change():
    """The latest publish of any page, as a subquery: the last change of what a page never published itself
    (the home page the migrations made, an expert loaded without a revision) shows, so every entry is dated."""
    return Subquery(
        Page.objects.live()
        .exclude(last_published_at=None)
        .order_by("-last_published_at")
        .values("last_published_at")[:1]
    )


class SectionSitemap(Sitemap):
    """A sitemap whose items are (location, lastmod) rows, written as the section template reads them."""

    limit = SECTION_SIZE

    def entries(self, rows, protocol, domain):
        raise NotImplementedError

    def _urls(self, page, protocol, domain):
        urls = []
        latest = None
        for location, lastmod in self.entries(self.paginator.page(page).object_list, protocol, domain):
            if lastmod is not None:
                latest = lastmod if latest is None or lastmod > latest else latest
                lastmod = timezone.localtime(lastmod).date().isoformat()
            urls.append({"location": location, "lastmod": lastmod})
        # The section's Last-Modified header (Django's sitemap view reads it).
        self.latest_lastmod = latest
        return urls


class PageSitemap(SectionSitemap, WagtailSitemap):
    """Live, public pages of the site, in tree order, with the date they were last published.

    The address is the page's url_path under the site's root, as `Page.get_full_url` builds it for a page of
    the site (no page type overrides `get_url_parts` or `get_sitemap_urls`).
    """

    def get_wagtail_site(self):
        # Read once per response: the items, the addresses and the latest change all ask for it.
        if not hasattr(self, "_site"):
            self._site = super().get_wagtail_site()
        return self._site

    def items(self):
        return (
            self.get_wagtail_site()
            .root_page.get_descendants(inclusive=True)
            .live()
            .public()
            .order_by("path")
            .values_list(
                "url_path",
                Coalesce("last_published_at", "latest_revision_created_at", "first_published_at", latest_site_change()),
            )
        )

    def entries(self, rows, protocol, domain):
        site = self.get_wagtail_site()
        root_url = site.root_url
        root_path = site.root_page.url_path
        serve = reverse("wagtail_serve", args=("",))
        for url_path, lastmod in rows:
            yield root_url + serve + quote(url_path[len(root_path) :], safe=PATH_SAFE), lastmod

    def get_latest_lastmod(self):
        # Django's default reads every item to find the latest; the index asks this of every section.
        return (
            self.items()
            .order_by()
            .aggregate(latest=Max(Coalesce("last_published_at", "latest_revision_created_at")))["latest"]
        )


class ExpertSitemap(SectionSitemap):
    """Published expert profiles."""

    def items(self):
        latest_revision = Revision.objects.filter(pk=OuterRef("latest_revision_id")).values("created_at")[:1]
        changed = Coalesce("last_published_at", Subquery(latest_revision), "first_published_at", latest_site_change())
        return Expert.objects.live().order_by("pk").values_list("slug", changed)

    def entries(self, rows, protocol, domain):
        for slug, lastmod in rows:
            yield f"{protocol}://{domain}{reverse('expert_detail', kwargs={'slug': slug})}", lastmod

    def get_latest_lastmod(self):
        return Expert.objects.live().aggregate(latest=Max("last_published_at"))["latest"]


SITEMAPS = {"pages": PageSitemap, "experts": ExpertSitemap}
SECTION_TEMPLATE = "cms/sitemap_section.xml"
