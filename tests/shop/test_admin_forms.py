"""Shop pages through the Wagtail admin's own add and edit views.

Editors add and edit products and collections but cannot publish them (cms/review/roles.py): their tests save
drafts. Shop managers publish, so what a draft may leave unfinished (a SKU, a buy URL, an image, the
products of a collection), Wagtail defers until publishing, and those tests publish as the `shop` user.
Every form is read from the rendered page (tests/admin_forms.py) and changed only where an editor types.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.models import Revision
from wagtail.test.utils.form_data import inline_formset

from cms.review.roles import EDITORS, SHOP_MANAGERS
from shop.models import CollectionPage, ProductPage, ShopIndexPage

from .. import factories
from ..admin_forms import assert_refused_on_field, assert_saved, field_errors, form_data, replace, shown_messages
from ..cms.workflow_helpers import make_user

SAVE_DRAFT = "Save draft"
PUBLISH = "Publish"
REQUIRED = "This field is required."
NOT_A_CHOICE = "Select a valid choice. That choice is not one of the available choices."


@pytest.fixture
def shop_manager(db):
    return make_user("shop", SHOP_MANAGERS)


@pytest.fixture
def as_editor(client, db):
    client.force_login(make_user("editor", EDITORS))
    return client


@pytest.fixture
def as_shop_manager(client, shop_manager):
    client.force_login(shop_manager)
    return client


@pytest.fixture
def image(db):
    return factories.make_image("Silk Touch bottle")


def add_url(shop, model):
    return reverse("wagtailadmin_pages:add", args=["shop", model, shop.pk])


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


# --- Products ------------------------------------------------------------------------------------------------


def product_fields(image, **changes):
    """What an editor types into a new product's form."""
    fields = {
        "title": "Silk Touch Lubricant",
        "slug": "silk-touch",
        "summary": "Body-safe and fragrance-free.",
        "sku": "VER-LUBE-01",
        "currency": "USD",
        "price": "18.00",
        "compare_at_price": "22.00",
        "availability": "in_stock",
        "buy_url": "https://shop.example.com/silk-touch",
        "images": inline_formset([{"image": str(image.pk)}], min=1),
    }
    return {**fields, **changes}


def new_product(response, image, button=SAVE_DRAFT, **changes):
    return replace(form_data(response, button), **product_fields(image, **changes))


def test_the_editor_adds_a_product_as_a_draft(as_editor, shop, image):
    response = as_editor.post(
        add_url(shop, "productpage"), new_product(as_editor.get(add_url(shop, "productpage")), image)
    )

    assert_saved(response, "Page 'Silk Touch Lubricant' created.")
    product = ProductPage.objects.get(sku="VER-LUBE-01")
    assert not product.live and product.revisions.count() == 1
    draft = product.get_latest_revision_as_object()
    assert (draft.price, draft.compare_at_price, draft.currency) == (Decimal("18.00"), Decimal("22.00"), "USD")
    assert [item.image for item in draft.images.all()] == [image]


def test_the_editor_cannot_publish_a_product(as_editor, shop, image):
    """Editors see no Publish button on shop pages; only shop managers and leads publish."""
    response = as_editor.get(add_url(shop, "productpage"))
    with pytest.raises(AssertionError, match="no form with a 'Publish' button"):
        form_data(response, PUBLISH)


def test_the_shop_manager_publishes_a_new_product(as_shop_manager, shop, image):
    data = new_product(as_shop_manager.get(add_url(shop, "productpage")), image, PUBLISH)

    response = as_shop_manager.post(add_url(shop, "productpage"), data)

    assert_saved(response, "Page 'Silk Touch Lubricant' created and published.")
    product = ProductPage.objects.get(sku="VER-LUBE-01")
    assert product.live and product.revisions.count() == 1
    assert product.price_display == "$18.00" and product.compare_at_price_display == "$22.00"


def test_a_lower_case_currency_is_saved_in_capitals(as_editor, shop, image):
    data = new_product(as_editor.get(add_url(shop, "productpage")), image, currency="eur")

    assert_saved(as_editor.post(add_url(shop, "productpage"), data), "Page 'Silk Touch Lubricant' created.")
    assert ProductPage.objects.get(sku="VER-LUBE-01").get_latest_revision_as_object().currency == "EUR"


@pytest.fixture
def product(shop):
    return factories.make_product(shop, title="Aftercare Massage Oil", sku="VER-OIL-01", price=Decimal("24.00"))


