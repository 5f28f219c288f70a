from wagtail.models import Orderable


class InlineItem(Orderable):
    """An item of an ordered inline list. Items made in code have no sort_order (only the admin's
    form sets one), so creation order breaks ties; otherwise PostgreSQL returns them in any order."""

    class Meta(Orderable.Meta):
        abstract = True
        ordering = ["sort_order", "pk"]
