"""A product a live post sells goes out of stock: the dashboard, the report, the email and the public page."""

from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.review.roles import EDITORIAL_LEADS, EDITORS, SHOP_MANAGERS
from shop.models import ProductPage, ShopPlacement

from .. import factories
from ..cms.workflow_helpers import make_user
from ..html import get_soup, text_of
from . import feeds
from .test_sync import run_sync


@pytest.fixture
def team(db):
    return {
        "editor": make_user("editor", EDITORS),
        "lead": make_user("lead", EDITORIAL_LEADS),
        "shop": make_user("shop", SHOP_MANAGERS),
    }


@pytest.fixture
def store_products(shop, tmp_path, settings):
    """The store's products, synced live."""
    settings.VERITY_STORE_PUBLISH_NEW = True
    feed = feeds.base_feed()
    run_sync(feeds.write(tmp_path, feed))
    return feed, {p.sku: p for p in ProductPage.objects.all()}


@pytest.fixture
def post(blog, store_products):
    _, products = store_products
    return factories.make_post(
        blog,
        title="What It Means If You Cry After Sex",
        body=[
            {"type": "paragraph", "value": "<p>Words.</p>"},
            factories.products_block([products["VER-LUBE-01"], products["VER-OIL-01"]]),
        ],
        shop_the_story=[{"type": "product", "value": products["VER-OIL-01"].pk}],
    )


def go_out_of_stock(tmp_path, store_products, sku="VER-OIL-01"):
    feed, _ = store_products
    index = [p["variants"][0]["sku"] for p in feed["products"]].index(sku)
    run_sync(feeds.write(tmp_path, feeds.changed(feed, index, available=False, inventory_quantity=0)))
    return ProductPage.objects.get(sku=sku)


def test_placements_follow_the_live_post(post, store_products):
    rows = set(ShopPlacement.objects.values_list("module", "product__sku"))
    assert rows == {("shop-now", "VER-LUBE-01"), ("shop-now", "VER-OIL-01"), ("shop-the-story", "VER-OIL-01")}
    post.unpublish()
    assert not ShopPlacement.objects.exists()


def test_deleting_a_live_post_leaves_no_placement_behind(post, store_products):
    """Wagtail unpublishes a live page as it deletes it; no row may be written for the page on the way out."""
    post.delete()
    assert not ShopPlacement.objects.exists()
    # The foreign keys are checked at commit, which a test's transaction never reaches: check them now.
    connection.check_constraints()


def test_a_bundle_places_its_products_while_it_is_live(blog, shop, store_products):
    _, products = store_products
    bundle = factories.make_collection(shop, [products["VER-LUBE-01"], products["VER-OIL-01"]])
    post = factories.make_post(blog, shop_the_story=[{"type": "collection", "value": bundle.pk}])
    through_bundle = ShopPlacement.objects.filter(post_id=post.pk, collection=bundle)
    assert through_bundle.count() == 2

    bundle.unpublish()
    assert not through_bundle.exists()
    factories.publish(bundle)
    assert through_bundle.count() == 2

    bundle.delete()
    assert not ShopPlacement.objects.filter(post_id=post.pk).exists()


def test_a_stock_change_reaches_the_email_the_panel_the_report_and_the_page(
    client, team, post, store_products, tmp_path
):
    mail.outbox.clear()
    oil = go_out_of_stock(tmp_path, store_products)

    assert oil.availability == "out_of_stock" and oil.unavailable_since is not None
    [email] = mail.outbox
    assert email.subject == "Out of stock in live posts: Aftercare Massage Oil"
    assert sorted(email.to) == ["editor@example.com", "lead@example.com"]
    assert "What It Means If You Cry After Sex: Shop Now" in email.body
    assert "What It Means If You Cry After Sex: Shop The Story" in email.body
    assert "Readers no longer see it" in email.body

    client.force_login(team["editor"])
    panel = get_soup(client, reverse("wagtailadmin_home")).select_one("#stock-alerts-section")
    assert panel is not None
    rows = [[text_of(cell) for cell in row.select("td")][:3] for row in panel.select("tbody tr")]
    assert rows == [
        ["What It Means If You Cry After Sex", "Shop Now", "Aftercare Massage Oil — Out of stock"],
        ["What It Means If You Cry After Sex", "Shop The Story", "Aftercare Massage Oil — Out of stock"],
    ]
    report = get_soup(client, reverse("verity_stock_alerts"))
    assert len(report.select("table.listing tbody tr")) == 2
    csv = client.get(reverse("verity_stock_alerts") + "?export=csv")
    assert b"Aftercare Massage Oil" in b"".join(csv.streaming_content)

    client.logout()
    page = get_soup(client, post.url)
    shop_now = [text_of(t) for t in page.select(".inline-products .card__title")]
    assert shop_now == ["Silk Touch Lubricant"]
    assert page.select_one(".shop-the-story") is None, "its only product is hidden, and so is the module"


def test_the_fallback_is_shown_in_the_unavailable_products_place(client, team, post, store_products, tmp_path):
    _, products = store_products
    robe = factories.make_product(products["VER-OIL-01"].get_parent(), title="Cotton Robe")
    oil = products["VER-OIL-01"]
    oil.fallback_product = robe
    oil.save_revision().publish()
    mail.outbox.clear()

    go_out_of_stock(tmp_path, store_products)

    assert "Readers now see “Cotton Robe” in its place." in mail.outbox[0].body
    page = get_soup(client, post.url)
    assert [text_of(t) for t in page.select(".inline-products .card__title")] == [
        "Silk Touch Lubricant",
        "Cotton Robe",
    ]
    assert [text_of(t) for t in page.select(".shop-the-story .card__title")] == ["Cotton Robe"]


def test_back_in_stock_clears_the_alert_and_one_outage_sends_one_email(client, team, post, store_products, tmp_path):
    mail.outbox.clear()
    go_out_of_stock(tmp_path, store_products)
    go_out_of_stock(tmp_path, store_products)  # the same feed again: no second email
    assert len(mail.outbox) == 1

    feed, _ = store_products
    run_sync(feeds.write(tmp_path, feed))

    oil = ProductPage.objects.get(sku="VER-OIL-01")
    assert oil.unavailable_since is None and oil.is_buyable
    client.force_login(team["editor"])
    assert (
        "Every product shown in a live post can be bought."
        in client.get(reverse("verity_stock_alerts")).content.decode()
    )


def test_a_product_in_no_live_post_sends_no_email(team, store_products, tmp_path):
    mail.outbox.clear()
    go_out_of_stock(tmp_path, store_products)
    assert mail.outbox == []


def test_a_bundle_product_going_out_of_stock_is_reported_through_the_bundle(
    client, team, blog, shop, store_products, tmp_path
):
    _, products = store_products
    bundle = factories.make_collection(
        shop, [products["VER-LUBE-01"], products["VER-OIL-01"]], title="Aftercare Bundle", bundle_price=Decimal("30")
    )
    factories.make_post(blog, title="Bundle post", shop_the_story=[{"type": "collection", "value": bundle.pk}])
    mail.outbox.clear()

    go_out_of_stock(tmp_path, store_products)

    assert "Bundle post: Shop The Story (in “Aftercare Bundle”)" in mail.outbox[0].body


def test_the_report_reads_in_a_fixed_number_of_queries(client, team, blog, shop):
    client.force_login(team["editor"])

    def report_queries(posts):
        for _ in range(posts):
            product = factories.make_product(shop, availability="out_of_stock")
            factories.make_post(blog, body=[factories.products_block([product])])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("verity_stock_alerts")).status_code == 200
        return len(queries)

    assert report_queries(1) == report_queries(4)
