from django.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps import Sitemap as PageSitemap

from .models import Expert


class ExpertSitemap(Sitemap):
    """Published expert profiles; Wagtail's sitemap covers the pages."""

    def items(self):
        return Expert.objects.live().order_by("pk")


SITEMAPS = {"pages": PageSitemap, "experts": ExpertSitemap}
