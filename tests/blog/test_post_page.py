"""The public blog post page: what a shopper reads, who said it, where it comes from and what to buy."""

import json
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from wagtail.models import Site

from blog.models import BlogIndexPage, BlogPostAuthor
from shop.models import ShopIndexPage

from .. import factories
from ..html import get_soup, json_ld, text_of

# Marked for the database so pytest-django runs these before the transactional browser tests,
# which flush the data the migrations made (the default Site) when they end.
pytestmark = pytest.mark.django_db


def build_story(home):
    """A post with an author, a quoted expert, cited claims, Shop The Story and a post sharing a tag."""
    blog = factories.add_page(home, BlogIndexPage(title="Blog", slug="blog"))
    shop = factories.add_page(home, ShopIndexPage(title="Shop", slug="shop"))
    author = factories.make_expert(name="Ada Author", slug="ada-author", credentials="MD")
    quoted = factories.make_expert(
        name="Quinn Quoted", slug="quinn-quoted", credentials="PhD, LMFT", specialty="Sex therapy"
    )
    first, second, third = (
        factories.make_source(title=f"Study {name}", year=2019 + n)
        for n, name in enumerate(["First", "Second", "Third"])
    )
    on_sale = factories.make_product(shop, title="Silk Lube", price=Decimal("18.00"), compare_at_price=Decimal("22.00"))
    low_stock = factories.make_product(shop, title="Bath Soak", price=Decimal("16.00"), availability="low_stock")
    bundle = factories.make_collection(
        shop,
        [
            factories.make_product(shop, title="Massage Oil", price=Decimal("24.00")),
            factories.make_product(shop, title="Bath Salts", price=Decimal("16.00")),
            factories.make_product(shop, title="Talk Cards", price=Decimal("20.00")),
        ],
        title="Aftercare Bundle",
        bundle_price=Decimal("49.00"),
    )
    body = [
        {"type": "heading", "value": {"text": "What the studies say", "level": "h2"}},
        {"type": "paragraph", "value": "<p>An opening paragraph.</p>"},
        factories.claim([second], statement="Claim citing the second study."),
        factories.statistic([first, second], figure="41", statement="41% of people in the first study."),
        factories.expert_quote(quoted, quote="Tears can be a release.", sources=[third]),
        factories.claim([first], statement="Claim citing the first study again."),
    ]
    shop_the_story = [
        {"type": "product", "value": on_sale.pk},
        {"type": "product", "value": low_stock.pk},
        {"type": "collection", "value": bundle.pk},
    ]
    post = factories.make_post(
        blog,
        title="Why We Cry",
        slug="why-we-cry",
        dek="You are completely normal.",
        hero_image_alt="Two people resting together",
        body=body,
        shop_the_story=shop_the_story,
        tags=["tears", "health"],
    )
    post.authors = [BlogPostAuthor(expert=author)]
    post = factories.publish(post)
    factories.make_post(blog, title="More About Tears", hero_image=None, tags=["tears"])
    factories.make_post(blog, title="Something Else", hero_image=None, tags=["gardening"])
    return {
        "html": Client().get(post.url).content.decode(),
        "blog_url": blog.url,
        "post_url": post.url,
        "first_published_at": post.first_published_at,
        "quoted_url": quoted.get_absolute_url(),
        "source_titles": [second.title, first.title, third.title],  # in order of first citation
        "on_sale_url": on_sale.url,
        "bundle_url": bundle.url,
    }


@pytest.fixture(scope="module")
def story(django_db_setup, django_db_blocker, tmp_path_factory):
    """The story post, built and rendered once for the module's read-only tests, then rolled back."""
    with (
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("story-media")),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        built = build_story(Site.objects.get(is_default_site=True).root_page.specific)
        transaction.set_rollback(True)
    cache.clear()
    return built


@pytest.fixture
def soup(story):
    return BeautifulSoup(story["html"], "html.parser")


def test_the_header_links_back_and_shows_title_dek_byline_and_date(soup, story):
    crumbs = soup.select("nav.breadcrumbs a")
    assert [(text_of(a), a["href"]) for a in crumbs] == [("Home", "/"), ("Blog", "/blog/")]
    assert story["blog_url"] == "/blog/"
    header = soup.select_one("article.post header.post__header")
    assert text_of(header.h1) == "Why We Cry"
    assert text_of(header.select_one(".dek")) == "You are completely normal."
    byline = header.select_one(".byline")
    assert byline.find("a", href="/experts/ada-author/").get_text() == "Dr. Ada Author"
    published = story["first_published_at"]
    time = byline.find("time")
    assert time["datetime"] == published.replace(microsecond=0).isoformat()  # seconds, as HTML wants
    assert time.get_text() == f"{published:%B} {published.day}, {published.year}"