def test_the_editor_edits_a_product_from_its_rendered_form(as_editor, product):
    data = form_data(as_editor.get(edit_url(product)))
    assert (data["sku"], data["price"], data["images-TOTAL_FORMS"]) == ("VER-OIL-01", "24.00", "1")
    data |= {"price": "19.50", "compare_at_price": "24.00"}

    response = as_editor.post(edit_url(product), data)

    assert_saved(response, "Page 'Aftercare Massage Oil' has been updated.")
    product.refresh_from_db()
    assert product.revisions.count() == 2
    draft = product.get_latest_revision_as_object()
    assert (draft.price, draft.compare_at_price) == (Decimal("19.50"), Decimal("24.00"))
    assert product.price == Decimal("24.00"), "the live product waits for a shop manager to publish"
    assert len(draft.images.all()) == 1


BAD_PRODUCT_VALUES = [
    pytest.param(
        {"compare_at_price": "18.00"},
        "compare_at_price",
        "The compare-at price must be higher than the price.",
        id="compare-at-equal-to-price",
    ),
    pytest.param(
        {"compare_at_price": "9.99"},
        "compare_at_price",
        "The compare-at price must be higher than the price.",
        id="compare-at-below-price",
    ),
    pytest.param({"currency": "US1"}, "currency", "Use a three-letter ISO 4217 code, like USD.", id="currency-digit"),
    pytest.param(
        {"currency": "US"}, "currency", "Use a three-letter ISO 4217 code, like USD.", id="currency-2-letters"
    ),
    pytest.param(
        {"currency": "ÉUR"}, "currency", "Use a three-letter ISO 4217 code, like USD.", id="currency-not-ascii"
    ),
    pytest.param(
        {"currency": "DOLLARS"},
        "currency",
        "Ensure this value has at most 3 characters (it has 7).",
        id="currency-a-word",
    ),
    pytest.param({"price": "-1.00"}, "price", "Ensure this value is greater than or equal to 0.", id="price-negative"),
    pytest.param({"price": "1,000.00"}, "price", "Enter a number.", id="price-with-a-comma"),
    pytest.param({"price": "eighteen"}, "price", "Enter a number.", id="price-not-a-number"),
    pytest.param({"price": ""}, "price", REQUIRED, id="price-missing"),
    pytest.param(
        {"price": "18.005"}, "price", "Ensure that there are no more than 2 decimal places.", id="price-too-precise"
    ),
    pytest.param({"buy_url": "shop.example.com silk"}, "buy_url", "Enter a valid URL.", id="buy-url-not-a-url"),
    pytest.param(
        {"availability": "sold"},
        "availability",
        "Select a valid choice. sold is not one of the available choices.",
        id="unknown-availability",
    ),
    pytest.param(
        {"sku": "VER-OIL-01"}, "sku", "Product page with this SKU already exists.", id="sku-of-another-product"
    ),
]


@pytest.mark.parametrize("changes, field, message", BAD_PRODUCT_VALUES)
def test_a_bad_product_value_is_refused_on_its_field_when_adding(
    as_editor, shop, image, product, changes, field, message
):
    pages, revisions = ProductPage.objects.count(), Revision.objects.count()
    data = new_product(as_editor.get(add_url(shop, "productpage")), image, **changes)

    response = as_editor.post(add_url(shop, "productpage"), data)

    assert_refused_on_field(response, field, message)
    assert (ProductPage.objects.count(), Revision.objects.count()) == (pages, revisions)


@pytest.mark.parametrize("changes, field, message", BAD_PRODUCT_VALUES)
def test_a_bad_product_value_is_refused_on_its_field_when_editing(as_editor, shop, product, changes, field, message):
    other = factories.make_product(shop, title="Silk Touch Lubricant", sku="VER-LUBE-01", price=Decimal("18.00"))
    data = form_data(as_editor.get(edit_url(other))) | changes

    response = as_editor.post(edit_url(other), data)

    assert_refused_on_field(response, field, message)
    assert other.revisions.count() == 1
    assert ProductPage.objects.get(pk=other.pk).latest_revision_id == other.latest_revision_id


@pytest.mark.parametrize("changes, field, message", BAD_PRODUCT_VALUES[:4])
def test_a_bad_product_value_is_refused_when_the_shop_manager_publishes(
    as_shop_manager, shop, image, product, changes, field, message
):
    data = new_product(as_shop_manager.get(add_url(shop, "productpage")), image, PUBLISH, **changes)

    response = as_shop_manager.post(add_url(shop, "productpage"), data)

    assert_refused_on_field(response, field, message)
    assert not ProductPage.objects.filter(live=True).exclude(pk=product.pk).exists()


