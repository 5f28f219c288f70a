"""A panel on the admin's dashboard: a template, rendered with the context the panel was made with.

A panel subclasses DashboardPanel with its `name`, `order` and `template_name`; a `construct_homepage_panels`
hook makes it with what it shows, as keywords, when there is something to show.
"""

from wagtail.admin.ui.components import Component


class DashboardPanel(Component):
    def __init__(self, **context):
        self.context = context

    def get_context_data(self, parent_context):
        return self.context
