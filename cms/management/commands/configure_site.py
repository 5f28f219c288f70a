from django.core.management.base import BaseCommand

from cms.site.address import configure_default_site


class Command(BaseCommand):
    help = "Set the default Site's hostname and port from WAGTAILADMIN_BASE_URL (canonical links, sitemap)."

    def handle(self, *args, **options):
        site = configure_default_site()
        self.stdout.write(f"Default site: {site.hostname}:{site.port}")