MISSING_PRODUCT_DETAILS = [
    pytest.param({"sku": ""}, "sku", id="sku"),
    pytest.param({"buy_url": ""}, "buy_url", id="buy-url"),
]


@pytest.mark.parametrize("changes, field", MISSING_PRODUCT_DETAILS)
def test_a_missing_product_detail_waits_in_a_draft_and_stops_publishing(
    as_editor, shop_manager, shop, image, changes, field
):
    """The editor's draft keeps what was typed; the shop manager's Publish, from the rendered edit
    form, names the missing field and publishes nothing."""
    data = new_product(as_editor.get(add_url(shop, "productpage")), image, **changes)
    assert_saved(as_editor.post(add_url(shop, "productpage"), data), "Page 'Silk Touch Lubricant' created.")
    product = ProductPage.objects.get(slug="silk-touch")

    as_editor.force_login(shop_manager)
    response = as_editor.post(edit_url(product), form_data(as_editor.get(edit_url(product)), PUBLISH))

    assert_refused_on_field(response, field, REQUIRED)
    product.refresh_from_db()
    assert not product.live and product.revisions.count() == 1


def test_a_product_without_an_image_waits_in_a_draft_and_stops_publishing(as_editor, shop_manager, shop, image):
    data = new_product(as_editor.get(add_url(shop, "productpage")), image, images=inline_formset([], min=1))
    assert_saved(as_editor.post(add_url(shop, "productpage"), data), "Page 'Silk Touch Lubricant' created.")
    product = ProductPage.objects.get(slug="silk-touch")
    assert len(product.get_latest_revision_as_object().images.all()) == 0

    as_editor.force_login(shop_manager)
    response = as_editor.post(edit_url(product), form_data(as_editor.get(edit_url(product)), PUBLISH))

    assert response.status_code == 200
    assert response.context["form"].formsets["images"].errors == [{"image": [REQUIRED]}]
    assert field_errors(response, "images-0-image") == [REQUIRED]
    product.refresh_from_db()
    assert not product.live and product.revisions.count() == 1


# --- Collections and bundles ---------------------------------------------------------------------------------------


@pytest.fixture
def products(shop):
    return [
        factories.make_product(shop, title="Aftercare Massage Oil", price=Decimal("24.00")),
        factories.make_product(shop, title="Soothing Bath Soak", price=Decimal("16.00")),
        factories.make_product(shop, title="Conversation Cards", price=Decimal("20.00")),
    ]


def new_collection(response, products, button=SAVE_DRAFT, **changes):
    fields = {
        "title": "The Aftercare Bundle",
        "slug": "aftercare-bundle",
        "intro": "Everything for the moments after.",
        "bundle_price": "49.00",
        "bundle_buy_url": "https://shop.example.com/aftercare",
        "items": inline_formset([{"product": str(product.pk)} for product in products], min=1),
    }
    return replace(form_data(response, button), **{**fields, **changes})


def test_the_editor_adds_a_bundle_as_a_draft(as_editor, shop, products):
    data = new_collection(as_editor.get(add_url(shop, "collectionpage")), products)

    response = as_editor.post(add_url(shop, "collectionpage"), data)

    assert_saved(response, "Page 'The Aftercare Bundle' created.")
    collection = CollectionPage.objects.get(slug="aftercare-bundle")
    assert not collection.live and collection.revisions.count() == 1
    draft = collection.get_latest_revision_as_object()
    assert [item.product for item in draft.items.all()] == products
    assert draft.pricing.savings == Decimal("11.00")


def test_the_shop_manager_publishes_a_collection_without_a_bundle_price(as_shop_manager, shop, products):
    data = new_collection(as_shop_manager.get(add_url(shop, "collectionpage")), products, PUBLISH, bundle_price="")

    response = as_shop_manager.post(add_url(shop, "collectionpage"), data)

    assert_saved(response, "Page 'The Aftercare Bundle' created and published.")
    collection = CollectionPage.objects.get(slug="aftercare-bundle")
    assert collection.live and not collection.is_bundle
    assert collection.products == products


@pytest.fixture
def collection(shop, products):
    return factories.make_collection(shop, products[:2], title="The Sex Collection", slug="the-sex-collection")


