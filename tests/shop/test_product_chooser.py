"""The product and collection choosers of the Shop Now and Shop The Story blocks, through the admin's views.

Each row shows what an editor chooses by (image, price, availability, live or draft); a draft can be
chosen; the block still stores a page id, resolved in one query for all of a page's values.
"""

import json
import uuid
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blog.models import BlogPostPage
from shop.blocks import CollectionChooserBlock, ProductChooserBlock
from shop.models import ProductPage

from .. import factories
from ..cms.workflow_helpers import list_data, make_team, post_form

pytestmark = pytest.mark.django_db

PRODUCT_CHOOSER = "/admin/shop/product-chooser/"
COLLECTION_CHOOSER = "/admin/shop/collection-chooser/"


@pytest.fixture
def team(db):
    return make_team()


def rows(response):
    """Each result row's cells as text, keyed by the chosen product's title; and the row's <img> srcs."""
    assert response.status_code == 200
    html = response.json()["html"] if response["Content-Type"].startswith("application/json") else response.content
    soup = BeautifulSoup(html, "html.parser")
    found = {}
    for hidden in soup.select(".w-sr-only"):
        hidden.decompose()
    for tr in soup.select("table.listing tbody tr"):
        cells = [" ".join(td.get_text().split()) for td in tr.find_all("td")]
        found[cells[1]] = {"cells": cells, "images": [img["src"] for img in tr.find_all("img")], "tr": tr}
    return found


def choose(client, url_name, **params):
    return client.get(reverse(url_name), params)


def test_product_chooser_shows_image_sku_price_availability_and_status(client, shop, team):
    factories.make_product(
        shop, title="Lavender oil", sku="LAV-1", price=Decimal("24.00"), compare_at_price=Decimal("30.00")
    )
    factories.make_product(shop, title="Silk blindfold", sku="SILK-2", availability="out_of_stock")
    factories.make_product(shop, title="Massage candle", sku="CANDLE-3", live=False, availability="preorder")
    client.force_login(team["editor"])

    found = rows(choose(client, "product_chooser:choose"))

    assert list(found) == ["Lavender oil", "Massage candle", "Silk blindfold"]  # by title
    _image, _title, sku, price, availability, status = found["Lavender oil"]["cells"]
    assert (sku, price, availability, status) == ("LAV-1", "$24.00 (was $30.00)", "In stock", "live")
    assert found["Silk blindfold"]["cells"][3:] == ["$20.00", "Out of stock", "live"]
    # A draft is listed, with its status, and can be chosen like any other.
    assert found["Massage candle"]["cells"][4:] == ["Available to pre-order", "draft"]
    assert found["Massage candle"]["tr"].find("a", attrs={"data-chooser-modal-choice": True}) is not None
    for row in found.values():
        assert len(row["images"]) == 1 and ".fill-60x60" in row["images"][0]


def test_choosing_a_draft_product_returns_its_id_title_and_edit_link(client, shop, team):
    draft = factories.make_product(shop, title="Massage candle", live=False)
    client.force_login(team["editor"])

    response = client.get(reverse("product_chooser:chosen", args=[draft.pk]))

    result = response.json()
    assert result["step"] == "chosen"
    assert result["result"] == {
        "id": str(draft.pk),
        "title": "Massage candle",
        "edit_url": reverse("wagtailadmin_pages:edit", args=[draft.pk]),
    }


def test_product_chooser_searches_by_name_and_sku_and_filters_by_availability(client, shop, team):
    factories.make_product(shop, title="Lavender massage oil", sku="LAV-1")
    factories.make_product(shop, title="Rose massage oil", sku="ROSE-2", availability="low_stock")
    factories.make_product(shop, title="Silk blindfold", sku="SILK-3")
    client.force_login(team["editor"])

    def titles(**params):
        return set(rows(choose(client, "product_chooser:choose_results", **params)))

    assert titles(q="massage") == {"Lavender massage oil", "Rose massage oil"}
    assert titles(q="mass") == {"Lavender massage oil", "Rose massage oil"}  # as the editor types
    assert titles(q="silk-3") == {"Silk blindfold"}  # a SKU, in any case
    assert titles(q="massage", availability="low_stock") == {"Rose massage oil"}
    assert titles(availability="in_stock") == {"Lavender massage oil", "Silk blindfold"}


def test_collection_chooser_shows_first_product_image_product_count_bundle_price_and_status(client, shop, team):
    oil = factories.make_product(shop, title="Oil", price=Decimal("20.00"))
    candle = factories.make_product(shop, title="Candle", price=Decimal("15.00"))
    draft = factories.make_product(shop, title="Draft", live=False)
    factories.make_collection(shop, [oil, candle, draft], title="Date night", bundle_price=Decimal("30.00"))
    factories.make_collection(shop, [candle], title="Candles", live=False)
    client.force_login(team["editor"])

    found = rows(choose(client, "collection_chooser:choose"))

    assert list(found) == ["Candles", "Date night"]
    _image, _title, count, bundle_price, status = found["Date night"]["cells"]
    assert (count, bundle_price, status) == ("3 products, 1 not live", "$30.00 (saves $5.00)", "live")
    assert found["Candles"]["cells"][2:] == ["1 product", "—", "draft"]
    oil_image = oil.main_image.get_rendition("fill-60x60").url
    assert found["Date night"]["images"] == [oil_image]

    assert list(rows(choose(client, "collection_chooser:choose_results", kind="bundle"))) == ["Date night"]


