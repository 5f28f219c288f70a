"""The public shop: its index, product pages, collections and "Bundle to Save" bundles."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from shop.models import CollectionPage

from .. import factories
from ..html import assert_landmarks, assert_responsive_webp, get_soup, json_ld, text_of


@pytest.fixture
def products(shop):
    return {
        "lube": factories.make_product(
            shop,
            title="Silk Lube",
            slug="silk-lube",
            sku="LUBE-1",
            price=Decimal("18.00"),
            compare_at_price=Decimal("22.00"),
            summary="Body-safe and fragrance-free.",
            description="<p>A <b>gentle</b> lubricant.</p>",
        ),
        "oil": factories.make_product(shop, title="Massage Oil", price=Decimal("24.00")),
        "soak": factories.make_product(shop, title="Bath Soak", price=Decimal("16.00"), availability="low_stock"),
        "cards": factories.make_product(shop, title="Talk Cards", price=Decimal("20.00")),
        "robe": factories.make_product(shop, title="Cotton Robe", price=Decimal("68.00"), availability="out_of_stock"),
    }


@pytest.fixture
def bundle(shop, products):
    return factories.make_collection(
        shop,
        [products["oil"], products["soak"], products["cards"]],
        title="Aftercare Bundle",
        slug="aftercare-bundle",
        intro="For the moments after.",
        bundle_price=Decimal("49.00"),
        bundle_buy_url="https://shop.example.com/aftercare-bundle",
    )


@pytest.fixture
def collection(shop, products):
    return factories.make_collection(
        shop, [products["lube"], products["oil"]], title="The Sex Collection", slug="the-sex-collection"
    )


class TestShopIndex:
    def test_lists_collections_and_live_products(self, client, shop, products, bundle, collection):
        factories.make_product(shop, title="Draft Product", live=False)
        soup = get_soup(client, shop.url)
        assert_landmarks(soup)
        assert text_of(soup.h1) == "Shop"
        collections = soup.select("section[aria-labelledby=collections-heading] .collection-card .card__title")
        assert [text_of(title) for title in collections] == ["Aftercare Bundle", "The Sex Collection"]
        titles = [text_of(title) for title in soup.select("section[aria-labelledby=products-heading] .card__title")]
        assert titles == sorted(product.title for product in products.values())
        assert "Draft Product" not in text_of(soup)

    def test_an_empty_shop_says_so(self, client, shop):
        soup = get_soup(client, shop.url)
        assert "No products yet." in text_of(soup)


class TestProductPage:
    def test_shows_title_price_compare_at_price_and_availability(self, client, shop, products):
        soup = get_soup(client, products["lube"].url)
        assert soup.find("a", string=lambda s: s and "Back to the shop" in s)["href"] == shop.url
        details = soup.select_one(".product__details")
        assert text_of(details.h1) == "Silk Lube"
        assert text_of(details.select_one(".dek")) == "Body-safe and fragrance-free."
        assert details.select_one(".price__now").get_text() == "$18.00"
        assert text_of(details.select_one("s.price__was")) == "was $22.00"
        assert details.select_one(".availability").get_text() == "In stock"
        assert text_of(details.select_one(".meta")) == "SKU LUBE-1"
        assert details.find("a", class_="button", string="Buy now")["href"] == products["lube"].buy_url
        assert details.select_one(".rich-text b").get_text() == "gentle"

    def test_an_out_of_stock_product_cannot_be_bought(self, client, products):
        details = get_soup(client, products["robe"].url).select_one(".product__details")
        assert details.select_one(".availability").get_text() == "Out of stock"
        assert details.find("a", string="Buy now") is None
        assert details.select_one(".button--disabled[aria-disabled=true]") is not None

    def test_a_product_not_on_sale_shows_no_struck_price(self, client, products):
        details = get_soup(client, products["oil"].url).select_one(".product__details")
        assert details.select_one(".price__now").get_text() == "$24.00"
        assert details.select_one("s.price__was") is None

    def test_product_json_ld(self, client, products):
        data = json_ld(get_soup(client, products["lube"].url), "Product")
        assert data["name"] == "Silk Lube"
        assert data["sku"] == "LUBE-1"
        assert data["description"] == "Body-safe and fragrance-free."
        offer = {key: value for key, value in data["offers"].items() if key not in ("priceSpecification", "seller")}
        assert offer == {
            "@type": "Offer",
            "price": "18.00",
            "priceCurrency": "USD",
            "availability": "https://schema.org/InStock",
            "itemCondition": "https://schema.org/NewCondition",
            "url": products["lube"].buy_url,
        }
        assert data["image"].endswith(".webp")

    @pytest.mark.parametrize(
        ("availability", "schema"),
        [
            ("low_stock", "https://schema.org/LimitedAvailability"),
            ("out_of_stock", "https://schema.org/OutOfStock"),
            ("preorder", "https://schema.org/PreOrder"),
        ],
    )
    def test_product_json_ld_availability(self, client, shop, availability, schema):
        product = factories.make_product(shop, availability=availability, currency="EUR", price=Decimal("9.50"))
        offers = json_ld(get_soup(client, product.url), "Product")["offers"]
        assert offers["availability"] == schema
        assert offers["priceCurrency"] == "EUR"
        assert offers["price"] == "9.50"

    def test_canonical_open_graph_images_and_landmarks(self, client, products):
        soup = get_soup(client, products["lube"].url)
        canonical = soup.find("link", rel="canonical")["href"]
        assert canonical.startswith("http") and canonical.endswith("/shop/silk-lube/")
        assert soup.find("meta", property="og:title")["content"] == "Silk Lube"
        gallery = soup.select(".product__gallery img")
        assert len(gallery) == 1
        assert_responsive_webp(gallery[0])
        assert gallery[0]["loading"] == "eager"
        assert_landmarks(soup)

    def test_a_draft_product_is_not_found(self, client, shop):
        product = factories.make_product(shop, live=False)
        get_soup(client, f"/shop/{product.slug}/", status=404)


class TestCollectionPage:
    def test_a_collection_lists_its_products_in_order_without_a_bundle_price(self, client, collection):
        soup = get_soup(client, collection.url)
        assert_landmarks(soup)
        assert text_of(soup.select_one(".page-header .eyebrow")) == "Collection"
        assert text_of(soup.h1) == "The Sex Collection"
        assert [text_of(title) for title in soup.select(".product-card .card__title")] == ["Silk Lube", "Massage Oil"]
        assert soup.select_one(".bundle-price") is None
        assert soup.find("a", string="Buy the bundle") is None
        for img in soup.select(".product-card img"):
            assert_responsive_webp(img)

    def test_a_bundle_shows_its_computed_savings(self, client, bundle):
        soup = get_soup(client, bundle.url)
        header = soup.select_one(".page-header")
        assert text_of(header.select_one(".eyebrow")) == "Bundle to Save"
        assert text_of(header.h1) == "Aftercare Bundle"
        assert text_of(header.select_one(".dek")) == "For the moments after."
        price = header.select_one(".bundle-price")
        assert price.select_one(".price__now").get_text() == "$49.00"
        assert text_of(price.select_one("s.price__was")) == "bought separately $60.00"
        assert text_of(price.select_one(".savings")) == "Save $11.00 (18%)"
        buy = header.select_one("a.bundle-buy")
        assert (text_of(buy), buy["href"]) == (
            "Buy the bundle : Aftercare Bundle",
            "https://shop.example.com/aftercare-bundle",
        )
        cards = soup.select(".product-card")
        assert [text_of(card.select_one(".card__title")) for card in cards] == [
            "Massage Oil",
            "Bath Soak",
            "Talk Cards",
        ]
        assert cards[1].select_one(".availability").get_text() == "Low stock"

    def test_a_bundle_leaves_out_unpublished_products_and_recomputes(self, client, shop, bundle):
        draft = factories.make_product(shop, title="Draft Extra", price=Decimal("100.00"))
        bundle.items.create(product=draft)
        draft.unpublish()
        soup = get_soup(client, bundle.url)
        assert "Draft Extra" not in text_of(soup)
        assert text_of(soup.select_one(".savings")) == "Save $11.00 (18%)"

    def test_a_bundle_of_mixed_currencies_is_refused_and_nothing_is_saved(self, shop, products):
        euro = factories.make_product(shop, title="Euro Thing", price=Decimal("10.00"), currency="EUR")
        with pytest.raises(ValidationError) as refusal:
            factories.make_collection(shop, [products["oil"], euro], bundle_price=Decimal("30.00"))
        assert refusal.value.message_dict["bundle_price"] == [
            "A bundle's products must share one currency; these use EUR, USD."
        ]
        assert not CollectionPage.objects.filter(bundle_price=Decimal("30.00")).exists()

    def test_a_collection_without_a_bundle_price_may_mix_currencies(self, client, shop, products):
        euro = factories.make_product(shop, title="Euro Thing", price=Decimal("10.00"), currency="EUR")
        mixed = factories.make_collection(shop, [products["oil"], euro])
        soup = get_soup(client, mixed.url)
        assert text_of(soup.select_one(".eyebrow")) == "Collection"
        assert soup.select_one(".savings") is None

    def test_a_bundle_dearer_than_its_items_shows_no_savings(self, client, shop, products):
        dear = factories.make_collection(shop, [products["oil"]], bundle_price=Decimal("30.00"))
        price = get_soup(client, dear.url).select_one(".bundle-price")
        assert price.select_one(".price__now").get_text() == "$30.00"
        assert price.select_one(".savings") is None

    def test_a_draft_collection_is_not_found(self, client, shop, products):
        draft = factories.make_collection(shop, [products["oil"]], live=False)
        get_soup(client, f"/shop/{draft.slug}/", status=404)
