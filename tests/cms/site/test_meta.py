"""Every page's head, as a search engine and a social network read it: a unique title and description, a
canonical URL, og:image with its size and alt text, twitter:card by whether the page has its own image; and
the HTML itself: datetimes to the second, no skipped heading level, landmarks with unique names; search
results labelled in readers' words; the feed's title and authors."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from blog.models import BlogPostPage
from cms.models import Expert
from shop.models import CollectionPage, ProductPage

ISO_SECONDS = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z))?$")
LANDMARK_ROLES = {"nav": "navigation", "main": "main", "aside": "complementary", "form": "form"}


@pytest.fixture
def pages(db):
    """Every indexable page of the demo, by a name for the failure messages."""
    call_command("load_demo", stdout=io.StringIO())
    found = {"home": "/"}
    for model in (BlogPostPage, ProductPage, CollectionPage):
        for page in model.objects.live():
            found[page.title] = page.url
    index = BlogPostPage.objects.live().first().get_parent()
    found["blog"] = index.url
    found["shop"] = ProductPage.objects.live().first().get_parent().url
    tag = BlogPostPage.objects.live().first().tags.first()
    found["blog by tag"] = f"{index.url}?tag={tag.slug}"
    for expert in Expert.objects.live():
        found[expert.full_name] = expert.get_absolute_url()
    return found


def soup_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return BeautifulSoup(response.content, "html.parser")


def meta(soup, key):
    tag = soup.find("meta", property=key) or soup.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def test_every_page_has_its_own_title_description_and_social_image(client, pages):
    titles, descriptions = {}, {}
    for name, url in pages.items():
        soup = soup_of(client, url)
        title = soup.title.get_text()
        description = meta(soup, "description")
        assert title and description, name
        assert len(description) <= 160, (name, description)
        titles.setdefault(title, []).append(name)
        descriptions.setdefault(description, []).append(name)
        assert soup.find("link", rel="canonical")["href"].startswith("http"), name
        image = meta(soup, "og:image")
        assert image and image.startswith("http"), name
        assert int(meta(soup, "og:image:width")) > 0 and int(meta(soup, "og:image:height")) > 0, name
        assert meta(soup, "og:image:alt"), name
        assert meta(soup, "og:description") == description and meta(soup, "og:title"), name
        assert meta(soup, "twitter:card") in ("summary", "summary_large_image"), name
    assert [names for names in titles.values() if len(names) > 1] == []
    assert [names for names in descriptions.values() if len(names) > 1] == []


def test_the_home_title_is_not_the_site_name_twice(client, pages):
    title = soup_of(client, "/").title.get_text()
    assert title.startswith("Verity") and title != "Verity · Verity" and title.count("Verity") == 1


def test_twitter_card_follows_the_image(client, pages):
    post = soup_of(client, pages["What It Means If You Cry After Sex"])
    assert meta(post, "twitter:card") == "summary_large_image"
    assert meta(post, "og:image").endswith(".webp") and meta(post, "og:image:width") == "1200"
    # An index has no image of its own: the logo, as a small card.
    blog = soup_of(client, pages["blog"])
    assert meta(blog, "twitter:card") == "summary" and meta(blog, "og:image").endswith("/img/logo.png")


def test_a_product_description_falls_back_to_its_summary(client, pages):
    product = ProductPage.objects.live().first()
    product.search_description = ""
    product.save_revision().publish()
    assert meta(soup_of(client, product.url), "description") == product.summary


def landmark_names(soup):
    found = []
    for element in soup.find_all(["nav", "main", "aside", "form", "section", "header", "footer"]):
        role = element.get("role") or LANDMARK_ROLES.get(element.name)
        if element.name == "section" and not (element.get("aria-label") or element.get("aria-labelledby")):
            continue  # an unnamed section is no landmark
        if element.name in ("header", "footer") and element.find_parent(["article", "main", "section"]):
            continue  # scoped to their article: not banner or contentinfo
        if element.name == "form" and role == "form" and not element.get("aria-label"):
            continue
        name = element.get("aria-label")
        if element.get("aria-labelledby"):
            name = " ".join(soup.find(id=i).get_text(" ", strip=True) for i in element["aria-labelledby"].split())
        found.append((role or element.name, name))
    return found


def heading_levels(soup):
    return [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]


def test_valid_outline_datetimes_and_landmarks_on_every_page(client, pages):
    extra = {"search": "/search/?q=sex", "404": "/no-such-page/"}
    for name, url in {**pages, **extra}.items():
        soup = soup_of(client, url, 404 if name == "404" else 200)
        levels = heading_levels(soup)
        assert levels[0] == 1 and levels.count(1) == 1, (name, levels)
        skips = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
        assert skips == [], (name, levels)
        for time in soup.find_all("time"):
            assert ISO_SECONDS.match(time["datetime"]), (name, time)
        names = landmark_names(soup)
        duplicates = {landmark for landmark in names if names.count(landmark) > 1}
        assert duplicates == set(), (name, names)


def test_search_results_are_labelled_in_readers_words(client, pages):
    soup = soup_of(client, "/search/?q=aftercare")
    labels = {label.get_text(strip=True) for label in soup.select(".search-results .eyebrow")}
    assert labels and labels <= {"Article", "Product", "Bundle", "Collection", "Page"}, labels
    assert "Article" in labels and "Blog post page" not in soup.get_text()


def test_the_feed_is_named_for_the_site_and_credits_each_post_s_authors(client, pages):
    feed = ET.fromstring(client.get(f"{pages['blog']}feed/").content)  # noqa: S314 - our own response
    channel = feed.find("channel")
    assert channel.find("title").text == "Blog · Verity"
    creators = [item.find("{http://purl.org/dc/elements/1.1/}creator") for item in channel.findall("item")]
    assert creators and all(creator is not None and creator.text for creator in creators)
    seed = next(item for item in channel.findall("item") if "Cry After Sex" in item.find("title").text)
    post = BlogPostPage.objects.get(slug="what-it-means-if-you-cry-after-sex")
    expected = ", ".join(e.full_name for e in post.author_experts) or "The Verity editors"
    assert seed.find("{http://purl.org/dc/elements/1.1/}creator").text == expected