def test_the_editor_edits_a_collection_from_its_rendered_form(as_editor, collection, products):
    """Reorders the two products, adds a third and makes it a bundle, all in the rendered form."""
    data = form_data(as_editor.get(edit_url(collection)))
    assert (data["items-TOTAL_FORMS"], data["items-INITIAL_FORMS"]) == ("2", "2")
    data |= {"items-0-ORDER": "2", "items-1-ORDER": "1", "bundle_price": "50.00"}
    data |= {"items-TOTAL_FORMS": "3", "items-2-product": str(products[2].pk), "items-2-ORDER": "3"}
    data |= {"items-2-id": "", "items-2-DELETE": ""}

    response = as_editor.post(edit_url(collection), data)

    assert_saved(response, "Page 'The Sex Collection' has been updated.")
    assert collection.revisions.count() == 2
    draft = CollectionPage.objects.get(pk=collection.pk).get_latest_revision_as_object()
    assert [item.product for item in draft.items.all()] == [products[1], products[0], products[2]]
    assert draft.bundle_price == Decimal("50.00")


def mixed_currency_products(shop, products):
    return [products[0], factories.make_product(shop, title="Robe", price=Decimal("60.00"), currency="EUR")]


MIXED = "A bundle's products must share one currency; these use EUR, USD."


def test_a_bundle_of_mixed_currencies_is_refused_when_adding(as_editor, shop, products):
    data = new_collection(as_editor.get(add_url(shop, "collectionpage")), mixed_currency_products(shop, products))
    revisions = Revision.objects.count()

    response = as_editor.post(add_url(shop, "collectionpage"), data)

    assert_refused_on_field(response, "bundle_price", MIXED)
    assert not CollectionPage.objects.exists() and Revision.objects.count() == revisions


def test_a_bundle_of_mixed_currencies_is_refused_when_editing(as_editor, shop, collection, products):
    euro = mixed_currency_products(shop, products)[1]
    data = form_data(as_editor.get(edit_url(collection)))
    data |= {"bundle_price": "49.00", "items-TOTAL_FORMS": "3", "items-2-product": str(euro.pk)}
    data |= {"items-2-ORDER": "3", "items-2-id": "", "items-2-DELETE": ""}

    response = as_editor.post(edit_url(collection), data)

    assert_refused_on_field(response, "bundle_price", MIXED)
    assert collection.revisions.count() == 1


def test_a_bundle_of_mixed_currencies_is_refused_when_the_shop_manager_publishes(as_shop_manager, shop, products):
    url = add_url(shop, "collectionpage")
    data = new_collection(as_shop_manager.get(url), mixed_currency_products(shop, products), PUBLISH)

    response = as_shop_manager.post(url, data)

    assert_refused_on_field(response, "bundle_price", MIXED)
    assert not CollectionPage.objects.exists()


def test_removing_the_odd_currency_product_lets_the_bundle_save(as_editor, shop, products):
    """The check reads the products in the form, not the ones saved before: a bundle left with mixed
    currencies (a product's currency changed outside the admin) is mended by removing that product."""
    euro = factories.make_product(shop, title="Robe", price=Decimal("60.00"))
    bundle = factories.make_collection(shop, [products[0], euro], live=False, bundle_price=Decimal("70.00"))
    ProductPage.objects.filter(pk=euro.pk).update(currency="EUR")  # as a feed import could; the form refuses it
    data = form_data(as_editor.get(edit_url(bundle)))
    data["items-1-DELETE"] = "1"

    response = as_editor.post(edit_url(bundle), data)

    assert_saved(response, f"Page '{bundle.title}' has been updated.")
    draft = CollectionPage.objects.get(pk=bundle.pk).get_latest_revision_as_object()
    assert [item.product for item in draft.items.all()] == [products[0]]


def test_mixed_currencies_without_a_bundle_price_are_a_plain_collection(as_editor, shop, products):
    data = new_collection(
        as_editor.get(add_url(shop, "collectionpage")), mixed_currency_products(shop, products), bundle_price=""
    )

    assert_saved(as_editor.post(add_url(shop, "collectionpage"), data), "Page 'The Aftercare Bundle' created.")


BAD_COLLECTION_VALUES = [
    pytest.param(
        {"bundle_price": "-5.00"}, "bundle_price", "Ensure this value is greater than or equal to 0.", id="negative"
    ),
    pytest.param({"bundle_price": "forty"}, "bundle_price", "Enter a number.", id="price-not-a-number"),
    pytest.param({"bundle_buy_url": "not a url"}, "bundle_buy_url", "Enter a valid URL.", id="buy-url-not-a-url"),
]


