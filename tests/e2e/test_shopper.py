"""A shopper's path through the site in real Chromium: blog index → seed post → sources → product."""

import re

import pytest
from playwright.sync_api import expect

from cms.models import Expert

pytestmark = pytest.mark.browser

SEED_TITLE = "What It Means If You Cry After Sex"


def test_shopper_reads_the_seed_post_follows_a_source_and_reaches_a_product(page):
    page.goto("/blog/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Blog")

    page.get_by_role("link", name=SEED_TITLE, exact=True).click()
    expect(page).to_have_url(re.compile(r"/blog/what-it-means-if-you-cry-after-sex/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(SEED_TITLE)

    # The expert quote card names the expert, with her credentials, and links to her page.
    marie = Expert.objects.get(slug="marie-tudor")
    card = page.locator("figure.expert-quote").filter(has_text="Dr. Marie Tudor")
    expect(card).to_have_count(1)
    expect(card.locator("blockquote")).to_be_visible()
    name_link = card.get_by_role("link", name="Dr. Marie Tudor")
    expect(name_link).to_be_visible()
    expect(name_link).to_have_attribute("href", re.compile(r"/experts/marie-tudor/$"))
    assert marie.credentials
    expect(card.locator(".credentials")).to_have_text(marie.credentials)

    # A citation superscript jumps to its numbered entry in the Sources list.
    citation = page.locator("sup.cite a").first
    href = citation.get_attribute("href")
    assert href and re.fullmatch(r"#source-\d+", href), href
    sources_item = page.locator(f"section.sources li{href}")
    expect(sources_item).not_to_be_in_viewport()
    citation.click()
    expect(page).to_have_url(re.compile(f"{href}$"))
    assert page.url.endswith(href)
    expect(sources_item).to_be_visible()
    expect(sources_item).to_be_in_viewport()

    # Shop The Story: a product card leads to the product page, with the same price and a Buy link.
    shop_the_story = page.locator("section.shop-the-story")
    expect(shop_the_story.get_by_role("heading", name="Shop The Story")).to_be_visible()
    product_card = shop_the_story.locator("article.product-card").first
    product_link = product_card.locator(".card__title a")
    product_title = product_link.inner_text().strip()
    card_price = product_card.locator(".price__now").inner_text().strip()
    assert card_price
    product_link.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(product_title)
    expect(page.locator(".product .price__now")).to_have_text(card_price)
    buy = page.get_by_role("link", name=re.compile(r"^Buy\b"))
    expect(buy).to_be_visible()
    expect(buy).to_have_attribute("href", re.compile(r"^https?://"))


def test_first_tab_focuses_a_visible_skip_to_content_link(page):
    page.goto("/blog/what-it-means-if-you-cry-after-sex/")
    skip_link = page.get_by_role("link", name="Skip to content")
    expect(skip_link).not_to_be_in_viewport()

    page.keyboard.press("Tab")

    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    expect(skip_link).to_have_attribute("href", "#main")
    outline = skip_link.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline not in ("", "none"), f"the focused skip link has no visible outline ({outline!r})"

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.locator("main#main")).to_be_focused()


SHOPPER_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def test_shopper_buys_the_bundle_from_the_seed_post(browser, demo_site):
    """ "Buy the bundle" in Shop The Story goes through the site's counting redirect to the store's cart. The store
    is faked by Playwright's routing: nothing leaves the machine."""
    from django.utils import timezone

    from shop.models import CollectionPage, ShopClick

    context = browser.new_context(base_url=demo_site, user_agent=SHOPPER_USER_AGENT)
    context.set_default_timeout(10_000)
    store_requests = []

    def fake_store(route):
        store_requests.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>Cart</title><h1>Your cart</h1>")

    context.route(re.compile(r"^https://shop\.example\.com/"), fake_store)
    tab = context.new_page()
    tab.goto("/blog/what-it-means-if-you-cry-after-sex/")

    bundle_card = tab.locator("section.shop-the-story article.collection-card").filter(has_text="The Aftercare Bundle")
    expect(bundle_card.locator(".savings")).to_be_visible()
    buy = bundle_card.get_by_role("link", name=re.compile(r"^Buy the bundle"))
    expect(buy).to_have_attribute("href", re.compile(r"^/shop/go/\d+/shop-the-story/\d+/$"))
    buy.click()

    expect(tab.get_by_role("heading", name="Your cart")).to_be_visible()
    bundle = CollectionPage.objects.with_products().get(slug="aftercare-bundle")
    variants = ",".join(f"{product.cart_variant_id}:1" for product in bundle.products)
    assert tab.url == (
        f"https://shop.example.com/cart/{variants}?utm_source=verity&utm_medium=shop-module"
        "&utm_campaign=what-it-means-if-you-cry-after-sex&utm_content=shop-the-story"
    )
    assert store_requests == [tab.url]
    click = ShopClick.objects.get(target=bundle)
    assert (click.module, click.day, click.count) == ("shop-the-story", timezone.localdate(), 1)
    context.close()
