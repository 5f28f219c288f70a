from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shop.sync import FeedError, sync


class Command(BaseCommand):
    help = "Create and update product pages from the store's products.json feed (a file or an http(s) URL)."

    def add_arguments(self, parser):
        parser.add_argument("source", nargs="?", help="The feed; VERITY_STORE_FEED by default.")

    def handle(self, *args, source=None, **options):
        source = source or settings.VERITY_STORE_FEED
        if not source:
            raise CommandError("Name the feed to read, or set VERITY_STORE_FEED.")
        try:
            result = sync(source)
        except FeedError as error:
            raise CommandError(f"Feed refused, nothing changed: {error}") from error
        self.stdout.write(
            f"{len(result.created)} created, {len(result.updated)} updated, "
            f"{len(result.discontinued)} discontinued, {len(result.unchanged)} unchanged."
        )
        for warning in result.warnings:
            self.stderr.write(warning)