@pytest.mark.parametrize("changes, field, message", BAD_COLLECTION_VALUES)
def test_a_bad_bundle_value_is_refused_on_its_field(as_editor, shop, products, changes, field, message):
    data = new_collection(as_editor.get(add_url(shop, "collectionpage")), products, **changes)

    response = as_editor.post(add_url(shop, "collectionpage"), data)

    assert_refused_on_field(response, field, message)
    assert not CollectionPage.objects.exists()


def test_a_collection_item_must_be_a_product(as_editor, shop, products, collection):
    data = new_collection(as_editor.get(add_url(shop, "collectionpage")), products[:1])
    data["items-0-product"] = str(collection.pk)

    response = as_editor.post(add_url(shop, "collectionpage"), data)

    assert response.status_code == 200
    assert response.context["form"].formsets["items"].errors == [{"product": [NOT_A_CHOICE]}]
    assert field_errors(response, "items-0-product") == [NOT_A_CHOICE]
    assert CollectionPage.objects.count() == 1


def test_a_collection_without_products_waits_in_a_draft_and_stops_publishing(as_editor, shop_manager, shop):
    data = new_collection(as_editor.get(add_url(shop, "collectionpage")), [], bundle_price="")
    assert_saved(as_editor.post(add_url(shop, "collectionpage"), data), "Page 'The Aftercare Bundle' created.")
    collection = CollectionPage.objects.get(slug="aftercare-bundle")

    as_editor.force_login(shop_manager)
    response = as_editor.post(edit_url(collection), form_data(as_editor.get(edit_url(collection)), PUBLISH))

    assert response.status_code == 200
    assert response.context["form"].formsets["items"].errors == [{"product": [REQUIRED]}]
    assert field_errors(response, "items-0-product") == [REQUIRED]
    collection.refresh_from_db()
    assert not collection.live and collection.revisions.count() == 1


# --- The shop index -------------------------------------------------------------------------------------------------


def test_the_editor_edits_the_shop_index_from_its_rendered_form(as_editor, shop):
    data = form_data(as_editor.get(edit_url(shop))) | {"intro": "Products our editors recommend."}

    response = as_editor.post(edit_url(shop), data)

    assert_saved(response, "Page 'Shop' has been updated.")
    assert ShopIndexPage.objects.get().get_latest_revision_as_object().intro == "Products our editors recommend."
    assert shop.revisions.count() == 2


def test_the_editor_adds_the_shop_index_under_the_home_page(as_editor, home):
    url = reverse("wagtailadmin_pages:add", args=["shop", "shopindexpage", home.pk])
    data = replace(form_data(as_editor.get(url)), title="Shop", slug="shop", intro="Our picks.")

    response = as_editor.post(url, data)

    assert_saved(response, "Page 'Shop' created.")
    shop = ShopIndexPage.objects.get()
    assert shop.get_parent().specific == home and shop.revisions.count() == 1


def test_a_second_shop_index_cannot_be_added(as_editor, shop, home):
    """max_count = 1: the admin refuses the add view itself."""
    response = as_editor.get(reverse("wagtailadmin_pages:add", args=["shop", "shopindexpage", home.pk]))

    assert response.status_code == 302
    assert shown_messages(response) == ["Sorry, you do not have permission to access this area."]
    assert ShopIndexPage.objects.count() == 1


def test_a_products_currency_may_not_drift_from_its_bundle(as_shop_manager, shop, products):
    """Changing the currency of a product sold in a bundle would mix the bundle's currencies (and stop it
    publishing), so the product's form refuses it, naming the bundle; nothing is saved."""
    factories.make_collection(shop, products[:2], title="The Aftercare Bundle", bundle_price=Decimal("35.00"))
    product = products[0]
    data = replace(form_data(as_shop_manager.get(edit_url(product)), PUBLISH), currency="EUR")
    revisions = product.revisions.count()

    response = as_shop_manager.post(edit_url(product), data)

    assert response.status_code == 200
    [message] = response.context["form"].errors["currency"]
    assert message.startswith("This product is sold in “The Aftercare Bundle”")
    product = ProductPage.objects.get(pk=product.pk)
    assert product.currency == "USD" and product.revisions.count() == revisions
