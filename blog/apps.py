from django.apps import AppConfig


class BlogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "blog"

    def ready(self):
        from django.db.models.signals import post_save

        from cms.review.workflow import assign_review_workflow

        from . import cache_purge
        from .models import BlogIndexPage

        # Every blog section runs the editorial and medical review workflow.
        post_save.connect(assign_review_workflow, sender=BlogIndexPage, dispatch_uid="verity-assign-review-workflow")
        cache_purge.connect()