def test_a_post_without_authors_is_by_the_editors(client, blog):
    post = factories.make_post(blog, hero_image=None)
    byline = get_soup(client, post.url).select_one(".byline")
    assert text_of(byline).startswith("By the Verity editors")


def test_tags_link_to_the_filtered_index(soup):
    links = {a.get_text(): a["href"] for a in soup.select("header.post__header .tags a")}
    assert links == {"tears": "/blog/?tag=tears", "health": "/blog/?tag=health"}


def test_expert_quotes_are_quote_cards_linking_to_the_expert(soup, story):
    cards = soup.select("figure.quote-card.expert-quote")
    assert len(cards) == 1
    card = cards[0]
    assert card.blockquote.get_text().startswith("Tears can be a release.")
    name = card.select_one("figcaption a.quote-card__name")
    assert name["href"] == story["quoted_url"] == "/experts/quinn-quoted/"
    assert name.get_text() == "Dr. Quinn Quoted"
    assert card.select_one("figcaption .credentials").get_text() == "PhD, LMFT"
    assert "Sex therapy" in text_of(card.figcaption)


def test_claims_cite_numbered_sources_in_order_of_first_citation(soup, story):
    def cited(element):
        return [a.get_text() for a in element.select("sup.cite a")]

    claims = soup.select("p.claim")
    assert [cited(claim) for claim in claims] == [["1"], ["2"]]
    assert cited(soup.select_one("figure.statistic")) == ["1", "2"]
    assert cited(soup.select_one("figure.expert-quote")) == ["3"]

    items = soup.select("section.sources ol > li")
    assert [li["id"] for li in items] == ["source-1", "source-2", "source-3"]
    for li, source in zip(items, story["source_titles"], strict=True):
        assert source in li.get_text()
    for link in soup.select("sup.cite a"):
        assert link["href"].startswith("#source-")
        assert soup.find(id=link["href"][1:]) is not None, f"{link['href']} has no target"


def test_a_statistic_shows_its_figure_sample_and_year(soup):
    statistic = soup.select_one("figure.statistic")
    assert statistic.select_one(".statistic__figure").get_text() == "41%"
    assert "41% of people in the first study." in statistic.select_one(".statistic__statement").get_text()
    assert text_of(statistic.select_one(".meta")) == "Sample: 100 adults · 2019"


def test_numbers_are_formatted_for_readers(client, blog):
    """A count of 1000 reads "1,000" (not 1E+3) and a sample of 1208 reads "1,208", as the sentence writes it."""
    source = factories.make_source()
    statistic = factories.statistic([source], figure="1E+3", statement="1,000 people answered.")
    statistic["value"] |= {"unit": "count", "sample_size": 1208, "population": "men"}
    post = factories.make_post(blog, body=[statistic])
    figure = get_soup(client, post.url).select_one("figure.statistic")
    assert figure.select_one(".statistic__figure").get_text() == "1,000"
    assert text_of(figure.select_one(".meta")) == "Sample: 1,208 men · 2019"


def test_drafts_never_show_on_the_post(client, blog, shop):
    live_source = factories.make_source(title="Live study")
    draft_source = factories.make_source(title="Draft study", live=False)
    draft_expert = factories.make_expert(name="Draft Expert", live=False)
    draft_product = factories.make_product(shop, title="Draft product", live=False)
    post = factories.make_post(
        blog,
        body=[
            factories.claim([draft_source, live_source], statement="Both studies say so."),
            factories.expert_quote(draft_expert, quote="Not yet published words.", sources=[draft_source]),
        ],
        shop_the_story=[{"type": "product", "value": draft_product.pk}],
    )
    soup = get_soup(client, post.url)
    page_text = text_of(soup)
    assert "Draft study" not in page_text
    assert "Not yet published words." not in page_text
    assert "Draft Expert" not in page_text
    assert "Draft product" not in page_text
    assert soup.select_one("section.shop-the-story") is None
    assert [text_of(li) for li in soup.select("section.sources li")] == ["Live study. Journal of Tests (2020)."]
    assert [a.get_text() for a in soup.select("p.claim sup.cite a")] == ["1"]


def test_an_unpublished_post_is_not_found(client, blog):
    post = factories.make_post(blog, live=False, hero_image=None)
    get_soup(client, f"/blog/{post.slug}/", status=404)


