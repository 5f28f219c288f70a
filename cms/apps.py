from django.apps import AppConfig


class CmsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cms"

    def ready(self):
        # First: typed StreamField writes, registered before Wagtail's API builds its page schemas.
        from .api import stream_inputs

        stream_inputs.install()

        from django.db.models.signals import post_migrate

        from .review.post_migrate import set_up_roles_and_workflow
        from .webhooks.events import connect_signals as connect_webhook_signals

        # No sender: cms is the first app signalled, before the permissions exist; the handler acts on the last.
        post_migrate.connect(set_up_roles_and_workflow, dispatch_uid="verity-set-up-roles-and-workflow")

        from .caching import cache_purge, failed_purges, http_cache

        cache_purge.connect()
        http_cache.connect()
        failed_purges.connect()
        connect_webhook_signals()
