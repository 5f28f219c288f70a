"""A report in the admin's Reports menu: Wagtail's ReportView with its URLs, its menu item and who may see it.

A report subclasses AdminReport, names its `url_path` (under /admin/reports/) and its URL names, says who may
see it in `can_see`, and calls `register()` once; the page, the results-only fragment that Wagtail's filters
fetch, the menu item and the refusal of everyone else all follow from that.
"""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.reports import ReportView


class AdminReport(ReportView):
    url_path = ""
    menu_label = None  # the page title, unless shorter words suit the menu
    menu_order = 100

    @classmethod
    def can_see(cls, user):
        return True

    def dispatch(self, request, *args, **kwargs):
        if not self.can_see(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @classmethod
    def register(cls):
        hooks.register("register_admin_urls", cls.urls)
        hooks.register("register_reports_menu_item", cls.menu_item)

    @classmethod
    def urls(cls):
        return [
            path(f"reports/{cls.url_path}/", cls.as_view(), name=cls.index_url_name),
            path(f"reports/{cls.url_path}/results/", cls.as_view(results_only=True), name=cls.index_results_url_name),
        ]

    @classmethod
    def menu_item(cls):
        return ReportMenuItem(
            cls,
            cls.menu_label or cls.page_title,
            reverse(cls.index_url_name),
            icon_name=cls.header_icon,
            order=cls.menu_order,
        )


class ReportMenuItem(MenuItem):
    def __init__(self, report, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report

    def is_shown(self, request):
        return self.report.can_see(request.user)
