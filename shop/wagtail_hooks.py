from wagtail import hooks
from wagtail.log_actions import LogFormatter

from . import clicks, stock  # noqa: F401 - their admin views, menu items and panels
from .choosers import collection_chooser_viewset, product_chooser_viewset
from .sync import SYNC_ACTION


@hooks.register("register_admin_viewset")
def register_shop_choosers():
    return [product_chooser_viewset, collection_chooser_viewset]


@hooks.register("register_log_actions")
def register_sync_action(actions):
    @actions.register_action(SYNC_ACTION)
    class ProductSynced(LogFormatter):
        label = "Sync from the store"

        def format_message(self, log_entry):
            return "Synced from the store: " + "; ".join(log_entry.data.get("changes", []))