def count_chooser_queries(client, url_name):
    assert client.get(reverse(url_name)).status_code == 200  # makes the thumbnails' renditions
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(url_name)).status_code == 200
    return len(captured.captured_queries)


def test_chooser_query_counts_do_not_grow_with_rows(client, shop, team):
    client.force_login(team["editor"])
    products, counts = [], {}
    for n in (2, 8):
        while len(products) < n:
            products.append(factories.make_product(shop, live=len(products) % 2 == 0))
        factories.make_collection(shop, products[:n], bundle_price=Decimal("10.00"), live=n == 2)
        counts[n] = (
            count_chooser_queries(client, "product_chooser:choose"),
            count_chooser_queries(client, "collection_chooser:choose"),
        )
    assert counts[2] == counts[8], counts


def test_choosers_are_for_admin_users_only(client, shop, team):
    assert client.get(reverse("product_chooser:choose")).status_code == 302  # to the login page
    for role in ("editor", "lead", "shop", "admin"):
        client.force_login(team[role])
        assert client.get(reverse("product_chooser:choose")).status_code == 200, role
        assert client.get(reverse("collection_chooser:choose")).status_code == 200, role
        assert "creation_form" not in client.get(reverse("product_chooser:choose")).json()["html"]


def test_post_edit_form_uses_the_shop_choosers_and_stores_page_ids(client, blog, shop, team):
    product = factories.make_product(shop, title="Oil")
    draft_product = factories.make_product(shop, title="Draft candle", live=False)
    collection = factories.make_collection(shop, [product], title="Date night")
    post = factories.make_post(blog, live=False)
    client.force_login(team["editor"])
    edit_url = reverse("wagtailadmin_pages:edit", args=[post.pk])

    html = client.get(edit_url).content.decode()
    assert PRODUCT_CHOOSER in html and COLLECTION_CHOOSER in html

    data = post_form(post.title, post.slug, [])
    story = {
        "shop_the_story-count": "3",
        **stream_item("shop_the_story", 0, "product", draft_product.pk),
        **stream_item("shop_the_story", 1, "collection", collection.pk),
        **stream_item("shop_the_story", 2, "product", product.pk),
    }
    data.update(story)
    data.update(products_body_item([product.pk, draft_product.pk]))
    response = client.post(edit_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]

    # The revision holds the StreamFields as JSON, each chooser value a page id.
    saved = BlogPostPage.objects.get(pk=post.pk).latest_revision.content
    assert [(item["type"], item["value"]) for item in json.loads(saved["shop_the_story"])] == [
        ("product", draft_product.pk),
        ("collection", collection.pk),
        ("product", product.pk),
    ]
    body = json.loads(saved["body"])
    assert [item["value"] for item in body[0]["value"]["products"]] == [product.pk, draft_product.pk]

    # The saved draft's edit form shows the chosen products by title again.
    html = client.get(edit_url).content.decode()
    assert "Draft candle" in html and "Date night" in html


def stream_item(field, index, block_type, value):
    prefix = f"{field}-{index}"
    return {
        f"{prefix}-type": block_type,
        f"{prefix}-value": str(value),
        f"{prefix}-deleted": "",
        f"{prefix}-order": str(index),
        f"{prefix}-id": str(uuid.uuid4()),
    }


def products_body_item(product_ids):
    data = {
        "body-count": "1",
        "body-0-type": "products",
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-id": str(uuid.uuid4()),
        "body-0-value-heading": "Shop Now",
    }
    for key, value in list_data(product_ids).items():
        if key == "count":
            data["body-0-value-products-count"] = str(value)
        else:
            for name, item in value.items():
                data[f"body-0-value-products-{key}-{name}"] = str(item)
    return data


def test_collection_page_form_chooses_its_products_with_the_product_chooser(client, shop, team):
    collection = factories.make_collection(shop, [factories.make_product(shop)])
    client.force_login(team["shop"])

    html = client.get(reverse("wagtailadmin_pages:edit", args=[collection.pk])).content.decode()

    assert PRODUCT_CHOOSER in html


def test_blocks_store_page_ids_and_read_all_values_in_one_query(shop, django_assert_num_queries):
    products = [factories.make_product(shop, live=i != 1) for i in range(3)]
    collection = factories.make_collection(shop, products)
    block = ProductChooserBlock()

    assert block.get_prep_value(products[0]) == products[0].pk
    assert block.get_api_representation(products[0]) == products[0].pk
    assert block.to_python(products[1].pk) == products[1]  # a draft resolves, for the admin and previews
    ids = [p.pk for p in products] + [products[0].pk, None, 999_999]
    # Products, their images, the images' renditions: the same three queries for any number of values.
    with django_assert_num_queries(3):
        values = block.bulk_to_python(ids)
        assert [v.main_image is not None for v in values[:4]] == [True] * 4
    assert values[:4] == products + [products[0]] and values[0] is not values[3]
    assert values[4:] == [None, None]
    assert isinstance(values[0], ProductPage)

    collections = CollectionChooserBlock().bulk_to_python([collection.pk])
    with django_assert_num_queries(0):
        assert [p.pk for p in collections[0].products] == [products[0].pk, products[2].pk]
