from django.apps import AppConfig


class ShopConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "shop"

    def ready(self):
        from django.db.models.signals import post_migrate, post_save

        from cms.review.roles import grant_shop_permissions

        from . import cache_purge, placements, stock
        from .models import ShopIndexPage

        # Shop managers get each new shop section.
        post_save.connect(grant_shop_permissions, sender=ShopIndexPage, dispatch_uid="verity-grant-shop-permissions")
        cache_purge.connect()
        placements.connect()
        # A database migrated before the placements index existed gets it built once.
        post_migrate.connect(placements.build_if_missing, sender=self, dispatch_uid="verity-shop-placements-build")
        stock.connect()
