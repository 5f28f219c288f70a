"""Stock on live posts: a product a live post sells going out of stock or discontinued.

When a product is published unavailable, it is stamped `unavailable_since` and the editors and leads get one
email naming the live posts and modules that show it; its coming back clears the stamp. The dashboard panel and
*Reports → Products out of stock in live posts* list every such placement (post, module, product, since when,
the fallback shown). The public pages hide an unavailable product and show its fallback where one is set
(`shown_product`).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.signals import page_published

from cms.admin_reports import AdminReport
from cms.dashboard import DashboardPanel
from cms.review.roles import EDITORIAL_LEADS, EDITORS

from .models import ProductPage, ShopPlacement, SyncRun

PANEL_ROWS = 10


def shown_product(product):
    """What a post shows for `product`: itself while it can be bought, else its fallback if that can, else
    nothing."""
    if product is None or not product.live:
        return None
    if product.is_buyable:
        return product
    fallback = product.fallback_product
    if fallback is not None and fallback.live and fallback.is_buyable:
        return fallback
    return None


def unavailable_placements():
    """Every place a live post shows an unavailable product, oldest outage first."""
    return (
        ShopPlacement.objects.filter(post__live=True, product__availability__in=ProductPage.UNAVAILABLE)
        .select_related("post", "product", "collection", "product__fallback_product")
        .order_by("product__unavailable_since", "post__title", "module", "pk")
    )


def editors_to_tell():
    users = get_user_model().objects.filter(is_active=True, groups__name__in=[EDITORS, EDITORIAL_LEADS])
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def tell_editors(product, placements):
    lines = [
        f"“{product.title}” ({product.sku}) is now {product.get_availability_display().lower()}. "
        "These live posts show it:",
        "",
    ]
    for placement in placements:
        via = f" (in “{placement.collection.title}”)" if placement.collection_id else ""
        lines.append(f"- {placement.post.title}: {placement.module_label}{via}")
    fallback = product.fallback_product
    lines += [
        "",
        f"Readers now see “{fallback.title}” in its place."
        if shown_product(product) is not None
        else "Readers no longer see it; choose a fallback product on it, or change the posts.",
        "",
        f"Report: {settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{reverse('verity_stock_alerts')}",
    ]
    recipients = editors_to_tell()
    if recipients:
        send_mail(
            f"Out of stock in live posts: {product.title}", "\n".join(lines), None, recipients, fail_silently=False
        )


def on_product_published(sender, instance, **kwargs):
    if not isinstance(instance, ProductPage):
        return
    if instance.is_buyable:
        if instance.unavailable_since is not None:
            ProductPage.objects.filter(pk=instance.pk).update(unavailable_since=None)
        return
    if instance.unavailable_since is not None:
        return  # already told
    instance.unavailable_since = timezone.now()
    ProductPage.objects.filter(pk=instance.pk).update(unavailable_since=instance.unavailable_since)
    placements = list(unavailable_placements().filter(product=instance))
    if placements:
        tell_editors(instance, placements)


def connect():
    page_published.connect(on_product_published, dispatch_uid="verity-shop-stock-alert")


class StockAlertsView(AdminReport):
    page_title = "Products out of stock in live posts"
    menu_label = "Out of stock in live posts"
    header_icon = "warning"
    url_path = "stock-in-live-posts"
    menu_order = 60
    results_template_name = "shop/admin/stock_alerts_results.html"
    index_url_name = "verity_stock_alerts"
    index_results_url_name = "verity_stock_alerts_results"
    list_export = ["post.title", "module_label", "product.title", "product.availability", "product.unavailable_since"]
    export_headings = {
        "post.title": "Post",
        "module_label": "Module",
        "product.title": "Product",
        "product.availability": "Availability",
        "product.unavailable_since": "Since",
    }

    def get_queryset(self):
        return unavailable_placements()

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["last_sync"] = SyncRun.objects.first()
        return context


class StockAlertsPanel(DashboardPanel):
    name = "stock_alerts"
    order = 60
    template_name = "shop/admin/stock_alerts_panel.html"


@hooks.register("construct_homepage_panels")
def add_stock_alerts_panel(request, panels):
    placements = list(unavailable_placements()[: PANEL_ROWS + 1])
    last_sync = SyncRun.objects.first()
    if placements or last_sync:
        panels.append(
            StockAlertsPanel(
                placements=placements[:PANEL_ROWS],
                total=len(placements),
                last_sync=last_sync,
                report_url=reverse(StockAlertsView.index_url_name),
            )
        )


StockAlertsView.register()
