"""`manage.py sync_products`: product pages from the store's products.json, as an operator runs it."""

import http.server
import io
import json
import threading
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import PageLogEntry, Revision

from shop.models import ProductPage, StoreImage, SyncRun
from shop.sync import SYNC_ACTION, sync_if_due

from .. import factories
from ..cms.workflow_helpers import make_user
from . import feeds


def run_sync(source):
    out = io.StringIO()
    call_command("sync_products", str(source), stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def feed_dir(tmp_path):
    (tmp_path / "lube.png").write_bytes(feeds.png())
    return tmp_path


@pytest.fixture
def feed(feed_dir):
    return feeds.base_feed(images_dir=feed_dir)


def test_a_new_feed_creates_draft_products_with_the_store_data(shop, feed_dir, feed):
    output = run_sync(feeds.write(feed_dir, feed))

    assert output.strip() == "2 created, 0 updated, 0 discontinued, 0 unchanged."
    lube = ProductPage.objects.get(sku="VER-LUBE-01")
    assert not lube.live, "new products wait for a shop manager by default"
    assert (lube.title, lube.slug, lube.handle, lube.store_product_id) == (
        "Silk Touch Lubricant",
        "silk-touch-lubricant",
        "silk-touch-lubricant",
        "7001",
    )
    assert (lube.price, lube.compare_at_price, lube.currency) == (Decimal("18.00"), Decimal("22.00"), "USD")
    assert (lube.availability, lube.inventory_quantity, lube.variant_ids) == ("in_stock", 40, [41001])
    assert lube.buy_url == "https://shop.example.com/products/silk-touch-lubricant"
    assert lube.description == "<p>Silk Touch Lubricant, from the store.</p>"
    assert lube.get_parent().specific == shop
    [item] = lube.get_latest_revision_as_object().images.all()
    assert item.image.description == "The lube bottle"
    assert StoreImage.objects.get().image == item.image
    assert SyncRun.objects.get().summary == "2 created, 0 updated, 0 discontinued, 0 unchanged"


def test_new_products_go_live_when_the_setting_says_so(shop, feed_dir, feed, settings):
    settings.VERITY_STORE_PUBLISH_NEW = True
    run_sync(feeds.write(feed_dir, feed))

    assert ProductPage.objects.live().count() == 2
    response_status = {p.sku: p.live for p in ProductPage.objects.all()}
    assert response_status == {"VER-LUBE-01": True, "VER-OIL-01": True}


def test_the_same_feed_again_changes_nothing(shop, feed_dir, feed):
    path = feeds.write(feed_dir, feed)
    run_sync(path)
    revisions, images = Revision.objects.count(), get_image_model().objects.count()

    assert run_sync(path).strip() == "0 created, 0 updated, 0 discontinued, 2 unchanged."
    assert (Revision.objects.count(), get_image_model().objects.count()) == (revisions, images)


def test_a_changed_product_is_revised_published_and_logged_keeping_the_editors_fields(shop, feed_dir, feed, settings):
    settings.VERITY_STORE_PUBLISH_NEW = True
    run_sync(feeds.write(feed_dir, feed))
    oil = ProductPage.objects.get(sku="VER-OIL-01")
    oil.summary, oil.featured_in_note = "An editor's line.", "As seen in our aftercare guide."
    oil.save_revision().publish()

    run_sync(feeds.write(feed_dir, feeds.changed(feed, 1, price="21.00", inventory_quantity=3)))

    oil.refresh_from_db()
    assert oil.live and (oil.price, oil.availability, oil.inventory_quantity) == (Decimal("21.00"), "low_stock", 3)
    assert (oil.summary, oil.featured_in_note) == ("An editor's line.", "As seen in our aftercare guide.")
    entry = PageLogEntry.objects.filter(page=oil, action=SYNC_ACTION).latest("timestamp")
    assert entry.data["changes"] == [
        "price: 24.00 → 21.00",
        "availability: in_stock → low_stock",
        "inventory quantity: 40 → 3",
    ]
    assert (
        entry.message == "Synced from the store: price: 24.00 → 21.00; availability: in_stock → low_stock; "
        "inventory quantity: 40 → 3"
    )
    assert SyncRun.objects.first().summary == "0 created, 1 updated, 0 discontinued, 1 unchanged"


def test_a_product_typed_in_before_is_matched_by_sku(shop, feed_dir, feed):
    typed = factories.make_product(shop, sku="VER-OIL-01", title="Massage oil (typed)", summary="Ours.")

    run_sync(feeds.write(feed_dir, feed))

    typed.refresh_from_db()
    assert (typed.store_product_id, typed.title, typed.summary) == ("7002", "Aftercare Massage Oil", "Ours.")
    assert ProductPage.objects.count() == 2


def test_a_product_gone_from_the_feed_is_discontinued(shop, feed_dir, feed, settings):
    settings.VERITY_STORE_PUBLISH_NEW = True
    run_sync(feeds.write(feed_dir, feed))
    hand_made = factories.make_product(shop, sku="HAND-1")  # never in the store: left alone
    feed["products"] = feed["products"][:1]

    assert run_sync(feeds.write(feed_dir, feed)).strip() == "0 created, 0 updated, 1 discontinued, 1 unchanged."

    oil = ProductPage.objects.get(sku="VER-OIL-01")
    assert (oil.availability, oil.is_buyable, oil.live) == ("discontinued", False, True)
    hand_made.refresh_from_db()
    assert hand_made.availability == "in_stock"


def test_images_are_copied_once_per_source_url(shop, feed_dir, feed):
    feed["products"][1]["images"] = [{"src": "lube.png", "alt": "Same picture"}]
    run_sync(feeds.write(feed_dir, feed))

    assert get_image_model().objects.count() == 1
    assert StoreImage.objects.count() == 1


def malformed(feed):
    yield "not json", "{ this is not json"
    yield "no products list", json.dumps({"items": []})
    missing_price = json.loads(json.dumps(feed))
    del missing_price["products"][1]["variants"][0]["price"]
    yield "missing price", json.dumps(missing_price)
    bad_price = feeds.changed(feed, 1, price="twenty")
    yield "bad price", json.dumps(bad_price)
    no_variants = json.loads(json.dumps(feed))
    no_variants["products"][1]["variants"] = []
    yield "no variants", json.dumps(no_variants)
    duplicate = json.loads(json.dumps(feed))
    duplicate["products"][1]["id"] = duplicate["products"][0]["id"]
    yield "duplicate id", json.dumps(duplicate)
    bad_handle = json.loads(json.dumps(feed))
    bad_handle["products"][1]["handle"] = "../../etc"
    yield "bad handle", json.dumps(bad_handle)


MALFORMED_MESSAGES = {
    "not json": "is not JSON",
    "no products list": 'expected an object with a "products" list',
    "missing price": "product 2 (id 7002): missing its price.",
    "bad price": "product 2 (id 7002), price: 'twenty' is not a price.",
    "no variants": "product 2 (id 7002): it has no variants.",
    "duplicate id": "The feed lists store product id 7001 more than once.",
    "bad handle": "'../../etc' is not a handle",
}


@pytest.mark.parametrize("case", list(MALFORMED_MESSAGES))
def test_a_malformed_feed_is_refused_and_nothing_is_written(shop, feed_dir, feed, settings, case):
    settings.VERITY_STORE_PUBLISH_NEW = True
    run_sync(feeds.write(feed_dir, feed))
    before = (Revision.objects.count(), PageLogEntry.objects.count(), list(ProductPage.objects.values_list("price")))
    body = dict(malformed(feeds.changed(feed, 0, price="9.00")))[case]

    with pytest.raises(CommandError, match="Feed refused, nothing changed") as refused:
        run_sync(feeds.write(feed_dir, body))

    assert MALFORMED_MESSAGES[case] in str(refused.value)
    after = (Revision.objects.count(), PageLogEntry.objects.count(), list(ProductPage.objects.values_list("price")))
    assert after == before
    last = SyncRun.objects.first()
    assert not last.succeeded and MALFORMED_MESSAGES[case] in last.summary


def test_a_missing_file_is_refused(shop, tmp_path):
    with pytest.raises(CommandError, match="Could not read"):
        run_sync(tmp_path / "nowhere.json")


@pytest.fixture
def store_server(feed_dir):
    """A store on loopback serving the feed and its image over HTTP."""
    routes = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            body, kind = routes.get(self.path, (None, None))
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", kind or "text/plain")
            self.end_headers()
            self.wfile.write(body or b"not found")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", routes
    server.shutdown()


def test_the_feed_is_read_from_a_url_with_its_images(shop, store_server, feed):
    origin, routes = store_server
    feed["products"][0]["images"] = [{"src": f"{origin}/cdn/lube.png", "alt": "Lube"}]
    routes["/products.json"] = (json.dumps(feed).encode(), "application/json")
    routes["/cdn/lube.png"] = (feeds.png(), "image/png")

    assert run_sync(f"{origin}/products.json").strip() == "2 created, 0 updated, 0 discontinued, 0 unchanged."
    assert StoreImage.objects.get().source_url == f"{origin}/cdn/lube.png"


def test_a_url_feed_cannot_read_local_files_as_images(shop, store_server, feed, feed_dir):
    origin, routes = store_server
    feed["products"][0]["images"] = [{"src": f"file://{feed_dir}/lube.png"}]
    routes["/products.json"] = (json.dumps(feed).encode(), "application/json")

    with pytest.raises(CommandError, match="is not an http\\(s\\) address"):
        run_sync(f"{origin}/products.json")

    assert (get_image_model().objects.count(), ProductPage.objects.count()) == (0, 0)


def test_the_scheduler_syncs_the_configured_feed_when_due(shop, feed_dir, feed, settings):
    settings.VERITY_STORE_FEED = str(feeds.write(feed_dir, feed))
    settings.VERITY_STORE_SYNC_MINUTES = 60

    assert sync_if_due() is not None
    assert sync_if_due() is None, "the last run is less than an hour old"
    assert SyncRun.objects.count() == 1


def test_the_scheduler_records_a_refused_feed_and_goes_on(shop, feed_dir, settings):
    settings.VERITY_STORE_FEED = str(feeds.write(feed_dir, "[]"))

    assert sync_if_due() is None
    assert not SyncRun.objects.get().succeeded


def test_the_last_run_shows_on_the_dashboard_and_the_report(client, shop, feed_dir, feed):
    run_sync(feeds.write(feed_dir, feed))
    client.force_login(make_user("admin", superuser=True))

    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    report = client.get(reverse("verity_stock_alerts")).content.decode()

    for page in (dashboard, report):
        assert "Last store sync" in page and "2 created, 0 updated, 0 discontinued, 0 unchanged." in page
