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
