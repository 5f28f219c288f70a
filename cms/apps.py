from django.apps import AppConfig


class CmsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cms"

    def ready(self):
        from django.db.models.signals import post_save

        from blog.models import BlogIndexPage

        from .review_workflow import assign_review_workflow

        post_save.connect(assign_review_workflow, sender=BlogIndexPage, dispatch_uid="verity-assign-review-workflow")

        from . import cache_purge

        cache_purge.connect()
