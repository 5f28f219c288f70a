"""Every bundle can be bought: its own buy URL, else a store cart of its products' variants."""

from decimal import Decimal

import pytest

from shop.models import CollectionPage

from .. import factories
from ..html import get_soup, text_of


@pytest.fixture
def products(shop):
    return [
        factories.make_product(shop, title="Oil", price=Decimal("24.00"), variant_ids=[41002, 51002]),
        factories.make_product(shop, title="Soak", price=Decimal("16.00"), variant_ids=[41003]),
        factories.make_product(shop, title="Cards", price=Decimal("20.00"), variant_ids=[41004]),
    ]


def bundle(shop, products, **fields):
    made = factories.make_collection(shop, products, bundle_price=Decimal("49.00"), **fields)
    return CollectionPage.objects.with_products().get(pk=made.pk)


def test_a_bundle_without_its_own_url_is_a_cart_of_each_products_first_variant(shop, products):
    assert bundle(shop, products).buy_url == "https://shop.example.com/cart/41002:1,41003:1,41004:1"


def test_the_cart_is_on_the_configured_store(shop, products, settings):
    settings.VERITY_STORE_URL = "https://store.verity.example/"
    assert bundle(shop, products).buy_url == "https://store.verity.example/cart/41002:1,41003:1,41004:1"


def test_a_bundles_own_buy_url_comes_first(shop, products):
    own = bundle(shop, products, bundle_buy_url="https://shop.example.com/products/aftercare-bundle")
    assert own.buy_url == "https://shop.example.com/products/aftercare-bundle"


def test_a_product_without_a_variant_leaves_no_cart_link(shop, products):
    products.append(factories.make_product(shop, title="Unsynced"))
    assert bundle(shop, products).buy_url == ""


def test_a_bundle_with_an_unavailable_product_says_so_and_sells_the_rest(client, shop, products):
    products[1].availability = "out_of_stock"
    products[1].save_revision().publish()
    made = bundle(shop, products, bundle_buy_url="https://shop.example.com/products/aftercare-bundle")

    assert made.buy_url == ""
    assert made.partial_buy_url == "https://shop.example.com/cart/41002:1,41004:1"
    soup = get_soup(client, made.url)
    assert soup.select_one(".bundle-buy") is None
    assert text_of(soup.select_one(".bundle-unavailable")).startswith("Soak is not available right now")
    partial = soup.select_one(".bundle-buy-available")
    assert (partial["href"], partial.get_text(strip=True)) == (made.partial_buy_url, "Buy the 2 available")


def test_the_bundle_page_has_a_buy_button(client, shop, products):
    made = bundle(shop, products)
    button = get_soup(client, made.url).select_one("a.bundle-buy")
    assert button["href"] == "https://shop.example.com/cart/41002:1,41003:1,41004:1"


def test_bundle_savings_follow_current_prices(shop, products):
    made = bundle(shop, products)
    assert (made.pricing.items_total, made.savings_display) == (Decimal("60.00"), "$11.00")
    products[0].price = Decimal("30.00")
    products[0].save_revision().publish()

    made = CollectionPage.objects.with_products().get(pk=made.pk)
    assert (made.pricing.items_total, made.savings_display) == (Decimal("66.00"), "$17.00")


def test_the_demo_bundle_is_buyable(demo):
    aftercare = CollectionPage.objects.with_products().get(slug="aftercare-bundle")
    assert aftercare.buy_url.startswith("https://shop.example.com/cart/")
    assert aftercare.buy_url.count(":1") == len(aftercare.products) == 3
