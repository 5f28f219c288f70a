"""Clicks from a post's shop modules to the store, counted privately, and the report of them.

Every shop module link is `/shop/go/POST/MODULE/TARGET/` on this site (`tracked_url`). The redirect looks the
target up among the post's live placements (shop/placements.py) and forwards to that product's or bundle's
store URL with utm_source, utm_medium, utm_campaign (the post's slug) and utm_content (the module); the URL
never comes from the request, and one not on VERITY_STORE_URL's host is refused, so it redirects nowhere
else. A click adds one to a per-post, module, target and day counter: no address, cookie or user agent is
kept, and user agents that say they are bots are not counted. The answer is `private, no-store`, so the
edge passes every click through.
"""

import csv
import re
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page

from cms.site.address import absolute_url

from .models import CollectionPage, ProductPage, ShopClick, ShopPlacement
from .store import is_store_url, with_utm

BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|monitor|headlesschrome|phantomjs|"
    r"python-|curl/|wget/|httpclient|okhttp|go-http-client|java/|libwww|scrapy|lighthouse|pingdom",
    re.IGNORECASE,
)
REPORT_DAYS = (7, 30, 90, 365)
DEFAULT_REPORT_DAYS = 30


def tracked_url(post, module, target):
    return reverse("shop_click", args=[post.pk, module, getattr(target, "pk", target)])


def absolute_tracked_url(post, module, target):
    """The tracked link on the public address, for the API; "" without a saved post (a preview of a new one)."""
    if post is None or post.pk is None:
        return ""
    return absolute_url(tracked_url(post, module, target))


def is_bot(user_agent):
    return not user_agent or bool(BOT_USER_AGENT.search(user_agent))


def store_destination(post_id, module, target_id):
    """The store URL the post's module sends `target_id` to, or None when the post does not show it there."""
    placements = ShopPlacement.objects.filter(post_id=post_id, post__live=True, module=module).filter(
        Q(product_id=target_id) | Q(collection_id=target_id) | Q(product__fallback_product_id=target_id)
    )
    if not placements.exists():
        return None
    target = Page.objects.live().filter(pk=target_id).specific().first()
    if isinstance(target, ProductPage):
        return target.buy_url if target.is_buyable else None
    if isinstance(target, CollectionPage):
        collection = CollectionPage.objects.with_products().get(pk=target.pk)
        return collection.buy_url or collection.partial_buy_url or None
    return None


def count_click(post_id, module, target_id):
    key = {"post_id": post_id, "module": module, "target_id": target_id, "day": timezone.localdate()}
    if ShopClick.objects.filter(**key).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            ShopClick.objects.create(**key, count=1)
    except IntegrityError:  # another click made the row first
        ShopClick.objects.filter(**key).update(count=F("count") + 1)


@never_cache
def click(request, post_id, module, target_id):
    if request.method not in ("GET", "HEAD"):
        raise Http404
    destination = store_destination(post_id, module, target_id)
    if not destination or not is_store_url(destination):
        raise Http404("This post does not link there.")
    if request.method == "GET" and not is_bot(request.headers.get("User-Agent", "")):
        count_click(post_id, module, target_id)
    post = Page.objects.only("slug").get(pk=post_id)
    response = HttpResponseRedirect(with_utm(destination, post.slug, module))
    response["Referrer-Policy"] = "origin"  # the store learns the site, not the reader's path
    return response


urlpatterns = [path("shop/go/<int:post_id>/<slug:module>/<int:target_id>/", click, name="shop_click")]


# --- The report ------------------------------------------------------------------------------------------------


def report_days(request):
    try:
        days = int(request.GET.get("days", DEFAULT_REPORT_DAYS))
    except ValueError:
        days = DEFAULT_REPORT_DAYS
    return days if days in REPORT_DAYS else DEFAULT_REPORT_DAYS


def click_totals(since):
    """Clicks per post and module since `since`, most first, in one query."""
    return list(
        ShopClick.objects.filter(day__gte=since)
        .values("post_id", "post__title", "module")
        .annotate(clicks=Sum("count"))
        .order_by("-clicks", "post__title", "module")
    )


def clicks_by_day(since, today):
    """{"labels": days, "series": [{"label": "POST · MODULE", "data": [...]}]} for the chart, in one query."""
    days = [since + timedelta(days=n) for n in range((today - since).days + 1)]
    index = {day: n for n, day in enumerate(days)}
    series = {}
    rows = (
        ShopClick.objects.filter(day__gte=since)
        .values("post__title", "module", "day")
        .annotate(clicks=Sum("count"))
        .order_by("post__title", "module", "day")
    )
    for row in rows:
        label = f"{row['post__title']} · {row['module']}"
        series.setdefault(label, [0] * len(days))[index[row["day"]]] = row["clicks"]
    return {
        "labels": [day.isoformat() for day in days],
        "series": [{"label": label, "data": data} for label, data in series.items()],
    }


def spreadsheet_safe(text):
    """A title a spreadsheet would run as a formula ("=HYPERLINK(...)") is written as text."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def clicks_report(request):
    if not request.user.has_perm("wagtailadmin.access_admin"):
        raise Http404
    days = report_days(request)
    today = timezone.localdate()
    since = today - timedelta(days=days - 1)
    totals = click_totals(since)
    if request.GET.get("export") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="shop-clicks-{since}-{today}.csv"'
        writer = csv.writer(response)
        writer.writerow(["Post", "Module", "Clicks", "From", "To"])
        for row in totals:
            writer.writerow([spreadsheet_safe(row["post__title"]), row["module"], row["clicks"], since, today])
        return response
    return render(
        request,
        "shop/admin/clicks_report.html",
        {
            "totals": totals,
            "chart": clicks_by_day(since, today),
            "days": days,
            "day_choices": REPORT_DAYS,
            "since": since,
            "today": today,
        },
    )


@hooks.register("register_admin_urls")
def register_clicks_report_urls():
    return [path("reports/shop-clicks/", clicks_report, name="verity_shop_clicks")]


@hooks.register("register_reports_menu_item")
def register_clicks_report_menu_item():
    return MenuItem("Shop clicks", reverse("verity_shop_clicks"), icon_name="link", order=65)
