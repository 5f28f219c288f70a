"""The site-wide pages: home, the blog index and its feed, expert profiles, search, sitemap, robots.txt and 404."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from ... import factories
from ...html import assert_landmarks, get_soup, text_of

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def card_titles(soup, selector=".post-card .card__title"):
    return [text_of(title) for title in soup.select(selector)]


@pytest.fixture
def posts(blog):
    """Five live posts, oldest first; the index shows them newest first."""
    return [
        factories.make_post(blog, title=f"Post {n}", slug=f"post-{n}", tags=["odd" if n % 2 else "even"])
        for n in range(1, 6)
    ]


class TestHomePage:
    def test_shows_the_latest_posts_and_the_featured_collection(self, client, home, blog, shop, posts):
        product = factories.make_product(shop, title="Featured Lube", price=Decimal("18.00"))
        home.featured_collection = factories.make_collection(shop, [product], title="Featured")
        factories.publish(home)
        factories.make_post(blog, title="Draft Post", live=False)
        soup = get_soup(client, "/")
        assert_landmarks(soup)
        assert text_of(soup.h1) == "Honest answers about sex, bodies and feelings"
        assert soup.title.get_text() == f"{home.title} · {home.intro.rstrip('.')}"
        latest = soup.select_one("section[aria-labelledby=latest-heading]")
        assert card_titles(latest) == ["Post 5", "Post 4", "Post 3", "Post 2", "Post 1"]
        featured = soup.select_one("section[aria-labelledby=featured-heading]")
        assert text_of(featured.h2) == "Featured"
        assert card_titles(featured, ".product-card .card__title") == ["Featured Lube"]
        assert "Draft Post" not in text_of(soup)
        assert soup.find("link", rel="canonical") is not None
        assert soup.find("meta", property="og:title")["content"] == home.title

    def test_an_empty_home_page_renders(self, client, home):
        soup = get_soup(client, "/")
        assert "No posts yet." in text_of(soup)
        assert soup.select_one("section[aria-labelledby=featured-heading]") is None


class TestBlogIndex:
    @pytest.fixture(autouse=True)
    def two_per_page(self, monkeypatch):
        monkeypatch.setattr("blog.models.POSTS_PER_PAGE", 2)

    def test_lists_the_newest_posts_first(self, client, blog, posts):
        soup = get_soup(client, blog.url)
        assert_landmarks(soup)
        assert text_of(soup.h1) == "Blog"
        assert card_titles(soup) == ["Post 5", "Post 4"]
        pagination = soup.select_one("nav.pagination")
        assert "Page 1 of 3" in text_of(pagination)
        assert pagination.find("a", rel="next")["href"] == "?page=2"
        assert pagination.find("a", rel="prev") is None
        card = soup.select_one(".post-card")
        img = card.find("img")
        assert all(c.split()[0].endswith(".webp") for c in img["srcset"].split(","))
        assert card.find("time")["datetime"] == posts[-1].first_published_at.replace(microsecond=0).isoformat()

    def test_page_two(self, client, blog, posts):
        soup = get_soup(client, f"{blog.url}?page=2")
        assert card_titles(soup) == ["Post 3", "Post 2"]
        pagination = soup.select_one("nav.pagination")
        assert "Page 2 of 3" in text_of(pagination)
        assert pagination.find("a", rel="prev")["href"] == "?page=1"
        assert pagination.find("a", rel="next")["href"] == "?page=3"

    @pytest.mark.parametrize("page", ["99", "-1"])
    def test_an_out_of_range_page_shows_the_last_page(self, client, blog, posts, page):
        soup = get_soup(client, f"{blog.url}?page={page}")
        assert card_titles(soup) == ["Post 1"]
        assert "Page 3 of 3" in text_of(soup.select_one("nav.pagination"))

    def test_a_page_that_is_not_a_number_shows_the_first_page(self, client, blog, posts):
        assert card_titles(get_soup(client, f"{blog.url}?page=abc")) == ["Post 5", "Post 4"]

    def test_filters_by_tag(self, client, blog, posts):
        soup = get_soup(client, f"{blog.url}?tag=odd")
        assert text_of(soup.h1) == "Blog: odd"
        assert card_titles(soup) == ["Post 5", "Post 3"]
        assert soup.find("a", string="Show all posts")["href"] == blog.url
        next_link = soup.select_one("nav.pagination a[rel=next]")
        assert next_link["href"] == "?tag=odd&page=2"
        assert card_titles(get_soup(client, f"{blog.url}?tag=odd&page=2")) == ["Post 1"]

    def test_an_unknown_tag_is_not_found(self, client, blog, posts):
        get_soup(client, f"{blog.url}?tag=no-such-tag", status=404)

    def test_drafts_are_not_listed(self, client, blog):
        factories.make_post(blog, title="Draft Post", live=False)
        soup = get_soup(client, blog.url)
        assert card_titles(soup) == []
        assert "No posts yet" in text_of(soup)


class TestFeed:
    def test_the_rss_feed_lists_live_posts_newest_first(self, client, blog, posts):
        factories.make_post(blog, title="Draft Post", live=False)
        response = client.get("/blog/feed/")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/rss+xml")
        channel = ET.fromstring(response.content).find("channel")  # noqa: S314 - our own response
        assert channel.findtext("title") == "Blog · Verity"
        items = channel.findall("item")
        assert [item.findtext("title") for item in items] == ["Post 5", "Post 4", "Post 3", "Post 2", "Post 1"]
        newest = items[0]
        assert newest.findtext("link") == "http://testserver/blog/post-5/"
        assert newest.findtext("description") == posts[-1].dek
        assert [category.text for category in newest.findall("category")] == ["odd"]


class TestExpertProfile:
    def test_shows_the_expert_and_the_posts_quoting_them(self, client, blog):
        expert = factories.make_expert(
            name="Marie Tudor",
            slug="marie-tudor",
            credentials="Medical sexologist",
            specialty="Sexology",
            affiliation="Verity Clinic",
            bio="<p>A medical sexologist.</p>",
        )
        factories.make_post(blog, title="Quoting Post", body=[factories.expert_quote(expert)])
        factories.make_post(blog, title="Other Post")
        soup = get_soup(client, "/experts/marie-tudor/")
        assert_landmarks(soup)
        assert text_of(soup.h1) == "Dr. Marie Tudor"
        assert text_of(soup.select_one(".expert-profile .credentials")) == "Medical sexologist"
        assert text_of(soup.select_one(".expert-profile__header .meta")) == "Sexology · Verity Clinic"
        assert text_of(soup.select_one(".expert-profile .rich-text")) == "A medical sexologist."
        assert card_titles(soup) == ["Quoting Post"]
        assert soup.find("link", rel="canonical")["href"] == "http://testserver/experts/marie-tudor/"
        photo = soup.select_one("img.avatar")
        assert all(c.split()[0].endswith(".webp") for c in photo["srcset"].split(","))

    def test_an_expert_in_no_post_says_so(self, client, db):
        expert = factories.make_expert(photo=False)
        soup = get_soup(client, expert.get_absolute_url())
        assert "No published articles yet." in text_of(soup)
        assert soup.select_one("img.avatar") is None

    def test_a_draft_expert_is_not_found(self, client, db):
        expert = factories.make_expert(live=False)
        get_soup(client, f"/experts/{expert.slug}/", status=404)

    def test_an_unknown_expert_is_not_found(self, client, db):
        get_soup(client, "/experts/nobody/", status=404)


class TestSearch:
    def test_without_a_query_shows_only_the_form(self, client, home):
        soup = get_soup(client, "/search/")
        assert_landmarks(soup)
        assert soup.find("input", id="search-query")["value"] == ""
        assert soup.select_one(".search-results") is None
        assert soup.find(attrs={"role": "status"}) is None
        assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"

    def test_finds_live_posts_and_products(self, client, blog, shop):
        factories.make_post(blog, title="Crying after sex", dek="Tears are normal.")
        factories.make_post(blog, title="Crying in secret", live=False)
        factories.make_product(shop, title="Crying towel", summary="Soft.")
        factories.make_post(blog, title="Gardening")
        soup = get_soup(client, "/search/?q=crying")
        assert soup.find("input", id="search-query")["value"] == "crying"
        assert text_of(soup.find(attrs={"role": "status"})) == "2 results for “crying”"
        results = {text_of(li.h2): text_of(li.select_one(".eyebrow")) for li in soup.select(".search-results li")}
        assert results == {"Crying after sex": "Article", "Crying towel": "Product"}  # readers' words

    def test_a_query_with_no_hits(self, client, blog):
        factories.make_post(blog, title="Gardening")
        soup = get_soup(client, "/search/?q=zzzzqqq")
        assert text_of(soup.find(attrs={"role": "status"})) == "0 results for “zzzzqqq”"
        assert soup.select(".search-results li") == []


class TestSitemapAndRobots:
    def test_the_sitemap_lists_live_pages_and_experts(self, client, blog, shop):
        post = factories.make_post(blog, title="Live Post", slug="live-post")
        factories.make_post(blog, slug="draft-post", live=False)
        product = factories.make_product(shop, slug="live-product")
        expert = factories.make_expert(slug="live-expert")
        factories.make_expert(slug="draft-expert", live=False)
        response = client.get("/sitemap.xml")
        assert response.status_code == 200
        index = ET.fromstring(response.content)  # noqa: S314 - our own response
        locations = []
        for section in index.findall("sm:sitemap/sm:loc", SITEMAP_NS):
            sitemap = ET.fromstring(client.get(section.text).content)  # noqa: S314 - our own response
            locations += [loc.text for loc in sitemap.findall("sm:url/sm:loc", SITEMAP_NS)]
        paths = {loc.split("/", 3)[3] for loc in locations}
        for url in (post.url, product.url, blog.url, shop.url, expert.get_absolute_url(), "/"):
            assert url.lstrip("/") in paths, url
        assert not any("draft-post" in loc or "draft-expert" in loc for loc in locations)

    def test_robots_txt_points_to_the_sitemap(self, client, db):
        response = client.get("/robots.txt")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain")
        lines = response.content.decode().splitlines()
        assert "User-agent: *" in lines
        assert "Disallow: /admin/" in lines
        assert "Sitemap: http://testserver/sitemap.xml" in lines


class TestNotFound:
    def test_a_missing_page_renders_the_friendly_404(self, client, home, blog, shop):
        soup = get_soup(client, "/no/such/page/", status=404)
        assert_landmarks(soup)
        assert text_of(soup.h1) == "We couldn’t find that page"
        assert soup.title.get_text() == "Page not found · Verity"
        assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        form = soup.select_one("main form[role=search]")
        assert form["action"] == "/search/"
        links = {a.get_text(): a["href"] for a in soup.select("main a")}
        assert links["blog"] == "/blog/" and links["shop"] == "/shop/"


def test_a_search_of_quotes_or_blanks_is_answered_not_an_error(client, home):
    for query in ('"', '" "', "   "):
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200, query