def test_shop_the_story_shows_product_cards_with_price_and_availability(soup, story):
    section = soup.select_one("section.shop-the-story")
    assert text_of(section.h2) == "Shop The Story"
    cards = {text_of(card.select_one(".card__title")): card for card in section.select("article.product-card")}
    assert list(cards) == ["Silk Lube", "Bath Soak"]

    on_sale = cards["Silk Lube"]
    assert on_sale.select_one(".card__title a")["href"] == story["on_sale_url"]
    assert on_sale.select_one(".price__now").get_text() == "$18.00"
    assert text_of(on_sale.select_one("s.price__was")) == "was $22.00"
    assert on_sale.select_one(".availability").get_text() == "In stock"

    low_stock = cards["Bath Soak"]
    assert low_stock.select_one(".price__now").get_text() == "$16.00"
    assert low_stock.select_one("s.price__was") is None
    assert low_stock.select_one(".availability").get_text() == "Low stock"


def test_shop_the_story_shows_the_bundle_with_its_computed_savings(soup, story):
    card = soup.select_one("section.shop-the-story article.collection-card--bundle")
    assert text_of(card.select_one(".eyebrow")) == "Bundle to Save"
    assert card.select_one(".card__title a")["href"] == story["bundle_url"]
    assert [text_of(li) for li in card.select(".mini-products li")] == [
        "Massage Oil $24.00",
        "Bath Salts $16.00",
        "Talk Cards $20.00",
    ]
    price = card.select_one(".bundle-price")
    assert price.select_one(".price__now").get_text() == "$49.00"
    assert text_of(price.select_one("s.price__was")) == "bought separately $60.00"
    assert text_of(price.select_one(".savings")) == "Save $11.00 (18%)"


def test_related_posts_share_a_tag(soup, story):
    titles = [text_of(title) for title in soup.select("section.related .card__title")]
    assert titles == ["More About Tears"]


def test_a_post_without_tags_has_no_related_posts(client, blog):
    post = factories.make_post(blog, hero_image=None)
    factories.make_post(blog, hero_image=None)
    assert get_soup(client, post.url).select_one("section.related") is None


def test_blog_posting_json_ld(soup, story):
    data = json_ld(soup, "BlogPosting")
    assert json.loads(soup.find("script", type="application/ld+json").string)["@context"] == "https://schema.org"
    assert data["headline"] == "Why We Cry"
    assert data["description"] == "You are completely normal."
    assert data["url"].endswith("/blog/why-we-cry/")
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Dr. Ada Author",
            "url": "http://testserver/experts/ada-author/",
            "honorificPrefix": "Dr.",
            "honorificSuffix": "MD",
        }
    ]
    assert [entry["name"] for entry in data["citation"]] == story["source_titles"]
    assert all(entry["@type"] == "ScholarlyArticle" for entry in data["citation"])  # journal articles
    assert data["datePublished"] == story["first_published_at"].replace(microsecond=0).isoformat()
    assert set(data["keywords"]) == {"tears", "health"}
    assert data["image"]["url"].endswith(".webp") and data["image"]["width"] and data["image"]["height"]


def test_canonical_and_open_graph(soup, story):
    canonical = soup.find("link", rel="canonical")["href"]
    assert canonical.startswith("http") and canonical.endswith(story["post_url"])
    assert soup.find("meta", property="og:title")["content"] == "Why We Cry"
    assert soup.find("meta", property="og:type")["content"] == "article"
    assert soup.find("meta", property="og:description")["content"] == "You are completely normal."


def test_images_are_responsive_webp_and_the_hero_has_alt_text(soup):
    hero = soup.select_one("figure.hero img")
    assert hero["alt"] == "Two people resting together"
    images = soup.find_all("img")
    assert len(images) >= 4  # hero, the quoted expert's photo and the two product cards
    for img in images:
        candidates = [candidate.split()[0] for candidate in img["srcset"].split(",")]
        assert candidates and all(url.endswith(".webp") for url in candidates), img
        assert img.has_attr("alt"), img


def test_one_h1_and_the_page_landmarks(soup):
    assert len(soup.find_all("h1")) == 1
    for landmark in ("main", "header", "footer", "nav"):
        assert soup.find(landmark) is not None, landmark
    assert len(soup.find_all("main")) == 1
    assert soup.select_one(".post__body h2#what-the-studies-say").get_text() == "What the studies say"


def test_og_image_is_an_absolute_url_of_the_hero_rendition(soup):
    og_image = soup.find("meta", property="og:image")["content"]
    assert og_image.startswith("http://testserver/media/images/") and og_image.endswith(".webp")
    assert json_ld(soup, "BlogPosting")["image"]["url"] == og_image
